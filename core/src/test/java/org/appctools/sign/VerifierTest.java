package org.appctools.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.appctools.schema.types.AcIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
  static final AcIdentifier NAME = new AcIdentifier("example.com/app");
  @TempDir static Path keysDir;
  static GpgFixture gpg;
  static String ed;
  static String rsa;
  static String stranger;
  @TempDir Path dir;
  TrustStore store;
  Path aci;

  @BeforeAll
  static void keys() {
    gpg = GpgFixture.create(keysDir);
    ed = gpg.genSigningKey("Ed <ed@example.com>", "ed25519");
    rsa = gpg.genSigningKey("Rsa <rsa@example.com>", "rsa2048");
    stranger = gpg.genSigningKey("Stranger <s@example.net>", "ed25519");
  }

  @AfterAll
  static void stop() {
    gpg.close();
  }

  @BeforeEach
  void image() throws Exception {
    store = new TrustStore(null, dir.resolve("trust"));
    aci = dir.resolve("app.aci");
    Files.write(aci, "the image's bytes".getBytes());
  }

  private Path gpgSign(String fpr, boolean armor, String... extra) {
    Path sig = dir.resolve("app.aci." + fpr.substring(0, 8) + (armor ? ".asc" : ".sig"));
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(extra));
    args.addAll(java.util.List.of("--yes", "--local-user", fpr, "--output", sig.toString(), "--detach-sign"));
    if (armor) {
      args.add("--armor");
    }
    args.add(aci.toString());
    gpg.gpg(args.toArray(String[]::new)).ok();
    return sig;
  }

  @Test
  void verify_gpgSignatureKeyTrustedForPrefix_verified() throws Exception {
    TrustedKey k = store.trust(new AcIdentifier("example.com"), gpg.exportPublic(ed));
    Verified v = Verifier.verify(aci, gpgSign(ed, true), NAME, store);
    assertThat(v.fingerprint()).isEqualTo(ed);
    assertThat(v.userIds()).containsExactly("Ed <ed@example.com>");
    assertThat(v.keyPath()).isEqualTo(k.path());
    assertThat(Duration.between(v.signedAt(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
  }

  @Test
  void verify_gpgBinaryRsaSignature_verified() throws Exception {
    store.trust(NAME, gpg.exportPublic(rsa));
    assertThat(Verifier.verify(aci, gpgSign(rsa, false), NAME, store).fingerprint()).isEqualTo(rsa);
  }

  @Test
  void verify_ourSignature_verified() throws Exception {
    store.trust(NAME, gpg.exportPublic(ed));
    Path key = gpg.exportSecret(ed, "", true, dir.resolve("ed.key"));
    Path sig = dir.resolve("app.aci.asc");
    Signer.signDetached(aci, sig, SigningKey.load(key, null, null));
    assertThat(Verifier.verify(aci, sig, NAME, store).fingerprint()).isEqualTo(ed);
  }

  @Test
  void verify_rootKey_acceptedForAnyName() throws Exception {
    store.trust(null, gpg.exportPublic(ed));
    Path sig = gpgSign(ed, true);
    assertThat(Verifier.verify(aci, sig, new AcIdentifier("anything.org/else"), store).fingerprint()).isEqualTo(ed);
  }

  @Test
  void verify_noSignatureFile_unsigned() {
    Path sig = dir.resolve("app.aci.asc");
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("unsigned image: " + sig + " not found (sign it with actool sign, or fetch its .asc)");
  }

  @Test
  void verify_tamperedFile_badSignature() throws Exception {
    store.trust(NAME, gpg.exportPublic(ed));
    Path sig = gpgSign(ed, true);
    Files.write(aci, "other bytes".getBytes());
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("bad signature: " + sig + " does not match " + aci
            + " (the file was changed after it was signed, or the signature is for another file); do not use it: fetch the image and its signature again");
  }

  @Test
  void verify_unknownKey_saysKeyIdAndTrustCommand() throws Exception {
    store.trust(NAME, gpg.exportPublic(ed));
    Path sig = gpgSign(stranger, true);
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("unknown key: " + sig + " was made by key ID " + stranger.substring(24).toUpperCase()
            + ", which is not in the trust store; get the publisher's public key, check its fingerprint with them, then trust it: actool trust --prefix example.com/app <keyfile>");
  }

  @Test
  void verify_keyTrustedForOtherPrefix_saysWhereAndCommand() throws Exception {
    store.trust(new AcIdentifier("example.org"), gpg.exportPublic(ed));
    store.trust(new AcIdentifier("example.com/other"), gpg.exportPublic(ed));
    Path sig = gpgSign(ed, true);
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("key not trusted for example.com/app: " + sig + " was made by key " + ed
            + " (Ed <ed@example.com>), which is trusted only for prefix example.com/other, prefix example.org;"
            + " if this publisher may sign example.com/app, trust the key for it: actool trust --prefix example.com/app <keyfile>");
  }

  @Test
  void verify_expiredKey_says() throws Exception {
    String old = gpg.genKey("Old <old@example.com>", "ed25519", "sign", "1d", "");
    // made and used on 2020-01-01 (gpg's faked time), valid for a day: expired long since
    gpg.gpg("--faked-system-time", "20200101T000000", "--passphrase", "", "--quick-gen-key", "Older <older@example.com>", "ed25519", "sign", "1d").ok();
    String older = gpg.fingerprintOf("Older <older@example.com>");
    store.trust(NAME, gpg.exportPublic(older));
    Path sig = gpgSign(older, true, "--faked-system-time", "20200101T010000");
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("expired key: " + sig + " was made by key " + older + " (Older <older@example.com>), which expired on 2020-01-02T00:00:00Z"
            + "; ask the publisher for a renewed key (gpg --quick-set-expire) or a new signature, and trust the renewed key: actool trust --prefix example.com/app <keyfile>");
    // a key within its validity is fine
    store.trust(NAME, gpg.exportPublic(old));
    assertThat(Verifier.verify(aci, gpgSign(old, true), NAME, store).fingerprint()).isEqualTo(old);
  }

  @Test
  void verify_revokedKey_says() throws Exception {
    String gone = gpg.genSigningKey("Gone <gone@example.com>", "ed25519");
    Path sig = gpgSign(gone, true);
    String rev = Files.readString(gpg.home().resolve("openpgp-revocs.d/" + gone.toUpperCase() + ".rev"))
        .replace(":-----BEGIN", "-----BEGIN");
    Path revFile = dir.resolve("gone.rev");
    Files.writeString(revFile, rev);
    gpg.gpg("--import", revFile.toString()).ok();
    store.trust(NAME, gpg.exportPublic(gone));
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessageStartingWith("revoked key: " + sig + " was made by key " + gone + " (Gone <gone@example.com>), which its owner revoked on ")
        .hasMessageEndingWith("; do not use this image; get the publisher's new key and remove this one: actool trust remove " + gone + " --prefix example.com/app");
  }

  /** A binary gpg signature with one byte of its packet changed: the public-key or the hash algorithm. */
  private Path patched(String fpr, int field, int value) throws Exception {
    byte[] b = Files.readAllBytes(gpgSign(fpr, false));
    int start;
    if ((b[0] & 0x40) != 0) {
      start = (b[1] & 0xff) < 192 ? 2 : 3;
    } else {
      start = 1 + switch (b[0] & 3) { case 0 -> 1; case 1 -> 2; default -> 4; };
    }
    assertThat(b[start]).as("v4 signature").isEqualTo((byte) 4);
    b[start + field] = (byte) value;
    Path p = dir.resolve("patched-" + field + ".sig");
    Files.write(p, b);
    return p;
  }

  @Test
  void verify_elgamalSignature_unsupportedAlgorithm() throws Exception {
    store.trust(NAME, gpg.exportPublic(ed));
    Path sig = patched(ed, 2, 16);
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("unsupported algorithm: " + sig + " was made with public-key algorithm Elgamal (16), which is not accepted;"
            + " ask the publisher to sign with an RSA, Ed25519 or ECDSA key");
  }

  @Test
  void verify_md5Signature_unsupportedAlgorithm() throws Exception {
    store.trust(NAME, gpg.exportPublic(rsa));
    Path sig = patched(rsa, 3, 1);
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("unsupported algorithm: " + sig + " uses the digest MD5, which is not accepted; ask the publisher to sign again with SHA-256 or SHA-512");
  }

  @Test
  void verify_notASignature_says() throws Exception {
    Path sig = dir.resolve("app.aci.asc");
    Files.write(sig, gpg.exportPublic(ed));
    assertThatThrownBy(() -> Verifier.verify(aci, sig, NAME, store))
        .isInstanceOf(SignatureException.class)
        .hasMessage("not a signature: " + sig + " holds no OpenPGP signature; expected the .asc that actool sign or gpg --detach-sign writes");
  }
}
