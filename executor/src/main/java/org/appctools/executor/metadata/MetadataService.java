package org.appctools.executor.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.appctools.schema.PodManifest;
import org.appctools.schema.ManifestJson;
import org.appctools.schema.types.Annotations;

/**
 * The metadata service of running pods (spec/ace.md): one HTTP server on a loopback address, one
 * token per pod. A pod's {@code AC_METADATA_URL} is {@code http://ADDRESS:PORT/TOKEN}, the token
 * 192 bits from {@link SecureRandom}; under it, {@code /acMetadata/v1/} serves
 * <ul>
 *   <li>{@code GET pod/annotations}, {@code pod/manifest} ({@code application/json}) and {@code pod/uuid}
 *       ({@code text/plain; charset=us-ascii});
 *   <li>{@code GET apps/APP/annotations} (the image's merged with the pod's for the app, the pod's
 *       winning), {@code apps/APP/image/manifest} (as stored in the image) and {@code apps/APP/image/id};
 *   <li>as rkt, {@code GET pod/annotations/NAME} and {@code apps/APP/annotations/NAME}: one value as
 *       {@code text/plain; charset=utf-8};
 *   <li>{@code POST pod/hmac/sign} (form field {@code content}): the base64 HMAC-SHA512 of the
 *       content under the pod's own 64-byte random key; {@code POST pod/hmac/verify} (fields
 *       {@code content}, {@code uuid}, {@code signature}): 200 when the signature is that of the
 *       registered pod {@code uuid}, 403 otherwise.
 * </ul>
 * An unknown token, app or path is 404, another method 405, a malformed form 400. Answers are
 * prepared at {@link #register} time; {@link #start} serves a throwaway pod once so that the first
 * real request is answered within milliseconds (clients such as the ACE validator give up after 100 ms).
 */
