package org.appctools.executor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkConfigTest {
  private static NetworkConfig parse(String json) throws AppcException {
    return NetworkConfig.parse(json.getBytes(StandardCharsets.UTF_8), "net.d/x.conf");
  }

  @Test
  void parse_singlePlugin_aListOfOne_unknownFieldsKept() throws Exception {
    NetworkConfig c = parse("{\"cniVersion\":\"0.4.0\",\"name\":\"mynet\",\"type\":\"ptp\",\"mtu\":1400,\"ipam\":{\"type\":\"host-local\"}}");
    assertThat(c.name()).isEqualTo("mynet");
    assertThat(c.cniVersion()).isEqualTo("0.4.0");
    assertThat(c.plugins()).hasSize(1);
    assertThat(c.plugins().get(0).get("mtu").asInt()).isEqualTo(1400);
    assertThat(c.toJson().toString()).isEqualTo("{\"cniVersion\":\"0.4.0\",\"name\":\"mynet\",\"plugins\":[{\"cniVersion\":\"0.4.0\","
        + "\"name\":\"mynet\",\"type\":\"ptp\",\"mtu\":1400,\"ipam\":{\"type\":\"host-local\"}}]}");
  }

  @Test
  void parse_list_pluginsInOrder_capabilities_disableCheck() throws Exception {
    NetworkConfig c = parse("{\"cniVersion\":\"1.0.0\",\"name\":\"web\",\"disableCheck\":true,\"plugins\":[{\"type\":\"bridge\"},"
        + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
    assertThat(c.plugins()).extracting(p -> p.get("type").asText()).containsExactly("bridge", "portmap");
    assertThat(c.disableCheck()).isTrue();
    assertThat(c.hasCapability("portMappings")).isTrue();
    assertThat(c.hasCapability("bandwidth")).isFalse();
    assertThat(c.prevResultOnDel()).isTrue();
  }

  @Test
  void parse_noVersion_isCni020_withoutPrevResultOnDel() throws Exception {
    NetworkConfig c = parse("{\"name\":\"old\",\"type\":\"bridge\"}");
    assertThat(c.cniVersion()).isEqualTo("0.2.0");
    assertThat(c.prevResultOnDel()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"a\":|cni: net.d/x.conf is not JSON (line 1, column 6) (fix or remove the file)",
      "[]|cni: net.d/x.conf is not a JSON object (fix or remove the file)",
      "{\"type\":\"bridge\"}|cni: net.d/x.conf: \"name\" is required (a non-empty string)",
      "{\"name\":\"n\"}|cni: net.d/x.conf: \"type\" is required (a non-empty string)",
      "{\"name\":\"n\",\"plugins\":[]}|cni: net.d/x.conf: \"plugins\" must be a non-empty array",
      "{\"name\":\"n\",\"plugins\":[1]}|cni: net.d/x.conf: every entry of \"plugins\" must be an object",
      "{\"name\":\"n\",\"plugins\":[{\"mtu\":1}]}|cni: net.d/x.conf: \"type\" is required (a non-empty string)",
      "{\"name\":\"../n\",\"type\":\"bridge\"}|cni: net.d/x.conf: network name \"../n\" must be letters, digits, '_', '.' and '-', starting with a letter or digit"})
  void parse_bad_oneLineNamingTheFile(String json, String message) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(AppcException.class).hasMessage(message);
  }
}
