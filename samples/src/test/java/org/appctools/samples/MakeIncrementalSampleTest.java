package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/make-incremental/Makefile, copied elsewhere as a user would copy it: a second make does
 * nothing, touching an input rebuilds the same Image ID, changing one gives another.
 */
class MakeIncrementalSampleTest {
  @TempDir Path tmp;
  Path project;
  Map<String, String> env;

  @BeforeEach
  void copy() throws Exception {
    Samples.fixture("rootfs/busybox", "busybox");
    Samples.requireTool("make", "samples");
    project = Files.createDirectories(tmp.resolve("project/src"));
    Path sample = Samples.dir().resolve("make-incremental");
    Files.copy(sample.resolve("Makefile"), project.resolveSibling("Makefile"));
    Files.copy(sample.resolve("src/greet.sh"), project.resolve("greet.sh"));
    Files.copy(sample.resolve("src/greeting"), project.resolve("greeting"));
    project = project.getParent();
    Path bin = Samples.dir().resolveSibling("bin");
    env = Map.of("ACBUILD", bin.resolve("acbuild").toString(), "ACTOOL", bin.resolve("actool").toString());
  }

  private Samples.Result make(String... targets) throws Exception {
    String[] cmd = new String[targets.length + 1];
    cmd[0] = "make";
    System.arraycopy(targets, 0, cmd, 1, targets.length);
    return Samples.run(project, tmp, env, cmd).expectOk();
  }

  @Test
  void make_again_nothingToDo_sameImage() throws Exception {
    Samples.Result first = make();
    Path aci = project.resolve("build/greet.aci");
    String id = make("id").output().strip();
    FileTime built = Files.getLastModifiedTime(aci);

    Samples.Result second = make();

    assertThat(first.output()).contains(aci + ": valid app container image").contains("built build/greet.aci: " + id);
    assertThat(id).matches("sha512-[0-9a-f]{128}");
    assertThat(second.output()).isEqualTo("make: Nothing to be done for 'all'.\n");
    assertThat(Files.getLastModifiedTime(aci)).isEqualTo(built);
    assertThat(make("id").output().strip()).isEqualTo(id);
    assertThat(Samples.entries(aci)).contains("rootfs/app/greet.sh", "rootfs/etc/greeting");
  }

  @Test
  void make_afterTouchingAnInput_rebuildsTheSameImageId() throws Exception {
    make();
    String id = make("id").output().strip();
    byte[] bytes = Files.readAllBytes(project.resolve("build/greet.aci"));
    Files.setLastModifiedTime(project.resolve("src/greeting"), FileTime.from(Instant.now()));

    Samples.Result again = make();

    assertThat(again.output()).contains("built build/greet.aci: " + id);
    assertThat(Files.readAllBytes(project.resolve("build/greet.aci"))).isEqualTo(bytes);
  }

  @Test
  void make_afterChangingAnInput_anotherImageId_thenClean() throws Exception {
    make();
    String id = make("id").output().strip();
    Files.writeString(project.resolve("src/greeting"), "good morning\n");

    Samples.Result rebuilt = make();

    String changed = make("id").output().strip();
    assertThat(rebuilt.output()).contains("built build/greet.aci: " + changed);

    assertThat(changed).matches("sha512-[0-9a-f]{128}").isNotEqualTo(id);
    make("clean");
    assertThat(project.resolve("build")).doesNotExist();
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("project");
    }
  }
}
