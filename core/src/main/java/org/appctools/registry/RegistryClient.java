package org.appctools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.hash.Hashes;

/**
 * Pulls manifests and blobs from Docker registries (HTTP API v2).
 *
 * <p>Requests go to {@code https://REGISTRY/v2/...}; with {@link RegistryOptions#insecureAllowHttp()}
 * they go over plain HTTP first (as the Go tool's do), and again over TLS if the port closes on a
 * plain request; plain HTTP is never used without it. A 401
 * answer is met as its {@code WWW-Authenticate} challenge says: {@code Bearer} asks the token
 * service ({@code realm}, {@code service}, {@code scope}, the scope {@code repository:NAME:pull}
 * when the challenge has none) for a token, with the user's credentials when {@link Credentials}
 * has some; {@code Basic} sends the credentials. Tokens are kept per registry and repository.
 * Redirects (blob storage) are followed without the registry's credentials. Every manifest and
 * blob is checked against its digest; downloads go to files, several at once.
 */
public final class RegistryClient {
  /** A manifest or index as the registry sent it. */
  public record Manifest(String mediaType, byte[] bytes, String digest) {}

  /** A blob to download: digest, size (-1 if unknown) and the file to write. */
  public record Download(String digest, long size, Path file) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REDIRECTS = 5;

  private final RegistryOptions options;
  private final Credentials credentials;
  private final HttpClient http;
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();
  private final Map<String, String> schemes = new ConcurrentHashMap<>();

  public RegistryClient(RegistryOptions options) throws AppcException {
    this.options = options;
    this.credentials = new Credentials(options.dockerConfigDir());
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(options.timeout())
        .followRedirects(HttpClient.Redirect.NEVER);
    if (options.insecureSkipVerify()) {
      b.sslContext(trustingEverything());
    }
    this.http = b.build();
  }

  /**
   * The manifest (or index) {@code reference} (a tag or a digest) of {@code repository}, asking
   * for {@code accept} media types. Its digest is checked: against the reference when that is a
   * digest, else against what the registry says in {@code Docker-Content-Digest}.
   */
  public Manifest manifest(String registry, String repository, String reference,
      List<String> accept, int maxBytes) throws AppcException {
    String what = registry + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
    HttpResponse<InputStream> r = get(registry, repository, "/manifests/" + reference, accept, what);
    byte[] body;
    try (InputStream in = r.body()) {
      body = readAtMost(in, maxBytes, what + ": manifest");
    } catch (IOException e) {
      throw new AppcException(what + ": reading the manifest: " + e.getMessage(), e);
    }
    String type = r.headers().firstValue("Content-Type").orElse("");
    int semi = type.indexOf(';');
    type = (semi < 0 ? type : type.substring(0, semi)).trim();
    String digest = reference.contains(":") ? reference
        : r.headers().firstValue("Docker-Content-Digest").orElse("");
    String actual = digestOf(body, digest.startsWith("sha512:") ? "SHA-512" : "SHA-256");
    if (!digest.isEmpty() && !digest.equals(actual)) {
      throw new AppcException(what + ": the manifest does not match its digest: expected "
          + digest + ", got " + actual + " (corrupt or tampered; pull it again)");
    }
    return new Manifest(type, body, actual);
  }

  /** A small blob (a config) read whole and checked against {@code digest}. */
  public byte[] blob(String registry, String repository, String digest, int maxBytes)
      throws AppcException {
    String what = registry + "/" + repository + "@" + digest;
    HttpResponse<InputStream> r = get(registry, repository, "/blobs/" + digest, List.of(), what);
    byte[] body;
    try (InputStream in = r.body()) {
      body = readAtMost(in, maxBytes, what);
    } catch (IOException e) {
      throw new AppcException(what + ": " + e.getMessage(), e);
    }
    String actual = digestOf(body, digest.startsWith("sha512:") ? "SHA-512" : "SHA-256");
    if (!actual.equals(digest)) {
      throw new AppcException(what + ": blob does not match its digest (got " + actual
          + "; corrupt or tampered, pull it again)");
    }
    return body;
  }

