package org.appctools.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GnupgHomeTest {
  @TempDir static Path keysDir;
  static GpgFixture gpg;
  static String ed;
  static String rsa;
  static String locked;
  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    gpg = GpgFixture.create(keysDir);
    ed = gpg.genSigningKey("Ed <ed@example.com>", "ed25519");
    rsa = gpg.genSigningKey("Rsa <rsa@example.com>", "rsa2048");
    locked = gpg.genKey("Locked <locked@example.com>", "ed25519", "sign", "never", "s3cret");
  }

  @AfterAll
  static void stop() {
    gpg.close();
  }

  private void signAndGpgVerify(SigningKey key, String fpr) throws Exception {
    Path file = dir.resolve("app.aci");
    Files.writeString(file, "bytes");
    Path sig = dir.resolve("app.aci.asc");
    Signer.signDetached(file, sig, key);
    GpgFixture.Result r = gpg.gpg("--status-fd", "1", "--verify", sig.toString(), file.toString());
    assertThat(r.stdout()).contains("[GNUPG:] VALIDSIG " + fpr.toUpperCase());
  }

  @Test
  void publicKeys_pubringKbx_allKeys() throws Exception {
    assertThat(new GnupgHome(gpg.home()).publicKeys()).extracting(r -> Pgp.fingerprint(r.getPublicKey()))
        .containsExactly(ed, rsa, locked);
  }

  @Test
  void signingKey_first_isEd25519AndGpgVerifies() throws Exception {
    SigningKey k = new GnupgHome(gpg.home()).signingKey(null, null);
    assertThat(k.fingerprint()).isEqualTo(ed);
    signAndGpgVerify(k, ed);
  }

  @Test
  void signingKey_rsaById_gpgVerifies() throws Exception {
    SigningKey k = new GnupgHome(gpg.home()).signingKey(rsa.substring(24), null);
    assertThat(k.userIds()).containsExactly("Rsa <rsa@example.com>");
    signAndGpgVerify(k, rsa);
  }

  @Test
  void signingKey_protected_needsRightPassphrase() throws Exception {
    GnupgHome home = new GnupgHome(gpg.home());
    String id = locked.substring(24).toUpperCase();
    assertThatThrownBy(() -> home.signingKey(locked, null))
        .hasMessage("the secret key " + id + " is protected: give --passphrase-file");
    assertThatThrownBy(() -> home.signingKey(locked, "nope".toCharArray()))
        .hasMessage("wrong passphrase for " + id + " (or its secret key is not in the GnuPG home)");
    signAndGpgVerify(home.signingKey(locked, "s3cret".toCharArray()), locked);
  }

  @Test
  void signingKey_unknownId_listsKeys() {
    assertThatThrownBy(() -> new GnupgHome(gpg.home()).signingKey("DEADBEEF", null))
        .hasMessageStartingWith("key DEADBEEF not found in " + gpg.home() + " (it holds: " + ed + " (Ed <ed@example.com>); ");
  }

  @Test
  void publicKeys_emptyDir_says() {
    assertThatThrownBy(() -> new GnupgHome(dir).publicKeys())
        .hasMessage("no GnuPG keyring in " + dir + " (neither pubring.kbx nor pubring.gpg)");
  }
}
