package org.appctools.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.schema.types.JsonFields;

/**
 * Credentials per host from {@code auth.d} directories in rkt's format ({@code rkt/config/auth.go}):
 * each {@code *.json} file directly in a directory is
 * {@code {"rktKind": "auth", "rktVersion": "v1", "domains": [...], "type": "basic"|"oauth", "credentials": {...}}},
 * {@code basic} with {@code user} and {@code password} (sent as {@code Authorization: Basic}),
 * {@code oauth} with {@code token} ({@code Authorization: Bearer}). A domain is matched against the
 * request's {@code host[:port]} exactly, as rkt does. A domain may appear once per directory; a
 * later directory overrides an earlier one per domain. Files of kind {@code dockerAuth}, which rkt
 * also reads from {@code auth.d}, hold registry credentials and are left to the registry client.
 * Field names match case-insensitively, as Go's JSON reader does.
 */
final class AuthConfig {
  /** One host's credentials: the Authorization header value, its scheme and the file it came from. */
  record Credential(String authorization, String scheme, Path file) {}

  /** Made when the first auth.d file is read: most commands have none, and need not pay for a mapper. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Map<String, Credential> byDomain;

  private AuthConfig(Map<String, Credential> byDomain) {
    this.byDomain = byDomain;
  }

  static AuthConfig read(List<Path> dirs) throws AppcException {
    Map<String, Credential> merged = new HashMap<>();
    for (Path dir : dirs) {
      merged.putAll(readDir(dir));
    }
    return new AuthConfig(merged);
  }

  /** The credentials for the URI's {@code host[:port]}, or null. */
  Credential forUri(URI uri) {
    return byDomain.get(domain(uri));
  }

  static String domain(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  private static Map<String, Credential> readDir(Path dir) throws AppcException {
    Map<String, Credential> found = new HashMap<>();
    if (!Files.exists(dir)) {
      return found;
    }
    if (!Files.isDirectory(dir)) {
      throw new AppcException("auth.d: " + dir + " is not a directory; remove it or make it a directory of *.json files");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
    } catch (IOException e) {
      throw new AppcException("auth.d: cannot list " + dir + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      readFile(file, found);
    }
    return found;
  }

  private static void readFile(Path file, Map<String, Credential> into) throws AppcException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw bad(file, "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new AppcException("auth.d: cannot read " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw bad(file, "not a JSON object");
    }
    String kind = text(file, root, "rktKind");
    String version = text(file, root, "rktVersion");
    if (kind.isEmpty()) {
      throw bad(file, "no rktKind specified");
    }
    if (version.isEmpty()) {
      throw bad(file, "no rktVersion specified");
    }
    if (kind.equals("dockerAuth")) {
      return;
    }
    if (!kind.equals("auth")) {
      throw bad(file, "rktKind \"" + kind + "\" does not belong in auth.d (expected \"auth\" or \"dockerAuth\")");
    }
    if (!version.equals("v1")) {
      throw bad(file, "no parser available for configuration of kind \"auth\" and version \"" + version + "\" (expected \"v1\")");
    }
    List<String> domains = domains(file, root);
    String type = text(file, root, "type");
    if (type.isEmpty()) {
      throw bad(file, "no auth type specified");
    }
    JsonNode creds = JsonFields.get(root, "credentials");
    if (creds == null || creds.isNull()) {
      throw bad(file, "no credentials");
    }
    if (!creds.isObject()) {
      throw bad(file, "credentials must be an object");
    }
    Credential credential = switch (type) {
      case "basic" -> {
        String user = text(file, creds, "user");
        String password = text(file, creds, "password");
        if (user.isEmpty()) {
          throw bad(file, "user not specified");
        }
        if (password.isEmpty()) {
          throw bad(file, "password not specified");
        }
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        yield new Credential("Basic " + token, "Basic", file);
      }
      case "oauth" -> {
        String token = text(file, creds, "token");
        if (token.isEmpty()) {
          throw bad(file, "no oauth bearer token specified");
        }
        yield new Credential("Bearer " + token, "Bearer", file);
      }
      default -> throw bad(file, "unknown auth type \"" + type + "\" (expected \"basic\" or \"oauth\")");
    };
    for (String domain : domains) {
      Credential earlier = into.putIfAbsent(domain, credential);
      if (earlier != null) {
        throw bad(file, "auth for domain \"" + domain + "\" is already specified in " + earlier.file());
      }
    }
  }

  private static List<String> domains(Path file, JsonNode root) throws AppcException {
    JsonNode node = JsonFields.get(root, "domains");
    if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
      throw bad(file, "no domains specified");
    }
    if (!node.isArray()) {
      throw bad(file, "domains must be a list of host names");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode d : node) {
      if (!d.isTextual()) {
        throw bad(file, "domains must be a list of host names");
      }
      out.add(d.asText());
    }
    return out;
  }

  /** A string field, "" when absent or null (as Go leaves it); any other type is an error. */
  private static String text(Path file, JsonNode object, String name) throws AppcException {
    JsonNode n = JsonFields.get(object, name);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw bad(file, name + " must be a string");
    }
    return n.asText();
  }

  private static AppcException bad(Path file, String problem) {
    return new AppcException("auth.d: " + file + ": " + problem + "; fix or remove the file");
  }
}
