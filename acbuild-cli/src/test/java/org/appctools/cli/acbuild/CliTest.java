package org.appctools.cli.acbuild;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliTest {
  @Test
  void goQuote_plainText_isQuoted() {
    assertThat(Cli.goQuote("/bin/sh")).isEqualTo("\"/bin/sh\"");
  }

  @Test
  void goQuote_quotesBackslashesAndControls_areEscapedAsGoDoes() {
    assertThat(Cli.goQuote("a\"b\\c\n\t\u0007\u000b\u0001\u007f"))
        .isEqualTo("\"a\\\"b\\\\c\\n\\t\\a\\v\\x01\\x7f\"");
  }

  @Test
  void goQuote_unicode_isKeptAndSurrogatePairsStayOneCharacter() {
    assertThat(Cli.goQuote("é \uD83D\uDE00")).isEqualTo("\"é \uD83D\uDE00\"");
  }

  @Test
  void goQuote_c1ControlAndUnassigned_areEscaped() {
    assertThat(Cli.goQuote("\u0085\uD900\uDC00")).isEqualTo("\"\\u0085\\U00050000\"");
  }
}
