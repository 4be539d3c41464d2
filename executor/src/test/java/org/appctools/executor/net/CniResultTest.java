package org.appctools.executor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;

class CniResultTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parse_current_thePodsAddressesFirst_rawKept() throws Exception {
    String json = "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"appctools0\"},{\"name\":\"veth1\"},"
        + "{\"name\":\"eth0\",\"sandbox\":\"/run/appctools/netns/x\"}],\"ips\":[{\"interface\":0,\"address\":\"172.16.28.1/24\"},"
        + "{\"interface\":2,\"address\":\"172.16.28.2/24\",\"gateway\":\"172.16.28.1\"}],\"dns\":{}}";
    CniResult r = CniResult.parse(b(json), "x");
    assertThat(r.ips()).containsExactly(new CniResult.Ip("172.16.28.2/24", "172.16.28.1"), new CniResult.Ip("172.16.28.1/24", null));
    assertThat(r.ips().get(0).host()).isEqualTo("172.16.28.2");
    assertThat(r.json().toString()).isEqualTo(json);
  }

  @Test
  void parse_loopbackPlugin_noAddresses() throws Exception {
    CniResult r = CniResult.parse(b("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"lo\",\"sandbox\":\"/n\"}],"
        + "\"ips\":[{\"interface\":0,\"address\":\"127.0.0.1/8\"},{\"interface\":0,\"address\":\"::1/128\"}]}"), "x");
    assertThat(r.ips()).isEmpty();
  }

  @Test
  void parse_cni020_ip4AndIp6() throws Exception {
    CniResult r = CniResult.parse(b("{\"ip4\":{\"ip\":\"10.1.0.5/16\",\"gateway\":\"10.1.0.1\"},\"ip6\":{\"ip\":\"fd00::5/64\"}}"), "x");
    assertThat(r.ips()).containsExactly(new CniResult.Ip("10.1.0.5/16", "10.1.0.1"), new CniResult.Ip("fd00::5/64", null));
  }

  @Test
  void parse_notJson_namesWhatAndShowsTheOutput() {
    assertThatThrownBy(() -> CniResult.parse(b("oops\nmore"), "network \"n\": plugin bridge ADD"))
        .isInstanceOf(AppcException.class).hasMessage("cni: network \"n\": plugin bridge ADD returned no JSON result: oops");
  }

  @Test
  void errorMessage_codeMessageDetails_oneLine() {
    assertThat(CniResult.errorMessage(b("{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"no IP addresses available\","
        + "\"details\":\"range 10.0.0.0/30\\nis full\"}"), b(""))).isEqualTo("error 11: no IP addresses available (range 10.0.0.0/30; is full)");
    assertThat(CniResult.errorMessage(b("{\"msg\":\"failed\"}"), b(""))).isEqualTo("failed");
  }

  @Test
  void errorMessage_noErrorObject_theFirstLineOfStdoutElseStderr() {
    assertThat(CniResult.errorMessage(b("panic: boom\ngoroutine 1"), b("ignored"))).isEqualTo("panic: boom");
    assertThat(CniResult.errorMessage(b(""), b("\nexec format error\n"))).isEqualTo("exec format error");
  }
}
