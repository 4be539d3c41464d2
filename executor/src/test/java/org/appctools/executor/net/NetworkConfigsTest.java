package org.appctools.executor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkConfigsTest {
  @TempDir Path dir;

  @Test
  void load_missingDirectory_theBuiltInDefaultOnly() throws Exception {
    Map<String, NetworkConfig> nets = NetworkConfigs.load(dir.resolve("nope"), Path.of("/var/lib/x"));
    assertThat(nets).containsOnlyKeys("default");
    assertThat(nets.get("default").toJson().toString()).isEqualTo("{\"cniVersion\":\"1.0.0\",\"name\":\"default\",\"plugins\":["
        + "{\"type\":\"bridge\",\"bridge\":\"appctools0\",\"isGateway\":true,\"ipMasq\":true,\"hairpinMode\":true,"
        + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"172.16.28.0/24\",\"dataDir\":\"/var/lib/x\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}},"
        + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
  }

  @Test
  void load_confConflistJson_byTheirNames_otherFilesIgnored_defaultReplaceable() throws Exception {
    Files.writeString(dir.resolve("10-a.conf"), "{\"name\":\"a\",\"type\":\"ptp\"}");
    Files.writeString(dir.resolve("20-b.conflist"), "{\"name\":\"b\",\"plugins\":[{\"type\":\"bridge\"}]}");
    Files.writeString(dir.resolve("30-c.json"), "{\"name\":\"default\",\"type\":\"loopback\"}");
    Files.writeString(dir.resolve("README"), "not a configuration");
    Map<String, NetworkConfig> nets = NetworkConfigs.load(dir, Path.of("/var/lib/x"));
    assertThat(nets).containsOnlyKeys("a", "b", "default");
    assertThat(nets.get("default").plugins().get(0).get("type").asText()).isEqualTo("loopback");
    assertThat(nets.get("b").source()).isEqualTo(dir.resolve("20-b.conflist").toString());
  }

  @Test
  void load_aNameTwice_namesBothFiles() throws Exception {
    Files.writeString(dir.resolve("a.conf"), "{\"name\":\"n\",\"type\":\"ptp\"}");
    Files.writeString(dir.resolve("b.conf"), "{\"name\":\"n\",\"type\":\"bridge\"}");
    assertThatThrownBy(() -> NetworkConfigs.load(dir, Path.of("/var/lib/x"))).isInstanceOf(AppcException.class)
        .hasMessage("cni: network \"n\" is defined twice, in " + dir.resolve("a.conf") + " and " + dir.resolve("b.conf") + " (rename one)");
  }
}
