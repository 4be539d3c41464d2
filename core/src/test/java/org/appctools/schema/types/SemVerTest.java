package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.8.11", "1.0.0", "0.0.1", "1.2.3-rc.1", "1.2.3+git.abc", "0.8.11-1+git", "0.0.0-alpha"})
  void parse_valid_roundTrips(String s) {
    assertThat(SemVer.parse(s).toString()).isEqualTo(s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.2", "v1.2.3", "01.2.3", "1.2.3-", "1.2.3+", "a.b.c", " 1.2.3"})
  void parse_malformed_throws(String s) {
    assertThatThrownBy(() -> SemVer.parse(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid AC Version \"" + s + "\": must be a semantic version MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
  }

  @Test
  void parse_zero_throws() {
    assertThatThrownBy(() -> SemVer.parse("0.0.0"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid AC Version \"0.0.0\": must not be the zero version");
  }

  @Test
  void parse_empty_throws() {
    assertThatThrownBy(() -> SemVer.parse(""))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid AC Version \"\": must not be empty");
  }

  @Test
  void current_is0811() {
    assertThat(SemVer.CURRENT.toString()).isEqualTo("0.8.11");
  }

  @ParameterizedTest
  @CsvSource({"0.8.10,0.8.11", "0.8.11-rc.1,0.8.11", "1.0.0-alpha,1.0.0-alpha.1", "1.0.0-alpha.2,1.0.0-alpha.10",
      "1.0.0-1,1.0.0-alpha", "0.9.0,1.0.0"})
  void compareTo_orderedPairs_lessThan(String lower, String higher) {
    assertThat(SemVer.parse(lower)).isLessThan(SemVer.parse(higher));
  }
}
