package org.appctools.executor.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.appctools.AppcException;

/**
 * The networks a pod may join: those of a configuration directory in rkt's {@code net.d} layout
 * ({@code *.conf} and {@code *.json}: one plugin; {@code *.conflist}: a chain), and {@code
 * default}, built in unless the directory defines a network of that name.
 */
public final class NetworkConfigs {
  /** The name of the default network. */
  public static final String DEFAULT = "default";
  /** The bridge of the built-in default network. */
  public static final String DEFAULT_BRIDGE = "appctools0";
  /** The subnet of the built-in default network (rkt's). */
  public static final String DEFAULT_SUBNET = "172.16.28.0/24";

  private NetworkConfigs() {}

  /** The networks of {@code dir} by name, with the default one; a missing directory has none. */
  public static Map<String, NetworkConfig> load(Path dir, Path ipamDataDir) throws AppcException {
    Map<String, NetworkConfig> out = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if ((n.endsWith(".conf") || n.endsWith(".conflist") || n.endsWith(".json")) && Files.isRegularFile(p)) {
          files.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      // no configuration directory: the default network only
    } catch (IOException e) {
      throw new AppcException("cni: cannot list " + dir + ": " + e.getMessage() + " (check --cni-config-dir)", e);
    }
    files.sort(null);
    for (Path f : files) {
      NetworkConfig c;
      try {
        c = NetworkConfig.parse(Files.readAllBytes(f), f.toString());
      } catch (IOException e) {
        throw new AppcException("cni: cannot read " + f + ": " + e.getMessage(), e);
      }
      NetworkConfig before = out.putIfAbsent(c.name(), c);
      if (before != null) {
        throw new AppcException("cni: network \"" + c.name() + "\" is defined twice, in " + before.source() + " and "
            + f + " (rename one)");
      }
    }
    out.putIfAbsent(DEFAULT, defaultNetwork(ipamDataDir));
    return out;
  }

  /**
   * rkt's default network: the {@code bridge} plugin on {@value #DEFAULT_BRIDGE} as the pods'
   * gateway with outbound NAT ({@code ipMasq}), {@code host-local} addresses of {@value
   * #DEFAULT_SUBNET} kept under {@code ipamDataDir}, {@code portmap} for {@code --port}.
   */
  public static NetworkConfig defaultNetwork(Path ipamDataDir) {
    ObjectNode bridge = NetworkConfig.JSON.createObjectNode();
    bridge.put("type", "bridge").put("bridge", DEFAULT_BRIDGE).put("isGateway", true).put("ipMasq", true)
        .put("hairpinMode", true);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local").put("subnet", DEFAULT_SUBNET).put("dataDir", ipamDataDir.toString());
    ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    ObjectNode portmap = NetworkConfig.JSON.createObjectNode();
    portmap.put("type", "portmap").putObject("capabilities").put("portMappings", true);
    return new NetworkConfig(DEFAULT, "1.0.0", false, List.of(bridge, portmap), "built-in");
  }
}
