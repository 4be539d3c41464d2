package org.appctools.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionTest {
  @TempDir static Path keysDir;
  static GpgFixture gpg;
  static String ed;
  static String rsa;
  static String signOnly;
  @TempDir Path dir;
  Path plain;
  byte[] content;

  @BeforeAll
  static void keys() {
    gpg = GpgFixture.create(keysDir);
    ed = gpg.genSigningKey("Ed <ed@example.com>", "ed25519");
    gpg.addEncryptionSubkey(ed, "cv25519", "");
    rsa = gpg.genKey("Rsa <rsa@example.com>", "rsa2048", "sign", "never", "pw");
    gpg.addEncryptionSubkey(rsa, "rsa2048", "pw");
    signOnly = gpg.genSigningKey("Signer <signer@example.com>", "ed25519");
  }

  @AfterAll
  static void stop() {
    gpg.close();
  }

  @BeforeEach
  void file() throws Exception {
    content = new byte[300_000];
    new Random(4).nextBytes(content);
    plain = dir.resolve("app.aci");
    Files.write(plain, content);
  }

  private void oursToGpg(String fpr, String keyPassphrase) throws Exception {
    Path enc = dir.resolve("app.aci.gpg");
    Encryption.encrypt(plain, enc, Encryption.recipients(gpg.exportPublic(fpr, dir.resolve("pub.asc"))), null);
    Path out = dir.resolve("by-gpg");
    GpgFixture.Result r = gpg.gpg("--status-fd", "1", "--passphrase", keyPassphrase, "--output", out.toString(), "--decrypt", enc.toString()).ok();
    assertThat(out).hasBinaryContent(content);
    // MDC (2) and AES-256 (9)
    assertThat(r.stdout()).contains("[GNUPG:] DECRYPTION_INFO 2 9").contains("[GNUPG:] DECRYPTION_OKAY");
  }

  private void gpgToOurs(String fpr, String keyPassphrase) throws Exception {
    Path enc = dir.resolve("gpg.gpg");
    gpg.gpg("--trust-model", "always", "--recipient", fpr, "--output", enc.toString(), "--encrypt", plain.toString()).ok();
    Path key = gpg.exportSecret(fpr, keyPassphrase, true, dir.resolve("secret.asc"));
    Path out = dir.resolve("by-us");
    Encryption.decrypt(enc, out, key, keyPassphrase.isEmpty() ? null : keyPassphrase.toCharArray());
    assertThat(out).hasBinaryContent(content);
  }

  @Test
  void encrypt_cv25519Recipient_gpgDecrypts() throws Exception {
    oursToGpg(ed, "");
  }

  @Test
  void encrypt_rsaRecipient_gpgDecrypts() throws Exception {
    oursToGpg(rsa, "pw");
  }

  @Test
  void decrypt_gpgEncryptedToCv25519_ours() throws Exception {
    gpgToOurs(ed, "");
  }

  @Test
  void decrypt_gpgEncryptedToProtectedRsa_ours() throws Exception {
    gpgToOurs(rsa, "pw");
  }

  @Test
  void passphrase_bothWays() throws Exception {
    Path enc = dir.resolve("sym.gpg");
    Encryption.encrypt(plain, enc, List.of(), "open sesame".toCharArray());
    Path out = dir.resolve("by-gpg");
    gpg.gpg("--passphrase", "open sesame", "--output", out.toString(), "--decrypt", enc.toString()).ok();
    assertThat(out).hasBinaryContent(content);

    Path gpgEnc = dir.resolve("gpg-sym.asc");
    gpg.gpg("--passphrase", "open sesame", "--cipher-algo", "AES256", "--armor", "--output", gpgEnc.toString(), "--symmetric", plain.toString()).ok();
    Path ours = dir.resolve("by-us");
    Encryption.decrypt(gpgEnc, ours, null, "open sesame".toCharArray());
    assertThat(ours).hasBinaryContent(content);

    Path wrong = dir.resolve("wrong");
    assertThatThrownBy(() -> Encryption.decrypt(gpgEnc, wrong, null, "nope".toCharArray()))
        .hasMessage("decrypt: wrong passphrase for " + gpgEnc);
    assertThatThrownBy(() -> Encryption.decrypt(gpgEnc, wrong, null, null))
        .hasMessage("decrypt: " + gpgEnc + " is encrypted with a passphrase: give --passphrase-file");
    assertThat(wrong).doesNotExist();
  }

  @Test
  void decrypt_tampered_integrityFailsAndNothingWritten() throws Exception {
    Path enc = dir.resolve("t.gpg");
    Encryption.encrypt(plain, enc, List.of(), "pw".toCharArray());
    byte[] b = Files.readAllBytes(enc);
    b[b.length / 2] ^= 1;
    Files.write(enc, b);
    Path out = dir.resolve("t.out");
    assertThatThrownBy(() -> Encryption.decrypt(enc, out, null, "pw".toCharArray()))
        .hasMessage("decrypt: integrity check failed: " + enc + " was altered after it was encrypted");
    assertThat(out).doesNotExist();
  }

  @Test
  void decrypt_wrongKey_saysWhichKeysItNeeds() throws Exception {
    Path enc = dir.resolve("to-ed.gpg");
    Encryption.encrypt(plain, enc, Encryption.recipients(gpg.exportPublic(ed, dir.resolve("ed.asc"))), null);
    Path other = gpg.exportSecret(signOnly, "", true, dir.resolve("signer.asc"));
    assertThatThrownBy(() -> Encryption.decrypt(enc, dir.resolve("x"), other, null))
        .hasMessageStartingWith("decrypt: " + enc + " is encrypted to key IDs ")
        .hasMessageEndingWith("; none is in " + other + " (it holds: " + signOnly + " (Signer <signer@example.com>))");
  }

  @Test
  void recipients_signOnlyKey_saysHowToAddOne() throws Exception {
    Path pub = gpg.exportPublic(signOnly, dir.resolve("s.asc"));
    assertThatThrownBy(() -> Encryption.recipients(pub))
        .hasMessage("encrypt: key " + signOnly + " (Signer <signer@example.com>) in " + pub
            + " has no encryption key (add one: gpg --quick-add-key " + signOnly + " cv25519 encr)");
  }

  @Test
  void isEncrypted_encryptedMessagesYes_archivesNo() throws Exception {
    Path ours = dir.resolve("ours.gpg");
    Encryption.encrypt(plain, ours, List.of(), "pw".toCharArray());
    Path armored = dir.resolve("gpg.asc");
    gpg.gpg("--armor", "--passphrase", "pw", "--symmetric", "--output", armored.toString(), plain.toString()).ok();
    Path binary = dir.resolve("gpg.gpg");
    gpg.gpg("--trust-model", "always", "--recipient", rsa, "--output", binary.toString(), "--encrypt", plain.toString()).ok();
    assertThat(Encryption.isEncrypted(ours)).isTrue();
    assertThat(Encryption.isEncrypted(armored)).isTrue();
    assertThat(Encryption.isEncrypted(binary)).isTrue();

    Path gzip = dir.resolve("x.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
      out.write(content);
    }
    Path tar = dir.resolve("x.tar");
    Files.write(tar, "manifest\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThat(Encryption.isEncrypted(gzip)).isFalse();
    assertThat(Encryption.isEncrypted(tar)).isFalse();
    assertThat(Encryption.isEncrypted(empty)).isFalse();
  }
}
