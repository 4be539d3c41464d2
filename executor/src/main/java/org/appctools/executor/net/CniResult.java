package org.appctools.executor.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;

/**
 * What a plugin's ADD returned (CNI result, any version): the raw object (the next plugin's and
 * DEL's {@code prevResult}) and the addresses it gave the pod.
 *
 * @param ips the pod's addresses, those on its own interfaces first; loopback addresses (which
 *     CNI's {@code loopback} plugin reports) are not among them
 */
public record CniResult(ObjectNode json, List<Ip> ips) {
  public CniResult {
    json = json.deepCopy();
    ips = List.copyOf(ips);
  }

  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }

  /** One address: {@code address} in CIDR form ({@code 172.16.28.2/24}), the gateway or null. */
  public record Ip(String address, String gateway) {
    /** The address without its prefix length. */
    public String host() {
      int slash = address.indexOf('/');
      return slash < 0 ? address : address.substring(0, slash);
    }
  }

  /**
   * Reads a plugin's standard output after a successful ADD: 0.3.0 and later ({@code ips} with
   * {@code interface} indexes into {@code interfaces}, those with a {@code sandbox} being the
   * pod's), or 0.1.0/0.2.0 ({@code ip4}, {@code ip6}).
   */
  public static CniResult parse(byte[] stdout, String what) throws AppcException {
    JsonNode root;
    try {
      root = NetworkConfig.JSON.readTree(stdout);
    } catch (IOException e) {
      throw new AppcException("cni: " + what + " returned no JSON result: " + preview(stdout));
    }
    if (root == null || !root.isObject()) {
      throw new AppcException("cni: " + what + " returned no JSON result: " + preview(stdout));
    }
    List<Ip> inPod = new ArrayList<>();
    List<Ip> other = new ArrayList<>();
    for (JsonNode ip : root.path("ips")) {
      Ip i = new Ip(ip.path("address").asText(), ip.path("gateway").isTextual() ? ip.get("gateway").asText() : null);
      if (i.host().startsWith("127.") || i.host().equals("::1")) {
        continue;
      }
      JsonNode idx = ip.get("interface");
      boolean pod = idx == null || !idx.canConvertToInt()
          || root.path("interfaces").path(idx.asInt()).path("sandbox").asText("").length() > 0;
      (pod ? inPod : other).add(i);
    }
    for (String v : List.of("ip4", "ip6")) {
      JsonNode ip = root.path(v);
      if (ip.has("ip")) {
        inPod.add(new Ip(ip.get("ip").asText(), ip.path("gateway").isTextual() ? ip.get("gateway").asText() : null));
      }
    }
    inPod.addAll(other);
    return new CniResult((ObjectNode) root, inPod);
  }

  /**
   * A failed plugin's error (its {@code code}, {@code msg} and {@code details} on standard output)
   * in one line; when it printed no error object, the first line of what it printed on either stream.
   */
  public static String errorMessage(byte[] stdout, byte[] stderr) {
    try {
      JsonNode e = NetworkConfig.JSON.readTree(stdout);
      if (e != null && e.isObject() && (e.has("code") || e.has("msg"))) {
        StringBuilder sb = new StringBuilder();
        if (e.has("code")) {
          sb.append("error ").append(e.get("code").asText()).append(": ");
        }
        sb.append(oneLine(e.path("msg").asText("")));
        String details = oneLine(e.path("details").asText(""));
        if (!details.isEmpty()) {
          sb.append(" (").append(details).append(')');
        }
        return sb.toString();
      }
    } catch (IOException ignored) {
      // not JSON: the plugin's own words follow
    }
    String out = preview(stdout);
    return out.isEmpty() ? preview(stderr) : out;
  }

  private static String preview(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8).strip();
    int nl = s.indexOf('\n');
    s = nl < 0 ? s : s.substring(0, nl);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\n\\s*", "; ");
  }
}
