package org.appctools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.appctools.AppcException;

/**
 * Registry credentials as Docker keeps them in {@code config.json}: {@code auths} entries
 * ({@code auth} = base64 of {@code USER:PASSWORD}, or {@code username} and {@code password}),
 * per-registry {@code credHelpers} and the default {@code credsStore}, both run as {@code
 * docker-credential-NAME get} with the server on stdin, as Docker runs them. Docker Hub's key is
 * {@code https://index.docker.io/v1/}.
 */
public final class Credentials {
  /** A user name and a password (or token). */
  public record Login(String username, String password) {
    @Override
    public String toString() {
      return "Login[" + username + "]";
    }
  }

  private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path configDir;

  /** Credentials of the Docker config in {@code configDir} (null: none). */
  public Credentials(Path configDir) {
    this.configDir = configDir;
  }

  /** The login for {@code registry} (a host, with its port), if the config has one. */
  public Optional<Login> find(String registry) throws AppcException {
    if (configDir == null) {
      return Optional.empty();
    }
    Path file = configDir.resolve("config.json");
    JsonNode config;
    try {
      config = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new AppcException("reading " + file + ": " + e.getMessage(), e);
    }
    List<String> keys = keys(registry);
    JsonNode helpers = config.path("credHelpers");
    for (String k : keys) {
      if (helpers.hasNonNull(k)) {
        return helper(helpers.get(k).asText(), serverUrl(registry));
      }
    }
    JsonNode auths = config.path("auths");
    for (String k : keys) {
      JsonNode a = auths.path(k);
      if (a.isObject()) {
        Optional<Login> login = fromAuth(a, file, k);
        if (login.isPresent()) {
          return login;
        }
      }
    }
    if (config.hasNonNull("credsStore")) {
      return helper(config.get("credsStore").asText(), serverUrl(registry));
    }
    return Optional.empty();
  }

  private static Optional<Login> fromAuth(JsonNode a, Path file, String key) throws AppcException {
    if (a.hasNonNull("auth") && !a.get("auth").asText().isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(a.get("auth").asText().trim()),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new AppcException(file + ": auths." + key + ".auth is not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new AppcException(file + ": auths." + key + ".auth is not base64 of USER:PASSWORD");
      }
      return Optional.of(new Login(decoded.substring(0, colon),
          decoded.substring(colon + 1).replace("\0", "")));
    }
    if (a.hasNonNull("username") && a.hasNonNull("password")) {
      return Optional.of(new Login(a.get("username").asText(), a.get("password").asText()));
    }
    return Optional.empty();
  }

  /** The keys a registry may be filed under in {@code auths} and {@code credHelpers}. */
  static List<String> keys(String registry) {
    List<String> keys = new ArrayList<>();
    if (registry.equals("registry-1.docker.io") || registry.equals("docker.io")
        || registry.equals("index.docker.io")) {
      keys.add(DOCKER_HUB_KEY);
      keys.add("index.docker.io");
      keys.add("docker.io");
      keys.add("registry-1.docker.io");
      return keys;
    }
    keys.add(registry);
    keys.add("https://" + registry);
    keys.add("http://" + registry);
    keys.add("https://" + registry + "/v1/");
    keys.add("https://" + registry + "/v2/");
    return keys;
  }

  private static String serverUrl(String registry) {
    List<String> k = keys(registry);
    return k.get(0).equals(DOCKER_HUB_KEY) ? DOCKER_HUB_KEY : registry;
  }

  /** Runs {@code docker-credential-NAME get}; "not found" is no login, other failures errors. */
  private static Optional<Login> helper(String name, String server) throws AppcException {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new AppcException("credential helper name \"" + name + "\" in the Docker config is invalid");
    }
    String program = "docker-credential-" + name;
    Process p;
    try {
      p = new ProcessBuilder(program, "get").redirectErrorStream(false).start();
    } catch (IOException e) {
      throw new AppcException("cannot run the credential helper " + program + " (is it on PATH?): "
          + e.getMessage(), e);
    }
    try {
      p.getOutputStream().write(server.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      byte[] err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AppcException("credential helper " + program + " did not answer within 60 s");
      }
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        String message = (text + " " + new String(err, StandardCharsets.UTF_8)).trim();
        if (message.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new AppcException("credential helper " + program + " failed: " + message);
      }
      JsonNode j = JSON.readTree(text);
      String user = j.path("Username").asText("");
      String secret = j.path("Secret").asText("");
      return secret.isEmpty() ? Optional.empty() : Optional.of(new Login(user, secret));
    } catch (IOException e) {
      throw new AppcException("credential helper " + program + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("interrupted while running " + program);
    } finally {
      p.destroy();
    }
  }
}
