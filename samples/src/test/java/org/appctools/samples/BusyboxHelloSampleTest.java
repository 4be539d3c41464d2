package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** samples/busybox-hello/build.sh and samples/quickstart.sh, run as a user runs them. */
class BusyboxHelloSampleTest {
  @TempDir Path tmp;

  private Samples.Result build(Path out, Map<String, String> env) throws Exception {
    Path busybox = Samples.fixture("rootfs/busybox", "busybox");
    return Samples.run(tmp, tmp, env, Samples.dir().resolve("busybox-hello/build.sh").toString(), busybox.toString(),
        out.toString()).expectOk();
  }

  @Test
  void build_twice_validReproducibleImageWithTheApp() throws Exception {
    Samples.Result first = build(tmp.resolve("one.aci"), Map.of());
    Samples.Result second = build(tmp.resolve("two.aci"), Map.of());

    assertThat(first.output()).contains(tmp.resolve("one.aci") + ": valid app container image")
        .contains("\"name\": \"example.com/busybox-hello\"").contains("\"/app/hello.sh\"");
    assertThat(first.value("id")).matches("sha512-[0-9a-f]{128}").isEqualTo(second.value("id"));
    assertThat(Files.readAllBytes(tmp.resolve("one.aci"))).isEqualTo(Files.readAllBytes(tmp.resolve("two.aci")));
    assertThat(Samples.entries(tmp.resolve("one.aci"))).contains("rootfs/app/hello.sh", "rootfs/bin/busybox");
    assertThat(tmp.resolve("one.aci").toFile().length()).isLessThan(4L << 20);
  }

  private void gpg(Path home, String... args) throws Exception {
    String[] cmd = new String[args.length + 4];
    cmd[0] = "gpg";
    cmd[1] = "--homedir=" + home;
    cmd[2] = "--batch";
    cmd[3] = "--quiet";
    System.arraycopy(args, 0, cmd, 4, args.length);
    Samples.run(tmp, tmp, Map.of(), cmd).expectOk();
  }

  @Test
  void build_withAKey_signsVerifiesAndRunsTheApp() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("gnupg"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    try {
      gpg(home, "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "Sample <s@example.com>", "ed25519", "sign", "never");
      gpg(home, "--armor", "--output", tmp.resolve("secret.asc").toString(), "--export-secret-keys");
      gpg(home, "--armor", "--output", tmp.resolve("public.asc").toString(), "--export");

      Samples.Result r = build(tmp.resolve("signed.aci"), Map.of("SIGNING_KEY", tmp.resolve("secret.asc").toString(),
          "SIGNING_PUBKEY", tmp.resolve("public.asc").toString()));

      assertThat(r.output()).contains("signed.aci: signed by Sample <s@example.com>").contains("trusted for example.com/busybox-hello");
      if ("root".equals(System.getProperty("user.name"))) {
        // then run: the app's own lines, from inside the pod, as the image's user
        assertThat(r.output()).contains("hello from busybox-hello\nrunning as app in /home/app on Linux\n");
      }
      gpg(home, "--verify", tmp.resolve("signed.aci.asc").toString(), tmp.resolve("signed.aci").toString());
    } finally {
      Samples.run(tmp, tmp, Map.of(), "gpgconf", "--homedir", home.toString(), "--kill", "all");
    }
  }

  @Test
  void quickstart_buildsSignsVerifiesAndRuns() throws Exception {
    Samples.requireRoot();
    Samples.fixture("rootfs/busybox", "busybox");
    Path out = tmp.resolve("quick.aci");

    Samples.Result r = Samples.run(tmp, tmp, Map.of(), Samples.dir().resolve("quickstart.sh").toString(), out.toString()).expectOk();

    assertThat(r.output()).contains(out + ": valid app container image")
        .contains(out + ": signed by busybox-hello sample <sample@example.com>")
        .contains("hello from busybox-hello\n");
    assertThat(r.value("id")).matches("sha512-[0-9a-f]{128}");
    assertThat(out.resolveSibling("quick.aci.asc")).exists();
  }
}
