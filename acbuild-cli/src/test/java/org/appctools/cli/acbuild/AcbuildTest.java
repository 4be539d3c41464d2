package org.appctools.cli.acbuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.appctools.cli.common.CommandTree;
import org.appctools.cli.common.PicocliStartUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class AcbuildTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "label add k v | LabelCommand",
      "lab add k v | LabelCommand",
      "--work-path w dep add a.com/b | DependencyCommand",
      "--work-path=w --no-history env add A b | EnvironmentCommand",
      "--modify x.aci label add k v | LabelCommand",
      "--debug volume add d /d | MountCommand",
      "set-wd /x | SetWorkingDirectoryCommand",
      "set- x | none",
      "help label | none",
      "--help | none",
      "-V | none",
      "frobnicate | none",
  })
  void requestedCommand_namesOneCommand_onlyThatOne(String args, String expected) {
    Class<?> c = Acbuild.requestedCommand(args.split(" "));
    assertThat(c == null ? null : c.getSimpleName()).isEqualTo(expected);
  }

  @Test
  void options_ofExcludedConverterTypes_haveTheirOwnConverters() {
    assertThat(PicocliStartUp.optionsNeedingExcludedConverters(Acbuild.commandLine())).isEmpty();
  }

  @Test
  void subcommands_namesAndAliases_areThoseOfTheirCommandAnnotations() {
    Map<String, Class<?>> fromAnnotations = new LinkedHashMap<>();
    for (Class<?> c : new LinkedHashSet<>(Acbuild.SUBCOMMANDS.values())) {
      Command command = c.getAnnotation(Command.class);
      fromAnnotations.put(command.name(), c);
      for (String alias : command.aliases()) {
        fromAnnotations.put(alias, c);
      }
    }

    assertThat(Acbuild.SUBCOMMANDS).containsExactlyEntriesOf(fromAnnotations);
  }

  @ParameterizedTest
  @CsvSource({"help", "--help"})
  void run_help_listsEveryCommand(String arg) {
    StringWriter out = new StringWriter();
    int code = Acbuild.run(new PrintWriter(out), new PrintWriter(new StringWriter()), arg);
    assertThat(code).isZero();
    for (String name : Acbuild.SUBCOMMANDS.keySet()) {
      assertThat(out.toString()).contains(name);
    }
  }

  @ParameterizedTest
  @CsvSource({"begin --help, Usage: acbuild begin", "label add -h, Usage: acbuild label add", "dep rm --help, Usage: acbuild dependency remove"})
  void run_subcommandHelp_printsItsUsageAndExits0(String args, String usage) {
    StringWriter out = new StringWriter();
    int code = Acbuild.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.split(" "));
    assertThat(code).isZero();
    assertThat(out.toString()).startsWith(usage);
  }

  static List<CommandLine> commands() {
    return CommandTree.commands(Acbuild.commandLine());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void commandLine_everyCommand_helpEndsWithExamplesThatRunIt(CommandLine c) {
    String name = CommandTree.qualifiedName(c);

    assertThat(c.getCommandSpec().usageMessage().footerHeading()).as(name).isEqualTo("%nExamples:%n");
    assertThat(Arrays.asList(c.getCommandSpec().usageMessage().footer())).as(name)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).startsWith("  "))
        .anySatisfy(line -> assertThat(line.equals("  " + name) || line.startsWith("  " + name + " ")).isTrue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void run_helpOfEveryCommand_printsExamples(CommandLine c) {
    String[] path = CommandTree.qualifiedName(c).split(" ");
    String[] args = Arrays.copyOfRange(path, 1, path.length + 1);
    args[args.length - 1] = "--help";
    StringWriter out = new StringWriter();

    int code = Acbuild.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);

    assertThat(code).isZero();
    assertThat(out.toString()).contains(System.lineSeparator() + "Examples:" + System.lineSeparator() + "  acbuild");
  }
}
