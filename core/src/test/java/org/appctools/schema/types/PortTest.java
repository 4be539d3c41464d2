package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortTest {

  private static final AcName P = AcName.parse("p");

  @ParameterizedTest
  @CsvSource({"1,1", "65535,1", "80,10", "65526,10", "65535,0"})
  void new_validRange_accepted(int port, int count) {
    assertThat(new Port(P, "tcp", port, count, false).port()).isEqualTo(port);
  }

  @Test
  void new_countZero_becomesOne() {
    assertThat(new Port(P, "tcp", 80, 0, false).count()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0|1|invalid port \"p\": port 0 must be in 1..65535",
      "65536|1|invalid port \"p\": port 65536 must be in 1..65535",
      "80|-1|invalid port \"p\": count -1 must be at least 1",
      "65530|7|invalid port \"p\": range 65530..65536 must end at or below 65535",
  })
  void new_invalid_throws(int port, int count, String message) {
    assertThatThrownBy(() -> new Port(P, "tcp", port, count, false))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void new_noProtocol_throws() {
    assertThatThrownBy(() -> new Port(P, "", 80, 1, false))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid port \"p\": protocol is required");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0||invalid exposed port \"p\": hostPort 0 must be in 1..65535",
      "80|localhost|invalid hostIP \"localhost\": must be an IPv4 or IPv6 address",
      "80|256.1.1.1|invalid hostIP \"256.1.1.1\": must be an IPv4 or IPv6 address",
  })
  void exposedPort_invalid_throws(int hostPort, String hostIp, String message) {
    assertThatThrownBy(() -> new ExposedPort(P, hostPort, hostIp, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void exposedPort_ipv4AndIpv6_accepted() {
    assertThat(new ExposedPort(P, 80, "10.0.0.1", null).hostIP()).isEqualTo("10.0.0.1");
    assertThat(new ExposedPort(P, 80, "::1", null).hostIP()).isEqualTo("::1");
    assertThat(new ExposedPort(P, 80, "", null).hostIP()).isNull();
  }
}
