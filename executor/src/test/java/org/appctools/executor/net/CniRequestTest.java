package org.appctools.executor.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CniRequestTest {
  private static final NetworkConfig NET = parse("{\"cniVersion\":\"1.0.0\",\"name\":\"web\",\"plugins\":["
      + "{\"type\":\"bridge\",\"bridge\":\"br0\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true,\"bandwidth\":false}}]}");

  private static NetworkConfig parse(String s) {
    try {
      return NetworkConfig.parse(s.getBytes(StandardCharsets.UTF_8), "t");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void environment_theSpecsVariables() {
    assertThat(CniRequest.environment(CniRequest.Command.ADD, "uuid-1", "/run/appctools/netns/uuid-1", "eth0", "IP=10.0.0.5",
        "/usr/lib/cni:/opt/cni/bin")).containsExactly(Map.entry("CNI_COMMAND", "ADD"), Map.entry("CNI_CONTAINERID", "uuid-1"),
            Map.entry("CNI_NETNS", "/run/appctools/netns/uuid-1"), Map.entry("CNI_IFNAME", "eth0"), Map.entry("CNI_ARGS", "IP=10.0.0.5"),
            Map.entry("CNI_PATH", "/usr/lib/cni:/opt/cni/bin"));
  }

  @Test
  void input_firstPlugin_nameAndVersion_noPrevResult_noRuntimeConfigItDoesNotDeclare() throws Exception {
    JsonNode ports = NetworkConfig.JSON.readTree("[{\"hostPort\":80,\"containerPort\":8080,\"protocol\":\"tcp\"}]");
    assertThat(new String(CniRequest.input(NET, 0, null, Map.of("portMappings", ports)), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"bridge\",\"bridge\":\"br0\",\"name\":\"web\",\"cniVersion\":\"1.0.0\"}");
  }

  @Test
  void input_chainedPlugin_prevResult_andTheCapabilitiesItDeclares() throws Exception {
    JsonNode ports = NetworkConfig.JSON.readTree("[{\"hostPort\":80,\"containerPort\":8080,\"protocol\":\"tcp\"}]");
    JsonNode prev = NetworkConfig.JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]}");
    assertThat(new String(CniRequest.input(NET, 1, prev, Map.of("portMappings", ports, "bandwidth", ports)), StandardCharsets.UTF_8))
        .isEqualTo("{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true,\"bandwidth\":false},\"name\":\"web\","
            + "\"cniVersion\":\"1.0.0\",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.2/24\"}]},"
            + "\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,\"containerPort\":8080,\"protocol\":\"tcp\"}]}}");
  }
}
