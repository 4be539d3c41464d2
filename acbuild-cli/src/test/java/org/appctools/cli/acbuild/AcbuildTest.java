package org.appctools.cli.acbuild;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
