package org.appctools.executor.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.executor.net.CniResult;
import org.appctools.executor.net.NetworkConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin protocol as a third-party plugin sees it: two small shell plugins that log their
 * environment and standard input and answer as the CNI specification says (a result on ADD,
 * nothing on DEL, an error object when told to fail).
 */
class CniTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  Path log;
  Cni cni;

  @BeforeEach
  void plugins() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    log = dir.resolve("log");
    String body = "#!/bin/sh\nin=$(cat)\nprintf '%s %s %s %s %s %s %s\\n' \"$(basename \"$0\")\" \"$CNI_COMMAND\" \"$CNI_CONTAINERID\""
        + " \"$CNI_NETNS\" \"$CNI_IFNAME\" \"$CNI_ARGS\" \"$CNI_PATH\" >>'" + log + "'\nprintf '%s\\n' \"$in\" >>'" + log + "'\n"
        + "case \"$in\" in *'\"fail\":true'*) echo '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"invalid config\",\"details\":\"no subnet\"}'; exit 1;; esac\n"
        + "[ \"$CNI_COMMAND\" = ADD ] && echo '{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"'$CNI_NETNS'\"}],"
        + "\"ips\":[{\"interface\":0,\"address\":\"10.9.0.2/24\",\"gateway\":\"10.9.0.1\"}]}'\nexit 0\n";
    for (String name : List.of("first", "second")) {
      Path p = bin.resolve(name);
      Files.writeString(p, body);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    cni = new Cni(List.of(dir.resolve("empty"), bin));
  }

  private static NetworkConfig net(String plugins) throws AppcException {
    return NetworkConfig.parse(("{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"plugins\":[" + plugins + "]}").getBytes(StandardCharsets.UTF_8), "t");
  }

  @Test
  void add_eachPluginInOrder_theSpecsEnvironment_prevResultChained() throws Exception {
    CniResult r = cni.add(net("{\"type\":\"first\"},{\"type\":\"second\",\"capabilities\":{\"portMappings\":true}}"), "pod-1",
        Path.of("/run/ns/pod-1"), "eth0", "IP=10.9.0.2", Map.of("portMappings", JSON.readTree("[{\"hostPort\":80}]")));
    assertThat(r.ips()).containsExactly(new CniResult.Ip("10.9.0.2/24", "10.9.0.1"));
    String path = dir.resolve("empty") + ":" + dir.resolve("bin");
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("first ADD pod-1 /run/ns/pod-1 eth0 IP=10.9.0.2 " + path);
    assertThat(lines.get(1)).isEqualTo("{\"type\":\"first\",\"name\":\"t\",\"cniVersion\":\"1.0.0\"}");
    assertThat(lines.get(2)).isEqualTo("second ADD pod-1 /run/ns/pod-1 eth0 IP=10.9.0.2 " + path);
    assertThat(JSON.readTree(lines.get(3)).get("prevResult").at("/ips/0/address").asText()).isEqualTo("10.9.0.2/24");
    assertThat(JSON.readTree(lines.get(3)).at("/runtimeConfig/portMappings/0/hostPort").asInt()).isEqualTo(80);
  }

  @Test
  void del_lastPluginFirst_withTheAddResult_missingPluginsSkipped() throws Exception {
    cni.del(net("{\"type\":\"first\"},{\"type\":\"not-installed\"},{\"type\":\"second\"}"), "pod-1", Path.of("/run/ns/pod-1"), "eth0", "",
        Map.of(), JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[]}"));
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("second DEL pod-1 ");
    assertThat(lines.get(1)).contains("\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[]}");
    assertThat(lines.get(2)).startsWith("first DEL pod-1 ");
  }

  @Test
  void add_pluginError_oneLine_namingNetworkPluginAndCommand() {
    assertThatThrownBy(() -> cni.add(net("{\"type\":\"first\",\"fail\":true}"), "pod-1", Path.of("/run/ns/pod-1"), "eth0", "", Map.of()))
        .isInstanceOf(AppcException.class)
        .hasMessage("cni: network \"t\": plugin first ADD failed: error 7: invalid config (no subnet)");
  }

  @Test
  void add_pluginNotOnThePath_namesThePathAndTheFix() {
    assertThatThrownBy(() -> cni.add(net("{\"type\":\"bridge\"}"), "pod-1", Path.of("/run/ns/pod-1"), "eth0", "", Map.of()))
        .isInstanceOf(AppcException.class)
        .hasMessage("cni: network \"t\": plugin \"bridge\" not found in " + dir.resolve("empty") + ":" + dir.resolve("bin")
            + " (install it, e.g. Debian's containernetworking-plugins, or give its directory with --cni-plugin-path)");
  }
}
