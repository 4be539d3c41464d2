package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.appctools.schema.types.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool discover} against a real nginx over TLS with the test CA ({@link WebServer}):
 * names several levels deep with 404s on the way up, redirects, pages behind Basic auth with and
 * without auth.d credentials, plain HTTP only with --insecure, stalling servers, --json, and the
 * endpoints the reference Go actool finds for the same pages.
 */
class ActoolDiscoverIT {
  private static final String NAME = "127.0.0.1/org/team/app";

  @TempDir Path tmp;
  WebServer server;
  String os;
  String arch;

  @BeforeEach
  void setUp() throws Exception {
    server = WebServer.start(Files.createDirectories(tmp.resolve("www")), WebServer.Options.defaults());
    os = Labels.appcOs(System.getProperty("os.name"));
    arch = Labels.appcArch(System.getProperty("os.arch"), os);
  }

  @AfterEach
  void tearDown() {
    server.stop();
  }

  private String base() {
    return "https://127.0.0.1:" + server.httpsPort();
  }

  /** The page of a prefix: image templates on this server, and a public key. */
  private String page(String prefix) {
    return "<!DOCTYPE html>\n<html>\n<head>\n  <title>" + prefix + "</title>\n"
        + "  <meta name=\"ac-discovery\" content=\"" + prefix + " " + base() + "/images/{name}-{version}-{os}-{arch}.{ext}\">\n"
        + "  <meta name=\"ac-discovery\" content=\"" + prefix + " " + base() + "/noarch/{name}-{version}.{ext}\">\n"
        + "  <meta name=\"ac-discovery-pubkeys\" content=\"" + prefix + " " + base() + "/keys/pubkeys.asc\">\n"
        + "</head>\n<body>images</body>\n</html>\n";
  }

  private Tools.Result discover(String... args) {
    List<String> all = new ArrayList<>(List.of("discover", "--ca-file", server.caFile().toString(), "--port", String.valueOf(server.httpsPort())));
    all.addAll(Arrays.asList(args));
    return Tools.actool(all.toArray(String[]::new));
  }

  private String walk(String kind, String prefix, String failure) {
    String path = prefix.substring("127.0.0.1".length());
    return "discover " + kind + " walk: prefix: " + prefix + " error: " + base() + path + "?ac-discovery=1: " + failure;
  }

