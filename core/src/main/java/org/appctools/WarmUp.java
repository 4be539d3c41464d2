package org.appctools;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;

/**
 * One-time work of a short-lived command done on the second core while the first parses the
 * command line. Reading a class's annotations the first time makes the JDK generate a proxy class
 * per annotation type, and the command-line parser reads every annotation of the command it runs;
 * doing it here first leaves it cached (the JDK keeps parsed annotations with each class, field
 * and method) and the proxy classes made.
 */
public final class WarmUp {
  private WarmUp() {}

  /**
   * Starts a daemon thread that reads the annotations of each of {@code annotated}, its
   * superclasses, its fields and methods, and of the types of its fields declared in the same
   * package (option groups mixed into a command), and then runs {@code task}.
   */
  public static void inBackground(Runnable task, Class<?>... annotated) {
    Thread t = new Thread(new Reader(task, annotated), "warm-up");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The thread's work, a class rather than a lambda: the first lambda a JVM links costs a few
   * milliseconds of method-handle set-up, which the caller's thread should not pay before it starts.
   */
  private static final class Reader implements Runnable {
    private final Runnable task;
    private final Class<?>[] annotated;

    Reader(Runnable task, Class<?>[] annotated) {
      this.task = task;
      this.annotated = annotated;
    }

    @Override
    public void run() {
      // the annotations first: the parser needs them sooner than anything the task prepares.
      // Object's methods before all: picocli walks each command class up to Object and reads the
      // annotations of its methods, whose types (@IntrinsicCandidate, @Deprecated) need proxy
      // classes of their own that no command uses
      read(Object.class.getDeclaredMethods());
      Set<Class<?>> seen = new HashSet<>();
      for (Class<?> c : annotated) {
        readAnnotations(c, seen);
      }
      task.run();
    }
  }

  static void readAnnotations(Class<?> type, Set<Class<?>> seen) {
    for (Class<?> c = type; c != null && c != Object.class && seen.add(c); c = c.getSuperclass()) {
      // the members before the class's own annotations: the parser's thread starts with the root
      // command's @Command, whose proxy class this thread would otherwise make at the same time
      // (one of the two waits for the other)
      read(c.getDeclaredMethods());
      for (Field f : c.getDeclaredFields()) {
        f.getAnnotations();
        Class<?> t = f.getType();
        if (t.getPackageName().equals(type.getPackageName()) && !t.isEnum()) {
          readAnnotations(t, seen);
        }
      }
      for (Class<?> nested : c.getDeclaredClasses()) {
        readAnnotations(nested, seen);
      }
      c.getAnnotations();
    }
  }

  private static void read(AccessibleObject[] members) {
    for (AccessibleObject m : members) {
      m.getAnnotations();
    }
  }
}
