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

  /**
   * GnuPG writes a salt as a quoted string when its bytes look printable (one protected key in
   * six here); BouncyCastle's reader took such strings for UTF-8 text. The locked key's salt is
   * rewritten so: raw Latin-1 bytes where printable, escapes elsewhere.
   */
  @Test
  void signingKey_protectedWithTheSaltAsAQuotedString_opens() throws Exception {
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("private-keys-v1.d"));
    Files.copy(gpg.home().resolve("pubring.kbx"), home.resolve("pubring.kbx"));
    java.util.regex.Pattern hexSalt = java.util.regex.Pattern.compile("\\(sha1 #([0-9A-Fa-f]{16})#");
    int rewritten = 0;
    try (var files = Files.list(gpg.home().resolve("private-keys-v1.d"))) {
      for (Path f : files.toList()) {
        String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = hexSalt.matcher(text);
        if (m.find()) {
          byte[] salt = java.util.HexFormat.of().parseHex(m.group(1));
          StringBuilder quoted = new StringBuilder("(sha1 \"");
          for (int i = 0; i < salt.length; i++) {
            int b = salt[i] & 0xff;
            boolean printable = (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') || b >= 0xa0;
            quoted.append(printable ? String.valueOf((char) b)
                : i % 2 == 0 ? String.format("\\x%02x", b) : String.format("\\%03o", b));
          }
          text = text.substring(0, m.start()) + quoted + "\"" + text.substring(m.end());
          rewritten++;
        }
        Files.write(home.resolve("private-keys-v1.d").resolve(f.getFileName()),
            text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    // a salt GnuPG wrote quoted itself is the case already
    assertThat(rewritten + countQuotedSalts(home)).as("protected key files with a quoted salt").isPositive();

    SigningKey key = new GnupgHome(home).signingKey(locked, "s3cret".toCharArray());

    signAndGpgVerify(key, locked);
  }

  private static int countQuotedSalts(Path home) throws Exception {
    int n = 0;
    try (var files = Files.list(home.resolve("private-keys-v1.d"))) {
      for (Path f : files.toList()) {
        n += new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1).contains("(sha1 \"") ? 1 : 0;
      }
    }
    return n;
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
