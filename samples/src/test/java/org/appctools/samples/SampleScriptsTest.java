package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

  private String run(Path out, String... env) throws IOException, InterruptedException {
    Path log = tmp.resolve(out.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(samples().resolve("busybox-hello/build.sh").toString(), busyboxTree().toString(), out.toString())
        .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    for (int i = 0; i < env.length; i += 2) {
      pb.environment().put(env[i], env[i + 1]);
    }
    Process p = pb.start();
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

  private void gpg(Path home, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--quiet"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("gpg.log").toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("gpg.log"))).isZero();
  }

  @Test
  void busyboxHello_withAKey_signsAndVerifies() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    gpg(home, "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "Sample <s@example.com>", "ed25519", "sign", "never");
    gpg(home, "--armor", "--output", tmp.resolve("secret.asc").toString(), "--export-secret-keys");
    gpg(home, "--armor", "--output", tmp.resolve("public.asc").toString(), "--export");

    String output = run(tmp.resolve("signed.aci"), "SIGNING_KEY", tmp.resolve("secret.asc").toString(),
        "SIGNING_PUBKEY", tmp.resolve("public.asc").toString());

    assertThat(output).contains("signed.aci: signed by Sample <s@example.com>").contains("trusted for example.com/busybox-hello");
    if ("root".equals(System.getProperty("user.name"))) {
      // then run: the app's own line, from inside the pod
      assertThat(output).contains("hello from busybox-hello");
    }
    assertThat(tmp.resolve("signed.aci.asc")).exists();
    gpg(home, "--verify", tmp.resolve("signed.aci.asc").toString(), tmp.resolve("signed.aci").toString());
    new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all").start().waitFor(1, TimeUnit.MINUTES);
  }
}
