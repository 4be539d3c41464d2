package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool trust} with keys from an https:// URL and from {@code ac-discovery-pubkeys}, served
 * by a real nginx over TLS ({@link WebServer}), the keys made by the real gpg; the fingerprint
 * review skipped with the flag and required without it (no terminal here, so refused).
 */
class ActoolTrustRemoteIT {
  @TempDir Path tmp;
  Gpg gpg;
  Path trustDir;
  Path docroot;
  WebServer server;

  @BeforeEach
  void setUp() throws Exception {
    gpg = Gpg.in(tmp);
    trustDir = tmp.resolve("trust");
    docroot = Files.createDirectories(tmp.resolve("www"));
    server = WebServer.start(docroot, WebServer.Options.defaults());
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
    gpg.stop();
  }

  private Tools.Result trust(String... args) {
    List<String> all = new ArrayList<>(List.of("trust", "--trust-dir", trustDir.toString(), "--ca-file", server.caFile().toString()));
    all.addAll(Arrays.asList(args));
    return Tools.actool(all.toArray(String[]::new));
  }

  private String trusted() {
    return Tools.actool("trust", "list", "--trust-dir", trustDir.toString()).expectOk().out();
  }

  @Test
  void trust_httpsUrl_storesTheKeyForThePrefix() throws Exception {
    String fpr = gpg.genKey("Release <release@example.com>");
    Files.createDirectories(docroot.resolve("keys"));
    Files.writeString(docroot.resolve("keys/release.asc"), gpg.exportPublic(fpr));
    String url = server.httpsUrl("/keys/release.asc").toString();

    Tools.Result r = trust("--prefix", "127.0.0.1/org", "--skip-fingerprint-review", url).expectOk();

    assertThat(r.out()).contains("Trusted Release <release@example.com> (" + fpr.toLowerCase() + ") from " + url + " for images named 127.0.0.1/org*");
    assertThat(trustDir.resolve("trustedkeys/prefix.d/127.0.0.1/org").resolve(fpr.toLowerCase())).exists();
  }

  @Test
  void trust_httpUrl_needsInsecureAllowHttp() throws Exception {
    String fpr = gpg.genKey("Release <release@example.com>");
    Files.writeString(docroot.resolve("release.asc"), gpg.exportPublic(fpr));
    String url = server.httpUrl("/release.asc").toString();

    Tools.Result refused = trust("--prefix", "127.0.0.1/org", "--skip-fingerprint-review", url);

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("trust: GET " + url + ": plain HTTP is not allowed; pass --insecure-allow-http to allow it\n");
    assertThat(trusted()).isBlank();
    trust("--prefix", "127.0.0.1/org", "--skip-fingerprint-review", "--insecure-allow-http", url).expectOk();
    assertThat(trusted()).containsIgnoringCase(fpr);
  }

  @Test
  void trust_missingUrl_exits1NamingIt() throws Exception {
    String url = server.httpsUrl("/keys/none.asc").toString();

    Tools.Result r = trust("--prefix", "127.0.0.1/org", "--skip-fingerprint-review", url);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("trust: GET " + url + ": HTTP 404 Not Found\n");
  }

  @Test
  void trust_fromDiscovery_everyDiscoveredKey_thenVerifies() throws Exception {
    String first = gpg.genKey("First <first@example.com>");
    String second = gpg.genKey("Second <second@example.com>");
    Files.createDirectories(docroot.resolve("keys"));
    Files.writeString(docroot.resolve("keys/first.asc"), gpg.exportPublic(first));
    Files.writeString(docroot.resolve("keys/second.asc"), gpg.exportPublic(second));
    server.discoveryPage("/org", "<html><head>"
        + "<meta name=\"ac-discovery-pubkeys\" content=\"127.0.0.1/org " + server.httpsUrl("/keys/first.asc") + "\">"
        + "<meta name=\"ac-discovery-pubkeys\" content=\"127.0.0.1/org " + server.httpsUrl("/keys/second.asc") + "\">"
        + "</head></html>");

    Tools.Result r = trust("--prefix", "127.0.0.1/org/app", "--skip-fingerprint-review", "--port", String.valueOf(server.httpsPort()))
        .expectOk();

    assertThat(r.out()).contains("Trusted First <first@example.com> (" + first.toLowerCase() + ") from " + server.httpsUrl("/keys/first.asc"))
        .contains("Trusted Second <second@example.com> (" + second.toLowerCase() + ") from " + server.httpsUrl("/keys/second.asc"));
    Path prefixDir = trustDir.resolve("trustedkeys/prefix.d/127.0.0.1/org/app");
    assertThat(prefixDir.resolve(first.toLowerCase())).exists();
    assertThat(prefixDir.resolve(second.toLowerCase())).exists();

    Path aci = buildSigned("127.0.0.1/org/app", second);
    Tools.Result v = Tools.actool("verify", "--trust-dir", trustDir.toString(), aci.toString()).expectOk();
    assertThat(v.out()).contains("trusted for 127.0.0.1/org/app");
  }

  @Test
  void trust_fromDiscovery_reviewRequiredWithoutTerminal_refusesAndStoresNothing() throws Exception {
    String fpr = gpg.genKey("Release <release@example.com>");
    Files.writeString(docroot.resolve("release.asc"), gpg.exportPublic(fpr));
    server.discoveryPage("/org", "<meta name=\"ac-discovery-pubkeys\" content=\"127.0.0.1/org " + server.httpsUrl("/release.asc") + "\">");

    Tools.Result r = trust("--prefix", "127.0.0.1/org/app", "--port", String.valueOf(server.httpsPort()));

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("trust: not a terminal, cannot ask to confirm the key's fingerprint: "
        + "check it another way and pass --skip-fingerprint-review\n");
    assertThat(trusted()).isBlank();
  }

  @Test
  void trust_fromDiscovery_noKeysAnywhere_listsThePagesTried() throws Exception {
    server.discoveryPage("/org", "<meta name=\"ac-discovery\" content=\"127.0.0.1/org https://x.example/{name}.{ext}\">");

    Tools.Result r = trust("--prefix", "127.0.0.1/org", "--skip-fingerprint-review", "--port", String.valueOf(server.httpsPort()));

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("trust: discover: no ac-discovery-pubkeys meta tag for 127.0.0.1/org ("
        + server.httpsUrl("/org?ac-discovery=1") + ": no matching ac-discovery-pubkeys meta tag; "
        + server.httpsUrl("?ac-discovery=1") + ": HTTP 404 Not Found); check the name, or pass --insecure to also try plain HTTP\n");
  }

  @Test
  void trust_rootWithoutKey_usage() {
    Tools.Result r = trust("--root", "--skip-fingerprint-review");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--root needs an explicit KEY");
  }

  // --- helpers

  private Path buildSigned(String name, String fpr) throws Exception {
    Path layout = Files.createDirectories(tmp.resolve("layout/rootfs"));
    Files.writeString(layout.resolve("hello"), "hello\n");
    Files.writeString(tmp.resolve("layout/manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name + "\"}");
    Path aci = tmp.resolve("app.aci");
    Tools.actool("build", tmp.resolve("layout").toString(), aci.toString()).expectOk();
    gpg.sign(aci, fpr);
    return aci;
  }
}
