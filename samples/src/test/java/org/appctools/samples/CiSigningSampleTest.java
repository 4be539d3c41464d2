package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** samples/ci-signing/sign.sh: a throwaway key signs, is trusted, verifies, refuses a tampered copy, and goes. */
class CiSigningSampleTest {
  @TempDir Path tmp;

  @Test
  void sign_throwawayKey_verifiesAndRefusesTampering_leavesNoKey() throws Exception {
    Samples.requireTool("jq", "samples");
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    Path aci = tmp.resolve("hello.aci");
    Samples.run(tmp, scratch, Map.of(), Samples.dir().resolve("busybox-hello/build.sh").toString(),
        Samples.fixture("rootfs/busybox", "busybox").toString(), aci.toString()).expectOk();

    Samples.Result r = Samples.run(tmp, scratch, Map.of(), Samples.dir().resolve("ci-signing/sign.sh").toString(), aci.toString())
        .expectOk();

    assertThat(r.output()).contains(aci + ".asc: signed by CI signing key <ci@example.com>")
        .contains(aci + ": signed by CI signing key <ci@example.com>")
        .contains("trusted for example.com/busybox-hello\n")
        .containsPattern("tampered copy refused: verify: bad signature: \\S+/tampered\\.aci\\.asc does not match \\S+/tampered\\.aci ");
    assertThat(Files.readString(tmp.resolve("hello.aci.pubkey.asc"))).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    assertThat(tmp.resolve("hello.aci.asc")).exists();
    try (var left = Files.list(scratch)) {
      assertThat(left).as("the GnuPG home and the secret key are gone").isEmpty();
    }
    // the signature and public key it left are what a consumer needs, gpg agreeing
    Path home = Files.createDirectories(tmp.resolve("consumer"));
    Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    try {
      Samples.run(tmp, tmp, Map.of(), "gpg", "--homedir=" + home, "--batch", "--quiet", "--import", tmp.resolve("hello.aci.pubkey.asc").toString()).expectOk();
      Samples.run(tmp, tmp, Map.of(), "gpg", "--homedir=" + home, "--batch", "--verify", aci + ".asc", aci.toString()).expectOk();
    } finally {
      Samples.run(tmp, tmp, Map.of(), "gpgconf", "--homedir", home.toString(), "--kill", "all");
    }
  }

  @Test
  void sign_noSuchFile_failsNamingIt() throws Exception {
    Samples.Result r = Samples.run(tmp, tmp, Map.of(), Samples.dir().resolve("ci-signing/sign.sh").toString(), "missing.aci");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.output()).isEqualTo("sign.sh: no such file: missing.aci\n");
  }
}
