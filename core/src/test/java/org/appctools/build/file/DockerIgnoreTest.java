package org.appctools.build.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerIgnoreTest {
  private static final String PATTERNS = """
      # comment
      *.log
      /build
      ./docs/*.md
      **/tmp
      node_modules
      !node_modules/keep.js
      secret?.txt
      [ab].bin
      """;

  @ParameterizedTest
  @CsvSource({
      "x.log,true",
      "sub/x.log,false",
      "build,true",
      "build/out/a.o,true",
      "docs/a.md,true",
      "docs/sub/a.md,false",
      "tmp,true",
      "a/b/tmp/c,true",
      "node_modules/x.js,true",
      "node_modules/keep.js,false",
      "secret1.txt,true",
      "secret12.txt,false",
      "a.bin,true",
      "c.bin,false",
      "src/main.c,false",
  })
  void excluded_dockerRules_lastMatchDecides(String path, boolean excluded) throws AppcException {
    assertThat(DockerIgnore.parse(PATTERNS).excluded(path)).isEqualTo(excluded);
  }

  @Test
  void excluded_exceptionThenPatternAgain_excluded() throws AppcException {
    DockerIgnore d = DockerIgnore.parse("*.md\n!README.md\nREADME*\n");
    assertThat(d.excluded("README.md")).isTrue();
    assertThat(d.hasExceptions()).isTrue();
    assertThat(DockerIgnore.none().excluded("anything")).isFalse();
  }

  @Test
  void parse_badPattern_namesTheLine() {
    assertThatThrownBy(() -> DockerIgnore.parse("ok\n[abc\n"))
        .hasMessage(".dockerignore:2: bad pattern \"[abc\": unterminated [");
  }
}
