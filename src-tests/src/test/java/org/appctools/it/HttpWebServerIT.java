package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's HTTP client against a real nginx ({@link WebServer}) over TLS with the test CA:
 * what discovery, trust and fetch rely on, and what WebServer promises the tests built on it.
 */
class HttpWebServerIT {
  @TempDir Path tmp;
  Path docroot;
  Path authDir;
  WebServer server;

  @BeforeEach
  void setUp() throws Exception {
    docroot = Files.createDirectories(tmp.resolve("www"));
    authDir = Files.createDirectories(tmp.resolve("auth.d"));
    server = WebServer.start(docroot, WebServer.Options.defaults().withCacheControl("max-age=120"));
  }

  @AfterEach
  void tearDown() {
    server.stop();
  }

  private Http http() throws Exception {
    return new Http(HttpOptions.defaults().withCaFile(server.caFile()).withAuthDirs(List.of(authDir)));
  }

  private static String text(Http.Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void get_discoveryPage_onlyWithTheQuery() throws Exception {
    server.discoveryPage("/org/app", "<meta name=\"ac-discovery\" content=\"x y\">");

    assertThat(text(http().get(server.httpsUrl("/org/app?ac-discovery=1"), 1024))).contains("ac-discovery");
    assertThat(text(http().get(server.httpsUrl("/org/app?x=2&ac-discovery=1"), 1024))).contains("ac-discovery");
    assertThatThrownBy(() -> http().get(server.httpsUrl("/org/app"), 1024)).hasMessageEndingWith(": HTTP 404 Not Found");
    assertThatThrownBy(() -> http().get(server.httpsUrl("/org/app?ac-discovery=10"), 1024)).hasMessageEndingWith(": HTTP 404 Not Found");
    assertThatThrownBy(() -> http().get(server.httpsUrl("/org?ac-discovery=1"), 1024)).hasMessageEndingWith(": HTTP 404 Not Found");
  }

  @Test
  void get_redirectKeepsTheQuery_toOtherScheme() throws Exception {
    server.discoveryPage("/new/app", "page");
    server.addRedirect("/old/app", 301, "/new/app");
    server.addRedirect("/elsewhere/app", 307, server.httpUrl("/new/app").toString());
    Http allowHttp = new Http(HttpOptions.defaults().withCaFile(server.caFile()).withAuthDirs(List.of()).withAllowHttp(true));

    Http.Response r = http().get(server.httpsUrl("/old/app?ac-discovery=1"), 1024);
    Http.Response plain = allowHttp.get(server.httpsUrl("/elsewhere/app?ac-discovery=1"), 1024);

    assertThat(text(r)).isEqualTo("page");
    assertThat(r.finalUri()).isEqualTo(server.httpsUrl("/new/app?ac-discovery=1"));
    assertThat(plain.finalUri()).isEqualTo(server.httpUrl("/new/app?ac-discovery=1"));
    assertThatThrownBy(() -> http().get(server.httpsUrl("/elsewhere/app?ac-discovery=1"), 1024))
        .hasMessageContaining("to plain HTTP, which is not allowed; pass --insecure-allow-http");
  }

  @Test
  void get_protectedPath_needsTheCredentialsOfAuthD() throws Exception {
    Files.writeString(docroot.resolve("secret.txt"), "s3cret data");
    server.protect("/secret", "alice", "pa55");

    assertThatThrownBy(() -> http().get(server.httpsUrl("/secret.txt"), 1024))
        .hasMessageContaining(": HTTP 401 Unauthorized; put credentials for 127.0.0.1:" + server.httpsPort());
    Files.writeString(authDir.resolve("me.json"), "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"127.0.0.1:"
        + server.httpsPort() + "\"],\"type\":\"basic\",\"credentials\":{\"user\":\"alice\",\"password\":\"pa55\"}}");
    assertThat(text(http().get(server.httpsUrl("/secret.txt"), 1024))).isEqualTo("s3cret data");
    Files.writeString(authDir.resolve("me.json"), "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"127.0.0.1:"
        + server.httpsPort() + "\"],\"type\":\"basic\",\"credentials\":{\"user\":\"alice\",\"password\":\"wrong\"}}");
    assertThatThrownBy(() -> http().get(server.httpsUrl("/secret.txt"), 1024))
        .hasMessageContaining(": HTTP 401 Unauthorized; the server refused the Basic credentials for 127.0.0.1:" + server.httpsPort());
  }

  @Test
  void download_conditionalOnNginxEtag_304LeavesTargetAlone() throws Exception {
    byte[] image = new byte[200_000];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i % 251);
    }
    Files.write(docroot.resolve("app.aci"), image);
    Path target = tmp.resolve("app.aci");

    Http.Download first = http().download(server.httpsUrl("/app.aci"), target, null, null);
    assertThat(Files.readAllBytes(target)).isEqualTo(image);
    assertThat(first.etag()).startsWith("\"");
    assertThat(first.maxAge()).isEqualTo(Duration.ofMinutes(2));
    assertThat(first.bytes()).isEqualTo(image.length);

    Files.writeString(target, "kept");
    Http.Download again = http().download(server.httpsUrl("/app.aci"), target, first.etag(), null);
    assertThat(again.notModified()).isTrue();
    assertThat(again.etag()).isEqualTo(first.etag());
    assertThat(Files.readString(target)).isEqualTo("kept");
  }

  @Test
  void get_withoutTheTestCa_notTrusted() throws Exception {
    Files.writeString(docroot.resolve("x.txt"), "x");
    Http jdkTrustOnly = new Http(HttpOptions.defaults().withAuthDirs(List.of()));

    assertThatThrownBy(() -> jdkTrustOnly.get(server.httpsUrl("/x.txt"), 1024))
        .hasMessageContaining("TLS: the server's certificate is not trusted; pass --ca-file");
  }

  @Test
  void get_stallingServer_timesOut() throws Exception {
    try (StallingServer stalling = StallingServer.start(StallingServer.Mode.HEADERS_THEN_STALL)) {
      Http h = new Http(HttpOptions.defaults().withAuthDirs(List.of()).withAllowHttp(true).withReadTimeout(Duration.ofSeconds(1)));

      assertThatThrownBy(() -> h.get(stalling.url("/page"), 4096))
          .hasMessage("GET " + stalling.url("/page") + ": timed out after 1s reading; the server stopped sending; try again later, or raise --timeout");
    }
  }
}
