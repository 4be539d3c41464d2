package org.appctools.executor.net;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;

/**
 * One CNI network: its name, the CNI version of its configuration, and its plugins in order (a
 * {@code *.conf} file is a list of one, as libcni reads it). Each plugin's object is kept as
 * written: unknown fields reach the plugin unchanged.
 *
 * @param disableCheck the list's {@code disableCheck}: no CHECK is run
 * @param source where it was read from (a file, or {@code built-in})
 */
public record NetworkConfig(String name, String cniVersion, boolean disableCheck, List<ObjectNode> plugins, String source) {
  static final ObjectMapper JSON = new ObjectMapper();

  public NetworkConfig {
    plugins = plugins.stream().map(ObjectNode::deepCopy).toList();
  }

  @Override
  public List<ObjectNode> plugins() {
    return plugins.stream().map(ObjectNode::deepCopy).toList();
  }

  /**
   * Reads a configuration: a list ({@code plugins} present, as in a {@code *.conflist}) or a single
   * plugin ({@code type} present, as in a {@code *.conf}). {@code source} names it in messages.
   */
  public static NetworkConfig parse(byte[] json, String source) throws AppcException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new AppcException("cni: " + source + " is not JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
          + at.getColumnNr() + ")") + " (fix or remove the file)");
    } catch (IOException e) {
      throw new AppcException("cni: cannot read " + source + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new AppcException("cni: " + source + " is not a JSON object (fix or remove the file)");
    }
    String name = text(root, "name", source);
    String version = root.path("cniVersion").asText("0.2.0");
    List<ObjectNode> plugins = new ArrayList<>();
    if (root.has("plugins")) {
      if (!root.get("plugins").isArray() || root.get("plugins").isEmpty()) {
        throw new AppcException("cni: " + source + ": \"plugins\" must be a non-empty array");
      }
      for (JsonNode p : root.get("plugins")) {
        if (!p.isObject()) {
          throw new AppcException("cni: " + source + ": every entry of \"plugins\" must be an object");
        }
        text(p, "type", source);
        plugins.add((ObjectNode) p);
      }
    } else {
      text(root, "type", source);
      plugins.add((ObjectNode) root);
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      throw new AppcException("cni: " + source + ": network name \"" + name
          + "\" must be letters, digits, '_', '.' and '-', starting with a letter or digit");
    }
    return new NetworkConfig(name, version, root.path("disableCheck").asBoolean(false), plugins, source);
  }

  /** The configuration as a {@code *.conflist} would hold it (what the pod directory records). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("cniVersion", cniVersion);
    o.put("name", name);
    if (disableCheck) {
      o.put("disableCheck", true);
    }
    ArrayNode a = o.putArray("plugins");
    plugins.forEach(a::add);
    return o;
  }

  /** Whether some plugin declares the capability (e.g. {@code portMappings}). */
  public boolean hasCapability(String capability) {
    return plugins.stream().anyMatch(p -> p.path("capabilities").path(capability).asBoolean(false));
  }

  /** Whether DEL gets the ADD result as {@code prevResult}: CNI 0.4.0 and later. */
  public boolean prevResultOnDel() {
    return CniVersions.atLeast(cniVersion, "0.4.0");
  }

  private static String text(JsonNode o, String field, String source) throws AppcException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual() || n.asText().isEmpty()) {
      throw new AppcException("cni: " + source + ": \"" + field + "\" is required (a non-empty string)");
    }
    return n.asText();
  }
}
