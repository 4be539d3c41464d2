package org.appctools.cli.actool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpFlagsTest {
  @ParameterizedTest
  @CsvSource({
    "30, PT30S",
    "30s, PT30S",
    "2m, PT2M",
    "1m30s, PT1M30S",
    "1h, PT1H",
    "500ms, PT0.5S",
    "1.5s, PT1.5S",
  })
  void parseDuration_goSyntaxOrSeconds(String text, String expected) {
    assertThat(HttpFlags.parseDuration(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "10x", "-5s", "1m 30s", "5s3", "ms"})
  void parseDuration_other_null(String text) {
    assertThat(HttpFlags.parseDuration(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--timeout=0s| actool: --timeout: \"0s\" is not a positive duration (e.g. 30s, 2m, 1m30s, 500ms)",
    "--timeout=soon| actool: --timeout: \"soon\" is not a positive duration (e.g. 30s, 2m, 1m30s, 500ms)",
    "--port=70000| actool: --port must be 1 to 65535 (given 70000)",
  })
  void discover_badHttpOrDiscoveryFlag_usageError(String flag, String message) {
    StringWriter err = new StringWriter();

    int code = Actool.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "discover", flag, "example.com/app");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith(message + "\n");
  }
}
