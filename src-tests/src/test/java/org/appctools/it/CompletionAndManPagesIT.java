package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.appctools.cli.acbuild.Acbuild;
import org.appctools.cli.actool.Actool;
import org.appctools.cli.common.CommandTree;
import org.appctools.cli.common.ManPage;
import org.appctools.cli.docker2aci.Docker2aci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The shell completion scripts and man pages the build generates into the CLI modules' target/
 * directories, used as a user would: the script sourced by a real bash completing partial command
 * lines, the pages rendered by {@code man -l}.
 */
class CompletionAndManPagesIT {
  @TempDir Path tmp;

  private static Path generated(String module, String relative) {
    return Tools.projectRoot().resolve(module).resolve("target").resolve(relative);
  }

  /** What bash's completion offers for {@code words} (the last one being completed), one a line. */
  private String complete(Path script, String tool, String... words) throws Exception {
    String line = tool + " " + String.join(" ", words);
    String bash = "source " + script + " 2>/dev/null; COMP_WORDS=(" + line + "); COMP_CWORD=" + words.length
        + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_" + tool
        + " 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
    return Tools.process(tmp, Map.of(), "/bin/bash", "-c", bash).expectOk().out();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "actool-cli | actool | im | image,image-id",
      "actool-cli | actool | image li | list",
      "actool-cli | actool | trust l | list",
      "actool-cli | actool | fetch --pull | --pull-policy",
      "acbuild-cli | acbuild | set-w | set-working-directory,set-wd",
      "acbuild-cli | acbuild | label a | add",
      "actool-cli | docker2aci | --comp | --compression,--compression-level",
  })
  void bashCompletion_partialWord_completedFromTheCommandModel(String module, String tool, String words, String expected)
      throws Exception {
    Path script = generated(module, "completion/" + tool + ".bash");

    String offered = complete(script, tool, words.split(" "));

    assertThat(offered.lines()).containsExactlyInAnyOrder(expected.split(","));
  }

  @Test
  void bashCompletion_sourced_registeredForTheTool() throws Exception {
    Path script = generated("actool-cli", "completion/actool.bash");

    String registered = Tools.process(tmp, Map.of(), "/bin/bash", "-c", "source " + script + "; complete -p actool")
        .expectOk().out();

    assertThat(registered).isEqualTo("complete -o default -F _complete_actool actool\n");
  }

  @Test
  void zshCompletion_sourcedAfterCompinit_registeredThroughBashcompinit() throws Exception {
    Tools.requireTool(Path.of("/usr/bin/zsh"), "zsh");
    Path script = generated("actool-cli", "completion/actool.bash");

    String registered = Tools.process(tmp, Map.of("HOME", tmp.toString()), "/usr/bin/zsh", "-f", "-c",
        "autoload -U +X compinit && compinit -u -D; source " + script + "; print -r -- \"${_comps[actool]}\"").expectOk().out();

    assertThat(registered).isEqualTo("_bash_complete -F _complete_actool -o default\n");
  }

  @Test
  void manPage_actoolFetch_rendersWithItsSectionsAndExamples() throws Exception {
    Tools.requireTool(Path.of("/usr/bin/man"), "man-db");
    Path page = generated("actool-cli", "man/man1/actool-fetch.1");

    Tools.Result r = Tools.process(tmp, Map.of("MANWIDTH", "100", "LC_ALL", "C.UTF-8"), "/usr/bin/man", "-l", page.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("ACTOOL-FETCH(1)")
        .contains("NAME\n       actool-fetch - Fetch images into the image store, verified against the trust store\n")
        .contains("SYNOPSIS\n       actool fetch [-hq]")
        .contains("OPTIONS\n")
        .contains("       --pull-policy=POLICY\n")
        .contains("EXAMPLES\n       actool fetch example.com/app:1.0\n")
        .contains("SEE ALSO\n       actool(1)");
  }

  static Stream<Arguments> everyCommand() {
    return Stream.of(
        Stream.of(Actool.commandLine(), Docker2aci.commandLine()).map(c -> Arguments.of("actool-cli", c)),
        Stream.of(Acbuild.commandLine()).map(c -> Arguments.of("acbuild-cli", c)))
        .flatMap(s -> s);
  }

  @ParameterizedTest
  @MethodSource("everyCommand")
  void manPages_everyCommandOfTheModel_hasAPageManRenders(String module, CommandLine root) throws Exception {
    Tools.requireTool(Path.of("/usr/bin/man"), "man-db");
    List<CommandLine> commands = CommandTree.commands(root);

    for (CommandLine c : commands) {
      Path page = generated(module, "man/man1/" + ManPage.fileName(c));
      assertThat(page).as(CommandTree.qualifiedName(c)).exists();
      Tools.Result r = Tools.process(tmp, Map.of("MANWIDTH", "100", "LC_ALL", "C.UTF-8"), "/usr/bin/man", "-l", page.toString());
      assertThat(r.code()).as(page.toString()).isZero();
      assertThat(r.out()).as(page.toString()).contains("EXAMPLES\n");
    }
    try (Stream<Path> pages = Files.list(generated(module, "man/man1"))) {
      assertThat(pages.filter(p -> p.getFileName().toString().startsWith(root.getCommandName()))).hasSize(commands.size());
    }
  }
}
