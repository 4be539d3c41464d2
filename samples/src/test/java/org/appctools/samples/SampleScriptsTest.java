package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the sample build scripts as a user would, and checks what they made. */
class SampleScriptsTest {
  @TempDir Path tmp;

  private static Path samples() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath();
  }

  private static Path busyboxTree() {
    Path p = Path.of(System.getProperty("aci.fixtures")).resolve("rootfs/busybox");
    if (!Files.isDirectory(p)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("fixture " + p + " is missing: .ci/run makes it");
      }
      assumeTrue(false, "fixture " + p + " is missing: run .ci/fixtures.sh busybox");
    }
    return p;
  }

  private String run(Path out) throws IOException, InterruptedException {
    Path log = tmp.resolve(out.getFileName() + ".log");
    Process p = new ProcessBuilder(samples().resolve("busybox-hello/build.sh").toString(), busyboxTree().toString(), out.toString())
        .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void busyboxHello_buildsValidReproducibleImage() throws Exception {
    String first = run(tmp.resolve("one.aci"));
    String second = run(tmp.resolve("two.aci"));

    assertThat(first).contains("one.aci: valid app container image").contains("\"name\": \"example.com/busybox-hello\"");
    String idLine = first.lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow();
    assertThat(idLine).matches("id: +sha512-[0-9a-f]{128}");
    assertThat(second).contains(idLine);
    assertThat(Files.readAllBytes(tmp.resolve("one.aci"))).isEqualTo(Files.readAllBytes(tmp.resolve("two.aci")));
    assertThat(new File(tmp.toFile(), "one.aci").length()).isLessThan(4L << 20);
  }
}
