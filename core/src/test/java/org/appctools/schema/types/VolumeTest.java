package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeTest {

  private static final AcName V = AcName.parse("v");

  @Test
  void empty_defaults_mode0755Uid0Gid0() {
    Volume v = Volume.empty(V);

    assertThat(v.mode()).isEqualTo("0755");
    assertThat(v.uid()).isZero();
    assertThat(v.gid()).isZero();
    assertThat(v.readOnly()).isNull();
  }

  @Test
  void host_absoluteSource_accepted() {
    assertThat(Volume.host(V, "/srv", true).source()).isEqualTo("/srv");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "host||invalid volume \"v\": source \"\" of a host volume must be an absolute path",
      "host|srv|invalid volume \"v\": source \"srv\" of a host volume must be an absolute path",
      "empty|/srv|invalid volume \"v\": an empty volume must not have a source",
      "tmpfs||invalid volume \"v\": kind \"tmpfs\" must be host or empty",
  })
  void new_invalid_throws(String kind, String source, String message) {
    assertThatThrownBy(() -> new Volume(V, kind, source, null, null, null, null, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void new_nonOctalMode_throws() {
    assertThatThrownBy(() -> new Volume(V, "empty", null, null, null, "rwx", null, null))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid volume \"v\": mode \"rwx\" must be octal, like 0755");
  }
}
