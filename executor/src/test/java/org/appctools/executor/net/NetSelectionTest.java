package org.appctools.executor.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.appctools.AppcException;
import org.appctools.executor.NetMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetSelectionTest {
  @Test
  void parse_hostAndNone_noNetworks() throws Exception {
    assertThat(NetSelection.parse("host")).isEqualTo(new NetSelection(NetMode.HOST, List.of()));
    assertThat(NetSelection.parse("none")).isEqualTo(new NetSelection(NetMode.NONE, List.of()));
  }

  @Test
  void parse_networksWithArgs_inOrder() throws Exception {
    assertThat(NetSelection.parse("default")).isEqualTo(new NetSelection(NetMode.DEFAULT,
        List.of(new NetSelection.Attachment("default", ""))));
    assertThat(NetSelection.parse("a:IP=10.0.0.5;IgnoreUnknown=1,b")).isEqualTo(new NetSelection(NetMode.DEFAULT,
        List.of(new NetSelection.Attachment("a", "IP=10.0.0.5;IgnoreUnknown=1"), new NetSelection.Attachment("b", ""))));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "host,a|invalid --net \"host,a\": host stands alone (give it without other networks)",
      "a,none|invalid --net \"a,none\": none stands alone (give it without other networks)",
      "a,,b|invalid --net \"a,,b\": \"\" is not a network name (use default, host, none or NAME[:ARG=VALUE;...][,NAME...])",
      "a/b|invalid --net \"a/b\": \"a/b\" is not a network name (use default, host, none or NAME[:ARG=VALUE;...][,NAME...])",
      "a,a|invalid --net \"a,a\": network \"a\" is given twice",
      "a:IP|invalid --net \"a:IP\": argument \"IP\" of network \"a\" is not ARG=VALUE",
      "a:X=1;|invalid --net \"a:X=1;\": argument \"\" of network \"a\" is not ARG=VALUE"})
  void parse_bad_oneLine(String value, String message) {
    assertThatThrownBy(() -> NetSelection.parse(value)).isInstanceOf(AppcException.class).hasMessage(message);
  }
}
