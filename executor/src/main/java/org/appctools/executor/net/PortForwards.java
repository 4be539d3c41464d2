package org.appctools.executor.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.ExposedPort;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Port;

/**
 * Host ports forwarded to the pod: rkt's {@code --port NAME:[HOSTIP:]HOSTPORT} as the pod
 * manifest's {@code ports}, and those as the {@code portMappings} capability of CNI's
 * {@code portmap} plugin, each app port found by name in the apps' image manifests.
 */
public final class PortForwards {
  private PortForwards() {}

  /** {@code NAME:HOSTPORT} or {@code NAME:HOSTIP:HOSTPORT} (an IPv6 host address in brackets). */
  public static ExposedPort parse(String s) throws AppcException {
    int first = s.indexOf(':');
    int last = s.lastIndexOf(':');
    if (first <= 0 || last == s.length() - 1) {
      throw new AppcException("invalid --port \"" + s + "\" (write NAME:[HOSTIP:]HOSTPORT)");
    }
    String ip = null;
    if (last > first) {
      ip = s.substring(first + 1, last);
      if (ip.startsWith("[") && ip.endsWith("]")) {
        ip = ip.substring(1, ip.length() - 1);
      }
    }
    try {
      return new ExposedPort(AcName.parse(s.substring(0, first)), Integer.parseInt(s.substring(last + 1)), ip, null);
    } catch (NumberFormatException e) {
      throw new AppcException("invalid --port \"" + s + "\": the host port must be a number (write NAME:[HOSTIP:]HOSTPORT)");
    } catch (InvalidValueException e) {
      throw new AppcException("invalid --port \"" + s + "\": " + e.getMessage());
    }
  }

  /**
   * The pod's forwards as {@code portMappings} ({@code hostPort}, {@code containerPort},
   * {@code protocol}, {@code hostIP}), one per port of a range; fails naming a port no app has.
   */
  public static JsonNode portMappings(PodManifest pod, Map<AcName, ImageManifest> images) throws AppcException {
    ArrayNode out = NetworkConfig.JSON.createArrayNode();
    for (ExposedPort e : pod.ports()) {
      Port p = e.podPort() != null ? e.podPort() : appPort(pod, images, e.name());
      for (int i = 0; i < p.count(); i++) {
        if (e.hostPort() + i > 65535) {
          throw new AppcException("--port " + e.name() + ": host port " + e.hostPort() + " leaves no room for the "
              + p.count() + " ports of the range");
        }
        ObjectNode m = out.addObject();
        m.put("hostPort", e.hostPort() + i).put("containerPort", p.port() + i).put("protocol", p.protocol());
        if (e.hostIP() != null) {
          m.put("hostIP", e.hostIP());
        }
      }
    }
    return out;
  }

  private static Port appPort(PodManifest pod, Map<AcName, ImageManifest> images, AcName name) throws AppcException {
    for (RuntimeApp a : pod.apps()) {
      org.appctools.schema.types.App app = a.app() != null ? a.app() : images.get(a.name()).app();
      if (app == null) {
        continue;
      }
      for (Port p : app.ports()) {
        if (p.name().equals(name)) {
          return p;
        }
      }
    }
    throw new AppcException("--port " + name + ": no app of the pod has a port named \"" + name
        + "\" (the image manifest's app.ports names them)");
  }
}
