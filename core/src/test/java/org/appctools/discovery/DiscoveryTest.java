package org.appctools.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import org.appctools.http.TestServer;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.NameAndLabels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscoveryTest {
  private static final String NAME = "127.0.0.1/org/team/app";

  TestServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = TestServer.https();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private Discovery discovery() throws Exception {
    return new Discovery(new Http(HttpOptions.defaults().withCaFile(TestServer.caFile()).withAuthDirs(List.of())),
        new DiscoveryOptions(false, server.port()));
  }

  private static String meta(String name, String content) {
    return "<meta name=\"" + name + "\" content=\"" + content + "\">";
  }

  private static String page(String... metas) {
    return "<!DOCTYPE html>\n<html><head><title>t</title>\n" + String.join("\n", metas) + "\n</head><body>hi</body></html>\n";
  }

  private void on(String path, String html) {
    server.on(path, r -> "ac-discovery=1".equals(r.query()) ? TestServer.Reply.ok(html) : TestServer.Reply.status(404));
  }

  private URI url(String path) {
    return server.url(path + "?ac-discovery=1");
  }

  private static Labels linuxAmd64() {
    return new Labels(List.of(new Label(AcIdentifier.parse("os"), "linux"), new Label(AcIdentifier.parse("arch"), "amd64")));
  }

  // --- meta tags

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "<meta name=\"ac-discovery\" content=\"a.com https://a.com/{name}.{ext}\">| ac-discovery a.com https://a.com/{name}.{ext}",
    "<META CONTENT='a.com https://a.com/x' NAME='ac-discovery' />| ac-discovery a.com https://a.com/x",
    "<meta name=ac-discovery-pubkeys content=\"a.com https://a.com/k.gpg\"/>| ac-discovery-pubkeys a.com https://a.com/k.gpg",
    "<Meta\tname = \"ac-discovery\"\fcontent=\"  a.com    https://a.com/x  \">| ac-discovery a.com https://a.com/x",
    "<body><p><meta name=\"ac-discovery\" content=\"a.com u\"></p></body>| ac-discovery a.com u",
    "<meta name=\"ac-discovery\" content=\"a.com https://a.com/x?a=1&amp;b=2&#38;c=&#x33;\">| ac-discovery a.com https://a.com/x?a=1&b=2&c=3",
    "<meta name=\"ac-custom\" content=\"a.com u\">| ac-custom a.com u",
    "<meta name=\"ac-discovery\" content=\"a.com u v\">| ac-discovery a.com u v",
    "<meta content=\"bad\" name=\"ac-discovery\" content=\"a.com u\">| ac-discovery a.com u",
    "<meta name=\"x\" name=\"ac-discovery\" content=\"a.com u\">| ac-discovery a.com u",
  })
  void parse_oneTag_readAsGoDoes(String html, String expected) {
    List<MetaTags.Meta> metas = MetaTags.parse(html);

    assertThat(metas).hasSize(1);
    MetaTags.Meta m = metas.get(0);
    assertThat(m.name() + " " + m.prefix() + " " + m.uri()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "<!-- <meta name=\"ac-discovery\" content=\"a.com u\"> -->",
    "<script>document.write('<meta name=\"ac-discovery\" content=\"a.com u\">')</script>",
    "<title><meta name=\"ac-discovery\" content=\"a.com u\"></title>",
    "<textarea><meta name=\"ac-discovery\" content=\"a.com u\"></TEXTAREA>",
    "<meta name=\"discovery\" content=\"a.com u\">",
    "<meta name=\"AC-discovery\" content=\"a.com u\">",
    "<meta name=\"ac-discovery\" content=\"a.com\">",
    "<meta name=\"ac-discovery\" content=\"a.com   \">",
    "<meta name=\"ac-discovery\">",
    "<link name=\"ac-discovery\" content=\"a.com u\">",
    "<meta name=\"ac-discovery\" content=\"a.com u\"",
    "<meta name=\"ac-discovery\" content=\"a.com u>",
    "< meta name=\"ac-discovery\" content=\"a.com u\">",
  })
  void parse_notATag_nothing(String html) {
    assertThat(MetaTags.parse(html)).isEmpty();
  }

  @Test
  void parse_goTestdataPage_everyTagInOrder() {
    String html = page(
        meta("ac-discovery", "example.com https://storage.example.com/{name}-{version}-{os}-{arch}.{ext}"),
        meta("ac-discovery", "example.com https://storage.example.com/{name}-{version}.{ext}"),
        meta("ac-discovery", "example.com hdfs://storage.example.com/{name}-{version}-{os}-{arch}.{ext}"),
        "<script type=\"text/javascript\">var x = '</scriptx>';</script>",
        meta("ac-discovery-pubkeys", "example.com https://example.com/pubkeys.gpg"));

    assertThat(MetaTags.parse(html)).extracting(MetaTags.Meta::uri).containsExactly(
        "https://storage.example.com/{name}-{version}-{os}-{arch}.{ext}",
        "https://storage.example.com/{name}-{version}.{ext}",
        "hdfs://storage.example.com/{name}-{version}-{os}-{arch}.{ext}",
        "https://example.com/pubkeys.gpg");
  }

  // --- templates

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "https://a.com/{name}-{version}-{os}-{arch}.{ext}| a.com/app:1.0,os=linux,arch=amd64| https://a.com/a.com/app-1.0-linux-amd64.{ext}| {ext}",
    "https://a.com/{name}-{version}-{os}-{arch}.{ext}| a.com/app:1.0,os=linux| https://a.com/a.com/app-1.0-linux-{arch}.{ext}| {arch} {ext}",
    "https://a.com/{channel}/{name}.{ext}| a.com/app,channel=alpha| https://a.com/alpha/a.com/app.{ext}| {ext}",
    "https://a.com/{name}.aci| a.com/app| https://a.com/a.com/app.aci| ''",
    "https://a.com/{name}-{version}.{ext}| a.com/app,version={os}| https://a.com/a.com/app-{os}.{ext}| {os} {ext}",
    "https://a.com/{{name}}.{ext}| a.com/app| https://a.com/{a.com/app}.{ext}| {a.com/app} {ext}",
  })
  void render_template_asGo(String template, String app, String rendered, String left) {
    NameAndLabels n = NameAndLabels.parse(app);

    String r = Discovery.render(template, n.name(), n.labels());

    assertThat(r).isEqualTo(rendered);
    assertThat(String.join(" ", Discovery.unrendered(r))).isEqualTo(left);
  }

  @Test
  void discoveryUrl_likeGo() throws Exception {
    Discovery d = new Discovery(new Http(HttpOptions.defaults().withAuthDirs(List.of())), DiscoveryOptions.defaults());
    Discovery withPort = new Discovery(new Http(HttpOptions.defaults().withAuthDirs(List.of()).withAllowHttp(true)),
        new DiscoveryOptions(true, 8443));

    assertThat(d.discoveryUrl("https", "example.com")).hasToString("https://example.com?ac-discovery=1");
    assertThat(d.discoveryUrl("https", "example.com/a/b")).hasToString("https://example.com/a/b?ac-discovery=1");
    assertThat(withPort.discoveryUrl("http", "example.com/a")).hasToString("http://example.com:8443/a?ac-discovery=1");
    assertThat(Discovery.prefixes(AcIdentifier.parse("a.com/b/c"))).containsExactly("a.com/b/c", "a.com/b", "a.com");
  }

  @Test
  void new_insecureWithoutPlainHttp_refused() throws Exception {
    Http https = new Http(HttpOptions.defaults().withAuthDirs(List.of()));

    assertThatThrownBy(() -> new Discovery(https, new DiscoveryOptions(true, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("insecure discovery falls back to plain HTTP, which the Http given does not allow");
    assertThatThrownBy(() -> new DiscoveryOptions(false, 0)).hasMessage("port must be 1 to 65535 (given 0)");
  }

  // --- walking up

  @Test
  void discoverImage_walksUpPastMissingPages_rendersLatest() throws Exception {
    on("/org", page(
        meta("ac-discovery", "127.0.0.1/org https://cdn.example/{name}-{version}-{os}-{arch}.{ext}"),
        meta("ac-discovery-pubkeys", "127.0.0.1/org https://keys.example/org.gpg")));

    Endpoints e = discovery().discoverImage(AcIdentifier.parse(NAME), linuxAmd64());

    assertThat(e.images()).containsExactly(new ImageEndpoint(
        URI.create("https://cdn.example/127.0.0.1/org/team/app-latest-linux-amd64.aci"),
        URI.create("https://cdn.example/127.0.0.1/org/team/app-latest-linux-amd64.aci.asc")));
    assertThat(e.publicKeys()).containsExactly(URI.create("https://keys.example/org.gpg"));
    assertThat(e.attempts()).containsExactly(
        new Attempt(url("/org/team/app"), "HTTP 404 Not Found"),
        new Attempt(url("/org/team"), "HTTP 404 Not Found"));
    assertThat(server.requests()).extracting(r -> r.path() + "?" + r.query())
        .containsExactly("/org/team/app?ac-discovery=1", "/org/team?ac-discovery=1", "/org?ac-discovery=1");
  }

  @Test
  void discoverImage_hostPage_requestedWithoutPath() throws Exception {
    on("/", page(meta("ac-discovery", "127.0.0.1 https://cdn.example/{name}.{ext}")));

    Endpoints e = discovery().discoverImage(AcIdentifier.parse("127.0.0.1/app"), Labels.of());

    assertThat(e.images()).extracting(i -> i.aci().toString()).containsExactly("https://cdn.example/127.0.0.1/app.aci");
    assertThat(e.attempts()).containsExactly(new Attempt(url("/app"), "HTTP 404 Not Found"));
  }

  @Test
  void discoverImage_givenVersionAndLabels_rendered_unrenderableSkipped() throws Exception {
    on("/org/team/app", page(
        meta("ac-discovery", "127.0.0.1/org https://a.example/{name}-{version}-{os}-{arch}.{ext}"),
        meta("ac-discovery", "127.0.0.1/org https://b.example/{channel}/{name}-{version}.{ext}"),
        meta("ac-discovery", "127.0.0.1/org https://c.example/{name}-{version}.{ext}"),
        meta("ac-discovery", "127.0.0.1/org hdfs://d.example/{name}.{ext}"),
        meta("ac-discovery", "127.0.0.1/org https://e.example/{name}.aci")));
    NameAndLabels app = NameAndLabels.parse(NAME + ":1.2.0,os=linux,arch=aarch64");

    Endpoints e = discovery().discoverImage(app.name(), app.labels());

    assertThat(e.images()).extracting(i -> i.aci().toString()).containsExactly(
        "https://a.example/127.0.0.1/org/team/app-1.2.0-linux-aarch64.aci",
        "https://c.example/127.0.0.1/org/team/app-1.2.0.aci",
        "hdfs://d.example/127.0.0.1/org/team/app.aci",
        "https://e.example/127.0.0.1/org/team/app.aci");
    assertThat(e.images().get(0).signature()).hasToString("https://a.example/127.0.0.1/org/team/app-1.2.0-linux-aarch64.aci.asc");
    assertThat(e.images().get(3).signature()).as("no {ext}: Go gives the image URL for both").isEqualTo(e.images().get(3).aci());
    assertThat(e.publicKeys()).isEmpty();
    assertThat(e.attempts()).isEmpty();
  }

  @Test
  void discoverImage_prefixIsAPlainStringPrefix() throws Exception {
    on("/org/team/app", page(
        meta("ac-discovery", "127.0.0.1/org/te https://match.example/{name}.{ext}"),
        meta("ac-discovery", "127.0.0.1/org/team/app/more https://longer.example/{name}.{ext}"),
        meta("ac-discovery", "127.0.0.1/other https://other.example/{name}.{ext}")));

    Endpoints e = discovery().discoverImage(AcIdentifier.parse(NAME), Labels.of());

    assertThat(e.images()).extracting(i -> i.aci().getHost()).containsExactly("match.example");
  }

  @Test
  void discoverImage_pageWithoutMatchingTag_walksUp() throws Exception {
    on("/org/team/app", page(meta("ac-discovery", "example.com https://x.example/{name}.{ext}"),
        meta("ac-discovery-pubkeys", "127.0.0.1 https://keys.example/k.gpg")));
    on("/org/team", page(meta("ac-discovery", "127.0.0.1/org https://y.example/{name}-{channel}.{ext}")));
    on("/org", page(meta("ac-discovery", "127.0.0.1/org https://z.example/{name}.{ext}")));

    Endpoints e = discovery().discoverImage(AcIdentifier.parse(NAME), Labels.of());

    assertThat(e.images()).extracting(i -> i.aci().getHost()).containsExactly("z.example");
    assertThat(e.attempts()).containsExactly(
        new Attempt(url("/org/team/app"), "no matching ac-discovery meta tag"),
        new Attempt(url("/org/team"), "the matching ac-discovery templates need {channel}, which no label gives"));
  }

  @Test
  void discoverPublicKeys_walksUpIndependently() throws Exception {
    on("/org/team/app", page(meta("ac-discovery", "127.0.0.1 https://x.example/{name}.{ext}")));
    on("/org", page(meta("ac-discovery-pubkeys", "127.0.0.1/org https://keys.example/a.gpg"),
        meta("ac-discovery-pubkeys", "127.0.0.1/org/team https://keys.example/b.gpg"),
        meta("ac-discovery-pubkeys", "127.0.0.1/elsewhere https://keys.example/c.gpg")));
    Discovery d = discovery();

    Endpoints images = d.discoverImage(AcIdentifier.parse(NAME), Labels.of());
    PublicKeys keys = d.discoverPublicKeys(AcIdentifier.parse(NAME));

    assertThat(images.publicKeys()).isEmpty();
    assertThat(images.attempts()).isEmpty();
    assertThat(keys.keys()).containsExactly(URI.create("https://keys.example/a.gpg"), URI.create("https://keys.example/b.gpg"));
    assertThat(keys.attempts()).containsExactly(
        new Attempt(url("/org/team/app"), "no matching ac-discovery-pubkeys meta tag"),
        new Attempt(url("/org/team"), "HTTP 404 Not Found"));
  }

  @Test
  void discoverImage_nothingAnywhere_throwsListingEveryAttempt() throws Exception {
    on("/org", page(meta("ac-discovery-pubkeys", "127.0.0.1 https://keys.example/k.gpg")));

    NotDiscoveredException e = org.junit.jupiter.api.Assertions.assertThrows(NotDiscoveredException.class,
        () -> discovery().discoverImage(AcIdentifier.parse("127.0.0.1/org/app"), Labels.of()));

    assertThat(e).hasMessage("discover: no ac-discovery meta tag for 127.0.0.1/org/app ("
        + url("/org/app") + ": HTTP 404 Not Found; "
        + url("/org") + ": no matching ac-discovery meta tag; "
        + server.url("?ac-discovery=1") + ": HTTP 404 Not Found); check the name, or pass --insecure to also try plain HTTP");
    assertThat(e.attempts()).hasSize(3);
  }

  @Test
  void discoverPublicKeys_untrustedCertificate_saysSoAndHowToFix() throws Exception {
    on("/org/app", page(meta("ac-discovery-pubkeys", "127.0.0.1 https://keys.example/k.gpg")));
    Discovery d = new Discovery(new Http(HttpOptions.defaults().withAuthDirs(List.of())), new DiscoveryOptions(false, server.port()));

    assertThatThrownBy(() -> d.discoverPublicKeys(AcIdentifier.parse("127.0.0.1/org/app")))
        .isInstanceOf(NotDiscoveredException.class)
        .hasMessage("discover: no ac-discovery-pubkeys meta tag for 127.0.0.1/org/app ("
            + url("/org/app") + ": TLS: the server's certificate is not trusted; "
            + url("/org") + ": TLS: the server's certificate is not trusted; "
            + server.url("?ac-discovery=1") + ": TLS: the server's certificate is not trusted); "
            + "pass --ca-file with the CA that signed it, or --insecure-skip-tls-verify; check the name, or pass --insecure to also try plain HTTP");
  }

  @Test
  void discoverImage_insecure_fallsBackToPlainHttpOnTheSamePort() throws Exception {
    try (TestServer plain = TestServer.http()) {
      plain.on("/org/app", r -> TestServer.Reply.ok(page(meta("ac-discovery", "127.0.0.1 http://plain.example/{name}.{ext}"))));
      Http http = new Http(HttpOptions.defaults().withAuthDirs(List.of()).withAllowHttp(true).withConnectTimeout(Duration.ofMillis(500)));
      Discovery d = new Discovery(http, new DiscoveryOptions(true, plain.port()));

      Endpoints e = d.discoverImage(AcIdentifier.parse("127.0.0.1/org/app"), Labels.of());

      assertThat(e.images()).extracting(i -> i.aci().toString()).containsExactly("http://plain.example/127.0.0.1/org/app.aci");
      assertThat(e.attempts()).extracting(Attempt::url).containsExactly(URI.create("https://127.0.0.1:" + plain.port() + "/org/app?ac-discovery=1"));
    }
  }
}
