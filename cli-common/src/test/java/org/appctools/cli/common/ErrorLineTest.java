package org.appctools.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ErrorLineTest {
  @Test
  void format_colour_prefixBoldRed() {
    assertThat(ErrorLine.format("fetch: no such file: x.aci", true))
        .isEqualTo("\u001b[1;31mfetch:\u001b[0m no such file: x.aci");
  }

  @Test
  void format_noColour_lineAsItIs() {
    assertThat(ErrorLine.format("fetch: no such file: x.aci", false)).isEqualTo("fetch: no such file: x.aci");
  }

  @Test
  void format_noPrefix_lineAsItIs() {
    assertThat(ErrorLine.format("something failed", true)).isEqualTo("something failed");
  }

  @Test
  void print_stderrNotATerminal_noEscapeCodes() {
    StringWriter err = new StringWriter();

    ErrorLine.print(new PrintWriter(err), "image rm: no image matches x");

    assertThat(err.toString()).isEqualTo("image rm: no image matches x" + System.lineSeparator());
  }
}
