package org.appctools.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.appctools.AppcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpTest {
  @TempDir Path tmp;
  Path systemAuth;
  Path userAuth;
  TestServer https;
  TestServer plain;

  @BeforeEach
  void setUp() throws Exception {
    systemAuth = Files.createDirectories(tmp.resolve("etc/auth.d"));
    userAuth = Files.createDirectories(tmp.resolve("user/auth.d"));
    https = TestServer.https();
    plain = TestServer.http();
  }

  @AfterEach
  void tearDown() {
    https.close();
    plain.close();
  }

  private HttpOptions options() throws Exception {
    return HttpOptions.defaults().withCaFile(TestServer.caFile()).withAuthDirs(List.of(systemAuth, userAuth));
  }

  private Http http() throws Exception {
    return new Http(options());
  }

  private static TestServer.Handler echoAuthorization() {
    return r -> TestServer.Reply.ok(String.valueOf(r.header("Authorization")));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Http.Response r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private void writeAuth(Path dir, String file, String json) throws IOException {
    Files.writeString(dir.resolve(file), json);
  }

  private String basicAuth(String domain, String user, String password) {
    return "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"" + domain + "\"],\"type\":\"basic\","
        + "\"credentials\":{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}}";
  }

  // --- defaults

  @Test
  void defaults_timeoutsAndAuthDirs() {
    HttpOptions d = HttpOptions.defaults();

    assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.allowHttp()).isFalse();
    assertThat(d.insecureSkipTlsVerify()).isFalse();
    assertThat(d.caFile()).isNull();
    assertThat(d.authDirs()).hasSize(2);
    assertThat(d.authDirs().get(0)).isEqualTo(Path.of("/etc/appctools/auth.d"));
    assertThat(d.authDirs().get(1).toString()).endsWith("appctools/auth.d");
  }

  @Test
  void options_nonPositiveTimeout_throws() {
    assertThatThrownBy(() -> HttpOptions.defaults().withReadTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeouts must be positive (connect PT10S, read PT0S)");
  }

  // --- auth.d

  @Test
  void get_basicCredentialsForHost_sentOverHttps() throws Exception {
    https.on("/doc", echoAuthorization());
    writeAuth(systemAuth, "a.json", basicAuth("127.0.0.1:" + https.port(), "alice", "s3cret"));

    assertThat(text(http().get(https.url("/doc"), 1024))).isEqualTo(basic("alice", "s3cret"));
  }

  @Test
  void get_oauthToken_sentAsBearer() throws Exception {
    https.on("/doc", echoAuthorization());
    writeAuth(userAuth, "token.json", "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"127.0.0.1:" + https.port()
        + "\"],\"type\":\"oauth\",\"credentials\":{\"token\":\"tok-123\"}}");

    assertThat(text(http().get(https.url("/doc"), 1024))).isEqualTo("Bearer tok-123");
  }

  @Test
  void get_otherHostOrPort_noCredentials() throws Exception {
    https.on("/doc", echoAuthorization());
    writeAuth(systemAuth, "a.json", basicAuth("127.0.0.1", "alice", "s3cret"));

    assertThat(text(http().get(https.url("/doc"), 1024))).isEqualTo("null");
  }

  @Test
  void get_userDirOverridesSystemDirPerDomain() throws Exception {
    https.on("/doc", echoAuthorization());
    String domain = "127.0.0.1:" + https.port();
    writeAuth(systemAuth, "a.json", basicAuth(domain, "system", "pw"));
    writeAuth(systemAuth, "b.json", basicAuth("other.example", "system", "pw"));
    writeAuth(userAuth, "a.json", basicAuth(domain, "user", "pw"));

    assertThat(text(http().get(https.url("/doc"), 1024))).isEqualTo(basic("user", "pw"));
  }

  @Test
  void get_caseInsensitiveFieldsOtherFilesAndDockerAuth_readAsRkt() throws Exception {
    https.on("/doc", echoAuthorization());
    writeAuth(systemAuth, "a.json", "{\"RKTKIND\":\"auth\",\"rktversion\":\"v1\",\"Domains\":[\"127.0.0.1:" + https.port()
        + "\"],\"Type\":\"basic\",\"Credentials\":{\"User\":\"bob\",\"PASSWORD\":\"pw\"}}");
    writeAuth(systemAuth, "notes.txt", "not json at all");
    writeAuth(systemAuth, "docker.json",
        "{\"rktKind\":\"dockerAuth\",\"rktVersion\":\"v1\",\"registries\":[\"quay.io\"],\"credentials\":{\"user\":\"u\",\"password\":\"p\"}}");
    Files.createDirectories(systemAuth.resolve("sub.json"));

    assertThat(text(http().get(https.url("/doc"), 1024))).isEqualTo(basic("bob", "pw"));
  }

  @Test
  void new_missingAuthDirs_noCredentials() throws Exception {
    https.on("/doc", echoAuthorization());
    Http h = new Http(options().withAuthDirs(List.of(tmp.resolve("none"), tmp.resolve("neither"))));

    assertThat(text(h.get(https.url("/doc"), 1024))).isEqualTo("null");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{}| no rktKind specified",
    "{\"rktKind\":\"auth\"}| no rktVersion specified",
    "{\"rktKind\":\"paths\",\"rktVersion\":\"v1\"}| rktKind \"paths\" does not belong in auth.d (expected \"auth\" or \"dockerAuth\")",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v2\"}| no parser available for configuration of kind \"auth\" and version \"v2\" (expected \"v1\")",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"type\":\"basic\"}| no domains specified",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[]}| no domains specified",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":\"a.com\"}| domains must be a list of host names",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"a.com\"]}| no auth type specified",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"a.com\"],\"type\":\"basic\"}| no credentials",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"a.com\"],\"type\":\"aws\",\"credentials\":{}}| unknown auth type \"aws\" (expected \"basic\" or \"oauth\")",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"a.com\"],\"type\":\"basic\",\"credentials\":{\"password\":\"p\"}}| user not specified",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"a.com\"],\"type\":\"basic\",\"credentials\":{\"user\":\"u\"}}| password not specified",
    "{\"rktKind\":\"auth\",\"rktVersion\":\"v1\",\"domains\":[\"a.com\"],\"type\":\"oauth\",\"credentials\":{}}| no oauth bearer token specified",
    "{\"rktKind\":\"auth\",\"rktVersion\":1}| rktVersion must be a string",
    "[1, 2]| not a JSON object",
  })
  void new_badAuthFile_throwsNamingFileAndProblem(String json, String problem) throws Exception {
    writeAuth(userAuth, "bad.json", json);

    assertThatThrownBy(this::http)
        .isInstanceOf(AppcException.class)
        .hasMessage("auth.d: " + userAuth.resolve("bad.json") + ": " + problem + "; fix or remove the file");
  }

  @Test
  void new_notJson_throws() throws Exception {
    writeAuth(userAuth, "bad.json", "{\"rktKind\": ");

    assertThatThrownBy(this::http)
        .isInstanceOf(AppcException.class)
        .hasMessageStartingWith("auth.d: " + userAuth.resolve("bad.json") + ": not JSON (")
        .hasMessageEndingWith("); fix or remove the file");
  }

  @Test
  void new_sameDomainTwiceInOneDir_throws() throws Exception {
    writeAuth(systemAuth, "a.json", basicAuth("a.com", "u", "p"));
    writeAuth(systemAuth, "b.json", basicAuth("a.com", "v", "q"));

    assertThatThrownBy(this::http)
        .isInstanceOf(AppcException.class)
        .hasMessage("auth.d: " + systemAuth.resolve("b.json") + ": auth for domain \"a.com\" is already specified in "
            + systemAuth.resolve("a.json") + "; fix or remove the file");
  }

  @Test
  void new_authDirIsAFile_throws() throws Exception {
    Path file = Files.writeString(tmp.resolve("auth.d"), "");

    assertThatThrownBy(() -> new Http(options().withAuthDirs(List.of(file))))
        .isInstanceOf(AppcException.class)
        .hasMessage("auth.d: " + file + " is not a directory; remove it or make it a directory of *.json files");
  }

  // --- plain HTTP and credentials

  @Test
  void get_plainHttpNotAllowed_refusedWithoutARequest() throws Exception {
    plain.on("/doc", echoAuthorization());

    assertThatThrownBy(() -> http().get(plain.url("/doc"), 1024))
        .isInstanceOf(HttpException.class)
        .hasMessage("GET " + plain.url("/doc") + ": plain HTTP is not allowed; pass --insecure-allow-http to allow it");
    assertThat(plain.requests()).isEmpty();
  }

  @Test
  void get_plainHttpAllowed_credentialsSentToo() throws Exception {
    plain.on("/doc", echoAuthorization());
    writeAuth(systemAuth, "a.json", basicAuth("127.0.0.1:" + plain.port(), "alice", "pw"));

    Http.Response r = new Http(options().withAllowHttp(true)).get(plain.url("/doc"), 1024);

    assertThat(text(r)).isEqualTo(basic("alice", "pw"));
  }

  @Test
  void get_redirectFromHttpsToHttp_refusedWithoutAllowHttp() throws Exception {
    plain.on("/doc", r -> TestServer.Reply.ok("plain"));
    https.on("/doc", r -> TestServer.Reply.redirect(302, plain.url("/doc").toString()));

    assertThatThrownBy(() -> http().get(https.url("/doc"), 1024))
        .isInstanceOf(HttpException.class)
        .hasMessage("GET " + plain.url("/doc") + ": redirected from " + https.url("/doc")
            + " to plain HTTP, which is not allowed; pass --insecure-allow-http to allow it");
    assertThat(plain.requests()).isEmpty();
  }

  // --- statuses

  @Test
  void get_notFound_throwsWithStatus() throws Exception {
    HttpException e = org.junit.jupiter.api.Assertions.assertThrows(HttpException.class, () -> http().get(https.url("/none"), 1024));

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.reason()).isEqualTo("HTTP 404 Not Found");
    assertThat(e).hasMessage("GET " + https.url("/none") + ": HTTP 404 Not Found");
  }

  @Test
  void get_unauthorizedWithoutCredentials_saysWhereToPutThem() throws Exception {
    https.on("/secret", r -> TestServer.Reply.status(401));

    assertThatThrownBy(() -> http().get(https.url("/secret"), 1024))
        .hasMessage("GET " + https.url("/secret") + ": HTTP 401 Unauthorized; put credentials for 127.0.0.1:" + https.port()
            + " in a *.json file of an auth.d directory (" + systemAuth + ", " + userAuth + ")");
  }

  @Test
  void get_unauthorizedWithCredentials_namesTheFile() throws Exception {
    https.on("/secret", r -> TestServer.Reply.status(401));
    writeAuth(userAuth, "mine.json", basicAuth("127.0.0.1:" + https.port(), "alice", "wrong"));

    assertThatThrownBy(() -> http().get(https.url("/secret"), 1024))
        .hasMessage("GET " + https.url("/secret") + ": HTTP 401 Unauthorized; the server refused the Basic credentials for 127.0.0.1:"
            + https.port() + " from " + userAuth.resolve("mine.json") + "; check them");
  }

  @Test
  void get_bodyOverLimit_throws() throws Exception {
    https.on("/big", r -> TestServer.Reply.ok("x".repeat(2000)));

    assertThatThrownBy(() -> http().get(https.url("/big"), 1000))
        .hasMessage("GET " + https.url("/big") + ": the response is larger than 1000 bytes; this is not the small document expected here");
  }

  // --- redirects

  @Test
  void get_tenRedirects_followedToTheEnd() throws Exception {
    for (int i = 0; i < 10; i++) {
      String next = "/r" + (i + 1);
      https.on("/r" + i, r -> TestServer.Reply.redirect(i0(next), next));
    }
    https.on("/r10", r -> TestServer.Reply.ok("end"));

    Http.Response r = http().get(https.url("/r0"), 1024);

    assertThat(text(r)).isEqualTo("end");
    assertThat(r.finalUri()).isEqualTo(https.url("/r10"));
    assertThat(r.status()).isEqualTo(200);
  }

  /** Every kind of redirect status, in turn along the chain. */
  private static int i0(String next) {
    int[] codes = {301, 302, 303, 307, 308};
    return codes[Integer.parseInt(next.substring(2)) % codes.length];
  }

  @Test
  void get_elevenRedirects_stops() throws Exception {
    for (int i = 0; i < 11; i++) {
      String next = "/r" + (i + 1);
      https.on("/r" + i, r -> TestServer.Reply.redirect(302, next));
    }
    https.on("/r11", r -> TestServer.Reply.ok("end"));

    assertThatThrownBy(() -> http().get(https.url("/r0"), 1024))
        .hasMessage("GET " + https.url("/r0") + ": stopped after 10 redirects (the last to /r11); the server redirects in a loop or too often");
    assertThat(https.requests()).hasSize(11);
  }

  @Test
  void get_redirectToOtherHost_credentialsOfThatHostOnly() throws Exception {
    TestServer other = TestServer.https();
    try {
      other.on("/doc", echoAuthorization());
      https.on("/doc", r -> TestServer.Reply.redirect(301, other.url("/doc").toString()));
      writeAuth(systemAuth, "a.json", basicAuth("127.0.0.1:" + https.port(), "alice", "pw"));

      Http.Response r = http().get(https.url("/doc"), 1024);

      assertThat(text(r)).isEqualTo("null");
      assertThat(https.requests().get(0).header("Authorization")).isEqualTo(basic("alice", "pw"));
    } finally {
      other.close();
    }
  }

  // --- TLS

  @Test
  void get_selfSignedWithoutCaFile_notTrusted() throws Exception {
    https.on("/doc", r -> TestServer.Reply.ok("x"));
    Http h = new Http(options().withCaFile(null));

    assertThatThrownBy(() -> h.get(https.url("/doc"), 1024))
        .hasMessage("GET " + https.url("/doc") + ": TLS: the server's certificate is not trusted; "
            + "pass --ca-file with the CA that signed it, or --insecure-skip-tls-verify");
  }

  @Test
  void get_insecureSkipTlsVerify_acceptsAnyCertificate() throws Exception {
    https.on("/doc", r -> TestServer.Reply.ok("x"));
    Http h = new Http(options().withCaFile(null).withInsecureSkipTlsVerify(true));

    assertThat(text(h.get(https.url("/doc"), 1024))).isEqualTo("x");
  }

  @Test
  void get_httpsToPlainServer_saysItIsNotTls() throws Exception {
    try (RawServer s = new RawServer("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n", true)) {
      URI uri = URI.create("https://127.0.0.1:" + s.port() + "/doc");

      assertThatThrownBy(() -> http().get(uri, 1024))
          .hasMessage("GET " + uri + ": TLS: the server does not speak TLS on this port; check the port, or use http:// with --insecure-allow-http");
    }
  }

  @Test
  void get_closedPort_connectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    URI uri = URI.create("https://127.0.0.1:" + port + "/doc");

    assertThatThrownBy(() -> http().get(uri, 1024))
        .hasMessage("GET " + uri + ": connection refused; check the address and that the server is up");
  }

  @Test
  void new_caFileMissingOrNotPem_throws() throws Exception {
    Path missing = tmp.resolve("missing.pem");
    Path junk = Files.writeString(tmp.resolve("junk.pem"), "hello\n");

    assertThatThrownBy(() -> new Http(options().withCaFile(missing))).hasMessage("http: the CA file " + missing + " does not exist");
    assertThatThrownBy(() -> new Http(options().withCaFile(junk))).hasMessageStartingWith("http: the CA file " + junk + " is not PEM certificates: ");
  }

  // --- timeouts

  @Test
  void get_serverNeverAnswers_timesOutReading() throws Exception {
    try (RawServer s = new RawServer(null, false)) {
      Http h = new Http(options().withAllowHttp(true).withReadTimeout(Duration.ofMillis(500)));

      assertThatThrownBy(() -> h.get(s.url(), 1024))
          .hasMessage("GET " + s.url() + ": timed out after 500ms reading; the server stopped sending; try again later, or raise --timeout");
    }
  }

  @Test
  void download_bodyStalls_timesOutReading() throws Exception {
    try (RawServer s = new RawServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhello", false)) {
      Http h = new Http(options().withAllowHttp(true).withReadTimeout(Duration.ofSeconds(1)));
      List<Long> seen = new CopyOnWriteArrayList<>();

      assertThatThrownBy(() -> h.download(s.url(), tmp.resolve("out"), null, (bytes, total) -> seen.add(bytes * 1000 + total)))
          .isInstanceOf(HttpException.class)
          .hasMessage("GET " + s.url() + ": timed out after 1s reading; the server stopped sending; try again later, or raise --timeout");
      assertThat(seen).containsExactly(5L * 1000 + 100);
    }
  }

  // --- downloads

  @Test
  void download_writesBodyWithEtagMaxAgeAndProgress() throws Exception {
    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    https.on("/app.aci", r -> new TestServer.Reply(200, Map.of("ETag", "\"v1\"", "Cache-Control", "public, max-age=300"), body));
    List<long[]> progress = new ArrayList<>();
    Path target = tmp.resolve("app.aci");

    Http.Download d = http().download(https.url("/app.aci"), target, null, (bytes, total) -> progress.add(new long[] {bytes, total}));

    assertThat(Files.readAllBytes(target)).isEqualTo(body);
    assertThat(d).isEqualTo(new Http.Download(false, https.url("/app.aci"), "\"v1\"", Duration.ofMinutes(5), body.length));
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1)).containsExactly(body.length, body.length);
  }

  @Test
  void download_ifNoneMatchAnswered304_targetUntouched() throws Exception {
    https.on("/app.aci", r -> "\"v1\"".equals(r.header("If-None-Match"))
        ? new TestServer.Reply(304, Map.of("ETag", "\"v1\"", "Cache-Control", "no-cache"), new byte[0])
        : TestServer.Reply.ok("new bytes"));
    Path target = Files.writeString(tmp.resolve("app.aci"), "cached");

    Http.Download same = http().download(https.url("/app.aci"), target, "\"v1\"", null);
    assertThat(same).isEqualTo(new Http.Download(true, https.url("/app.aci"), "\"v1\"", Duration.ZERO, 0));
    assertThat(Files.readString(target)).isEqualTo("cached");

    Http.Download changed = http().download(https.url("/app.aci"), target, "\"v0\"", null);
    assertThat(changed.notModified()).isFalse();
    assertThat(Files.readString(target)).isEqualTo("new bytes");
  }

  @Test
  void download_notFound_targetNotCreated() throws Exception {
    Path target = tmp.resolve("app.aci");

    assertThatThrownBy(() -> http().download(https.url("/none.aci"), target, null, null)).hasMessageContaining("HTTP 404 Not Found");
    assertThat(target).doesNotExist();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", value = {
    "max-age=60| PT1M",
    "public, max-age=\"10\"| PT10S",
    "MAX-AGE=5, must-revalidate| PT5S",
    "max-age=60, no-cache| PT0S",
    "no-store| PT0S",
    "private| null",
    "max-age=soon| null",
  })
  void maxAge_cacheControl_lifetime(String header, String expected) {
    assertThat(Http.maxAge(List.of(header))).isEqualTo(expected == null ? null : Duration.parse(expected));
  }

  /**
   * A raw socket on 127.0.0.1 that accepts every connection and sends {@code reply} at once (or
   * nothing, when null), then closes it or holds it open without another byte. Closed by the test.
   */
  private static final class RawServer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RawServer(String reply, boolean close) throws IOException {
      acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket s = server.accept();
            held.add(s);
            if (reply != null) {
              OutputStream out = s.getOutputStream();
              out.write(reply.getBytes(StandardCharsets.US_ASCII));
              out.flush();
            }
            if (close) {
              s.close();
            }
          }
        } catch (IOException e) {
          // closed by the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + port() + "/stall");
    }

    @Override
    public void close() throws Exception {
      server.close();
      for (Socket s : held) {
        s.close();
      }
      acceptor.join(5000);
    }
  }
}
