package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnotationsTest {

  @ParameterizedTest
  @CsvSource({"created,2014-10-27T19:32:58Z", "created,2014-10-27T19:32:58.123+02:00", "homepage,https://example.com",
      "documentation,http://example.com/docs?x=1", "authors,anything at all", "example.com/custom,''"})
  void new_valid_accepted(String name, String value) {
    assertThat(new Annotation(AcIdentifier.parse(name), value).value()).isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "created|2014-10-27 19:32:58Z|invalid annotation created \"2014-10-27 19:32:58Z\": must be an RFC 3339 date-time such as 2016-01-02T15:04:05Z",
      "created|2014-10-27T19:32:58|invalid annotation created \"2014-10-27T19:32:58\": must be an RFC 3339 date-time such as 2016-01-02T15:04:05Z",
      "created|yesterday|invalid annotation created \"yesterday\": must be an RFC 3339 date-time such as 2016-01-02T15:04:05Z",
      "homepage|ftp://example.com|invalid annotation homepage \"ftp://example.com\": must be an http or https URL",
      "documentation|example.com/docs|invalid annotation documentation \"example.com/docs\": must be an http or https URL",
  })
  void new_invalidWellKnown_throws(String name, String value, String message) {
    assertThatThrownBy(() -> new Annotation(AcIdentifier.parse(name), value))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(message);
  }

  @Test
  void new_duplicateName_throws() {
    Annotation a = new Annotation(AcIdentifier.parse("authors"), "a");

    assertThatThrownBy(() -> Annotations.of(List.of(a, a)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid annotations: duplicate name \"authors\"");
  }

  @Test
  void withWithoutGet_editByName() {
    Annotations a = Annotations.of().with(AcIdentifier.parse("authors"), "me").with(AcIdentifier.parse("authors"), "you");

    assertThat(a.get("authors")).contains("you");
    assertThat(a.without(AcIdentifier.parse("authors")).isEmpty()).isTrue();
  }
}
