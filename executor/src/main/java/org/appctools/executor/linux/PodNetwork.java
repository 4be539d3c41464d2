package org.appctools.executor.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.appctools.AppcException;
import org.appctools.executor.net.CniResult;
import org.appctools.executor.net.NetSelection;
import org.appctools.executor.net.NetworkConfig;

/**
 * A pod's network namespace attached to CNI networks: the namespace is made first as a
 * bind-mounted nsfs file ({@code /run/appctools/netns/UUID}, which stage1 enters with nsenter),
 * then each network is added ({@code eth0}, {@code eth1}, ... in the order given). Everything
 * needed to undo it (the namespace, each network's configuration, arguments, interface and ADD
 * result, the runtime configuration) is recorded in the pod directory's {@code net.json} before
 * it is made, so that the executor on any exit path, or {@code actool gc} after the executor was
 * killed, runs DEL with the same configuration and removes the namespace.
 */
public final class PodNetwork {
  /** Where the pods' network namespaces are mounted. */
  public static final Path NETNS_DIR = Path.of("/run/appctools/netns");
  static final String STATE = "net.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path podDir;
  private final ObjectNode state;
  private final Cni cni;

  private PodNetwork(Path podDir, ObjectNode state, Cni cni) {
    this.podDir = podDir;
    this.state = state;
    this.cni = cni;
  }

  /** One network of a pod as recorded: its name, the pod's interface, the pod's addresses. */
  public record Attached(String name, String ifName, List<CniResult.Ip> ips) {
    public Attached {
      ips = List.copyOf(ips);
    }
  }

  /**
   * Makes the pod's network namespace and adds the networks; on a failure removes whatever was
   * made and fails with the plugin's error. {@code runtimeConfig}: capability values (e.g.
   * {@code portMappings}) given to the plugins that declare them.
   */
  public static PodNetwork attach(UUID uuid, Path podDir, List<NetSelection.Attachment> networks,
      Map<String, NetworkConfig> configs, Cni cni, Map<String, JsonNode> runtimeConfig) throws AppcException {
    List<NetworkConfig> chosen = new ArrayList<>();
    for (NetSelection.Attachment a : networks) {
      NetworkConfig c = configs.get(a.name());
      if (c == null) {
        throw new AppcException("run: no network \"" + a.name() + "\" is configured (the networks: "
            + String.join(", ", configs.keySet()) + "; add NAME.conf or NAME.conflist to the CNI configuration directory)");
      }
      chosen.add(c);
    }
    for (String cap : runtimeConfig.keySet()) {
      if (!runtimeConfig.get(cap).isEmpty() && chosen.stream().noneMatch(c -> c.hasCapability(cap))) {
        throw new AppcException("run: no network of the pod has a plugin with the " + cap + " capability ("
            + ("portMappings".equals(cap) ? "--port needs one, e.g. portmap" : "add one") + ")");
      }
    }
    ObjectNode state = JSON.createObjectNode();
    Path netns = NETNS_DIR.resolve(uuid.toString());
    state.put("containerId", uuid.toString());
    state.put("netns", netns.toString());
    state.put("pluginPath", cni.pathString());
    ObjectNode rc = state.putObject("runtimeConfig");
    runtimeConfig.forEach(rc::set);
    state.putArray("networks");
    state.put("detached", false);
    PodNetwork pn = new PodNetwork(podDir, state, cni);
    pn.save();
    try {
      makeNamespace(netns);
      for (int i = 0; i < chosen.size(); i++) {
        ObjectNode n = ((ArrayNode) state.get("networks")).addObject();
        n.put("name", chosen.get(i).name());
        n.put("ifName", "eth" + i);
        n.put("args", networks.get(i).args());
        n.set("config", chosen.get(i).toJson());
        n.putNull("result");
        pn.save();
        CniResult r = cni.add(chosen.get(i), uuid.toString(), netns, "eth" + i, networks.get(i).args(), runtimeConfig);
        n.set("result", r.json());
        pn.save();
      }
    } catch (AppcException e) {
      List<String> left = pn.detach(true);
      throw new AppcException(e.getMessage() + (left.isEmpty() ? "" : " (and undoing it: " + String.join("; ", left) + ")"), e);
    }
    return pn;
  }

  /** The network namespace stage1 enters. */
  public Path netns() {
    return Path.of(state.get("netns").asText());
  }

  /** The networks added, in order. */
  public synchronized List<Attached> networks() {
    return attached(state);
  }

  /** The first gateway of the pod's addresses: where the pod reaches the host; null when none. */
  public InetAddress gateway() {
    for (Attached a : networks()) {
      for (CniResult.Ip ip : a.ips()) {
        if (ip.gateway() != null) {
          try {
            return InetAddress.getByName(ip.gateway());
          } catch (UnknownHostException e) {
            // not an address literal: the next one
          }
        }
      }
    }
    return null;
  }

