package org.appctools.build.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShellLexTest {
  private static final Map<String, String> VARS = Map.of("A", "a", "EMPTY", "", "SP", "x y");
  private final ShellLex lex = new ShellLex('\\');

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "$A|a",
      "${A}b|ab",
      "$Ab|",
      "${NOPE}|",
      "${NOPE:-d}|d",
      "${EMPTY:-d}|d",
      "${EMPTY-d}|",
      "${NOPE-d}|d",
      "${A:+set}|set",
      "${EMPTY:+set}|",
      "${EMPTY+set}|set",
      "${NOPE:-${A}x}|ax",
      "'$A'|$A",
      "\"$A b\"|a b",
      "\"\\$A\"|$A",
      "\\$A|$A",
      "a\\ b|a b",
      "$|$",
      "$1|$1",
      "100%|100%",
  })
  void word_dockerRules_substituted(String in, String out) throws AppcException {
    assertThat(lex.word(in, VARS, "Dockerfile:1")).isEqualTo(out == null ? "" : out);
  }

  @Test
  void words_unquotedWhitespace_splits() throws AppcException {
    assertThat(lex.words("a \"b c\" 'd e'  f\\ g $SP", VARS, "Dockerfile:1"))
        .containsExactly("a", "b c", "d e", "f g", "x y");
    assertThat(lex.words("\"\"", VARS, "Dockerfile:1")).containsExactly("");
  }

  @Test
  void word_backtickEscape_escapes() throws AppcException {
    assertThat(new ShellLex('`').word("c:\\dir `$A", VARS, "Dockerfile:1")).isEqualTo("c:\\dir $A");
  }

  @Test
  void word_errors_nameTheLine() {
    assertThatThrownBy(() -> lex.word("${NOPE:?must be set}", VARS, "Dockerfile:3"))
        .hasMessage("Dockerfile:3: NOPE: must be set");
    assertThatThrownBy(() -> lex.word("${NOPE?}", VARS, "Dockerfile:3"))
        .hasMessage("Dockerfile:3: NOPE: is not allowed to be unset");
    assertThatThrownBy(() -> lex.word("${A#x}", VARS, "Dockerfile:3"))
        .hasMessage("Dockerfile:3: unsupported modifier (#) in substitution ${A...} (supported: :- - :+ + :? ?)");
    assertThatThrownBy(() -> lex.word("${A", VARS, "Dockerfile:3")).hasMessage("Dockerfile:3: missing '}' in ${A");
    assertThatThrownBy(() -> lex.word("'open", VARS, "Dockerfile:3"))
        .hasMessage("Dockerfile:3: unexpected end of statement while looking for matching single-quote in 'open");
    assertThatThrownBy(() -> lex.word("${}", VARS, "Dockerfile:3"))
        .hasMessage("Dockerfile:3: bad substitution in ${} (a variable name must follow ${)");
  }
}