  @Test
  void discover_deepName_walksUpPast404s_printsLikeGo() throws Exception {
    server.discoveryPage("/org", page("127.0.0.1/org"));

    Tools.Result r = discover(NAME + ":1.0.0").expectOk();

    assertThat(r.out().split("\n")).containsExactly(
        walk("endpoints", "127.0.0.1/org/team/app", "HTTP 404 Not Found"),
        walk("endpoints", "127.0.0.1/org/team", "HTTP 404 Not Found"),
        walk("public keys", "127.0.0.1/org/team/app", "HTTP 404 Not Found"),
        walk("public keys", "127.0.0.1/org/team", "HTTP 404 Not Found"),
        "ACI: " + base() + "/images/" + NAME + "-1.0.0-" + os + "-" + arch + ".aci, ASC: " + base() + "/images/" + NAME + "-1.0.0-" + os + "-" + arch + ".aci.asc",
        "ACI: " + base() + "/noarch/" + NAME + "-1.0.0.aci, ASC: " + base() + "/noarch/" + NAME + "-1.0.0.aci.asc",
        "PublicKeys: " + base() + "/keys/pubkeys.asc");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void discover_sameEndpointsAsTheReferenceActool() throws Exception {
    Path reference = Tools.referenceActool();
    server.discoveryPage("/org/team", page("127.0.0.1/org"));
    String app = NAME + ",version=2.1,os=linux,arch=amd64";

    Tools.Result ours = discover(app).expectOk();
    Tools.Result go = Tools.process(tmp, Map.of(), reference.toString(), "discover", "--insecure",
        "--port=" + server.httpsPort(), app).expectOk();

    assertThat(endpointLines(ours.out())).isNotEmpty().isEqualTo(endpointLines(go.out()));
  }

  private static List<String> endpointLines(String out) {
    return Arrays.stream(out.split("\n")).filter(l -> l.startsWith("ACI: ") || l.startsWith("PublicKeys: ")).toList();
  }

  @Test
  void discover_labelsAndOsArchFlags_rendered() throws Exception {
    server.discoveryPage("/org/team/app", page("127.0.0.1/org/team/app").replace("/noarch/{name}-{version}", "/{channel}/{name}-{version}"));

    Tools.Result r = discover("--os", "linux", "--arch", "aarch64", NAME + ",channel=beta").expectOk();

    assertThat(r.out()).contains("ACI: " + base() + "/images/" + NAME + "-latest-linux-aarch64.aci,")
        .contains("ACI: " + base() + "/beta/" + NAME + "-latest.aci,");
  }

  @Test
  void discover_redirectedPage_followed() throws Exception {
    server.discoveryPage("/moved/app", page("127.0.0.1/org"));
    server.addRedirect("/org/team/app", 301, "/moved/app");

    Tools.Result r = discover(NAME).expectOk();

    assertThat(r.out()).contains("ACI: " + base() + "/images/" + NAME + "-latest-" + os + "-" + arch + ".aci")
        .doesNotContain("discover endpoints walk");
  }

  @Test
  void discover_protectedPage_withoutCredentials_fails_withAuthDir_works() throws Exception {
    server.discoveryPage("/org/team/app", page("127.0.0.1/org"));
    server.protect("/org", "alice", "pa55word");

    Tools.Result denied = discover(NAME);

    assertThat(denied.code()).isEqualTo(1);
    assertThat(denied.out()).isEmpty();
    assertThat(denied.err()).startsWith("discover: no ac-discovery meta tag for " + NAME + " (" + base() + "/org/team/app?ac-discovery=1: HTTP 401 Unauthorized; ")
        .contains("put credentials for 127.0.0.1:" + server.httpsPort() + " in a *.json file of an auth.d directory");

    Path authDir = Files.createDirectories(tmp.resolve("auth.d"));
    Files.writeString(authDir.resolve("org.json"), "{\"rktKind\": \"auth\", \"rktVersion\": \"v1\", \"domains\": [\"127.0.0.1:"
        + server.httpsPort() + "\"], \"type\": \"basic\", \"credentials\": {\"user\": \"alice\", \"password\": \"pa55word\"}}");
    Tools.Result allowed = discover("--auth-dir", authDir.toString(), NAME).expectOk();

    assertThat(allowed.out()).contains("ACI: ").contains("PublicKeys: ");
  }

  @Test
  void discover_credentialsFromXdgConfigHome_asAProcess() throws Exception {
    server.discoveryPage("/org/team/app", page("127.0.0.1/org"));
    server.protect("/org", "bob", "hunter22");
    Path config = tmp.resolve("config");
    Files.createDirectories(config.resolve("appctools/auth.d"));
    Files.writeString(config.resolve("appctools/auth.d/bob.json"), "{\"rktKind\": \"auth\", \"rktVersion\": \"v1\", \"domains\": [\"127.0.0.1:"
        + server.httpsPort() + "\"], \"type\": \"basic\", \"credentials\": {\"user\": \"bob\", \"password\": \"hunter22\"}}");

    Tools.Result r = Tools.process(tmp, Map.of("XDG_CONFIG_HOME", config.toString()), Tools.bin("actool").toString(), "discover",
        "--ca-file", server.caFile().toString(), "--port", String.valueOf(server.httpsPort()), NAME).expectOk();

    assertThat(r.out()).contains("ACI: " + base() + "/images/");
  }

  @Test
  void discover_plainHttpOnly_refusedWithoutInsecure_foundWithIt() throws Exception {
    server.discoveryPage("/org/team/app", page("127.0.0.1/org"));
    String httpPort = String.valueOf(server.httpPort());

    Tools.Result refused = Tools.actool("discover", "--port", httpPort, NAME);

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("https://127.0.0.1:" + httpPort + "/org/team/app?ac-discovery=1: TLS: the server does not speak TLS on this port")
        .endsWith("check the name, or pass --insecure to also try plain HTTP\n")
        .doesNotContain("http://127.0.0.1");

    Tools.Result found = Tools.actool("discover", "--insecure", "--port", httpPort, NAME).expectOk();

    assertThat(found.out().split("\n")).contains(
        "discover endpoints walk: prefix: " + NAME + " error: https://127.0.0.1:" + httpPort
            + "/org/team/app?ac-discovery=1: TLS: the server does not speak TLS on this port",
        "PublicKeys: " + base() + "/keys/pubkeys.asc");
    assertThat(found.out()).contains("ACI: " + base() + "/images/");
  }

  @Test
  void discover_untrustedCertificate_saysHowToTrustIt() throws Exception {
    server.discoveryPage("/org/team/app", page("127.0.0.1/org"));

    Tools.Result r = Tools.actool("discover", "--port", String.valueOf(server.httpsPort()), NAME);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("TLS: the server's certificate is not trusted")
        .contains("pass --ca-file with the CA that signed it, or --insecure-skip-tls-verify");
    Tools.actool("discover", "--insecure-skip-tls-verify", "--port", String.valueOf(server.httpsPort()), NAME).expectOk();
  }

  @Test
  void discover_stallingServer_timesOutWithTheUrl() throws Exception {
    try (StallingServer silent = StallingServer.start(StallingServer.Mode.SILENT);
        StallingServer stalling = StallingServer.start(StallingServer.Mode.HEADERS_THEN_STALL)) {
      Tools.Result handshake = Tools.actool("discover", "--timeout", "1s", "--port", String.valueOf(silent.port()), "127.0.0.1/app");
      Tools.Result body = Tools.actool("discover", "--insecure", "--timeout", "1s", "--port", String.valueOf(stalling.port()), "127.0.0.1/app");

      assertThat(handshake.code()).isEqualTo(1);
      assertThat(handshake.err()).startsWith("discover: no ac-discovery meta tag for 127.0.0.1/app (https://127.0.0.1:" + silent.port()
          + "/app?ac-discovery=1: timed out after 1s connecting; ")
          .contains("raise --timeout");
      assertThat(body.code()).isEqualTo(1);
      assertThat(body.err()).contains("http://127.0.0.1:" + stalling.port() + "/app?ac-discovery=1: timed out after 1s reading; ")
          .contains("the server stopped sending; try again later, or raise --timeout");
    }
  }

  @Test
  void discover_json_theStructure() throws Exception {
    server.discoveryPage("/org/team", page("127.0.0.1/org"));

    Tools.Result r = discover("--json", NAME + ":3.0,os=linux,arch=amd64").expectOk();

    assertThat(r.out()).startsWith("{\n    \"ACIEndpoints\": [\n        {\n            \"ACI\": \"" + base() + "/images/");
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("ACIEndpoints")).hasSize(2);
    assertThat(json.at("/ACIEndpoints/0/ASC").asText()).isEqualTo(base() + "/images/" + NAME + "-3.0-linux-amd64.aci.asc");
    assertThat(json.at("/PublicKeys/0").asText()).isEqualTo(base() + "/keys/pubkeys.asc");
    assertThat(json.at("/ACIEndpointsAttempts/0/URL").asText()).isEqualTo(base() + "/org/team/app?ac-discovery=1");
    assertThat(json.at("/ACIEndpointsAttempts/0/Error").asText()).isEqualTo("HTTP 404 Not Found");
    assertThat(json.get("PublicKeysAttempts")).hasSize(1);
  }

  @Test
  void discover_withoutPublicKeys_stillSucceeds() throws Exception {
    server.discoveryPage("/org/team/app", page("127.0.0.1/org").replaceAll("(?m)^.*ac-discovery-pubkeys.*\n", ""));

    Tools.Result r = discover(NAME).expectOk();

    assertThat(r.out()).contains("ACI: ").doesNotContain("PublicKeys:")
        .contains(walk("public keys", NAME, "no matching ac-discovery-pubkeys meta tag"))
        .contains("discover public keys walk: prefix: 127.0.0.1 error: " + base() + "?ac-discovery=1: HTTP 404 Not Found");
  }

  @Test
  void discover_badAppOrNone_failsLikeGo() {
    Tools.Result bad = discover("127.0.0.1/App");
    Tools.Result none = Tools.actool("discover");

    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).startsWith("discover: 127.0.0.1/App: invalid AC Identifier");
    assertThat(none.code()).isEqualTo(2);
  }
}