  /**
   * Downloads blobs of {@code repository} to their files, {@link RegistryOptions#parallelDownloads()}
   * at a time, each checked against its digest and size; a failure deletes the files.
   */
  public void download(String registry, String repository, List<Download> blobs)
      throws AppcException {
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(options.parallelDownloads(), Math.max(1, blobs.size())), r -> {
          Thread t = new Thread(r, "registry-download");
          t.setDaemon(true);
          return t;
        });
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (Download d : blobs) {
        futures.add(pool.submit(() -> {
          downloadOne(registry, repository, d);
          return null;
        }));
      }
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(x -> x.cancel(true));
          for (Download d : blobs) {
            Files.deleteIfExists(d.file());
          }
          Throwable c = e.getCause();
          if (c instanceof AppcException ae) {
            throw ae;
          }
          throw new AppcException(registry + "/" + repository + ": downloading: " + c, c);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("interrupted while downloading from " + registry);
    } catch (IOException e) {
      throw new AppcException("cleaning up after a failed download: " + e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void downloadOne(String registry, String repository, Download d) throws AppcException {
    String what = registry + "/" + repository + "@" + d.digest();
    HttpResponse<InputStream> r = get(registry, repository, "/blobs/" + d.digest(), List.of(), what);
    MessageDigest md = newDigest(d.digest());
    options.progress().started(d.digest(), d.size());
    long done = 0;
    try (InputStream in = r.body();
        OutputStream out = Files.newOutputStream(d.file(), StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buf = new byte[256 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
        out.write(buf, 0, n);
        done += n;
        if (d.size() >= 0 && done > d.size()) {
          throw new AppcException(what + ": the registry sent more than the " + d.size()
              + " bytes the manifest gives");
        }
        options.progress().advanced(d.digest(), done);
      }
    } catch (IOException e) {
      throw new AppcException(what + ": download failed after " + done + " bytes: "
          + e.getMessage(), e);
    }
    String actual = (d.digest().startsWith("sha512:") ? "sha512:" : "sha256:")
        + HexFormat.of().formatHex(md.digest());
    if (!actual.equals(d.digest()) || (d.size() >= 0 && done != d.size())) {
      throw new AppcException(what + ": the downloaded blob does not match its digest or size "
          + "(got " + actual + ", " + done + " bytes; corrupt or tampered, pull it again)");
    }
    options.progress().finished(d.digest());
  }

  // ---------------------------------------------------------------- push

  /**
   * Whether {@code repository} has the blob {@code digest} (a {@code HEAD}, after
   * authentication): what a push skips.
   */
  public boolean hasBlob(String registry, String repository, String digest) throws AppcException {
    String what = registry + "/" + repository + "@" + digest;
    HttpResponse<InputStream> r = exchange(registry, repository, "HEAD",
        uri(registry, "/v2/" + repository + "/blobs/" + digest), Map.of(), null, what);
    discard(r); // a HEAD answer has no body
    if (r.statusCode() == 200 || isRedirect(r.statusCode())) {
      return true;
    }
    if (r.statusCode() == 404) {
      return false;
    }
    throw failure(what + ": asking whether the registry has the blob", r);
  }

  /**
   * Uploads {@code file}, which must hash to {@code digest}, as a blob of {@code repository}:
   * in one {@code PUT} when it is at most {@code chunkSize} bytes, else in {@code PATCH} chunks
   * of {@code chunkSize} bytes closed by a {@code PUT} with the digest. The file is hashed as it
   * is read and the upload is not completed if it does not match; the registry's {@code
   * Docker-Content-Digest} must be the digest too.
   */
  public void uploadBlob(String registry, String repository, String digest, Path file,
      long chunkSize) throws AppcException {
    uploadBlob(registry, repository, digest, file, chunkSize, ProgressListener.NONE);
  }

  /**
   * {@link #uploadBlob(String, String, String, Path, long)}, telling {@code progress} the bytes
   * the registry has accepted after each chunk (and after the one {@code PUT} of a small blob).
   */
  public void uploadBlob(String registry, String repository, String digest, Path file,
      long chunkSize, ProgressListener progress) throws AppcException {
    String what = registry + "/" + repository + "@" + digest;
    MessageDigest md = newDigest(digest);
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new AppcException(what + ": cannot read " + file + ": " + e.getMessage(), e);
    }
    HttpResponse<InputStream> started = exchange(registry, repository, "POST",
        uri(registry, "/v2/" + repository + "/blobs/uploads/"), Map.of(),
        HttpRequest.BodyPublishers::noBody, what);
    if (started.statusCode() != 202) {
      throw failure(what + ": starting the upload", started);
    }
    discard(started);
    URI location = location(started, what);
    try {
      if (chunkSize <= 0 || size <= chunkSize) {
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buf = new byte[256 * 1024];
          for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            md.update(buf, 0, n);
          }
        }
        checkDigest(what, file, md, digest);
        complete(registry, repository, location, digest, () -> {
          try {
            return HttpRequest.BodyPublishers.ofFile(file);
          } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }, what);
        progress.progress(size, size);
        return;
      }
      try (InputStream in = Files.newInputStream(file)) {
        long offset = 0;
        while (offset < size) {
          byte[] chunk = in.readNBytes((int) Math.min(chunkSize, size - offset));
          if (chunk.length == 0) {
            throw new AppcException(what + ": " + file + " ended at " + offset + " of " + size
                + " bytes (changed while being pushed?)");
          }
          md.update(chunk);
          String range = offset + "-" + (offset + chunk.length - 1);
          HttpResponse<InputStream> r = exchange(registry, repository, "PATCH", location,
              Map.of("Content-Type", "application/octet-stream", "Content-Range", range),
              () -> HttpRequest.BodyPublishers.ofByteArray(chunk), what);
          if (r.statusCode() != 202) {
            throw failure(what + ": uploading bytes " + range, r);
          }
          discard(r);
          location = location(r, what);
          offset += chunk.length;
          progress.progress(offset, size);
        }
      }
      checkDigest(what, file, md, digest);
      complete(registry, repository, location, digest, HttpRequest.BodyPublishers::noBody, what);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new AppcException(what + ": reading " + file + ": " + e.getMessage(), e);
    }
  }

  private void complete(String registry, String repository, URI location, String digest,
      java.util.function.Supplier<HttpRequest.BodyPublisher> body, String what)
      throws AppcException {
    String q = "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8);
    URI put = URI.create(location + (location.getRawQuery() == null ? "?" : "&") + q);
    HttpResponse<InputStream> r = exchange(registry, repository, "PUT", put,
        Map.of("Content-Type", "application/octet-stream"), body, what);
    if (r.statusCode() != 201) {
      throw failure(what + ": completing the upload", r);
    }
    discard(r);
    String given = r.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!given.equals(digest)) {
      throw new AppcException(what + ": the registry stored the blob as " + given
          + ", not as its digest (a broken registry or proxy)");
    }
  }

  private static void checkDigest(String what, Path file, MessageDigest md, String digest)
      throws AppcException {
    String actual = (digest.startsWith("sha512:") ? "sha512:" : "sha256:")
        + HexFormat.of().formatHex(md.digest());
    if (!actual.equals(digest)) {
      throw new AppcException(what + ": " + file + " does not match its digest (it hashes to "
          + actual + "; changed while being pushed?); nothing was completed");
    }
  }

  /**
   * Puts {@code manifest} (of {@code mediaType}) as {@code reference} (a tag) of {@code
   * repository}; returns its digest, which the registry's {@code Docker-Content-Digest} must
   * confirm.
   */
  public String putManifest(String registry, String repository, String reference,
      String mediaType, byte[] manifest) throws AppcException {
    String what = registry + "/" + repository + ":" + reference;
    String digest = digestOf(manifest, "SHA-256");
    HttpResponse<InputStream> r = exchange(registry, repository, "PUT",
        uri(registry, "/v2/" + repository + "/manifests/" + reference),
        Map.of("Content-Type", mediaType), () -> HttpRequest.BodyPublishers.ofByteArray(manifest),
        what);
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw failure(what + ": putting the manifest", r);
    }
    discard(r);
    String given = r.headers().firstValue("Docker-Content-Digest").orElse(digest);
    if (!given.equals(digest)) {
      throw new AppcException(what + ": the registry stored the manifest as " + given
          + ", not as its digest " + digest + " (a registry that rewrites manifests)");
    }
    return digest;
  }

  /**
   * A request to the registry with its credentials (a 401 is answered once as its challenge
   * says, asking a token service for {@code pull,push}); the answer whatever its status.
   * Credentials go only to the registry's own host.
   */
  private HttpResponse<InputStream> exchange(String registry, String repository, String method,
      URI uri, Map<String, String> headers,
      java.util.function.Supplier<HttpRequest.BodyPublisher> body, String what)
      throws AppcException {
    String key = registry + "/" + repository;
    boolean ownHost = uri.getRawAuthority() != null && uri.getRawAuthority().equals(registry);
    HttpResponse<InputStream> r = send(method, uri, headers, body,
        ownHost ? authorizations.get(key) : null, what);
    if (r.statusCode() == 401 && ownHost) {
      String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
      discard(r);
      authorizations.put(key, authenticate(registry, repository, challenge, "pull,push", what));
      r = send(method, r.request().uri(), headers, body, authorizations.get(key), what);
    }
    return r;
  }

  private static URI location(HttpResponse<InputStream> r, String what) throws AppcException {
    String location = r.headers().firstValue("Location").orElse(null);
    if (location == null) {
      throw new AppcException(what + ": the registry's upload answer has no Location");
    }
    return r.request().uri().resolve(location);
  }

  private static AppcException failure(String what, HttpResponse<InputStream> r) {
    String body = r.request().method().equals("HEAD") ? "" : errorBody(r);
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      return new AppcException(what + ": " + (r.statusCode() == 401 ? "unauthorized (401)"
          : "forbidden (403)") + body + "; check the login for the registry in "
          + "~/.docker/config.json (docker login), and that it may push");
    }
    return new AppcException(what + ": the registry answered " + r.statusCode() + body);
  }

  /** A GET answered 200, after authentication and redirects; other answers are errors. */
  private HttpResponse<InputStream> get(String registry, String repository, String path,
      List<String> accept, String what) throws AppcException {
    String key = registry + "/" + repository;
    boolean retried = false;
    while (true) {
      URI uri = uri(registry, "/v2/" + repository + path);
      HttpResponse<InputStream> r = send(uri, accept, authorizations.get(key), what);
      uri = r.request().uri();
      if (r.statusCode() == 401 && !retried) {
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        discard(r);
        authorizations.put(key, authenticate(registry, repository, challenge, "pull", what));
        retried = true;
        continue;
      }
      for (int hops = 0; isRedirect(r.statusCode()) && hops < MAX_REDIRECTS; hops++) {
        String location = r.headers().firstValue("Location").orElse(null);
        discard(r);
        if (location == null) {
          throw new AppcException(what + ": redirect without a Location");
        }
        URI next = uri.resolve(location);
        if (next.getScheme().equals("http") && !options.insecureAllowHttp()) {
          throw new AppcException(what + ": the registry redirects to plain HTTP (" + next
              + "); pass --insecure-allow-http to allow it");
        }
        String auth = next.getHost() != null && next.getHost().equals(uri.getHost())
            && next.getPort() == uri.getPort() ? authorizations.get(key) : null;
        r = send(next, accept, auth, what);
        uri = r.request().uri();
      }
      if (r.statusCode() == 200) {
        return r;
      }
      String body = errorBody(r);
      if (r.statusCode() == 401) {
        throw new AppcException(what + ": unauthorized (401) even with credentials" + body
            + "; check the login for " + registry + " in ~/.docker/config.json");
      }
      if (r.statusCode() == 404) {
        throw new AppcException(what + ": not found (404)" + body);
      }
      throw new AppcException(what + ": the registry answered " + r.statusCode() + body);
    }
  }

  private HttpResponse<InputStream> send(URI uri, List<String> accept, String authorization,
      String what) throws AppcException {
    Map<String, String> headers = accept.isEmpty() ? Map.of()
        : Map.of("Accept", String.join(", ", accept));
    return send("GET", uri, headers, null, authorization, what);
  }

  /**
   * One request: {@code body} (null for none) makes the request body anew for each try. Plain
   * HTTP that the port closes on is tried again over TLS.
   */
  private HttpResponse<InputStream> send(String method, URI uri, Map<String, String> headers,
      java.util.function.Supplier<HttpRequest.BodyPublisher> body, String authorization,
      String what) throws AppcException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.timeout())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.get());
    if (!method.equals("GET")) {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    headers.forEach(b::header);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new AppcException(what + ": connecting to " + uri.getAuthority() + " timed out after "
          + options.timeout().toSeconds() + " s" + (uri.getScheme().equals("https")
              ? " (a registry without TLS needs --insecure-allow-http)" : ""));
    } catch (HttpTimeoutException e) {
      throw new AppcException(what + ": " + uri.getAuthority() + " did not answer within "
          + options.timeout().toSeconds() + " s");
    } catch (ConnectException e) {
      throw new AppcException(what + ": cannot connect to " + uri.getAuthority() + " ("
          + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")");
    } catch (SSLException e) {
      throw new AppcException(what + ": TLS with " + uri.getAuthority() + " failed: "
          + e.getMessage() + " (a registry without TLS needs --insecure-allow-http; a "
          + "certificate the system does not trust needs --insecure-skip-verify)");
    } catch (IOException e) {
      if (uri.getScheme().equals("http") && schemes.putIfAbsent(uri.getAuthority(), "https") == null) {
        // plain HTTP allowed, but this port speaks TLS: it closed on the plain request
        return send(method, URI.create("https" + uri.toString().substring("http".length())),
            headers, body, authorization, what);
      }
      throw new AppcException(what + ": " + uri.getAuthority() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException(what + ": interrupted");
    }
  }

  /** The Authorization header value that answers {@code header}'s challenge. */
  private String authenticate(String registry, String repository, String header, String actions,
      String what) throws AppcException {
    List<Challenge> challenges = Challenge.parse(header);
    Optional<Credentials.Login> login = credentials.find(registry);
    for (Challenge c : challenges) {
      if (c.scheme().equals("bearer")) {
        return "Bearer " + token(registry, repository, c, login, actions, what);
      }
    }
    for (Challenge c : challenges) {
      if (c.scheme().equals("basic")) {
        if (login.isEmpty()) {
          throw new AppcException(what + ": the registry asks for a login (Basic auth) and "
              + "there is none for " + registry + " in the Docker config (docker login " + registry
              + ", or an auths entry in ~/.docker/config.json)");
        }
        return basic(login.get());
      }
    }
    throw new AppcException(what + ": unauthorized (401) with "
        + (header.isEmpty() ? "no WWW-Authenticate challenge" : "an unsupported challenge: " + header));
  }

  private String token(String registry, String repository, Challenge c,
      Optional<Credentials.Login> login, String actions, String what) throws AppcException {
    String realm = c.params().get("realm");
    if (realm == null || realm.isEmpty()) {
      throw new AppcException(what + ": the Bearer challenge has no realm");
    }
    String scope = c.params().getOrDefault("scope", "repository:" + repository + ":" + actions);
    StringBuilder q = new StringBuilder();
    if (c.params().containsKey("service")) {
      q.append("service=").append(URLEncoder.encode(c.params().get("service"), StandardCharsets.UTF_8));
    }
    for (String s : scope.split(" ")) {
      if (!s.isEmpty()) {
        q.append(q.length() == 0 ? "" : "&").append("scope=")
            .append(URLEncoder.encode(s, StandardCharsets.UTF_8));
      }
    }
    URI uri;
    try {
      uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + q);
    } catch (IllegalArgumentException e) {
      throw new AppcException(what + ": the token service \"" + realm + "\" is not a URL");
    }
    if (!"https".equals(uri.getScheme()) && !options.insecureAllowHttp()) {
      throw new AppcException(what + ": the token service " + realm + " is plain HTTP; pass "
          + "--insecure-allow-http to allow it");
    }
    HttpResponse<InputStream> r = send(uri, List.of(), login.map(RegistryClient::basic).orElse(null), what);
    if (r.statusCode() != 200) {
      String body = errorBody(r);
      throw new AppcException(what + ": the token service " + uri.getAuthority() + " answered "
          + r.statusCode() + body + (login.isPresent() ? " (are the credentials for " + registry
              + " right?)" : " (does the image need a login? docker login " + registry + ")"));
    }
    try (InputStream in = r.body()) {
      JsonNode j = JSON.readTree(readAtMost(in, 1 << 20, "token"));
      String token = j.path("token").asText("");
      if (token.isEmpty()) {
        token = j.path("access_token").asText("");
      }
      if (token.isEmpty()) {
        throw new AppcException(what + ": the token service's answer has no token");
      }
      return token;
    } catch (IOException e) {
      throw new AppcException(what + ": reading the token: " + e.getMessage(), e);
    }
  }

  /**
   * The URL of a registry path: plain HTTP first when it is allowed (as the Go tool does), since a
   * TLS handshake with a server that does not speak TLS may only end at the timeout.
   */
  private URI uri(String registry, String path) {
    String scheme = schemes.getOrDefault(registry, options.insecureAllowHttp() ? "http" : "https");
    return URI.create(scheme + "://" + registry + path);
  }

  private static String basic(Credentials.Login l) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (l.username() + ":" + l.password()).getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isRedirect(int code) {
    return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
  }

  private static void discard(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // the answer is not needed
    }
  }

  /** The registry's error text (its JSON errors, or the start of the body), for messages. */
  private static String errorBody(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      String text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
      if (text.isEmpty()) {
        return "";
      }
      try {
        JsonNode errors = JSON.readTree(text).path("errors");
        if (errors.isArray() && errors.size() > 0) {
          List<String> parts = new ArrayList<>();
          errors.forEach(e -> parts.add(e.path("code").asText("") + ": " + e.path("message").asText("")));
          return " (" + String.join("; ", parts) + ")";
        }
      } catch (IOException notJson) {
        // fall through to the text
      }
      return " (" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static byte[] readAtMost(InputStream in, int max, String what) throws IOException {
    byte[] b = in.readNBytes(max + 1);
    if (b.length > max) {
      throw new IOException(what + " is larger than " + max + " bytes");
    }
    return b;
  }

  private static MessageDigest newDigest(String digest) throws AppcException {
    if (!digest.matches("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}")) {
      throw new AppcException("unsupported or malformed digest \"" + digest + "\"");
    }
    return digest.startsWith("sha512:") ? Hashes.sha512() : Hashes.sha256();
  }

  private static String digestOf(byte[] bytes, String algorithm) {
    try {
      return algorithm.toLowerCase(Locale.ROOT).replace("-", "") + ":"
          + HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SSLContext trustingEverything() throws AppcException {
    TrustManager all = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

      @Override
      public void checkClientTrusted(X509Certificate[] c, String a) {}

      @Override
      public void checkServerTrusted(X509Certificate[] c, String a) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {all}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new AppcException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
