package org.appctools.cli.actool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.appctools.cli.common.CommandTree;
import org.appctools.cli.common.PicocliStartUp;
import org.appctools.cli.docker2aci.Docker2aci;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ActoolTest {
  @Test
  void options_ofExcludedConverterTypes_haveTheirOwnConverters() {
    assertThat(PicocliStartUp.optionsNeedingExcludedConverters(Actool.commandLine())).isEmpty();
    assertThat(PicocliStartUp.optionsNeedingExcludedConverters(Docker2aci.commandLine())).isEmpty();
  }

  @Test
  void subcommands_names_areThoseOfTheirCommandAnnotations() {
    Map<String, Class<?>> fromAnnotations = new LinkedHashMap<>();
    for (Class<?> c : Actool.SUBCOMMANDS.values()) {
      fromAnnotations.put(c.getAnnotation(Command.class).name(), c);
      assertThat(c.getAnnotation(Command.class).aliases()).as(c.getSimpleName()).isEmpty();
    }

    assertThat(Actool.SUBCOMMANDS).containsExactlyEntriesOf(fromAnnotations);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "run x.aci | RunCommand", "--debug image list | ImageCommand", "help run | none", "--help | none", "nope | none"})
  void requestedCommand_namesOneCommand_onlyThatOne(String args, String expected) {
    Class<?> c = Actool.requestedCommand(args.split(" "));
    assertThat(c == null ? null : c.getSimpleName()).isEqualTo(expected);
  }

  static List<CommandLine> commands() {
    List<CommandLine> all = new java.util.ArrayList<>(CommandTree.commands(Actool.commandLine()));
    all.addAll(CommandTree.commands(Docker2aci.commandLine()));
    return all;
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
    List<String> path = Arrays.asList(CommandTree.qualifiedName(c).split(" "));
    StringWriter out = new StringWriter();
    String[] args = java.util.stream.Stream.concat(path.stream().skip(1), java.util.stream.Stream.of("--help"))
        .toArray(String[]::new);

    int code = path.get(0).equals("docker2aci")
        ? Docker2aci.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args)
        : Actool.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);

    assertThat(code).isZero();
    assertThat(out.toString()).contains(System.lineSeparator() + "Examples:" + System.lineSeparator() + "  " + path.get(0));
  }
}
