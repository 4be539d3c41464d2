package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuildOptionsTest {
  @Test
  void sourceDateEpoch_unsetOrEmpty_empty() throws Exception {
    assertThat(BuildOptions.sourceDateEpoch(null)).isEmpty();
    assertThat(BuildOptions.sourceDateEpoch("")).isEmpty();
  }

  @Test
  void sourceDateEpoch_seconds_parsed() throws Exception {
    assertThat(BuildOptions.sourceDateEpoch("1700000000")).isEqualTo(OptionalLong.of(1700000000L));
    assertThat(BuildOptions.sourceDateEpoch(" 0 ")).isEqualTo(OptionalLong.of(0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "yesterday", "1.5", "99999999999999999999"})
  void sourceDateEpoch_notSeconds_throwsNamingTheFix(String value) {
    assertThatThrownBy(() -> BuildOptions.sourceDateEpoch(value)).isInstanceOf(AppcException.class)
        .hasMessage("SOURCE_DATE_EPOCH=" + value + " is not a number of seconds since 1970 (unset it or give e.g. 1700000000)");
  }
}
