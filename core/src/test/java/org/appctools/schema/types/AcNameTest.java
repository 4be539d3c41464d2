package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "web", "reduce-worker", "abc-123", "9"})
  void parse_valid_strict(String s) {
    assertThat(AcName.parse(s).isStrict()).isTrue();
    assertThat(AcName.parse(s).toString()).isEqualTo(s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a--b"})
  void parse_doubleDash_acceptedLikeGoButNotStrict(String s) {
    assertThat(AcName.parse(s).isStrict()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "a_b", "a.b", "-a", "a-", "a/b", "a b"})
  void parse_invalid_throws(String s) {
    assertThatThrownBy(() -> AcName.parse(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid AC Name \"" + s + "\": must be lowercase letters, digits and -, starting and ending with a letter or digit");
  }
}