public final class MetadataService implements AutoCloseable {
  static final String JSON = "application/json";
  static final String ASCII_TEXT = "text/plain; charset=us-ascii";
  static final String UTF8_TEXT = "text/plain; charset=utf-8";
  /** The largest form accepted by the HMAC endpoints. */
  static final int MAX_FORM_BYTES = 1 << 20;
  private static final int THREADS = 8;
  private static final int TOKEN_BYTES = 24;
  private static final int KEY_BYTES = 64;
  private static final String HMAC = "HmacSHA512";
  private static final String PREFIX = "acMetadata/v1/";
  /**
   * The JDK server writes a response's headers and body as two TCP segments. Without
   * {@code TCP_NODELAY} the body waits for the client's delayed ACK of the headers, about 40 ms on
   * every request of a kept-alive connection after the first (Go's and curl's clients reuse
   * connections). The server reads this property once, when the JVM's first server is made.
   */
  static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final ExecutorService threads;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Pod> byToken = new ConcurrentHashMap<>();
  private final Map<UUID, Pod> byUuid = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetadataService(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Listens on {@code bind} (port 0: any free port) and returns once the server has served a
   * throwaway pod on every kind of endpoint, so that a pod's first request is answered within
   * milliseconds. In a cold JVM this takes a few hundred milliseconds, mostly loading the JDK's
   * HTTP server: an executor can call it on another thread while it sets the pod up. Sets the
   * system property {@value #NO_DELAY} to {@code true} unless it is set: the first HTTP server of
   * the JVM must be this one (or the property set before) for requests on a kept-alive connection
   * to be as quick as the first.
   *
   * @throws IllegalArgumentException for an unresolved or wildcard address (pods need one address to reach)
   * @throws IOException when the address cannot be bound
   */
  public static MetadataService start(InetSocketAddress bind) throws IOException {
    Objects.requireNonNull(bind, "bind");
    if (bind.isUnresolved() || bind.getAddress().isAnyLocalAddress()) {
      throw new IllegalArgumentException("metadata service: cannot serve pods at " + bind
          + "; bind one resolved address such as 127.0.0.1");
    }
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
    HttpServer server = HttpServer.create(bind, 64);
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor threads = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "metadata-service-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    threads.prestartAllCoreThreads();
    server.setExecutor(threads);
    MetadataService service = new MetadataService(server, threads);
    server.createContext("/", service::handle);
    server.start();
    try {
      service.warmUp();
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * Serves {@code pod} and returns its {@code AC_METADATA_URL}. The pod gets a fresh token and
   * HMAC key.
   *
   * @throws IllegalArgumentException when a pod with the same UUID is registered
   * @throws IllegalStateException after {@link #close}
   */
  public URI register(PodRegistration pod) {
    Objects.requireNonNull(pod, "pod");
    if (closed.get()) {
      throw new IllegalStateException("register pod " + pod.uuid() + ": the metadata service is closed; start a new one");
    }
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(TOKEN_BYTES));
    Pod p = Pod.of(pod, token, randomBytes(KEY_BYTES));
    if (byUuid.putIfAbsent(pod.uuid(), p) != null) {
      throw new IllegalArgumentException("register pod " + pod.uuid() + ": a pod with this UUID is already registered"
          + " (pod UUIDs must be unique)");
    }
    byToken.put(token, p);
    return URI.create("http://" + host() + ":" + address().getPort() + "/" + token);
  }

  /**
   * Stops serving the pod: its token answers 404 and its signatures no longer verify. Does nothing
   * for a pod that is not registered.
   */
  public void unregister(UUID pod) {
    Pod p = byUuid.remove(pod);
    if (p != null) {
      byToken.remove(p.token());
    }
  }

  /** The address the server listens on, with the actual port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops the server at once, dropping every registration. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      threads.shutdownNow();
      byToken.clear();
      byUuid.clear();
    }
  }

  private String host() {
    String host = address().getAddress().getHostAddress();
    return address().getAddress() instanceof Inet6Address ? "[" + host + "]" : host;
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** One registered pod with every answer prepared. */
  private record Pod(UUID uuid, String token, byte[] key, byte[] manifestJson, byte[] annotationsJson,
      Annotations annotations, Map<String, App> apps) {
    static Pod of(PodRegistration pod, String token, byte[] key) {
      Map<String, App> apps = new HashMap<>();
      pod.apps().forEach((name, info) -> {
        Annotations merged = info.mergedAnnotations();
        apps.put(name, new App(info.imageManifestBytes().clone(), ascii(info.imageId().value()), json(merged), merged));
      });
      return new Pod(pod.uuid(), token, key, pod.podManifest().toJson(), json(pod.podAnnotations()),
          pod.podAnnotations(), Map.copyOf(apps));
    }
  }

  /** One app of a registered pod. */
  private record App(byte[] imageManifest, byte[] imageId, byte[] annotationsJson, Annotations annotations) {}

  /** An answer. {@code allow} is the method a 405 names, else null. */
  private record Response(int status, String contentType, byte[] body, String allow) {
    static Response ok(String contentType, byte[] body) {
      return new Response(200, contentType, body, null);
    }

    static Response error(int status, String message) {
      return new Response(status, ASCII_TEXT, ascii(message + "\n"), null);
    }
  }

  /** The endpoints, with the method each takes. */
  private enum Endpoint {
    POD_ANNOTATIONS("GET"), POD_ANNOTATION("GET"), POD_MANIFEST("GET"), POD_UUID("GET"),
    HMAC_SIGN("POST"), HMAC_VERIFY("POST"),
    APP_ANNOTATIONS("GET"), APP_ANNOTATION("GET"), IMAGE_MANIFEST("GET"), IMAGE_ID("GET");

    final String method;

    Endpoint(String method) {
      this.method = method;
    }
  }

  /** A request path taken apart: {@code app} and {@code name} are null where the endpoint has none. */
  private record Route(String token, Endpoint endpoint, String app, String name) {
    /** The route of {@code /TOKEN/acMetadata/v1/...}, or null. */
    static Route of(String rawPath) {
      int slash = rawPath.indexOf('/', 1);
      if (!rawPath.startsWith("/") || slash < 0 || !rawPath.startsWith(PREFIX, slash + 1)) {
        return null;
      }
      String token = rawPath.substring(1, slash);
      String rest = rawPath.substring(slash + 1 + PREFIX.length());
      Endpoint pod = switch (rest) {
        case "pod/annotations" -> Endpoint.POD_ANNOTATIONS;
        case "pod/manifest" -> Endpoint.POD_MANIFEST;
        case "pod/uuid" -> Endpoint.POD_UUID;
        case "pod/hmac/sign" -> Endpoint.HMAC_SIGN;
        case "pod/hmac/verify" -> Endpoint.HMAC_VERIFY;
        default -> null;
      };
      if (pod != null) {
        return new Route(token, pod, null, null);
      }
      if (rest.startsWith("pod/annotations/") && rest.length() > "pod/annotations/".length()) {
        return new Route(token, Endpoint.POD_ANNOTATION, null, rest.substring("pod/annotations/".length()));
      }
      int appEnd = rest.indexOf('/', "apps/".length());
      if (!rest.startsWith("apps/") || appEnd <= "apps/".length()) {
        return null;
      }
      String app = rest.substring("apps/".length(), appEnd);
      String tail = rest.substring(appEnd + 1);
      Endpoint endpoint = switch (tail) {
        case "annotations" -> Endpoint.APP_ANNOTATIONS;
        case "image/manifest" -> Endpoint.IMAGE_MANIFEST;
        case "image/id" -> Endpoint.IMAGE_ID;
        default -> null;
      };
      if (endpoint != null) {
        return new Route(token, endpoint, app, null);
      }
      if (tail.startsWith("annotations/") && tail.length() > "annotations/".length()) {
        return new Route(token, Endpoint.APP_ANNOTATION, app, tail.substring("annotations/".length()));
      }
      return null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = respond(exchange);
      } catch (RuntimeException e) {
        response = Response.error(500, "metadata service: internal error");
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      if (response.allow() != null) {
        exchange.getResponseHeaders().set("Allow", response.allow());
      }
      byte[] body = exchange.getRequestMethod().equals("HEAD") ? new byte[0] : response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private Response respond(HttpExchange exchange) throws IOException {
    Route route = Route.of(exchange.getRequestURI().getRawPath());
    if (route == null) {
      return Response.error(404, "metadata service: no such endpoint");
    }
    String method = route.endpoint().method;
    if (!exchange.getRequestMethod().equals(method)) {
      return new Response(405, ASCII_TEXT, ascii("metadata service: use " + method + "\n"), method);
    }
    Pod pod = byToken.get(route.token());
    if (pod == null) {
      return Response.error(404, "metadata service: unknown pod token (use the pod's AC_METADATA_URL)");
    }
    if (route.app() == null) {
      return switch (route.endpoint()) {
        case POD_ANNOTATIONS -> Response.ok(JSON, pod.annotationsJson());
        case POD_ANNOTATION -> annotation(pod.annotations(), route.name(), "the pod");
        case POD_MANIFEST -> Response.ok(JSON, pod.manifestJson());
        case POD_UUID -> Response.ok(ASCII_TEXT, ascii(pod.uuid().toString()));
        case HMAC_SIGN -> sign(pod, exchange);
        case HMAC_VERIFY -> verify(exchange);
        default -> throw new IllegalStateException("app endpoint without an app: " + route.endpoint());
      };
    }
    App app = pod.apps().get(route.app());
    if (app == null) {
      return Response.error(404, "metadata service: no app \"" + printable(route.app()) + "\" in this pod");
    }
    return switch (route.endpoint()) {
      case APP_ANNOTATIONS -> Response.ok(JSON, app.annotationsJson());
      case APP_ANNOTATION -> annotation(app.annotations(), route.name(), "app \"" + route.app() + "\"");
      case IMAGE_MANIFEST -> Response.ok(JSON, app.imageManifest());
      case IMAGE_ID -> Response.ok(ASCII_TEXT, app.imageId());
      default -> throw new IllegalStateException("pod endpoint with an app: " + route.endpoint());
    };
  }

  private static Response annotation(Annotations annotations, String name, String owner) {
    return annotations.get(name)
        .map(v -> Response.ok(UTF8_TEXT, v.getBytes(StandardCharsets.UTF_8)))
        .orElseGet(() -> Response.error(404, "metadata service: " + owner + " has no annotation \"" + printable(name) + "\""));
  }

  private Response sign(Pod pod, HttpExchange exchange) throws IOException {
    Form form;
    try {
      form = form(exchange);
    } catch (Form.MalformedFormException e) {
      return Response.error(400, "metadata service: " + e.getMessage());
    } catch (FormTooLargeException e) {
      return Response.error(413, e.getMessage());
    }
    byte[] content = form.value("content");
    if (content == null || content.length == 0) {
      return Response.error(400, "metadata service: the form has no content field to sign");
    }
    return Response.ok(ASCII_TEXT, ascii(Base64.getEncoder().encodeToString(hmac(pod.key(), content))));
  }

  private Response verify(HttpExchange exchange) throws IOException {
    Form form;
    try {
      form = form(exchange);
    } catch (Form.MalformedFormException e) {
      return Response.error(400, "metadata service: " + e.getMessage());
    } catch (FormTooLargeException e) {
      return Response.error(413, e.getMessage());
    }
    UUID uuid = uuid(form.value("uuid"));
    if (uuid == null) {
      return Response.error(400, "metadata service: the form's uuid field is missing or not a UUID");
    }
    byte[] content = form.value("content");
    if (content == null || content.length == 0) {
      return Response.error(400, "metadata service: the form has no content field to verify");
    }
    byte[] signature;
    try {
      byte[] field = form.value("signature");
      signature = field == null ? null : Base64.getDecoder().decode(field);
    } catch (IllegalArgumentException e) {
      signature = null;
    }
    if (signature == null) {
      return Response.error(400, "metadata service: the form's signature field is missing or not base64");
    }
    Pod signer = byUuid.get(uuid);
    boolean valid = signer != null && MessageDigest.isEqual(signature, hmac(signer.key(), content));
    return new Response(valid ? 200 : 403, ASCII_TEXT, new byte[0], null);
  }

  /** A form body over {@link #MAX_FORM_BYTES}. */
  private static final class FormTooLargeException extends Exception {
    FormTooLargeException() {
      super("metadata service: the form is larger than " + MAX_FORM_BYTES + " bytes");
    }
  }

  private static Form form(HttpExchange exchange) throws IOException, Form.MalformedFormException, FormTooLargeException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      throw new FormTooLargeException();
    }
    return Form.parse(exchange.getRequestHeaders().getFirst("Content-Type"), body, exchange.getRequestURI().getRawQuery());
  }

  /** A UUID as Go's {@code types.NewUUID} reads it: 32 hex digits once every {@code -} is removed; else null. */
  private static UUID uuid(byte[] field) {
    if (field == null) {
      return null;
    }
    String hex = new String(field, StandardCharsets.ISO_8859_1).replace("-", "");
    if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return null;
    }
    return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
  }

  private static byte[] hmac(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(content);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no " + HMAC, e);
    }
  }

  private static byte[] json(Annotations annotations) {
    try {
      return ManifestJson.mapper().writeValueAsBytes(annotations);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("annotations cannot be written as JSON", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code s} cut to 100 characters of printable ASCII, to echo a request's value in a message. */
  private static String printable(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * Serves a throwaway pod with no apps once on every kind of endpoint, over one kept-alive
   * connection as clients such as curl and Go's net/http use it, so that the server's and the
   * handlers' classes are loaded and the HMAC provider initialised before a pod's first request.
   */
  private void warmUp() throws IOException {
    UUID uuid = UUID.randomUUID();
    String base = register(new PodRegistration(uuid, PodManifest.empty(), Map.of(), Annotations.of())).getPath()
        + "/" + PREFIX;
    try (Socket socket = new Socket(address().getAddress(), address().getPort())) {
      socket.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      String signature = warmUpRequest(in, out, "POST", base + "pod/hmac/sign", "content=warm-up");
      for (String path : List.of(base + "pod/manifest", base + "pod/annotations", base + "pod/uuid", base + "apps/a/image/id")) {
        warmUpRequest(in, out, "GET", path, null);
      }
      warmUpRequest(in, out, "POST", base + "pod/hmac/verify", "content=warm-up&uuid=" + uuid + "&signature="
          + URLEncoder.encode(signature, StandardCharsets.US_ASCII));
    } finally {
      unregister(uuid);
    }
  }

  /** Sends one request on a kept-alive connection and returns the body of the answer. */
  private String warmUpRequest(InputStream in, OutputStream out, String method, String path, String form)
      throws IOException {
    String body = form == null ? "" : form;
    out.write(ascii(method + " " + path + " HTTP/1.1\r\nHost: " + host() + "\r\n"
        + (form == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\n")
        + "Content-Length: " + body.length() + "\r\n\r\n" + body));
    out.flush();
    int length = 0;
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      if (line.regionMatches(true, 0, "Content-Length:", 0, "Content-Length:".length())) {
        length = Integer.parseInt(line.substring("Content-Length:".length()).trim());
      }
    }
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("metadata service: the warm-up connection closed early");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
