package org.appctools.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.appctools.AppcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push side of {@link RegistryClient} against a small registry of the upload protocol (the
 * real docker-registry is in src-tests' ActoolPushIT): Bearer tokens asked for pull,push, HEAD,
 * monolithic and chunked uploads, and the digest checks on both sides.
 */
class RegistryPushTest {
  private static final String TOKEN = "push-token";

  @TempDir Path tmp;
  private HttpServer server;
  private String registry;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> tokenScopes = new CopyOnWriteArrayList<>();
  private volatile String manifestDigestHeader;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry = "127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", x -> {
      tokenScopes.add(URLDecoder.decode(x.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
      reply(x, 200, "{\"token\":\"" + TOKEN + "\"}", Map.of());
    });
    server.createContext("/v2/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    String method = x.getRequestMethod();
    String path = x.getRequestURI().getPath();
    byte[] body = x.getRequestBody().readAllBytes();
    if (!("Bearer " + TOKEN).equals(x.getRequestHeaders().getFirst("Authorization"))) {
      reply(x, 401, "", Map.of("WWW-Authenticate", "Bearer realm=\"http://" + registry + "/token\",service=\"reg\""));
      return;
    }
    requests.add(method + " " + path.replaceAll("[0-9a-f]{64}", "H").replaceAll("uploads/[0-9]+", "uploads/U")
        + (x.getRequestHeaders().containsKey("Content-Range") ? " " + x.getRequestHeaders().getFirst("Content-Range") : ""));
    if (method.equals("HEAD") && path.startsWith("/v2/team/app/blobs/")) {
      reply(x, blobs.containsKey(path.substring(path.lastIndexOf(':') + 1)) ? 200 : 404, "", Map.of());
    } else if (method.equals("POST") && path.equals("/v2/team/app/blobs/uploads/")) {
      String id = String.valueOf(uploads.size() + 1);
      uploads.put(id, new ByteArrayOutputStream());
      reply(x, 202, "", Map.of("Location", "/v2/team/app/blobs/uploads/" + id));
    } else if (method.equals("PATCH") && path.startsWith("/v2/team/app/blobs/uploads/")) {
      ByteArrayOutputStream u = uploads.get(path.substring(path.lastIndexOf('/') + 1));
      u.write(body);
      reply(x, 202, "", Map.of("Location", path, "Range", "0-" + (u.size() - 1)));
    } else if (method.equals("PUT") && path.startsWith("/v2/team/app/blobs/uploads/")) {
      ByteArrayOutputStream u = uploads.get(path.substring(path.lastIndexOf('/') + 1));
      u.write(body);
      String digest = URLDecoder.decode(x.getRequestURI().getRawQuery().substring("digest=".length()), StandardCharsets.UTF_8);
      if (!sha256(u.toByteArray()).equals(digest)) {
        reply(x, 400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"digest did not match\"}]}", Map.of());
        return;
      }
      blobs.put(digest.substring(7), u.toByteArray());
      reply(x, 201, "", Map.of("Docker-Content-Digest", digest));
    } else if (method.equals("PUT") && path.startsWith("/v2/team/app/manifests/")) {
      reply(x, 201, "", Map.of("Docker-Content-Digest", manifestDigestHeader != null ? manifestDigestHeader : sha256(body)));
    } else {
      reply(x, 404, "", Map.of());
    }
  }

  private static void reply(HttpExchange x, int code, String body, Map<String, String> headers) throws IOException {
    headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
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

  private RegistryClient client() throws AppcException {
    return new RegistryClient(new RegistryOptions(false, true, null, Duration.ofSeconds(10), 1, null));
  }

  private Path file(byte[] content) throws IOException {
    Path f = Files.createTempFile(tmp, "blob", "");
    Files.write(f, content);
    return f;
  }

  @Test
  void uploadBlob_atMostTheChunkSize_onePutAndThenHeadFindsIt() throws Exception {
    byte[] content = "small blob".getBytes(StandardCharsets.UTF_8);
    RegistryClient c = client();

    assertThat(c.hasBlob(registry, "team/app", sha256(content))).isFalse();
    c.uploadBlob(registry, "team/app", sha256(content), file(content), 1024);

    assertThat(c.hasBlob(registry, "team/app", sha256(content))).isTrue();
    assertThat(blobs.get(sha256(content).substring(7))).isEqualTo(content);
    assertThat(requests).containsExactly("HEAD /v2/team/app/blobs/sha256:H", "POST /v2/team/app/blobs/uploads/",
        "PUT /v2/team/app/blobs/uploads/U", "HEAD /v2/team/app/blobs/sha256:H");
    assertThat(tokenScopes).containsExactly("service=reg&scope=repository:team/app:pull,push");
  }

  @Test
  void uploadBlob_largerThanTheChunkSize_patchedInRangesThenPut() throws Exception {
    byte[] content = new byte[25];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) i;
    }

    client().uploadBlob(registry, "team/app", sha256(content), file(content), 10);

    assertThat(blobs.get(sha256(content).substring(7))).isEqualTo(content);
    assertThat(requests).containsExactly("POST /v2/team/app/blobs/uploads/", "PATCH /v2/team/app/blobs/uploads/U 0-9",
        "PATCH /v2/team/app/blobs/uploads/U 10-19", "PATCH /v2/team/app/blobs/uploads/U 20-24",
        "PUT /v2/team/app/blobs/uploads/U");
  }

  @Test
  void uploadBlob_fileNotMatchingItsDigest_notCompleted() throws Exception {
    String wrong = "sha256:" + "0".repeat(64);
    Path f = file("other bytes".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> client().uploadBlob(registry, "team/app", wrong, f, 4))
        .isInstanceOf(AppcException.class)
        .hasMessage(registry + "/team/app@" + wrong + ": " + f + " does not match its digest (it hashes to "
            + sha256("other bytes".getBytes(StandardCharsets.UTF_8)) + "; changed while being pushed?); nothing was "
            + "completed");
    assertThat(blobs).isEmpty();
    assertThat(requests).noneMatch(r -> r.startsWith("PUT"));
  }

  @Test
  void putManifest_registryConfirmsTheDigest_digestReturned() throws Exception {
    byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

    String digest = client().putManifest(registry, "team/app", "1.0", "application/vnd.oci.image.manifest.v1+json", manifest);

    assertThat(digest).isEqualTo(sha256(manifest));
  }

  @Test
  void putManifest_registryGivesAnotherDigest_fails() throws Exception {
    manifestDigestHeader = "sha256:" + "f".repeat(64);
    byte[] manifest = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> client().putManifest(registry, "team/app", "1.0", "x", manifest))
        .isInstanceOf(AppcException.class)
        .hasMessage(registry + "/team/app:1.0: the registry stored the manifest as " + manifestDigestHeader
            + ", not as its digest " + sha256(manifest) + " (a registry that rewrites manifests)");
  }

  @Test
  void uploadBlob_withProgress_toldAfterEveryChunk() throws Exception {
    byte[] content = new byte[25];
    List<String> told = new java.util.ArrayList<>();

    client().uploadBlob(registry, "team/app", sha256(content), file(content), 10, (done, total) -> told.add(done + "/" + total));

    assertThat(told).containsExactly("10/25", "20/25", "25/25");
  }

  @Test
  void uploadBlob_oneRequest_toldOnceComplete() throws Exception {
    byte[] content = new byte[25];
    List<String> told = new java.util.ArrayList<>();

    client().uploadBlob(registry, "team/app", sha256(content), file(content), 1024, (done, total) -> told.add(done + "/" + total));

    assertThat(told).containsExactly("25/25");
  }
}
