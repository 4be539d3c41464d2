package org.appctools.executor.metadata;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormTest {
  private static final String URLENCODED = "application/x-www-form-urlencoded";

  private static String value(Form form, String name) {
    byte[] v = form.value(name);
    return v == null ? null : new String(v, UTF_8);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "content=a+b%20c       | a b c",
      "content=%C3%A9        | é",
      "content=x%3Dy%26z     | x=y&z",
      "content=a=b           | a=b",
      "x=1&&content=2&       | 2",
      "content=first&content=second | first",
      "content               | ''",
      "c%6Fntent=k           | k"})
  void parse_urlEncoded_decodesAsGo(String body, String content) throws Exception {
    assertThat(value(Form.parse(URLENCODED + "; charset=utf-8", body.getBytes(ISO_8859_1), null), "content")).isEqualTo(content);
  }

  @Test
  void parse_percentEscapes_keepRawBytes() throws Exception {
    assertThat(Form.parse(URLENCODED, "content=%FF%00".getBytes(ISO_8859_1), null).value("content"))
        .containsExactly(0xff, 0x00);
  }

  @ParameterizedTest
  @CsvSource({"content=%", "content=%4", "content=%g0", "%zz=1"})
  void parse_badEscape_fails(String body) {
    assertThatThrownBy(() -> Form.parse(URLENCODED, body.getBytes(ISO_8859_1), null))
        .isInstanceOf(Form.MalformedFormException.class)
        .hasMessage("invalid percent escape in the form");
  }

  @Test
  void parse_bodyAndQuery_bodyFirst() throws Exception {
    Form form = Form.parse(URLENCODED, "content=body".getBytes(UTF_8), "content=query&uuid=u");

    assertThat(value(form, "content")).isEqualTo("body");
    assertThat(value(form, "uuid")).isEqualTo("u");
  }

  @Test
  void parse_otherContentType_readsTheQueryOnly() throws Exception {
    Form form = Form.parse("text/plain", "content=body".getBytes(UTF_8), "uuid=u");

    assertThat(form.value("content")).isNull();
    assertThat(value(form, "uuid")).isEqualTo("u");
    assertThat(Form.parse(null, "content=body".getBytes(UTF_8), null).value("content")).isNull();
  }

  @Test
  void parse_multipart_readsFieldsSkippingFiles() throws Exception {
    String body = "preamble\r\n--b\"x\r\n"
        + "Content-Disposition: form-data; name=\"content\"\r\nContent-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n--b\"x\r\n"
        + "content-disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n\r\nfile data\r\n--b\"x\r\n"
        + "Content-Disposition: form-data; name=uuid\r\n\r\n\r\n--b\"x\r\n"
        + "\r\nno headers\r\n--b\"x--\r\nepilogue";

    Form form = Form.parse("multipart/form-data; boundary=\"b\\\"x\"", body.getBytes(UTF_8), null);

    assertThat(value(form, "content")).isEqualTo("line 1\r\nline 2");
    assertThat(form.value("file")).isNull();
    assertThat(value(form, "uuid")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "multipart/form-data                 | --b\\r\\n\\r\\nx\\r\\n--b--      | multipart form without a boundary of 1 to 70 characters",
      "multipart/form-data; boundary=      | --b\\r\\n\\r\\nx\\r\\n--b--      | multipart form without a boundary of 1 to 70 characters",
      "multipart/form-data; boundary=c     | --b\\r\\n\\r\\nx\\r\\n--b--      | multipart form without its boundary",
      "multipart/form-data; boundary=b     | --bX\\r\\n\\r\\nx\\r\\n--b--     | malformed multipart boundary line",
      "multipart/form-data; boundary=b     | --b\\r\\nName: x\\r\\n\\r\\nvalue | truncated multipart form",
      "multipart/form-data; boundary=b     | --b\\r\\nName: x              | truncated multipart form"})
  void parse_badMultipart_fails(String contentType, String body, String message) {
    byte[] bytes = body.replace("\\r\\n", "\r\n").getBytes(UTF_8);

    assertThatThrownBy(() -> Form.parse(contentType, bytes, null))
        .isInstanceOf(Form.MalformedFormException.class)
        .hasMessage(message);
  }

  @Test
  void parse_boundaryOver70Characters_fails() {
    assertThatThrownBy(() -> Form.parse("multipart/form-data; boundary=" + "b".repeat(71), new byte[0], null))
        .hasMessage("multipart form without a boundary of 1 to 70 characters");
  }
}
