package org.appctools.cli.actool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {
  @ParameterizedTest
  @CsvSource({
      "24h, PT24H",
      "30m, PT30M",
      "1h30m, PT1H30M",
      "1.5h, PT1H30M",
      "90s, PT1M30S",
      "0, PT0S",
      "+5m, PT5M",
      "2h45m30.5s, PT2H45M30.5S",
      "250ms, PT0.25S",
      "10us, PT0.00001S",
      "7ns, PT0.000000007S",
      ".5h, PT30M",
  })
  void parse_goSyntax_givesTheDuration(String text, String iso) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "24", "h", "-1h", "1d", "1h 30m", "1H", "bogus", "1.2.3s"})
  void parse_otherText_refusedWithTheSyntax(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .hasMessage("invalid duration \"" + text + "\": write it like 24h, 30m or 1h30m (units ns, us, ms, s, m, h)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"3000000h"})
  void parse_tooLong_refused(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .hasMessage("invalid duration \"" + text + "\": too long (at most about 292 years)");
  }
}
