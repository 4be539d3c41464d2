package org.appctools.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.appctools.schema.types.AcIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustStoreTest {
  @TempDir static Path keysDir;
  static GpgFixture gpg;
  static String ed;
  static String rsa;
  @TempDir Path dir;

  @BeforeAll
  static void keys() {
    gpg = GpgFixture.create(keysDir);
    ed = gpg.genSigningKey("Ed <ed@example.com>", "ed25519");
    rsa = gpg.genSigningKey("Rsa <rsa@example.com>", "rsa2048");
  }

  @AfterAll
  static void stop() {
    gpg.close();
  }

  private static AcIdentifier id(String s) {
    return new AcIdentifier(s);
  }

  @Test
  void trust_prefix_storesArmoredKeyByFingerprint() throws Exception {
    TrustStore store = new TrustStore(null, dir.resolve("local"));
    TrustedKey k = store.trust(id("example.com/app"), gpg.exportPublic(ed));
    assertThat(k.fingerprint()).isEqualTo(ed);
    assertThat(k.userIds()).containsExactly("Ed <ed@example.com>");
    assertThat(k.path()).isEqualTo(dir.resolve("local/trustedkeys/prefix.d/example.com/app/" + ed));
    assertThat(Files.readString(k.path())).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
    TrustedKey root = store.trust(null, Files.readAllBytes(gpg.exportPublic(rsa, keysDir.resolve("rsa.asc"))));
    assertThat(root.path()).isEqualTo(dir.resolve("local/trustedkeys/root.d/" + rsa));
    assertThat(store.list()).extracting(TrustedKey::fingerprint, TrustedKey::scope)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(rsa, "root"), org.assertj.core.groups.Tuple.tuple(ed, "prefix example.com/app"));
  }

  @Test
  void trust_binaryKey_accepted() throws Exception {
    Path bin = keysDir.resolve("ed.gpg");
    gpg.gpg("--output", bin.toString(), "--yes", "--export", ed).ok();
    TrustedKey k = new TrustStore(null, dir).trust(id("example.com"), Files.readAllBytes(bin));
    assertThat(k.fingerprint()).isEqualTo(ed);
  }

  @Test
  void trust_badInput_says() throws Exception {
    TrustStore store = new TrustStore(null, dir);
    assertThatThrownBy(() -> store.trust(null, "hello".getBytes()))
        .hasMessageStartingWith("trust: not an OpenPGP public key");
    Path secret = gpg.exportSecret(ed, "", true, keysDir.resolve("ed-secret.asc"));
    assertThatThrownBy(() -> store.trust(null, Files.readAllBytes(secret)))
        .hasMessage("trust: this is a secret key; give the public key (gpg --armor --export KEYID)");
    byte[] two = gpg.gpg("--armor", "--export", ed, rsa).ok().stdout().getBytes();
    assertThatThrownBy(() -> store.trust(null, two)).hasMessageStartingWith("trust: the file holds 2 keys (").hasMessageEndingWith("); trust one at a time");
    assertThatThrownBy(() -> store.trust(id("example.com/../etc"), gpg.exportPublic(ed)))
        .hasMessage("trust: prefix example.com/../etc has an empty, . or .. path segment");
  }

  @Test
  void keysFor_rootAndMatchingPrefixes_stringBased() throws Exception {
    TrustStore store = new TrustStore(null, dir);
    store.trust(id("example.com/foo"), gpg.exportPublic(ed));
    store.trust(id("other.org"), gpg.exportPublic(rsa));
    assertThat(store.keysFor(id("example.com/foo"))).extracting(TrustedKey::fingerprint).containsExactly(ed);
    assertThat(store.keysFor(id("example.com/foobar"))).extracting(TrustedKey::fingerprint).containsExactly(ed);
    assertThat(store.keysFor(id("example.com/bar"))).isEmpty();
    store.trust(null, gpg.exportPublic(rsa));
    assertThat(store.keysFor(id("example.com/bar"))).extracting(TrustedKey::scope).containsExactly("root");
  }

  @Test
  void keysFor_localEmptyFileMasksSystemKey() throws Exception {
    TrustStore system = new TrustStore(null, dir.resolve("system"));
    system.trust(id("example.com"), gpg.exportPublic(ed));
    TrustStore store = new TrustStore(dir.resolve("system"), dir.resolve("local"));
    assertThat(store.keysFor(id("example.com/app"))).extracting(TrustedKey::where).containsExactly(TrustedKey.Where.SYSTEM);
    TrustedKey removed = store.remove(ed.toUpperCase(), id("example.com"));
    assertThat(removed.where()).isEqualTo(TrustedKey.Where.SYSTEM);
    Path mask = dir.resolve("local/trustedkeys/prefix.d/example.com/" + ed);
    assertThat(mask).isEmptyFile();
    assertThat(store.keysFor(id("example.com/app"))).isEmpty();
    store.trust(id("example.com"), gpg.exportPublic(ed));
    assertThat(store.keysFor(id("example.com/app"))).extracting(TrustedKey::where).containsExactly(TrustedKey.Where.LOCAL);
  }

  @Test
  void remove_localKey_deletesAndSaysWhenMissing() throws Exception {
    TrustStore store = new TrustStore(null, dir);
    TrustedKey k = store.trust(id("example.com"), gpg.exportPublic(ed));
    assertThatThrownBy(() -> store.remove(ed, id("example.org")))
        .hasMessage("trust remove: key " + ed + " is not trusted as prefix example.org (it is trusted as: prefix example.com)");
    store.remove(ed, id("example.com"));
    assertThat(k.path()).doesNotExist();
    assertThatThrownBy(() -> store.remove(ed, null))
        .hasMessage("trust remove: key " + ed + " is not trusted as root (nor for anything else)");
  }

  @Test
  void keysFor_fileNameNotFingerprint_ignoredWithWarning() throws Exception {
    List<String> warnings = new ArrayList<>();
    TrustStore store = new TrustStore(null, dir, warnings::add);
    Path d = Files.createDirectories(dir.resolve("trustedkeys/prefix.d/example.com"));
    Files.write(d.resolve(rsa), gpg.exportPublic(ed));
    Files.write(d.resolve("mykey.asc"), gpg.exportPublic(ed));
    assertThat(store.keysFor(id("example.com/app"))).isEmpty();
    assertThat(warnings).containsExactlyInAnyOrder(
        "trust store: ignoring " + d.resolve("mykey.asc") + ": the file name is not a lowercase hex fingerprint",
        "trust store: ignoring " + d.resolve(rsa) + ": it holds key " + ed + ", not the one its name says");
  }
}
