package org.appctools.executor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.ExposedPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortForwardsTest {
  @Test
  void parse_nameHostPort_andAHostAddress() throws Exception {
    assertThat(PortForwards.parse("http:8080")).isEqualTo(new ExposedPort(AcName.parse("http"), 8080, null, null));
    assertThat(PortForwards.parse("http:127.0.0.1:8080")).isEqualTo(new ExposedPort(AcName.parse("http"), 8080, "127.0.0.1", null));
    assertThat(PortForwards.parse("dns:[::1]:53")).isEqualTo(new ExposedPort(AcName.parse("dns"), 53, "::1", null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http|invalid --port \"http\" (write NAME:[HOSTIP:]HOSTPORT)",
      ":80|invalid --port \":80\" (write NAME:[HOSTIP:]HOSTPORT)",
      "http:|invalid --port \"http:\" (write NAME:[HOSTIP:]HOSTPORT)",
      "http:x|invalid --port \"http:x\": the host port must be a number (write NAME:[HOSTIP:]HOSTPORT)",
      "http:70000|invalid --port \"http:70000\": invalid exposed port \"http\": hostPort 70000 must be in 1..65535"})
  void parse_bad_oneLine(String value, String message) {
    assertThatThrownBy(() -> PortForwards.parse(value)).isInstanceOf(AppcException.class).hasMessage(message);
  }

  private static PodManifest pod(List<ExposedPort> ports) throws Exception {
    PodManifest base = PodManifest.parse(("{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"web\","
        + "\"image\":{\"id\":\"sha512-" + "0".repeat(128) + "\"}}]}").getBytes(StandardCharsets.UTF_8));
    return new PodManifest(base.acVersion(), base.acKind(), base.apps(), base.volumes(), base.isolators(), base.annotations(), ports,
        null, null);
  }

  private static Map<AcName, ImageManifest> images() throws Exception {
    return Map.of(AcName.parse("web"), ImageManifest.parse(("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/web\","
        + "\"app\":{\"exec\":[\"/bin/httpd\"],\"user\":\"0\",\"group\":\"0\",\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":8080},"
        + "{\"name\":\"range\",\"protocol\":\"udp\",\"port\":9000,\"count\":2}]}}").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void portMappings_theAppPortByName_oneMappingPerPortOfARange() throws Exception {
    PodManifest pod = pod(List.of(new ExposedPort(AcName.parse("http"), 18080, "127.0.0.1", null),
        new ExposedPort(AcName.parse("range"), 19000, null, null)));
    assertThat(PortForwards.portMappings(pod, images()).toString()).isEqualTo("[{\"hostPort\":18080,\"containerPort\":8080,"
        + "\"protocol\":\"tcp\",\"hostIP\":\"127.0.0.1\"},{\"hostPort\":19000,\"containerPort\":9000,\"protocol\":\"udp\"},"
        + "{\"hostPort\":19001,\"containerPort\":9001,\"protocol\":\"udp\"}]");
  }

  @Test
  void portMappings_noSuchPort_namesIt() throws Exception {
    PodManifest pod = pod(List.of(new ExposedPort(AcName.parse("admin"), 9999, null, null)));
    assertThatThrownBy(() -> PortForwards.portMappings(pod, images())).isInstanceOf(AppcException.class)
        .hasMessage("--port admin: no app of the pod has a port named \"admin\" (the image manifest's app.ports names them)");
  }
}
