package org.appctools.build.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;

class DockerfileTest {
  @Test
  void parse_continuationsCommentsAndCase_oneInstructionPerLogicalLine() throws AppcException {
    Dockerfile d = Dockerfile.parse("Dockerfile", """
        # a comment
        from busybox AS base

        run echo a \\
          # a comment inside the continuation
          && echo b
        ENV A=1
        """);
    assertThat(d.escape()).isEqualTo('\\');
    assertThat(d.instructions()).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "ENV");
    assertThat(d.instructions()).extracting(Instruction::line).containsExactly(2, 4, 7);
    assertThat(d.instructions().get(1).text()).isEqualTo("echo a   && echo b");
    assertThat(d.instructions().get(1).json()).isNull();
  }

  @Test
  void parse_execForm_jsonArray_elseShellForm() throws AppcException {
    Dockerfile d = Dockerfile.parse("Dockerfile", """
        CMD ["/bin/echo", "a b"]
        CMD [not json]
        ENTRYPOINT ["x", 1]
        """);
    assertThat(d.instructions().get(0).json()).containsExactly("/bin/echo", "a b");
    assertThat(d.instructions().get(1).json()).isNull();
    assertThat(d.instructions().get(1).text()).isEqualTo("[not json]");
    assertThat(d.instructions().get(2).json()).isNull();
  }

  @Test
  void parse_flags_leadingDashDashOnlyForInstructionsWithFlags() throws AppcException {
    Dockerfile d = Dockerfile.parse("Dockerfile", """
        COPY --from=build --chown=1:2 /a /b
        ENV --x=1
        """);
    assertThat(d.instructions().get(0).flags()).isEqualTo(Map.of("from", "build", "chown", "1:2"));
    assertThat(d.instructions().get(0).text()).isEqualTo("/a /b");
    assertThat(d.instructions().get(0).display()).isEqualTo("COPY --from=build --chown=1:2 /a /b");
    assertThat(d.instructions().get(1).flags()).isEmpty();
    assertThat(d.instructions().get(1).text()).isEqualTo("--x=1");
  }

  @Test
  void parse_escapeDirective_backtickContinues() throws AppcException {
    Dockerfile d = Dockerfile.parse("Dockerfile", "# escape=`\nFROM scratch\nRUN dir c:\\ `\n  /w\n");
    assertThat(d.escape()).isEqualTo('`');
    assertThat(d.instructions().get(1).text()).isEqualTo("dir c:\\   /w");
  }

  @Test
  void parse_directiveAfterAComment_isAComment() throws AppcException {
    Dockerfile d = Dockerfile.parse("Dockerfile", "# hello\n# escape=`\nFROM scratch\n");
    assertThat(d.escape()).isEqualTo('\\');
  }

  @Test
  void parse_badInput_errorsNameTheLine() {
    assertThatThrownBy(() -> Dockerfile.parse("Dockerfile", "# escape=x\nFROM a\n"))
        .hasMessage("Dockerfile:1: invalid escape token 'x' does not match ` or \\");
    assertThatThrownBy(() -> Dockerfile.parse("Dockerfile", "FROM a\n1RUN x\n"))
        .hasMessage("Dockerfile:2: unknown instruction: 1RUN");
    assertThatThrownBy(() -> Dockerfile.parse("my.df", "FROM a\nCOPY --from=a --from=b x y\n"))
        .hasMessage("my.df:2: COPY: flag --from given twice");
  }

  @Test
  void parse_crlf_likeLf() throws AppcException {
    Dockerfile d = Dockerfile.parse("Dockerfile", "FROM a\r\nRUN b \\\r\n c\r\n");
    assertThat(d.instructions()).extracting(Instruction::text).isEqualTo(List.of("a", "b  c"));
  }
}
