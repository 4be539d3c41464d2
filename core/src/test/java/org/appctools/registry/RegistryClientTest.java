package org.appctools.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.appctools.AppcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a small registry served by the JDK's HTTP server on 127.0.0.1: the Bearer
 * token flow (Debian's docker-registry would need a token service with signing keys), redirects
 * to blob storage, digest checks. Basic auth and real pulls are in the black-box tests.
 */
class RegistryClientTest {
  private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BLOB = "layer bytes".getBytes(StandardCharsets.UTF_8);
  private static final String TOKEN = "tok-123";
  /** A digest the registry serves {@link #BLOB} under, which it is not. */
  private static final String WRONG = "sha256:" + "0".repeat(64);

  @TempDir Path tmp;
  private HttpServer server;
  private String registry;
  private final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  private final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
  private volatile String challengeScope = ",scope=\"repository:lib/img:pull\"";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry = "127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", x -> {
      tokenQueries.add(x.getRequestURI().getRawQuery() + " auth=" + x.getRequestHeaders().getFirst("Authorization"));
      reply(x, 200, ("{\"token\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8), "application/json");
    });
    server.createContext("/v2/", x -> {
      if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
        x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + registry + "/token\","
            + "service=\"test-registry\"" + challengeScope);
        reply(x, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
            .getBytes(StandardCharsets.UTF_8), "application/json");
        return;
      }
      String path = x.getRequestURI().getPath();
      if (path.equals("/v2/lib/img/manifests/latest")) {
        x.getResponseHeaders().add("Docker-Content-Digest", sha256(MANIFEST));
        reply(x, 200, MANIFEST, "application/vnd.oci.image.manifest.v1+json");
      } else if (path.equals("/v2/lib/img/blobs/" + sha256(BLOB))) {
        x.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort() + "/storage/blob");
        reply(x, 307, new byte[0], "text/plain");
      } else if (path.equals("/v2/lib/img/blobs/" + WRONG)) {
        reply(x, 200, BLOB, "application/octet-stream");
      } else {
        reply(x, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}"
            .getBytes(StandardCharsets.UTF_8), "application/json");
      }
    });
    server.createContext("/storage/", x -> {
      storageAuthorizations.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
      reply(x, 200, BLOB, "application/octet-stream");
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void reply(HttpExchange x, int code, byte[] body, String type) throws IOException {
    x.getResponseHeaders().add("Content-Type", type);
    x.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      x.getResponseBody().write(body);
    }
    x.close();
  }

  private static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private RegistryClient client(Path dockerConfig) throws AppcException {
    return new RegistryClient(new RegistryOptions(false, true, dockerConfig, Duration.ofSeconds(10), 2, null));
  }

  @Test
  void manifest_bearerChallenge_tokenFetchedWithCredentialsAndUsed() throws Exception {
    Files.writeString(tmp.resolve("config.json"), "{\"auths\":{\"" + registry + "\":{\"auth\":\""
        + Base64.getEncoder().encodeToString("jane:pw".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    RegistryClient.Manifest m = client(tmp).manifest(registry, "lib/img", "latest", List.of("x"), 1 << 20);
    assertThat(m.bytes()).isEqualTo(MANIFEST);
    assertThat(m.digest()).isEqualTo(sha256(MANIFEST));
    assertThat(m.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(tokenQueries).containsExactly("service=test-registry&scope=repository%3Alib%2Fimg%3Apull auth=Basic "
        + Base64.getEncoder().encodeToString("jane:pw".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void manifest_challengeWithoutScope_scopeInferredAnonymousToken() throws Exception {
    challengeScope = "";
    client(null).manifest(registry, "lib/img", "latest", List.of(), 1 << 20);
    assertThat(tokenQueries).containsExactly("service=test-registry&scope=repository%3Alib%2Fimg%3Apull auth=null");
  }

  @Test
  void download_redirectToStorage_followedWithoutCredentialsAndVerified() throws Exception {
    Path file = tmp.resolve("blob");
    client(null).download(registry, "lib/img", List.of(new RegistryClient.Download(sha256(BLOB), BLOB.length, file)));
    assertThat(Files.readAllBytes(file)).isEqualTo(BLOB);
    assertThat(storageAuthorizations).containsExactly("null");
  }

  @Test
  void download_blobNotMatchingItsDigest_failsAndDeletesTheFile() throws Exception {
    Path file = tmp.resolve("blob");
    assertThatThrownBy(() -> client(null).download(registry, "lib/img",
        List.of(new RegistryClient.Download(WRONG, BLOB.length, file))))
        .isInstanceOf(AppcException.class)
        .hasMessage(registry + "/lib/img@" + WRONG + ": the downloaded blob does not match its digest or size "
            + "(got " + sha256(BLOB) + ", 11 bytes; corrupt or tampered, pull it again)");
    assertThat(file).doesNotExist();
  }

  @Test
  void blob_unknown_notFoundWithTheRegistrysError() {
    String missing = "sha256:" + "1".repeat(64);
    assertThatThrownBy(() -> client(null).blob(registry, "lib/img", missing, 1024))
        .hasMessage(registry + "/lib/img@" + missing + ": not found (404) (BLOB_UNKNOWN: blob unknown to registry)");
  }
}
