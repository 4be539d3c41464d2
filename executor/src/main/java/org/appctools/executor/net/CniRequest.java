package org.appctools.executor.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one plugin of a network gets, as the CNI specification's "Protocol" and "Execution of
 * Network Configurations" say: the {@code CNI_*} environment, and on standard input its own
 * object of the configuration with the network's {@code name} and {@code cniVersion}, the
 * {@code prevResult} (the previous plugin's result on ADD; the network's ADD result on DEL) and a {@code runtimeConfig} holding only the capabilities the plugin declares.
 */
public final class CniRequest {
  private CniRequest() {}

  /** The commands of the specification this executor runs. */
  public enum Command {
    ADD, DEL
  }

  /** {@code CNI_COMMAND}, {@code CNI_CONTAINERID}, {@code CNI_NETNS}, {@code CNI_IFNAME}, {@code CNI_ARGS}, {@code CNI_PATH}. */
  public static Map<String, String> environment(Command command, String containerId, String netns, String ifName,
      String args, String pluginPath) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command.name());
    env.put("CNI_CONTAINERID", containerId);
    env.put("CNI_NETNS", netns);
    env.put("CNI_IFNAME", ifName);
    env.put("CNI_ARGS", args);
    env.put("CNI_PATH", pluginPath);
    return env;
  }

  /**
   * The standard input of plugin {@code index} of {@code net}: {@code prevResult} null leaves it
   * out; {@code runtimeConfig} (capability name to value) is filtered by the plugin's
   * {@code capabilities}.
   */
  public static byte[] input(NetworkConfig net, int index, JsonNode prevResult, Map<String, JsonNode> runtimeConfig) {
    ObjectNode o = net.plugins().get(index);
    o.put("name", net.name());
    o.put("cniVersion", net.cniVersion());
    if (prevResult != null) {
      o.set("prevResult", prevResult.deepCopy());
    } else {
      o.remove("prevResult");
    }
    ObjectNode rc = NetworkConfig.JSON.createObjectNode();
    JsonNode caps = o.path("capabilities");
    for (Iterator<String> it = caps.fieldNames(); it.hasNext(); ) {
      String cap = it.next();
      if (caps.get(cap).asBoolean(false) && runtimeConfig.containsKey(cap)) {
        rc.set(cap, runtimeConfig.get(cap));
      }
    }
    if (!rc.isEmpty()) {
      o.set("runtimeConfig", rc);
    }
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
