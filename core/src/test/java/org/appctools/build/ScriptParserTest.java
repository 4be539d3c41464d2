package org.appctools.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;

class ScriptParserTest {
  @Test
  void parse_goScriptSyntax_tokensAsGo() throws AppcException {
    String script = """
        # a comment line
        begin
          set-name   example.com/hello  # trailing comment
        label add 'a b' "c 'd' e"
        environment add X \\"quoted\\"
        annotation add k 'it''s'
        SET-EXEC /bin/sh -c "echo hi"
        run --engine=chroot apk add nginx
        copy \\
          src /dst

        write out.aci
        """;
    assertThat(ScriptParser.parse(script)).containsExactly(
        List.of("begin"),
        List.of("set-name", "example.com/hello"),
        List.of("label", "add", "a b", "c 'd' e"),
        List.of("environment", "add", "X", "\"quoted\""),
        List.of("annotation", "add", "k", "its"),
        List.of("set-exec", "--", "/bin/sh", "-c", "echo hi"),
        List.of("run", "--engine=chroot", "--", "apk", "add", "nginx"),
        List.of("copy", "src", "/dst"),
        List.of("write", "out.aci"));
  }

  @Test
  void parse_runWithDashes_unchanged() throws AppcException {
    assertThat(ScriptParser.parse("run -- ls -l")).containsExactly(List.of("run", "--", "ls", "-l"));
    assertThat(ScriptParser.parse("set-exec -x")).containsExactly(List.of("set-exec", "-x"));
  }

  @Test
  void parse_hashInsideQuotesAndEscaped_kept() throws AppcException {
    assertThat(ScriptParser.parse("label add a '#1' \\#2 b#c")).containsExactly(
        List.of("label", "add", "a", "#1", "#2", "b"));
  }

  @Test
  void parse_badLines_goMessages() {
    assertThatThrownBy(() -> ScriptParser.parse("begin\nlabel add a 'b"))
        .isInstanceOf(AppcException.class)
        .hasMessage("unterminated single quote block (line 2)");
    assertThatThrownBy(() -> ScriptParser.parse("label add a \"b"))
        .hasMessage("unterminated double quote block (line 1)");
    assertThatThrownBy(() -> ScriptParser.parse("label add a b\\"))
        .hasMessage("ended with an escape (line 1)");
    assertThatThrownBy(() -> ScriptParser.parse("begin\n  End"))
        .hasMessage("calling end is unnecessary in a script, cleanup is done automatically "
            + "(line 2)");
  }

  @Test
  void parse_emptyAndCommentsOnly_noCommands() throws AppcException {
    assertThat(ScriptParser.parse("\n  # x\n\t\n")).isEmpty();
  }
}
