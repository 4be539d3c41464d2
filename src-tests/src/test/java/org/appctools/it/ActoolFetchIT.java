package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.appctools.schema.types.HostPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool fetch} against a real nginx over TLS with a test CA ({@link WebServer}): images
 * found by meta discovery, signed by the real gpg, checked against the trust store before they
 * are stored; URLs with ETag revalidation; files; and every refusal leaving the store empty.
 */
class ActoolFetchIT {
  private static final String NAME = "127.0.0.1/org/app";

  @TempDir Path tmp;
  Gpg gpg;
  Path store;
  Path trustDir;
  Path docroot;
  WebServer server;
  String fpr;
  HostPlatform host = HostPlatform.current();

  @BeforeEach
  void setUp() throws Exception {
    gpg = Gpg.in(tmp);
    store = tmp.resolve("store");
    trustDir = tmp.resolve("trust");
    docroot = Files.createDirectories(tmp.resolve("www"));
    server = WebServer.start(docroot, WebServer.Options.defaults());
    fpr = gpg.genKey("Publisher <pub@example.com>");
  }

  @AfterEach
  void tearDown() throws Exception {
    server.stop();
    gpg.stop();
  }

  // --- by name, through discovery

  @Test
  void fetch_nameDiscoveredSignedAndTrusted_storedAndIdPrinted() throws Exception {
    publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");

    Tools.Result r = fetch(NAME + ":1.0.0").expectOk();

    String id = r.out().strip();
    assertThat(id).matches("sha512-[0-9a-f]{32}");
    assertThat(r.err()).contains("signed by Publisher <pub@example.com>");
    String list = Tools.actool("image", "list", "--store-dir", store.toString(), "--full").expectOk().out();
    assertThat(list).contains(NAME).contains(id);
  }

  @Test
  void fetch_keyNotTrusted_refusedWithTheTrustCommandAndNothingStored() throws Exception {
    publish(NAME, "1.0.0", true);

    Tools.Result r = fetch(NAME + ":1.0.0");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("actool trust --prefix 127.0.0.1/org/app").containsIgnoringCase(fpr.substring(24));
    assertThat(storedImages()).isEmpty();
  }

