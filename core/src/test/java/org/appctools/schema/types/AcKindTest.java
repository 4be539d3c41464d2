package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcKindTest {

  @ParameterizedTest
  @ValueSource(strings = {"ImageManifest", "PodManifest"})
  void parse_known_roundTrips(String s) {
    assertThat(AcKind.parse(s).toString()).isEqualTo(s);
  }

  @ParameterizedTest
  @ValueSource(strings = {"imagemanifest", "", "ContainerRuntimeManifest"})
  void parse_other_throws(String s) {
    assertThatThrownBy(() -> AcKind.parse(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid AC Kind \"" + s + "\": must be ImageManifest or PodManifest");
  }
}
