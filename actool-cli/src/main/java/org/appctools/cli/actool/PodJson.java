package org.appctools.cli.actool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.appctools.executor.linux.PodInfo;

/** Pods as JSON for status and list: {uuid, state, created, started, exited, pid, net, networks, exitCode, apps}. */
final class PodJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PodJson() {}

  static String of(PodInfo p) {
    return object(p).toString();
  }

  static String of(List<PodInfo> pods) {
    ArrayNode a = JSON.createArrayNode();
    pods.forEach(p -> a.add(object(p)));
    return a.toString();
  }

  private static ObjectNode object(PodInfo p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("uuid", p.uuid().toString());
    o.put("state", p.state().toString());
    o.put("created", p.created().toString());
    o.put("started", p.started() == null ? null : p.started().toString());
    o.put("exited", p.exited() == null ? null : p.exited().toString());
    o.put("pid", p.pid());
    o.put("net", p.net());
    ArrayNode nets = o.putArray("networks");
    for (PodInfo.Network n : p.networks()) {
      ObjectNode j = nets.addObject().put("netName", n.name()).put("ifName", n.ifName());
      j.put("ip", n.addresses().isEmpty() ? null : host(n.addresses().get(0)));
      n.addresses().forEach(j.putArray("addresses")::add);
    }
    o.put("exitCode", p.exitCode());
    ArrayNode apps = o.putArray("apps");
    for (PodInfo.App a : p.apps()) {
      apps.addObject().put("name", a.name()).put("imageName", a.imageName()).put("imageId", a.imageId())
          .put("exitCode", a.exitCode());
    }
    return o;
  }

  /** rkt's form of a pod's address, {@code ip4=172.16.28.2} (or {@code ip6=...}), from its CIDR form. */
  static String rktAddress(String cidr) {
    String host = host(cidr);
    return (host.contains(":") ? "ip6=" : "ip4=") + host;
  }

  /** An address without its prefix length. */
  static String host(String cidr) {
    int slash = cidr.indexOf('/');
    return slash < 0 ? cidr : cidr.substring(0, slash);
  }
}