  @Test
  void fetch_signatureOfOtherBytes_refusedAndNothingStored() throws Exception {
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    Path other = tmp.resolve("other.bin");
    Files.writeString(other, "not the image");
    Files.copy(gpg.sign(other, fpr), Path.of(aci + ".asc"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    Tools.Result r = fetch(NAME + ":1.0.0");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("fetch: ").containsIgnoringCase("signature");
    assertThat(storedImages()).isEmpty();
  }

  @Test
  void fetch_unsigned_refusedUnlessInsecureOptionsImage() throws Exception {
    publish(NAME, "1.0.0", false);
    trustPublisher("127.0.0.1/org");

    Tools.Result refused = fetch(NAME + ":1.0.0");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains(".aci.asc").contains("--insecure-options=image");
    assertThat(storedImages()).isEmpty();

    Tools.Result r = fetch("--insecure-options=image", NAME + ":1.0.0").expectOk();
    assertThat(r.err()).contains("without signature verification");
    assertThat(storedImages()).hasSize(1);
  }

  @Test
  void fetch_discoveryPointsToAnotherImage_refusedAsNotTheRequestedName() throws Exception {
    Path aci = build("127.0.0.1/org/other", "1.0.0");
    Path target = docroot.resolve("images/" + NAME + "-1.0.0-" + host.os() + "-" + host.arch() + ".aci");
    Files.createDirectories(target.getParent());
    Files.copy(aci, target);
    gpg.sign(target, fpr);
    discoveryPage();
    trustPublisher("127.0.0.1/org");

    Tools.Result r = fetch(NAME + ":1.0.0");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("holds an image named 127.0.0.1/org/other, not " + NAME);
    assertThat(storedImages()).isEmpty();
  }

  @Test
  void fetch_pullPolicyNew_usesTheStoreWithoutARequest() throws Exception {
    publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    String first = fetch(NAME + ":1.0.0").expectOk().out();
    int requests = server.requests().size();

    String again = fetch("--pull-policy", "new", NAME + ":1.0.0").expectOk().out();

    assertThat(again).isEqualTo(first);
    assertThat(server.requests()).hasSize(requests);
  }

  @Test
  void fetch_pullPolicyNeverWithEmptyStore_failsNamingThePolicy() throws Exception {
    Tools.Result r = fetch("--pull-policy", "never", NAME + ":1.0.0");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("the pull policy is never");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void fetch_imageWithADependency_dependencyDiscoveredToo_renderWorksFromTheStore() throws Exception {
    publish("127.0.0.1/org/base", "1.0.0", true, "");
    publish(NAME, "1.0.0", true, ",\"dependencies\":[{\"imageName\":\"127.0.0.1/org/base\","
        + "\"labels\":[{\"name\":\"version\",\"value\":\"1.0.0\"}]}]");
    trustPublisher("127.0.0.1/org");

    fetch(NAME + ":1.0.0").expectOk();

    assertThat(storedImages()).hasSize(2);
    Path out = tmp.resolve("rendered");
    Tools.actool("image", "render", "--store-dir", store.toString(), "--rootfs-only", NAME + ":1.0.0", out.toString()).expectOk();
    assertThat(out.resolve("hello")).hasContent("hello from " + NAME);
  }

  // --- by URL

  @Test
  void fetch_urlAgainWithPullPolicyUpdate_oneConditionalRequestAnswered304() throws Exception {
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    String url = server.httpsUrl("/" + docroot.relativize(aci)).toString();
    String first = fetch(url).expectOk().out();
    int before = server.requests().size();

    String again = fetch("--pull-policy", "update", url).expectOk().out();

    assertThat(again).isEqualTo(first);
    List<String> after = server.requests().subList(before, server.requests().size());
    assertThat(after).containsExactly("GET /" + docroot.relativize(aci) + " 304");
  }

  @Test
  void fetch_urlWithFreshCacheControl_noRequestEvenWithUpdate() throws Exception {
    server.stop();
    server = WebServer.start(docroot, WebServer.Options.defaults().withCacheControl("max-age=3600"));
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    String url = server.httpsUrl("/" + docroot.relativize(aci)).toString();
    fetch(url).expectOk();
    int before = server.requests().size();

    fetch("--pull-policy", "update", url).expectOk();

    assertThat(server.requests()).hasSize(before);
  }

  @Test
  void fetch_plainHttpUrl_refusedWithoutInsecureOptionsHttp() throws Exception {
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    String url = server.httpUrl("/" + docroot.relativize(aci)).toString();

    Tools.Result refused = fetch(url);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("plain HTTP is not allowed");

    fetch("--insecure-options=http", url).expectOk();
    assertThat(storedImages()).hasSize(1);
  }

  @Test
  void fetch_protectedPath_credentialsFromAuthDir() throws Exception {
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    server.protect("/images", "alice", "s3cret");
    String url = server.httpsUrl("/" + docroot.relativize(aci)).toString();
    Path authDir = Files.createDirectories(tmp.resolve("auth.d"));

    Tools.Result refused = fetch("--auth-dir", authDir.toString(), url);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("401");
    assertThat(storedImages()).isEmpty();

    Files.writeString(authDir.resolve("web.json"), "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"127.0.0.1:"
        + server.httpsUrl("/").getPort() + "\"],\"type\":\"basic\",\"credentials\":{\"user\":\"alice\",\"password\":\"s3cret\"}}");
    fetch("--auth-dir", authDir.toString(), url).expectOk();
    assertThat(storedImages()).hasSize(1);
  }

  @Test
  void fetch_stallingServer_timesOutWithAClearMessageAndStoresNothing() throws Exception {
    try (StallingServer stall = StallingServer.start(StallingServer.Mode.HEADERS_THEN_STALL)) {
      Tools.Result r = fetch("--insecure-options=http,image", "--timeout", "1s", "http://127.0.0.1:" + stall.port() + "/app.aci");

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("timed out");
      assertThat(storedImages()).isEmpty();
    }
  }

  @Test
  void fetch_imageUrlRedirected_followedAndStoredFromTheTarget() throws Exception {
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    String target = "/" + docroot.relativize(aci);
    server.addRedirect("/moved.aci", 301, target);
    server.addRedirect("/moved.aci.asc", 302, target + ".asc");

    fetch(server.httpsUrl("/moved.aci").toString()).expectOk();

    assertThat(storedImages()).hasSize(1);
    assertThat(server.requests()).contains("GET /moved.aci 301", "GET " + target + " 200");
  }

  @Test
  void fetch_killedMidDownload_storesNothingAndGcLeavesNoScratch() throws Exception {
    try (StallingServer stall = StallingServer.start(StallingServer.Mode.HEADERS_THEN_STALL)) {
      Process p = new ProcessBuilder(Tools.bin("actool").toString(), "fetch", "--store-dir", store.toString(),
          "--insecure-options=http,image", "http://127.0.0.1:" + stall.port() + "/app.aci").redirectErrorStream(true).start();
      Path scratch = store.resolve("tmp");
      for (int i = 0; i < 200 && !hasEntries(scratch); i++) {
        Thread.sleep(50);
      }
      assertThat(hasEntries(scratch)).as("a download in progress under %s", scratch).isTrue();
      p.destroyForcibly().waitFor();

      Tools.actool("image", "gc", "--store-dir", store.toString()).expectOk();

      assertThat(storedImages()).isEmpty();
      assertThat(hasEntries(scratch)).isFalse();
    }
  }

  private static boolean hasEntries(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  // --- files

  @Test
  void fetch_signedFile_verifiedAndStored() throws Exception {
    Path aci = build(NAME, "1.0.0");
    gpg.sign(aci, fpr);
    trustPublisher("127.0.0.1/org");

    Tools.Result r = fetch("--full", aci.toString()).expectOk();

    assertThat(r.out().strip()).matches("sha512-[0-9a-f]{128}");
    assertThat(storedImages()).hasSize(1);
  }

  @Test
  void fetch_imageEncryptedByGpg_decryptedWithTheKeyThenVerifiedAndStored() throws Exception {
    Path aci = publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    String recipient = gpg.genEncryptionKey("Ops <ops@example.com>");
    Path plain = tmp.resolve("plain.aci");
    Files.move(aci, plain);
    gpg.run("--trust-model", "always", "--recipient", recipient, "--output", aci.toString(), "--encrypt", plain.toString()).expectOk();
    Path secret = tmp.resolve("ops-secret.asc");
    Files.writeString(secret, gpg.run("--armor", "--export-secret-keys", recipient).expectOk().out());
    String url = server.httpsUrl("/" + docroot.relativize(aci)).toString();

    Tools.Result refused = fetch(url);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("is encrypted (OpenPGP); pass --decrypt-key FILE");
    assertThat(storedImages()).isEmpty();

    String id = fetch("--decrypt-key", secret.toString(), url).expectOk().out().strip();

    assertThat(Tools.actool("image-id", plain.toString()).expectOk().out().strip()).startsWith(id);
  }

  @Test
  void fetch_twoProcessesAtOnce_oneImageStored() throws Exception {
    Path aci = build(NAME, "1.0.0");
    gpg.sign(aci, fpr);
    trustPublisher("127.0.0.1/org");
    List<String> cmd = new ArrayList<>(List.of(Tools.bin("actool").toString(), "fetch", "--store-dir", store.toString(),
        "--trust-dir", trustDir.toString(), aci.toString()));
    Process a = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Process b = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String outA = new String(a.getInputStream().readAllBytes());
    String outB = new String(b.getInputStream().readAllBytes());

    assertThat(a.waitFor()).as(outA).isZero();
    assertThat(b.waitFor()).as(outB).isZero();
    assertThat(storedImages()).hasSize(1);
  }

  // --- acbuild on the store

  @Test
  void acbuildBegin_name_startsFromTheFetchedImage() throws Exception {
    publish(NAME, "1.0.0", true);
    trustPublisher("127.0.0.1/org");
    Path work = Files.createDirectories(tmp.resolve("work"));
    // acbuild has no --port or --ca-file: it reaches the image through the store, filled by actool fetch
    fetch(NAME + ":1.0.0").expectOk();

    Tools.acbuild(work, "--store-dir=" + store, "begin", NAME + ":1.0.0").expectOk();

    assertThat(Tools.manifest(work).get("name").asText()).isEqualTo(NAME);
    Tools.acbuild(work, "end").expectOk();
  }

  @Test
  void acbuildDependencyAdd_fileAndStoredName_pinnedToImageIdAndSize() throws Exception {
    Path base = build("127.0.0.1/org/base", "2.0.0");
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();

    Tools.acbuild(work, "--store-dir=" + store, "dependency", "add", base.toString()).expectOk();

    var dep = Tools.manifest(work).get("dependencies").get(0);
    assertThat(dep.get("imageName").asText()).isEqualTo("127.0.0.1/org/base");
    assertThat(dep.get("imageID").asText()).isEqualTo(Tools.actool("image-id", base.toString()).expectOk().out().strip());
    assertThat(dep.get("size").asLong()).isEqualTo(Files.size(base));
    assertThat(dep.get("labels").toString()).contains("\"version\"").contains("2.0.0");

    Tools.acbuild(work, "--store-dir=" + store, "dependency", "add", "127.0.0.1/org/base:2.0.0").expectOk();
    var byName = Tools.manifest(work).get("dependencies").get(0);
    assertThat(byName.get("imageID").asText()).isEqualTo(dep.get("imageID").asText());
    Tools.acbuild(work, "end").expectOk();
  }

  // --- helpers

  private Tools.Result fetch(String... args) {
    List<String> all = new ArrayList<>(List.of("fetch", "--store-dir", store.toString(), "--trust-dir", trustDir.toString(),
        "--ca-file", server.caFile().toString(), "--port", String.valueOf(server.httpsUrl("/").getPort())));
    all.addAll(Arrays.asList(args));
    return Tools.actool(all.toArray(String[]::new));
  }

  private List<String> storedImages() {
    String out = Tools.actool("image", "list", "--store-dir", store.toString(), "--no-legend").expectOk().out();
    return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
  }

  private void trustPublisher(String prefix) throws Exception {
    Path key = tmp.resolve("publisher.asc");
    Files.writeString(key, gpg.exportPublic(fpr));
    Tools.actool("trust", "--trust-dir", trustDir.toString(), "--prefix", prefix, "--skip-fingerprint-review", key.toString()).expectOk();
  }

  /** The discovery page of 127.0.0.1/org: images under /images/{name}-{version}-{os}-{arch}.{ext}. */
  private void discoveryPage() throws Exception {
    server.discoveryPage("/org", "<html><head><meta name=\"ac-discovery\" content=\"127.0.0.1/org "
        + server.httpsUrl("/images/") + "{name}-{version}-{os}-{arch}.{ext}\"></head></html>");
  }

  /** Builds NAME:VERSION for this os/arch and serves it (signed, or not) where discovery finds it. */
  private Path publish(String name, String version, boolean signed) throws Exception {
    return publish(name, version, signed, "");
  }

  private Path publish(String name, String version, boolean signed, String extraManifest) throws Exception {
    Path aci = build(name, version, extraManifest);
    Path target = docroot.resolve("images/" + name + "-" + version + "-" + host.os() + "-" + host.arch() + ".aci");
    Files.createDirectories(target.getParent());
    Files.move(aci, target);
    if (signed) {
      gpg.sign(target, fpr);
    }
    discoveryPage();
    return target;
  }

  private Path build(String name, String version) throws Exception {
    return build(name, version, "");
  }

  private Path build(String name, String version, String extraManifest) throws Exception {
    Path layout = tmp.resolve("layout-" + name.replace('/', '_') + "-" + version);
    Files.createDirectories(layout.resolve("rootfs"));
    Files.writeString(layout.resolve("rootfs/hello"), "hello from " + name + "\n");
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name
        + "\",\"labels\":[{\"name\":\"version\",\"value\":\"" + version + "\"},{\"name\":\"os\",\"value\":\"" + host.os()
        + "\"},{\"name\":\"arch\",\"value\":\"" + host.arch() + "\"}]" + extraManifest + "}");
    Path aci = tmp.resolve(name.replace('/', '_') + "-" + version + ".aci");
    Tools.actool("build", "--overwrite", layout.toString(), aci.toString()).expectOk();
    return aci;
  }
}
