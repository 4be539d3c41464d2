package org.appctools.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TerminalTest {
  @ParameterizedTest
  @CsvSource({"/dev/pts/3, true", "/dev/tty1, true", "/dev/ttyS0, true", "/dev/console, true",
      "/dev/null, false", "pipe:[123456], false", "socket:[42], false", "/tmp/log.txt, false"})
  void isTerminalDevice_linkTarget_onlyTerminals(String device, boolean expected) {
    assertThat(Terminal.isTerminalDevice(device)).isEqualTo(expected);
  }

  @Test
  void isTerminal_linkToAPipe_false(@TempDir Path tmp) throws Exception {
    Path fd = Files.createSymbolicLink(tmp.resolve("2"), Path.of("pipe:[123456]"));

    assertThat(Terminal.isTerminal(fd)).isFalse();
  }

  @Test
  void isTerminal_linkToAPseudoTerminal_true(@TempDir Path tmp) throws Exception {
    Path fd = Files.createSymbolicLink(tmp.resolve("2"), Path.of("/dev/pts/7"));

    assertThat(Terminal.isTerminal(fd)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(nullValues = "unset", value = {"true, unset, true", "true, '', true", "true, 1, false",
      "true, no, false", "false, unset, false"})
  void colour_terminalAndNoColor_asNoColorOrgSays(boolean terminal, String noColor, boolean expected) {
    assertThat(Terminal.colour(terminal, noColor)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"50 132 | 132", "24 80 | 80", "'' | 80", "0 0 | 80", "stty: not a tty | 80"})
  void parseColumns_sttySize_columnsOrTheDefault(String sttySize, int expected) {
    assertThat(Terminal.parseColumns(sttySize)).isEqualTo(expected);
  }
}
