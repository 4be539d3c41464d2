package org.appctools.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP or HTTPS server on 127.0.0.1 (the JDK's {@code com.sun.net.httpserver}) for the
 * tests of {@code http} and {@code discovery}: exact paths answer with what a test registers,
 * everything else is 404, and every request is logged. The HTTPS certificate is self-signed for
 * 127.0.0.1 and localhost, made once per JVM by the JDK's keytool; {@link #caFile()} is its PEM.
 */
public final class TestServer implements AutoCloseable {
  /** What a handler sees. */
  public record Request(String path, String query, Map<String, List<String>> headers) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** What a handler answers. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    public static Reply ok(String body) {
      return new Reply(200, Map.of("Content-Type", "text/html"), body.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of(), new byte[0]);
    }

    public static Reply redirect(int status, String location) {
      return new Reply(status, Map.of("Location", location), new byte[0]);
    }
  }

  /** Answers a request. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request);
  }

  private static Path tlsDir;

  private final HttpServer server;
  private final boolean https;
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private TestServer(boolean https) throws Exception {
    this.https = https;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (https) {
      HttpsServer s = HttpsServer.create(address, 0);
      s.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
      server = s;
    } else {
      server = HttpServer.create(address, 0);
    }
    server.createContext("/", this::serve);
    server.start();
  }

  public static TestServer https() throws Exception {
    return new TestServer(true);
  }

  public static TestServer http() throws Exception {
    return new TestServer(false);
  }

  /** Answers requests for exactly this path (any query) with the handler. */
  public TestServer on(String path, Handler handler) {
    handlers.put(path, handler);
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code https://127.0.0.1:PORT} + pathAndQuery (http for a plain server). */
  public URI url(String pathAndQuery) {
    return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port() + pathAndQuery);
  }

  /** Every request so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The PEM certificate of every HTTPS TestServer, to trust with --ca-file. */
  public static synchronized Path caFile() throws Exception {
    if (tlsDir == null) {
      Path dir = Files.createTempDirectory("test-server-tls");
      keytool(dir, "-genkeypair", "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", "changeit",
          "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
          "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2");
      keytool(dir, "-exportcert", "-rfc", "-keystore", "server.p12", "-storepass", "changeit", "-alias", "server", "-file", "ca.pem");
      dir.toFile().deleteOnExit();
      dir.resolve("server.p12").toFile().deleteOnExit();
      dir.resolve("ca.pem").toFile().deleteOnExit();
      tlsDir = dir;
    }
    return tlsDir.resolve("ca.pem");
  }

  private static void keytool(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }

  private static SSLContext serverContext() throws Exception {
    Path p12 = caFile().resolveSibling("server.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      Request request = new Request(uri.getRawPath(), uri.getRawQuery(), Map.copyOf(exchange.getRequestHeaders()));
      requests.add(request);
      Handler h = handlers.get(uri.getRawPath());
      Reply reply = h == null ? Reply.status(404) : h.handle(request);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      boolean noBody = reply.status() == 304 || reply.status() == 204;
      exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length == 0 ? -1 : reply.body().length);
      if (!noBody && reply.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body());
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
