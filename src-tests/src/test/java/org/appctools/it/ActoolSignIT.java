package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signing, trust, verification and encryption against the real gpg, in both directions, with
 * Ed25519 and RSA keys. Asserts exit codes, files, gpg's verdicts and the phrases a user acts on
 * (the fingerprint, the {@code actool trust --prefix} command), not the engine's exact wording.
 */
class ActoolSignIT {
  private static final String UID = "Test <t@example.com>";

  @TempDir Path tmp;
  Path home;
  Path aci;
  Path trustDir;

  @BeforeEach
  void setUp() throws Exception {
    home = Files.createDirectory(tmp.resolve("gnupg"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    trustDir = tmp.resolve("trust");
    Path layout = Files.createDirectories(tmp.resolve("layout/rootfs"));
    Files.writeString(layout.resolve("hello"), "hello\n");
    Files.writeString(tmp.resolve("layout/manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/app\"}");
    aci = tmp.resolve("app.aci");
    Tools.actool("build", tmp.resolve("layout").toString(), aci.toString()).expectOk();
  }

  @AfterEach
  void stopAgent() throws Exception {
    Tools.process(tmp, Map.of("GNUPGHOME", home.toString()), "gpgconf", "--kill", "all");
  }

  // --- signing: ours pass gpg

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa2048"})
  void sign_writesArmoredSignatureThatGpgVerifies(String algo) throws Exception {
    String fpr = genKey(algo, "");
    Path sec = exportSecret();

    Tools.Result r = Tools.actool("sign", "--key", sec.toString(), aci.toString()).expectOk();

    Path sig = Path.of(aci + ".asc");
    assertThat(Files.readString(sig)).startsWith("-----BEGIN PGP SIGNATURE-----");
    assertThat(r.out()).containsIgnoringCase(fpr);
    Tools.Result v = gpg("--status-fd", "1", "--verify", sig.toString(), aci.toString()).expectOk();
    assertThat(v.out()).contains("VALIDSIG").containsIgnoringCase(fpr);
  }

  @Test
  void sign_withoutKey_readsTheGnupgHomeDirectly() throws Exception {
    String fpr = genKey("ed25519", "");

    Tools.Result r = Tools.process(tmp, Map.of("GNUPGHOME", home.toString()), Tools.bin("actool").toString(),
        "sign", aci.toString()).expectOk();

    assertThat(r.out()).containsIgnoringCase(fpr);
    assertThat(gpg("--status-fd", "1", "--verify", aci + ".asc", aci.toString()).expectOk().out())
        .contains("VALIDSIG").containsIgnoringCase(fpr);
  }

  @Test
  void sign_protectedKey_withPassphraseFile_andSignatureOption() throws Exception {
    genKey("ed25519", "s3cret pass");
    Path sec = exportSecret("--passphrase", "s3cret pass");
    Path pass = tmp.resolve("pass.txt");
    Files.writeString(pass, "s3cret pass\n");
    Path sig = tmp.resolve("elsewhere.sig");

    Tools.actool("sign", "--key", sec.toString(), "--passphrase-file", pass.toString(), "--signature", sig.toString(), aci.toString())
        .expectOk();

    assertThat(Path.of(aci + ".asc")).doesNotExist();
    gpg("--verify", sig.toString(), aci.toString()).expectOk();
  }

  @Test
  void sign_existingSignature_refusedWithoutOverwrite() throws Exception {
    genKey("ed25519", "");
    Path sec = exportSecret();
    Path sig = Path.of(aci + ".asc");
    Files.writeString(sig, "keep me");

    Tools.Result r = Tools.actool("sign", "--key", sec.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--overwrite");
    assertThat(Files.readString(sig)).isEqualTo("keep me");
    Tools.actool("sign", "--overwrite", "--key", sec.toString(), aci.toString()).expectOk();
    gpg("--verify", sig.toString(), aci.toString()).expectOk();
  }

  @Test
  void sign_keyIdChoosesAmongSeveral() throws Exception {
    genKey("ed25519", "");
    String second = genKey("rsa2048", "", "Second <s@example.com>");
    Path sec = exportSecret();

    Tools.actool("sign", "--key", sec.toString(), "--key-id", second, aci.toString()).expectOk();

    Tools.Result v = gpg("--status-fd", "1", "--verify", aci + ".asc", aci.toString()).expectOk();
    assertThat(v.out()).containsIgnoringCase("VALIDSIG " + second);
  }

  // --- verification: gpg's signatures pass ours, for the right prefix only

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa2048"})
  void verify_gpgSignature_trustedForPrefix_passesAndNamesTheSigner(String algo) throws Exception {
    String fpr = genKey(algo, "");
    gpgSign();
    Path pub = exportPublic();

    Tools.actool("trust", "--prefix", "example.com", "--skip-fingerprint-review", "--trust-dir", trustDir.toString(), pub.toString())
        .expectOk();
    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString()).expectOk();

    assertThat(r.out()).contains(UID).containsIgnoringCase(fpr).contains("example.com");
    assertThat(Files.list(trustDir.resolve("trustedkeys/prefix.d/example.com")).map(p -> p.getFileName().toString()))
        .containsExactly(fpr.toLowerCase());
  }

  @Test
  void verify_rootKey_trustsEveryName() throws Exception {
    String fpr = genKey("ed25519", "");
    gpgSign();

    Tools.actool("trust", "--root", "--skip-fingerprint-review", "--trust-dir", trustDir.toString(), exportPublic().toString()).expectOk();
    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString()).expectOk();

    assertThat(r.out()).containsIgnoringCase(fpr).contains("root");
    assertThat(trustDir.resolve("trustedkeys/root.d").resolve(fpr.toLowerCase())).exists();
  }

  @Test
  void verify_tamperedAci_exits1WithAMessage() throws Exception {
    genKey("ed25519", "");
    gpgSign();
    trust("example.com");
    Files.write(aci, new byte[] {0}, StandardOpenOption.APPEND);

    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isNotBlank();
  }

  @Test
  void verify_signatureOfOtherFile_exits1() throws Exception {
    genKey("rsa2048", "");
    Path other = tmp.resolve("other");
    Files.writeString(other, "other bytes");
    gpg("--armor", "--output", aci + ".asc", "--detach-sign", other.toString()).expectOk();
    trust("example.com");

    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isNotBlank();
  }

  @Test
  void verify_untrustedKey_exits1AndSaysHowToTrustIt() throws Exception {
    genKey("ed25519", "");
    gpgSign();

    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("actool trust --prefix");
  }

  @Test
  void verify_keyTrustedForOtherPrefix_exits1AndSaysHowToTrustIt() throws Exception {
    genKey("ed25519", "");
    gpgSign();
    trust("example.org");

    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("actool trust --prefix");
  }

  @Test
  void verify_unsigned_exits1() {
    Tools.Result r = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("not signed").contains("actool sign");
  }

  @Test
  void verify_signatureOption_readsThatFile() throws Exception {
    genKey("ed25519", "");
    Path sig = tmp.resolve("detached.sig");
    gpg("--armor", "--output", sig.toString(), "--detach-sign", aci.toString()).expectOk();
    trust("example.com/app");

    Tools.actool("verify", "--signature", sig.toString(), "--trust-dir", trustDir.toString(), aci.toString()).expectOk();
  }

  // --- the trust store

  @Test
  void trust_withoutTtyOrSkipFlag_refusesAndStoresNothing() throws Exception {
    genKey("ed25519", "");

    Tools.Result r = Tools.actool("trust", "--prefix", "example.com", "--trust-dir", trustDir.toString(), exportPublic().toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--skip-fingerprint-review");
    assertThat(Tools.actool("trust", "list", "--trust-dir", trustDir.toString()).expectOk().out()).isBlank();
  }

  @Test
  void trust_needsPrefixOrRoot_usage() throws Exception {
    genKey("ed25519", "");
    Path pub = exportPublic();

    assertThat(Tools.actool("trust", "--skip-fingerprint-review", "--trust-dir", trustDir.toString(), pub.toString()).code()).isEqualTo(2);
    assertThat(Tools.actool("trust", "--root", "--prefix", "example.com", "--skip-fingerprint-review", pub.toString()).code()).isEqualTo(2);
  }

  @Test
  void trust_listAndRemove() throws Exception {
    String fpr = genKey("ed25519", "");
    gpgSign();
    trust("example.com");

    Tools.Result list = Tools.actool("trust", "list", "--trust-dir", trustDir.toString()).expectOk();
    assertThat(list.out()).containsIgnoringCase(fpr).contains("example.com");
    assertThat(Tools.actool("trust", "--trust-dir", trustDir.toString(), "list").expectOk().out()).containsIgnoringCase(fpr);

    Tools.actool("trust", "remove", "--trust-dir", trustDir.toString(), fpr).expectOk();

    assertThat(Tools.actool("trust", "list", "--trust-dir", trustDir.toString()).expectOk().out()).doesNotContainIgnoringCase(fpr);
    assertThat(Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString()).code()).isEqualTo(1);
  }

  // --- acbuild write --sign

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa2048"})
  void acbuildWriteSign_writesSignatureGpgAccepts(String algo) throws Exception {
    String fpr = genKey(algo, "");
    Path sec = exportSecret();
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
    Tools.acbuild(work, "set-name", "example.com/built").expectOk();
    Tools.acbuild(work, "set-exec", "/bin/true").expectOk();
    Path out = tmp.resolve("built.aci");

    Tools.acbuild(work, "write", "--sign", "--key", sec.toString(), out.toString()).expectOk();

    Tools.Result v = gpg("--status-fd", "1", "--verify", out + ".asc", out.toString()).expectOk();
    assertThat(v.out()).containsIgnoringCase(fpr);
    trust("example.com");
    Tools.actool("verify", "--trust-dir", trustDir.toString(), out.toString()).expectOk();
  }

  @Test
  void acbuildBuildSign_writesSignatureGpgAndVerifyAccept() throws Exception {
    String fpr = genKey("ed25519", "");
    Path sec = exportSecret();
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCMD [\"/bin/true\"]\n");
    Path out = tmp.resolve("built.aci");

    Tools.acbuild(tmp, "--store-dir=" + tmp.resolve("store"), "build", "--tag", "example.com/built", "-o", out.toString(),
        "--sign", "--key", sec.toString(), ctx.toString()).expectOk();

    Tools.Result v = gpg("--status-fd", "1", "--verify", out + ".asc", out.toString()).expectOk();
    assertThat(v.out()).containsIgnoringCase(fpr);
    trust("example.com");
    Tools.actool("verify", "--trust-dir", trustDir.toString(), out.toString()).expectOk();
  }

  @Test
  void acbuildWriteSign_missingKey_writesNothing() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
    Tools.acbuild(work, "set-name", "example.com/built").expectOk();
    Path out = tmp.resolve("built.aci");

    Tools.Result r = Tools.acbuild(work, "write", "--sign", "--key", tmp.resolve("no-such-key.asc").toString(), out.toString());

    assertThat(r.code()).isNotZero();
    assertThat(out).doesNotExist();
    assertThat(Path.of(out + ".asc")).doesNotExist();
  }

  // --- encryption, both directions

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa2048"})
  void encrypt_toRecipient_gpgDecrypts_andGpgEncrypted_weDecrypt(String algo) throws Exception {
    String fpr = genKey(algo, "");
    gpg("--passphrase", "", "--quick-add-key", fpr, algo.equals("ed25519") ? "cv25519" : "rsa2048", "encr", "never").expectOk();
    Path pub = exportPublic();
    Path sec = exportSecret();
    byte[] original = Files.readAllBytes(aci);

    Path ours = tmp.resolve("ours.aci.gpg");
    Tools.actool("encrypt", "--recipient", pub.toString(), aci.toString(), ours.toString()).expectOk();
    Path byGpg = tmp.resolve("by-gpg.aci");
    gpg("--output", byGpg.toString(), "--decrypt", ours.toString()).expectOk();
    assertThat(Files.readAllBytes(byGpg)).isEqualTo(original);

    Path theirs = tmp.resolve("theirs.aci.gpg");
    gpg("--trust-model", "always", "--recipient", fpr, "--output", theirs.toString(), "--encrypt", aci.toString()).expectOk();
    Path byUs = tmp.resolve("by-us.aci");
    Tools.actool("decrypt", "--key", sec.toString(), theirs.toString(), byUs.toString()).expectOk();
    assertThat(Files.readAllBytes(byUs)).isEqualTo(original);
  }

  @Test
  void encrypt_withPassphrase_bothDirections() throws Exception {
    Path pass = tmp.resolve("pass.txt");
    Files.writeString(pass, "correct horse\n");
    byte[] original = Files.readAllBytes(aci);

    Path ours = tmp.resolve("ours.gpg");
    Tools.actool("encrypt", "--passphrase-file", pass.toString(), aci.toString(), ours.toString()).expectOk();
    Path byGpg = tmp.resolve("by-gpg");
    gpg("--passphrase-file", pass.toString(), "--output", byGpg.toString(), "--decrypt", ours.toString()).expectOk();
    assertThat(Files.readAllBytes(byGpg)).isEqualTo(original);

    Path theirs = tmp.resolve("theirs.gpg");
    gpg("--passphrase-file", pass.toString(), "--cipher-algo", "AES256", "--output", theirs.toString(), "--symmetric", aci.toString())
        .expectOk();
    Path byUs = tmp.resolve("by-us");
    Tools.actool("decrypt", "--passphrase-file", pass.toString(), theirs.toString(), byUs.toString()).expectOk();
    assertThat(Files.readAllBytes(byUs)).isEqualTo(original);
  }

  @Test
  void encrypt_needsRecipientOrPassphrase_usage() {
    assertThat(Tools.actool("encrypt", aci.toString(), tmp.resolve("x").toString()).code()).isEqualTo(2);
    assertThat(Tools.actool("decrypt", aci.toString(), tmp.resolve("x").toString()).code()).isEqualTo(2);
    assertThat(tmp.resolve("x")).doesNotExist();
  }

  @Test
  void decrypt_wrongPassphrase_exits1() throws Exception {
    Path pass = tmp.resolve("pass.txt");
    Files.writeString(pass, "right\n");
    Path enc = tmp.resolve("enc.gpg");
    gpg("--passphrase-file", pass.toString(), "--output", enc.toString(), "--symmetric", aci.toString()).expectOk();
    Files.writeString(pass, "wrong\n");

    Tools.Result r = Tools.actool("decrypt", "--passphrase-file", pass.toString(), enc.toString(), tmp.resolve("plain").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isNotBlank();
  }

  // --- JSON output

  @Test
  void verify_json_signerAndScopeAsFields() throws Exception {
    String fpr = genKey("ed25519", "");
    gpgSign();
    trust("example.com");

    Tools.Result r = Tools.actool("verify", "--json", "--trust-dir", trustDir.toString(), aci.toString()).expectOk();

    JsonNode v = new ObjectMapper().readTree(r.out());
    assertThat(v.get("aci").asText()).isEqualTo(aci.toString());
    assertThat(v.get("signature").asText()).isEqualTo(aci + ".asc");
    assertThat(v.get("fingerprint").asText()).isEqualToIgnoringCase(fpr);
    assertThat(v.get("userIds").get(0).asText()).isEqualTo(UID);
    assertThat(v.get("trustedFor").asText()).isEqualTo("example.com");
    assertThat(v.get("root").asBoolean()).isFalse();
  }

  @Test
  void trustList_json_oneObjectPerKey() throws Exception {
    String fpr = genKey("ed25519", "");
    trust("example.com");
    Tools.actool("trust", "--root", "--skip-fingerprint-review", "--trust-dir", trustDir.toString(), exportPublic().toString())
        .expectOk();

    Tools.Result r = Tools.actool("trust", "list", "--json", "--trust-dir", trustDir.toString()).expectOk();

    JsonNode keys = new ObjectMapper().readTree(r.out());
    assertThat(keys).hasSize(2);
    for (JsonNode k : keys) {
      assertThat(k.get("fingerprint").asText()).isEqualToIgnoringCase(fpr);
      assertThat(k.get("userIds").get(0).asText()).isEqualTo(UID);
      assertThat(Path.of(k.get("file").asText())).exists();
    }
    assertThat(keys.findValuesAsText("root")).containsExactlyInAnyOrder("true", "false");
    assertThat(keys.findValues("prefix")).extracting(JsonNode::asText).containsExactlyInAnyOrder("example.com", "null");
  }

  // --- helpers

  /** A new key in the temporary GnuPG home; returns its fingerprint. */
  private String genKey(String algo, String passphrase) throws Exception {
    return genKey(algo, passphrase, UID);
  }

  private String genKey(String algo, String passphrase, String uid) throws Exception {
    gpg("--passphrase", passphrase, "--quick-gen-key", uid, algo, "sign", "never").expectOk();
    String fpr = null;
    for (String line : gpg("--with-colons", "--list-keys", uid).expectOk().out().split("\n")) {
      if (line.startsWith("fpr:")) {
        fpr = line.split(":", -1)[9];
        break;
      }
    }
    assertThat(fpr).isNotNull();
    return fpr;
  }

  private Path exportSecret(String... passphraseArgs) throws Exception {
    Path p = tmp.resolve("secret.asc");
    List<String> args = new ArrayList<>(List.of(passphraseArgs));
    args.addAll(List.of("--armor", "--export-secret-keys"));
    Files.writeString(p, gpg(args.toArray(String[]::new)).expectOk().out(), StandardCharsets.UTF_8);
    return p;
  }

  private Path exportPublic() throws Exception {
    Path p = tmp.resolve("public.asc");
    Files.writeString(p, gpg("--armor", "--export").expectOk().out(), StandardCharsets.UTF_8);
    return p;
  }

  private void gpgSign() throws Exception {
    gpg("--armor", "--output", aci + ".asc", "--detach-sign", aci.toString()).expectOk();
  }

  private void trust(String prefix) throws Exception {
    Tools.actool("trust", "--prefix", prefix, "--skip-fingerprint-review", "--trust-dir", trustDir.toString(), exportPublic().toString())
        .expectOk();
  }

  private Tools.Result gpg(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--pinentry-mode", "loopback"));
    cmd.addAll(List.of(args));
    return Tools.process(tmp, Map.of("GNUPGHOME", home.toString()), cmd.toArray(String[]::new));
  }
}
