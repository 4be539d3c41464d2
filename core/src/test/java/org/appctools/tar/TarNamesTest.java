package org.appctools.tar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TarNamesTest {
  @ParameterizedTest
  @CsvSource({
    "rootfs/x, rootfs/x",
    "./rootfs/x, rootfs/x",
    "rootfs/, rootfs",
    "rootfs//a/./b/, rootfs/a/b",
    "./, .",
    "a/../b, b",
    "a/../../b, ../b",
    "/a/../../b, /b",
  })
  void clean_likeGoFilepathClean(String raw, String expected) {
    assertThat(TarNames.clean(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "rootfs/x, ",
    "./rootfs/x, ",
    "/etc/passwd, ABSOLUTE",
    "rootfs/../../x, DOT_DOT",
    "rootfs/a/.., DOT_DOT",
    "'', EMPTY",
    "rootfs/..a, ",
  })
  void problem_rawName_classifies(String raw, TarNames.Problem expected) {
    assertThat(TarNames.problem(raw)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void problem_nul_isNul() {
    assertThat(TarNames.problem("rootfs/a\0b")).isEqualTo(TarNames.Problem.NUL);
  }
}
