package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.appctools.schema.types.HostPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool publish} makes a site that a private nginx over TLS ({@link WebServer}) serves as
 * plain files; {@code actool trust} finds its key and {@code actool fetch} finds, verifies and
 * stores its images from a clean store, by version and as latest; publishing more updates it.
 */
class ActoolPublishIT {
  private static final String NAME = "127.0.0.1/org/app";

  @TempDir Path tmp;
  Gpg gpg;
  WebServer server;
  Path site;
  Path secretKey;
  HostPlatform host = HostPlatform.current();

  @BeforeEach
  void setUp() throws Exception {
    gpg = Gpg.in(tmp);
    String fpr = gpg.genKey("Publisher <pub@example.com>");
    secretKey = tmp.resolve("secret.asc");
    Files.writeString(secretKey, gpg.run("--armor", "--export-secret-keys", fpr).expectOk().out());
    site = Files.createDirectories(tmp.resolve("www"));
    server = WebServer.start(site, WebServer.Options.defaults());
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
    gpg.stop();
  }

  private Path build(String name, String version) throws Exception {
    Path layout = tmp.resolve("layout-" + version + "-" + System.nanoTime());
    Files.createDirectories(layout.resolve("rootfs"));
    Files.writeString(layout.resolve("rootfs/hello"), "hello from " + name + " " + version + "\n");
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\""
        + name + "\",\"labels\":[{\"name\":\"version\",\"value\":\"" + version + "\"},{\"name\":\"os\",\"value\":\""
        + host.os() + "\"},{\"name\":\"arch\",\"value\":\"" + host.arch() + "\"}]}");
    Path aci = tmp.resolve(name.replace('/', '_') + "-" + version + ".aci");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();
    return aci;
  }

  private Tools.Result publish(String... images) {
    List<String> all = new ArrayList<>(List.of("publish", "--to", site.toString(), "--base-url",
        server.httpsUrl("/").toString(), "--key", secretKey.toString()));
    all.addAll(Arrays.asList(images));
    return Tools.actool(all.toArray(String[]::new));
  }

  private Tools.Result tool(Path store, Path trust, String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command, "--trust-dir", trust.toString(), "--ca-file",
        server.caFile().toString(), "--port", String.valueOf(server.httpsPort())));
    if (store != null) {
      all.addAll(List.of("--store-dir", store.toString()));
    }
    all.addAll(Arrays.asList(args));
    return Tools.actool(all.toArray(String[]::new));
  }

  @Test
  void publish_twoVersions_trustedByDiscoveryAndFetchedIntoACleanStore() throws Exception {
    Path v1 = build(NAME, "1.0.0");
    Path v2 = build(NAME, "2.0.0");

    Tools.Result r = publish(v1.toString(), v2.toString()).expectOk();

    String suffix = "-" + host.os() + "-" + host.arch() + ".aci";
    assertThat(r.out()).isEqualTo(site.resolve(NAME + "-1.0.0" + suffix) + "\n" + site.resolve(NAME + "-2.0.0" + suffix) + "\n");
    assertThat(site.resolve(NAME + "-latest" + suffix)).hasSameBinaryContentAs(v2);
    assertThat(Files.readString(site.resolve("org/app"))).contains("<meta name=\"ac-discovery\" content=\"" + NAME + " "
        + server.httpsUrl("/") + "{name}-{version}-{os}-{arch}.{ext}\">");
    Path trust = tmp.resolve("trust");
    tool(null, trust, "trust", "--prefix", NAME, "--skip-fingerprint-review").expectOk();
    Path store = tmp.resolve("store");

    Tools.Result one = tool(store, trust, "fetch", NAME + ":1.0.0").expectOk();
    Tools.Result latest = tool(store, trust, "fetch", NAME).expectOk();

    assertThat(one.err()).contains("signed by Publisher <pub@example.com>");
    assertThat(latest.out()).isNotEqualTo(one.out());
    Path out = tmp.resolve("rendered");
    Tools.actool("image", "render", "--store-dir", store.toString(), "--rootfs-only", latest.out().strip(), out.toString())
        .expectOk();
    assertThat(out.resolve("hello")).hasContent("hello from " + NAME + " 2.0.0");
  }

  @Test
  void publish_again_pagesUpdatedAndEarlierImagesStillFetched() throws Exception {
    Path v1 = build(NAME, "1.0.0");
    publish(v1.toString()).expectOk();
    String before = Files.readString(site.resolve("index.html"));
    publish(v1.toString()).expectOk();
    assertThat(Files.readString(site.resolve("index.html"))).as("publishing the same again").isEqualTo(before);

    publish(build("127.0.0.1/org/tool", "0.1.0").toString()).expectOk();

    assertThat(Files.readString(site.resolve("index.html"))).contains(NAME + " 1.0.0", "127.0.0.1/org/tool 0.1.0");
    Path trust = tmp.resolve("trust");
    tool(null, trust, "trust", "--prefix", NAME, "--skip-fingerprint-review").expectOk();
    tool(null, trust, "trust", "--prefix", "127.0.0.1/org/tool", "--skip-fingerprint-review").expectOk();
    Path store = tmp.resolve("store");
    tool(store, trust, "fetch", NAME + ":1.0.0").expectOk();
    tool(store, trust, "fetch", "127.0.0.1/org/tool:0.1.0").expectOk();
    assertThat(Tools.actool("image", "list", "--store-dir", store.toString(), "--no-legend").expectOk().out().lines())
        .hasSize(2);
  }

  @Test
  void publish_imageWithoutSignatureOrKey_refusedAndNothingWritten() throws Exception {
    Path aci = build(NAME, "1.0.0");

    Tools.Result r = Tools.actool("publish", "--to", site.toString(), "--base-url", server.httpsUrl("/").toString(),
        aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("publish: no public key to publish; sign with --key, or give the signers' keys with "
        + "--pubkey (fetch verifies every image against them)\n");
    try (var files = Files.list(site)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void publish_nameOutsideTheBaseUrl_refused() throws Exception {
    Path aci = build("example.com/other", "1.0.0");

    Tools.Result r = publish(aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("publish: example.com/other is discovered at https://example.com/other?ac-discovery=1, "
        + "which is not under the base URL " + server.httpsUrl("/") + " (a site serves the pages of the names under its "
        + "URL; publish it to a site at https://example.com/)\n");
  }
}
