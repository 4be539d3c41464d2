package org.appctools;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WarmUpTest {
  @Retention(RetentionPolicy.RUNTIME)
  @interface Marked {}

  static class Options {
    @Marked int level;
  }

  static class Base {
    @Marked String inherited;
  }

  @Marked
  static class Command extends Base {
    @Marked Options options;
    @Marked Thread.State state;
    @Marked String name;

    static class Sub {
      @Marked boolean flag;
    }
  }

  @Test
  void readAnnotations_command_visitsSuperclassesMixinsAndNestedClasses() {
    Set<Class<?>> seen = new HashSet<>();

    WarmUp.readAnnotations(Command.class, seen);

    assertThat(seen).contains(Command.class, Base.class, Options.class, Command.Sub.class)
        .doesNotContain(String.class, Thread.State.class, Object.class);
  }

  @Test
  void inBackground_runsTheTaskOnADaemonThread() throws Exception {
    Thread[] ran = new Thread[1];
    Object done = new Object();
    synchronized (done) {
      WarmUp.inBackground(() -> {
        synchronized (done) {
          ran[0] = Thread.currentThread();
          done.notifyAll();
        }
      }, Command.class);
      done.wait(10_000);
    }

    assertThat(ran[0]).isNotNull();
    assertThat(ran[0].isDaemon()).isTrue();
    assertThat(ran[0].getName()).isEqualTo("warm-up");
  }
}
