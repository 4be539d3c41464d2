package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AcIdentifierTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "example.com/app", "coreos.com/etcd", "example.com/app_1-2~x", "k8s.io/pause", "0", "a.b"})
  void parse_valid_strictAndRoundTrips(String s) {
    AcIdentifier id = AcIdentifier.parse(s);

    assertThat(id.toString()).isEqualTo(s);
    assertThat(id.isStrict()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"example.com/~user/app_v1", "example.com//app", "a--b", "a/_b"})
  void parse_consecutiveSeparators_acceptedLikeGoButNotStrict(String s) {
    assertThat(AcIdentifier.parse(s).isStrict()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Foo|invalid AC Identifier \"Foo\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "-a|invalid AC Identifier \"-a\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "a/|invalid AC Identifier \"a/\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "a b|invalid AC Identifier \"a b\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "a:b|invalid AC Identifier \"a:b\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "é|invalid AC Identifier \"é\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
  })
  void parse_invalid_throws(String s, String message) {
    assertThatThrownBy(() -> AcIdentifier.parse(s)).isInstanceOf(InvalidValueException.class).hasMessage(message);
  }

  @Test
  void parse_empty_throws() {
    assertThatThrownBy(() -> AcIdentifier.parse(""))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid AC Identifier \"\": must not be empty");
  }
}
