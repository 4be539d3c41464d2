package org.appctools.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private nginx on 127.0.0.1, HTTPS and plain HTTP on two free ports, serving a directory the
 * test fills, as real discovery and image hosts do. Its certificate (for 127.0.0.1 and localhost)
 * is signed by a test CA made with openssl once per test run: trust it with {@code --ca-file
 * }{@link #caFile()}. On top of the files:
 *
 * <ul>
 *   <li>{@code PATH?ac-discovery=1} answers with the file {@code PATH.ac-discovery.html} when it
 *       exists ({@link #discoveryPage}); without the query that file is not served, as on real
 *       sites where the same URL is a human's page;
 *   <li>{@link #addRedirect} answers a path with a 301/302/303/307/308 to a target, keeping the
 *       query;
 *   <li>{@link #protect} puts a path prefix behind Basic authentication (an htpasswd made with
 *       {@code openssl passwd});
 *   <li>directories are 404, not listings; {@code .aci} is {@code application/octet-stream},
 *       {@code .asc} and {@code .gpg} are {@code application/pgp-keys}; ETag and Last-Modified
 *       as nginx sends them, so conditional requests get 304.
 * </ul>
 *
 * nginx runs as a child process ({@code nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'}) with its
 * pid, logs and temporary files in a directory of its own; {@link #stop()} (also {@link #close()})
 * ends it and its workers. Needs the nginx of {@code .ci/fixtures.sh webserver}: without it a test
 * is skipped on a developer's machine and fails in CI.
 */
final class WebServer implements AutoCloseable {
  /** What is fixed at start. */
  record Options(String cacheControl) {
    /** No Cache-Control header. */
    static Options defaults() {
      return new Options(null);
    }

    /** Every file answer (200, 304) carries {@code Cache-Control: value}. */
    Options withCacheControl(String value) {
      return new Options(value);
    }
  }

  private static final Pattern REQUEST = Pattern.compile("\"(\\S+) (\\S+) [^\"]*\" (\\d{3}) ");
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9:/._~%=&?+,@!-]*");
  private static Path tls;

  private final Path docroot;
  private final Path dir;
  private final Options options;
  private final int httpsPort;
  private final int httpPort;
  private final List<String> locations = new ArrayList<>();
  private final Thread shutdownHook;
  private int generation;
  private Process nginx;

  private WebServer(Path docroot, Path dir, Options options, int httpsPort, int httpPort) {
    this.docroot = docroot;
    this.dir = dir;
    this.options = options;
    this.httpsPort = httpsPort;
    this.httpPort = httpPort;
    this.shutdownHook = new Thread(this::kill);
  }

  /** Starts nginx serving {@code docroot} (which must exist); waits until it answers. */
  static WebServer start(Path docroot, Options options) throws IOException, InterruptedException {
    Path binary = nginxBinary();
    Path ca = testCa();
    IOException last = null;
    for (int tries = 0; tries < 5; tries++) {
      Path dir = Files.createTempDirectory("webserver");
      WebServer s = new WebServer(docroot.toAbsolutePath(), dir, options, freePort(), freePort());
      try {
        s.launch(binary, ca);
        return s;
      } catch (IOException e) {
        // most likely another process took a port between freePort() and nginx's bind: again
        last = e;
        s.stop();
      }
    }
    throw last;
  }

  Path docroot() {
    return docroot;
  }

  int httpsPort() {
    return httpsPort;
  }

  int httpPort() {
    return httpPort;
  }

  /** {@code https://127.0.0.1:PORT} + path (which may carry a query). */
  URI httpsUrl(String path) {
    return URI.create("https://127.0.0.1:" + httpsPort + path);
  }

  /** {@code http://127.0.0.1:PORT} + path. */
  URI httpUrl(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  /** The test CA's certificate (PEM), for {@code --ca-file}. */
  Path caFile() {
    return tls.resolve("ca.pem");
  }

  /** The requests served so far, oldest first, as {@code "GET /path 200"}. */
  List<String> requests() throws IOException {
    Path log = dir.resolve("access.log");
    List<String> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    for (String line : Files.readAllLines(log)) {
      java.util.regex.Matcher m = REQUEST.matcher(line);
      if (m.find() && !m.group(2).equals("/__generation")) {
        out.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
      }
    }
    return out;
  }

  /** Writes the page {@code path?ac-discovery=1} answers with ({@code /} for the host's own page). */
  void discoveryPage(String path, String html) throws IOException {
    Path file = docroot.resolve(path.substring(1) + ".ac-discovery.html");
    Files.createDirectories(file.getParent());
    Files.writeString(file, html);
  }

  /**
   * Makes {@code path} (exactly) answer {@code status} with {@code Location: target} plus the
   * request's query; target is absolute or a path on the same server and has no query of its own.
   */
  void addRedirect(String path, int status, String target) throws IOException, InterruptedException {
    if (!List.of(301, 302, 303, 307, 308).contains(status) || target.contains("?")) {
      throw new IllegalArgumentException("redirect " + status + " to " + target + ": a 3xx status and a target without query");
    }
    locations.add("location = " + safe(path) + " { return " + status + " " + safe(target) + "$is_args$args; }");
    reload();
  }

  /** Puts every path starting with {@code pathPrefix} behind Basic authentication as user/password. */
  void protect(String pathPrefix, String user, String password) throws IOException, InterruptedException {
    String hash = run(List.of("openssl", "passwd", "-apr1", password)).strip();
    Path htpasswd = dir.resolve("htpasswd-" + locations.size());
    Files.writeString(htpasswd, safe(user) + ":" + hash + "\n");
    locations.add("location ^~ " + safe(pathPrefix) + " { auth_basic \"appctools test\"; auth_basic_user_file " + htpasswd
        + "; try_files $uri$ac_discovery $uri =404; }");
    reload();
  }

  /** Ends nginx and its workers and deletes its directory; safe to call twice. */
  void stop() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already, or never registered
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is not worth failing a test for
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void launch(Path binary, Path ca) throws IOException, InterruptedException {
    writeConfig();
    ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString(), "-g", "daemon off;");
    pb.redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile());
    nginx = pb.start();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    awaitGeneration();
  }

  private synchronized void kill() {
    Process p = nginx;
    if (p == null) {
      return;
    }
    nginx = null;
    List<ProcessHandle> workers = p.descendants().toList();
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * Reloads the configuration and waits until the old workers are gone (they stop accepting at
   * once but may still take a connection or two until they see the signal) and the new ones serve.
   */
  private void reload() throws IOException, InterruptedException {
    writeConfig();
    List<ProcessHandle> oldWorkers = nginx.children().toList();
    run(List.of(nginxBinary().toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString(), "-s", "reload"));
    for (ProcessHandle w : oldWorkers) {
      try {
        w.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IOException("an old nginx worker (pid " + w.pid() + ") did not exit within 10 s of the reload: " + log(), e);
      }
    }
    awaitGeneration();
  }

  private void writeConfig() throws IOException {
    generation++;
    for (String t : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Files.createDirectories(dir.resolve("tmp").resolve(t));
    }
    String cacheControl = options.cacheControl() == null ? "" : "    add_header Cache-Control \"" + safe(options.cacheControl()) + "\";\n";
    String conf = (Tools.isRoot() ? "user root;\n" : "")
        + "worker_processes 1;\n"
        + "pid " + dir.resolve("nginx.pid") + ";\n"
        + "error_log " + dir.resolve("error.log") + ";\n"
        + "events { worker_connections 256; }\n"
        + "http {\n"
        + "  access_log " + dir.resolve("access.log") + ";\n"
        + "  client_body_temp_path " + dir.resolve("tmp/body") + ";\n"
        + "  proxy_temp_path " + dir.resolve("tmp/proxy") + ";\n"
        + "  fastcgi_temp_path " + dir.resolve("tmp/fastcgi") + ";\n"
        + "  uwsgi_temp_path " + dir.resolve("tmp/uwsgi") + ";\n"
        + "  scgi_temp_path " + dir.resolve("tmp/scgi") + ";\n"
        + "  types { text/html html; application/pgp-keys asc gpg; application/octet-stream aci; }\n"
        + "  default_type application/octet-stream;\n"
        + "  map $args $ac_discovery { default \"\"; \"~(^|&)ac-discovery=1(&|$)\" \".ac-discovery.html\"; }\n"
        + "  server {\n"
        + "    listen 127.0.0.1:" + httpsPort + " ssl;\n"
        + "    listen 127.0.0.1:" + httpPort + ";\n"
        + "    server_name localhost;\n"
        + "    ssl_certificate " + tls.resolve("server.pem") + ";\n"
        + "    ssl_certificate_key " + tls.resolve("server.key") + ";\n"
        + "    root " + docroot + ";\n"
        + cacheControl
        + "    location = /__generation { default_type text/plain; return 200 \"" + generation + "\"; }\n"
        + "    location / { try_files $uri$ac_discovery $uri =404; }\n"
        + locations.stream().map(l -> "    " + l + "\n").reduce("", String::concat)
        + "  }\n"
        + "}\n";
    Files.writeString(dir.resolve("nginx.conf"), conf);
  }

  /** Waits (10 s at most) until a new connection is served by the current configuration. */
  private void awaitGeneration() throws IOException, InterruptedException {
    String want = String.valueOf(generation);
    for (int i = 0; i < 200; i++) {
      Process p = nginx;
      if (p == null || !p.isAlive()) {
        throw new IOException("nginx exited: " + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 1000);
        s.setSoTimeout(2000);
        OutputStream out = s.getOutputStream();
        out.write("GET /__generation HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (reply.startsWith("HTTP/1.1 200") && reply.endsWith("\r\n\r\n" + want)) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException("nginx did not serve configuration " + want + " within 10 s: " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("error.log")) + Files.readString(dir.resolve("nginx.out"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static String safe(String s) {
    if (!SAFE.matcher(s).matches()) {
      throw new IllegalArgumentException("not used in nginx.conf as it is: " + s);
    }
    return s;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Path nginxBinary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    String msg = "nginx is missing: run .ci/fixtures.sh webserver";
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(msg);
    }
    assumeTrue(false, msg);
    return null;
  }

  /** The test CA and the server's key and certificate, made once per test run. */
  private static synchronized Path testCa() throws IOException, InterruptedException {
    if (tls != null) {
      return tls;
    }
    Path d = Files.createTempDirectory("webserver-tls");
    Files.writeString(d.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
        + "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
    String ec = "ec_paramgen_curve:prime256v1";
    run(d, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=appctools test CA"));
    run(d, List.of("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "server.key",
        "-out", "server.csr", "-subj", "/CN=localhost"));
    run(d, List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Stream<Path> s = Files.walk(d)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort at exit
      }
    }));
    tls = d;
    return d;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    return run(null, command);
  }

  private static String run(Path workDir, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    Process p = pb.start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
