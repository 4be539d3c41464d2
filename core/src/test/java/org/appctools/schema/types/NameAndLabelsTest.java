package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameAndLabelsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "example.com/app|example.com/app",
      "example.com/app:1.0|example.com/app,version=1.0",
      "example.com/app:1.0,os=linux,arch=amd64|example.com/app,version=1.0,os=linux,arch=amd64",
      "example.com/app,channel=a+b%20c|example.com/app,channel=a+b%20c",
      "example.com/app,version=|example.com/app,version=",
  })
  void parse_valid_canonicalString(String in, String canonical) {
    assertThat(NameAndLabels.parse(in).toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a:1:2|invalid image reference \"a:1:2\": a colon may appear at most once",
      "a,os=linux:1|invalid image reference \"a,os=linux:1\": a colon may appear only right after the name",
      "a:1,version=2|invalid image reference \"a:1,version=2\": label \"version\" given more than once",
      "a,os=linux,os=linux|invalid image reference \"a,os=linux,os=linux\": label \"os\" given more than once",
      "a,os|invalid image reference \"a,os\": \"os\" must be label=value",
      "A|invalid AC Identifier \"A\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
      "a,name=b|invalid label name \"name\": reserved, the image name is a separate field",
      "a,os=plan9|invalid label os \"plan9\": must be one of darwin, freebsd, linux",
  })
  void parse_invalid_throws(String in, String message) {
    assertThatThrownBy(() -> NameAndLabels.parse(in)).isInstanceOf(InvalidValueException.class).hasMessage(message);
  }
}
