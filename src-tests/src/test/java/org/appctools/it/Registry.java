package org.appctools.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A Docker registry v2 of its own for a test: Debian's {@code docker-registry} started as a child
 * process on a free 127.0.0.1 port with a config file and storage in a temporary directory,
 * optionally behind htpasswd Basic auth, and stopped (killed if need be) by {@link #close()}.
 * Images go in with skopeo.
 */
final class Registry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final String credentials;

  private Registry(Process process, int port, String credentials) {
    this.process = process;
    this.port = port;
    this.credentials = credentials;
  }

  /** A registry without authentication. */
  static Registry start(Path dir) throws Exception {
    return start(dir, null, null);
  }

  /** A registry that wants {@code user}/{@code password} (Basic auth), unless user is null. */
  static Registry start(Path dir, String user, String password) throws Exception {
    Path binary = Path.of("/usr/bin/docker-registry");
    Tools.requireTool(binary, "docker-registry");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir.resolve("data"));
    StringBuilder config = new StringBuilder();
    config.append("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ")
        .append(dir.resolve("data")).append("\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:")
        .append(port).append("\n");
    if (user != null) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      Files.writeString(dir.resolve("htpasswd"),
          user + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 6) + "\n");
      config.append("auth:\n  htpasswd:\n    realm: test-registry\n    path: ")
          .append(dir.resolve("htpasswd")).append("\n");
    }
    Path file = dir.resolve("config.yml");
    Files.writeString(file, config.toString());
    Process p = new ProcessBuilder(binary.toString(), "serve", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
    Registry r = new Registry(p, port, user == null ? null : user + ":" + password);
    try {
      r.awaitReady(dir);
      return r;
    } catch (Exception e) {
      r.close();
      throw e;
    }
  }

  private void awaitReady(Path dir) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
      }
      try {
        int code = http.send(HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode();
        if (code == 200 || code == 401) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("docker-registry did not answer within 30 s");
  }

  /** {@code 127.0.0.1:PORT}. */
  String address() {
    return "127.0.0.1:" + port;
  }

  /** Copies {@code source} (a skopeo transport reference) to {@code REPO:TAG} here. */
  void push(String source, String repoTag, String... skopeoFlags) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/skopeo", "copy", "-q", "--dest-tls-verify=false"));
    if (credentials != null) {
      cmd.add("--dest-creds=" + credentials);
    }
    cmd.addAll(List.of(skopeoFlags));
    cmd.add(source);
    cmd.add("docker://" + address() + "/" + repoTag);
    Tools.requireTool(Path.of("/usr/bin/skopeo"), "skopeo");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
