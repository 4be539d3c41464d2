package org.appctools.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignerTest {
  @TempDir static Path dir;
  static GpgFixture gpg;
  static String ed;
  static String rsa;
  static String ec;
  static String locked;

  @BeforeAll
  static void keys() {
    gpg = GpgFixture.create(dir);
    ed = gpg.genSigningKey("Ed <ed@example.com>", "ed25519");
    rsa = gpg.genSigningKey("Rsa <rsa@example.com>", "rsa2048");
    ec = gpg.genSigningKey("Ec <ec@example.com>", "nistp256");
    locked = gpg.genKey("Locked <locked@example.com>", "ed25519", "sign", "never", "s3cret");
  }

  @AfterAll
  static void stop() {
    gpg.close();
  }

  private static Path aci(String name) throws Exception {
    Path f = dir.resolve(name);
    Files.write(f, ("image bytes of " + name).getBytes());
    return f;
  }

  private void signAndGpgVerify(String fpr, boolean armor) throws Exception {
    Path keyFile = gpg.exportSecret(fpr, "", armor, dir.resolve(fpr + (armor ? ".asc" : ".gpg")));
    Path file = aci(fpr + ".aci");
    Path sig = dir.resolve(fpr + ".aci.asc");
    Signer.signDetached(file, sig, SigningKey.load(keyFile, null, null));
    assertThat(Files.readString(sig)).startsWith("-----BEGIN PGP SIGNATURE-----");
    GpgFixture.Result r = gpg.gpg("--status-fd", "1", "--verify", sig.toString(), file.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).contains("[GNUPG:] VALIDSIG " + fpr.toUpperCase());
    Files.writeString(file, "tampered");
    assertThat(gpg.gpg("--verify", sig.toString(), file.toString()).exitCode()).isNotZero();
  }

  @Test
  void signDetached_ed25519_gpgVerifies() throws Exception {
    signAndGpgVerify(ed, true);
  }

  @Test
  void signDetached_rsa_gpgVerifies() throws Exception {
    signAndGpgVerify(rsa, false);
  }

  @Test
  void signDetached_ecdsa_gpgVerifies() throws Exception {
    signAndGpgVerify(ec, true);
  }

  @Test
  void load_protectedKeyWithPassphrase_signs() throws Exception {
    Path keyFile = gpg.exportSecret(locked, "s3cret", true, dir.resolve("locked.asc"));
    Path file = aci("locked.aci");
    Path sig = dir.resolve("locked.aci.asc");
    Signer.signDetached(file, sig, SigningKey.load(keyFile, locked.substring(24), "s3cret".toCharArray()));
    assertThat(gpg.gpg("--verify", sig.toString(), file.toString()).exitCode()).isZero();
  }

  @Test
  void load_protectedKeyWithoutPassphrase_says() throws Exception {
    Path keyFile = gpg.exportSecret(locked, "s3cret", true, dir.resolve("locked2.asc"));
    String id = locked.substring(24).toUpperCase();
    assertThatThrownBy(() -> SigningKey.load(keyFile, null, null))
        .isInstanceOf(AppcException.class)
        .hasMessage("the secret key " + id + " is protected: give --passphrase-file");
    assertThatThrownBy(() -> SigningKey.load(keyFile, null, "wrong".toCharArray()))
        .hasMessage("wrong passphrase for " + id);
  }

  @Test
  void load_keyringWithSeveralKeys_picksByIdOrFingerprint() throws Exception {
    Path ring = dir.resolve("ring.gpg");
    gpg.gpg("--output", ring.toString(), "--yes", "--export-secret-keys", ed, rsa).ok();
    assertThat(SigningKey.load(ring, null, null).fingerprint()).isIn(ed, rsa);
    assertThat(SigningKey.load(ring, rsa.toUpperCase(), null).fingerprint()).isEqualTo(rsa);
    assertThat(SigningKey.load(ring, "0x" + ed.substring(24), null).userIds()).containsExactly("Ed <ed@example.com>");
    assertThatThrownBy(() -> SigningKey.load(ring, "DEADBEEF", null))
        .hasMessageStartingWith("key DEADBEEF not found in " + ring + " (it holds: ")
        .hasMessageContaining(ed + " (Ed <ed@example.com>)")
        .hasMessageContaining(rsa + " (Rsa <rsa@example.com>)");
  }

  @Test
  void load_publicKeyOnly_noSecretKey() throws Exception {
    Path pub = gpg.exportPublic(ed, dir.resolve("ed.pub.asc"));
    assertThatThrownBy(() -> SigningKey.load(pub, null, null)).hasMessage("no secret key in " + pub);
  }

  @Test
  void load_expiredKey_refusedWithHowToRenew() throws Exception {
    gpg.gpg("--faked-system-time", "20200101T000000", "--passphrase", "", "--quick-gen-key", "Old <old@example.com>", "ed25519", "sign", "1d").ok();
    String old = gpg.fingerprintOf("Old <old@example.com>");
    Path keyFile = gpg.exportSecret(old, "", true, dir.resolve("old.asc"));
    assertThatThrownBy(() -> SigningKey.load(keyFile, null, null))
        .hasMessage("the key " + old + " (Old <old@example.com>) expired on 2020-01-02T00:00:00Z: renew it (gpg --quick-set-expire "
            + old + " 1y), export it again and publish the renewed public key");
  }

  @Test
  void load_revokedKey_refused() throws Exception {
    String gone = gpg.genSigningKey("Gone <gone@example.com>", "ed25519");
    Path rev = dir.resolve("gone.rev");
    Files.writeString(rev, Files.readString(gpg.home().resolve("openpgp-revocs.d/" + gone.toUpperCase() + ".rev")).replace(":-----BEGIN", "-----BEGIN"));
    gpg.gpg("--import", rev.toString()).ok();
    Path keyFile = gpg.exportSecret(gone, "", true, dir.resolve("gone.asc"));
    assertThatThrownBy(() -> SigningKey.load(keyFile, gone, null))
        .hasMessageStartingWith("the key " + gone + " (Gone <gone@example.com>) was revoked on ")
        .hasMessageEndingWith(": sign with another key");
  }

  @Test
  void signDetached_missingFile_says() throws Exception {
    Path keyFile = gpg.exportSecret(ed, "", true, dir.resolve("ed-m.asc"));
    Path missing = dir.resolve("missing.aci");
    assertThatThrownBy(() -> Signer.signDetached(missing, dir.resolve("m.asc"), SigningKey.load(keyFile, null, null)))
        .hasMessage("sign: file not found: " + missing);
    assertThat(dir.resolve("m.asc")).doesNotExist();
  }
}
