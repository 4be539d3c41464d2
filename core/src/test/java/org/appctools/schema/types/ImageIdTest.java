package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageIdTest {

  @Test
  void ofDigest_64bytes_fullId() {
    ImageId id = ImageId.ofDigest(new byte[64]);

    assertThat(id.isFull()).isTrue();
    assertThat(id.toString()).isEqualTo("sha512-" + "0".repeat(128));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha512-a", "sha512-8d3fffddf79e9a232ffd19f9ccaa4d6b",
      "sha512-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void parse_prefix_acceptedNotFull(String s) {
    assertThat(ImageId.parse(s).isFull()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha512-", "sha512-zz", "sha256-abcd", "SHA512-ab", "sha512-AB", "abcd", "sha512-ab-cd"})
  void parse_invalid_throws(String s) {
    assertThatThrownBy(() -> ImageId.parse(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid Image ID \"" + s + "\": must be sha512- followed by 1 to 128 lowercase hex digits");
  }

  @Test
  void parse_tooLong_throws() {
    String s = "sha512-" + "a".repeat(129);

    assertThatThrownBy(() -> ImageId.parse(s)).isInstanceOf(InvalidValueException.class);
  }
}