  /**
   * DEL of every network, last first (each plugin's DEL even when one fails), then, when all
   * succeeded, the namespace removed; once (a second call does nothing). Returns what could not
   * be undone, one line each.
   */
  public List<String> detach() {
    return detach(false);
  }

  /**
   * As {@link #detach()}; {@code afterFailedAdd}: the pod never ran and a DEL with the same
   * configuration would fail again, so the namespace (and with it the pod's ends of its
   * interfaces) is removed whatever DEL said.
   */
  private synchronized List<String> detach(boolean afterFailedAdd) {
    if (state.path("detached").asBoolean()) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    Cni c = cni != null ? cni : new Cni(Cni.parsePath(state.path("pluginPath").asText(Cni.DEFAULT_PATH)));
    Path netns = netns();
    String id = state.path("containerId").asText();
    Map<String, JsonNode> rc = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = state.path("runtimeConfig").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rc.put(e.getKey(), e.getValue());
    }
    ArrayNode nets = (ArrayNode) state.get("networks");
    for (int i = nets.size() - 1; i >= 0; i--) {
      JsonNode n = nets.get(i);
      try {
        NetworkConfig config = NetworkConfig.parse(n.get("config").toString().getBytes(StandardCharsets.UTF_8),
            podDir.resolve(STATE).toString());
        JsonNode result = n.path("result").isObject() ? n.get("result") : null;
        c.del(config, id, netns, n.path("ifName").asText(), n.path("args").asText(""), rc, result);
      } catch (AppcException e) {
        problems.add(e.getMessage());
      }
    }
    if (problems.isEmpty() || afterFailedAdd) {
      // kept after a failed DEL: a retry (actool gc) finds the pod's interfaces where they were
      try {
        removeNamespace(netns);
      } catch (AppcException e) {
        problems.add(e.getMessage());
      }
    }
    if (problems.isEmpty() || afterFailedAdd) {
      state.put("detached", true);
      try {
        save();
      } catch (AppcException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  /**
   * The network recorded in a pod directory, still attached (its executor ended before undoing
   * it); null when there is none, or it was undone.
   */
  static PodNetwork recorded(Path podDir) throws AppcException {
    ObjectNode s = read(podDir);
    return s == null || s.path("detached").asBoolean() ? null : new PodNetwork(podDir, s, null);
  }

  /** The networks recorded in a pod directory (also after they were undone): what status shows. */
  static List<Attached> recordedNetworks(Path podDir) {
    try {
      ObjectNode s = read(podDir);
      return s == null ? List.of() : attached(s);
    } catch (AppcException e) {
      return List.of();
    }
  }

  private static List<Attached> attached(ObjectNode state) {
    List<Attached> out = new ArrayList<>();
    for (JsonNode n : state.path("networks")) {
      List<CniResult.Ip> ips = List.of();
      if (n.path("result").isObject()) {
        try {
          ips = CniResult.parse(n.get("result").toString().getBytes(StandardCharsets.UTF_8), "").ips();
        } catch (AppcException e) {
          // recorded by us from a parsed result: cannot happen
        }
      }
      out.add(new Attached(n.path("name").asText(), n.path("ifName").asText(), ips));
    }
    return out;
  }

  private static ObjectNode read(Path podDir) throws AppcException {
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(podDir.resolve(STATE)));
      if (n instanceof ObjectNode o) {
        return o;
      }
      throw new AppcException("cannot read " + podDir.resolve(STATE) + ": not a JSON object");
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new AppcException("cannot read " + podDir.resolve(STATE) + ": " + e.getMessage(), e);
    }
  }

  private void save() throws AppcException {
    Path tmp = podDir.resolve(STATE + ".tmp");
    try {
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
      Files.move(tmp, podDir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AppcException("cannot write " + podDir.resolve(STATE) + ": " + e.getMessage(), e);
    }
  }

  /** A new network namespace kept by a bind mount of its nsfs file at {@code netns} (unshare --net=FILE). */
  private static void makeNamespace(Path netns) throws AppcException {
    try {
      Files.createDirectories(netns.getParent());
      Files.write(netns, new byte[0]);
    } catch (IOException e) {
      throw new AppcException("run: cannot create " + netns + ": " + e.getMessage(), e);
    }
    run(List.of(Host.tools().unshare().toString(), "--net=" + netns, "true"), "creating the network namespace " + netns);
  }

  private static void removeNamespace(Path netns) throws AppcException {
    if (Pods.mountPoints().contains(netns.toString())) {
      run(List.of(Host.tools().umount().toString(), netns.toString()), "unmounting the network namespace " + netns);
    }
    try {
      Files.deleteIfExists(netns);
    } catch (IOException e) {
      throw new AppcException("cannot remove " + netns + ": " + e.getMessage(), e);
    }
  }

  private static void run(List<String> cmd, String what) throws AppcException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor() != 0) {
        throw new AppcException(what + " failed: " + out);
      }
    } catch (IOException e) {
      throw new AppcException(what + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("interrupted while " + what, e);
    }
  }
}
