package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IsolatorsTest {

  private static Isolator parse(String name, String json) {
    return Isolators.parse(name, json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "resource/cpu|{\"request\":\"250m\",\"limit\":\"1\"}",
      "resource/memory|{\"limit\":\"1Gi\"}",
      "resource/block-bandwidth|{\"default\":true,\"limit\":\"10M\"}",
      "resource/block-iops|{\"default\":true,\"limit\":\"100\"}",
      "resource/network-bandwidth|{\"default\":true,\"limit\":\"1M\"}",
      "os/linux/capabilities-retain-set|{\"set\":[\"CAP_NET_ADMIN\"]}",
      "os/linux/capabilities-remove-set|{\"set\":[\"CAP_KILL\",\"CAP_CHOWN\"]}",
      "os/linux/no-new-privileges|true",
      "os/linux/seccomp-remove-set|{\"set\":[\"@rkt/default-blacklist\",\"reboot\"],\"errno\":\"EPERM\"}",
      "os/linux/seccomp-retain-set|{\"set\":[\"@appc.io/all\"]}",
      "os/linux/selinux-context|{\"user\":\"u\",\"role\":\"r\",\"type\":\"t\",\"level\":\"s0:c1\"}",
      "os/linux/apparmor-profile|{\"profile\":\"docker-default\"}",
      "os/linux/oom-score-adj|-1000",
      "os/linux/cpu-shares|262144",
      "os/unix/sysctl|{\"net.core.somaxconn\":\"1024\"}",
      "example.com/unknown|{\"any\":[1,\"json\"]}",
  })
  void parse_valid_roundTripsCanonically(String name, String json) {
    Isolator i = parse(name, json);

    assertThat(i.toJson().get("value").toString()).isEqualTo(json);
    assertThat(Isolator.fromJson(i.toJson())).isEqualTo(i);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "resource/cpu|{\"default\":true,\"limit\":\"1\"}|invalid isolator \"resource/cpu\": default must be false",
      "resource/memory|{\"limit\":\"1K\"}|invalid resource quantity \"1K\": the decimal kilo suffix is lowercase k",
      "resource/block-bandwidth|{\"limit\":\"1M\"}|invalid isolator \"resource/block-bandwidth\": default must be true",
      "resource/block-iops|{\"default\":true,\"request\":\"1\",\"limit\":\"2\"}|invalid isolator \"resource/block-iops\": request is not supported by this resource, must be absent",
      "os/linux/capabilities-retain-set|{\"set\":[]}|invalid isolator \"os/linux/capabilities-retain-set\": set must not be empty",
      "os/linux/capabilities-remove-set|{\"set\":[\"CAP NET\"]}|invalid isolator \"os/linux/capabilities-remove-set\": capability \"CAP NET\" must be a name such as CAP_NET_ADMIN",
      "os/linux/no-new-privileges|\"yes\"|invalid isolator \"os/linux/no-new-privileges\": value must be true or false",
      "os/linux/seccomp-remove-set|{\"set\":[]}|invalid isolator \"os/linux/seccomp-remove-set\": set must not be empty",
      "os/linux/seccomp-retain-set|{\"set\":[\"read\"],\"errno\":\"eperm\"}|invalid isolator \"os/linux/seccomp-retain-set\": errno \"eperm\" must be an upper-case name such as ENOSYS",
      "os/linux/selinux-context|{\"user\":\"u:x\",\"role\":\"r\",\"type\":\"t\",\"level\":\"s0\"}|invalid isolator \"os/linux/selinux-context\": user \"u:x\" must be non-empty and contain no colon",
      "os/linux/selinux-context|{\"user\":\"u\",\"role\":\"r\",\"type\":\"t\"}|invalid isolator \"os/linux/selinux-context\": level \"\" must be non-empty",
      "os/linux/apparmor-profile|{}|invalid isolator \"os/linux/apparmor-profile\": profile must not be empty",
      "os/linux/oom-score-adj|1001|invalid isolator \"os/linux/oom-score-adj\": 1001 must be in -1000..1000",
      "os/linux/cpu-shares|1|invalid isolator \"os/linux/cpu-shares\": 1 must be in 2..262144",
      "os/linux/cpu-shares|\"512\"|invalid isolator \"os/linux/cpu-shares\": value must be an integer",
      "os/unix/sysctl|[]|invalid isolator \"os/unix/sysctl\": value must be a JSON object",
      "os/unix/sysctl|{\"a\":1}|invalid isolator \"os/unix/sysctl\": value of \"a\" must be a string",
      "Bad|{}|invalid AC Identifier \"Bad\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "resource/cpu|{|invalid isolator \"resource/cpu\": value is not JSON: Unexpected end-of-input: expected close marker for Object (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 1])",
  })
  void parse_invalid_throws(String name, String json, String message) {
    assertThatThrownBy(() -> parse(name, json)).isInstanceOf(InvalidValueException.class).hasMessage(message);
  }

  @Test
  void factories_buildTypedValues() {
    assertThat(Isolators.resourceCpu("500m", null).value())
        .isEqualTo(new IsolatorValue.ResourceCpu(ResourceQuantity.parse("500m"), null));
    assertThat(Isolators.resourceMemory(null, "1G").toJson().toString())
        .isEqualTo("{\"name\":\"resource/memory\",\"value\":{\"limit\":\"1G\"}}");
    assertThat(Isolators.blockBandwidth("1M").toJson().toString())
        .isEqualTo("{\"name\":\"resource/block-bandwidth\",\"value\":{\"default\":true,\"limit\":\"1M\"}}");
    assertThat(Isolators.blockIops("10").isKnown()).isTrue();
    assertThat(Isolators.networkBandwidth("1M").name().value()).isEqualTo("resource/network-bandwidth");
    assertThat(Isolators.capabilitiesRetainSet(List.of("CAP_CHOWN")).value())
        .isEqualTo(new IsolatorValue.CapabilitiesRetainSet(List.of("CAP_CHOWN")));
    assertThat(Isolators.capabilitiesRemoveSet(List.of("CAP_KILL")).isKnown()).isTrue();
    assertThat(Isolators.seccompRemoveSet(List.of("reboot"), null).toJson().toString())
        .isEqualTo("{\"name\":\"os/linux/seccomp-remove-set\",\"value\":{\"set\":[\"reboot\"]}}");
    assertThat(Isolators.seccompRetainSet(List.of("read"), "ENOSYS").value())
        .isEqualTo(new IsolatorValue.SeccompRetainSet(List.of("read"), "ENOSYS"));
    assertThat(Isolators.noNewPrivileges(true).toJson().toString())
        .isEqualTo("{\"name\":\"os/linux/no-new-privileges\",\"value\":true}");
    assertThat(Isolators.oomScoreAdj(-17).value()).isEqualTo(new IsolatorValue.OomScoreAdj(-17));
    assertThat(Isolators.cpuShares(1024).value()).isEqualTo(new IsolatorValue.CpuShares(1024));
    assertThat(Isolators.sysctl(Map.of("b", "2", "a", "1")).toJson().toString())
        .isEqualTo("{\"name\":\"os/unix/sysctl\",\"value\":{\"a\":\"1\",\"b\":\"2\"}}");
  }

  @Test
  void blockBandwidth_nullLimit_throws() {
    assertThatThrownBy(() -> Isolators.blockBandwidth(null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid isolator \"resource/block-bandwidth\": limit is required");
  }

  @Test
  void capabilities_withoutPrefix_acceptedButNotCanonical() {
    Isolator i = Isolators.capabilitiesRetainSet(List.of("NET_ADMIN"));

    assertThat(i.value()).isEqualTo(new IsolatorValue.CapabilitiesRetainSet(List.of("NET_ADMIN")));
    assertThat(Isolators.isCanonicalCapability("NET_ADMIN")).isFalse();
    assertThat(Isolators.isCanonicalCapability("CAP_NET_ADMIN")).isTrue();
  }

  @Test
  void new_knownNameWithWrongValue_throws() {
    assertThatThrownBy(() -> new Isolator(AcIdentifier.parse("resource/cpu"), new IsolatorValue.CpuShares(2)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid isolator \"resource/cpu\": value must be a ResourceCpu, got CpuShares");
  }

  @Test
  void fromJson_unknownWithoutValue_keptAsNull() {
    Isolator i = Isolator.fromJson(IsolatorValue.NODES.objectNode().put("name", "x/y"));

    assertThat(i.isKnown()).isFalse();
    assertThat(i.toJson().toString()).isEqualTo("{\"name\":\"x/y\",\"value\":null}");
  }
}
