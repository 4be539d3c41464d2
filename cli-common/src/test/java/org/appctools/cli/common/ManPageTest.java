package org.appctools.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.junit.jupiter.api.Test;

class ManPageTest {
  @Command(name = "tool", description = "A tool", subcommands = {Fetch.class, HelpCommand.class},
      footerHeading = "%nExamples:%n", footer = "  tool fetch x")
  static final class Tool {}

  @Command(name = "fetch", aliases = "get", description = {"Fetch an image", "", "IMAGE is a name.", "  -like this-"},
      footerHeading = "%nExamples:%n", footer = {"  tool fetch --pull-policy new example.com/app", "  .hidden"})
  static final class Fetch implements Callable<Integer> {
    @Option(names = {"-q", "--quiet"}, description = "No progress bar") boolean quiet;

    @Option(names = "--pull-policy", paramLabel = "POLICY", defaultValue = "update",
        description = "When to download (default: ${DEFAULT-VALUE})") String policy;

    @Parameters(paramLabel = "IMAGE", description = "What to fetch") String image;

    @Override
    public Integer call() {
      return 0;
    }
  }

  @Test
  void of_subcommand_everySectionInTroff() {
    CommandLine fetch = new CommandLine(new Tool()).getSubcommands().get("fetch");

    String page = ManPage.of(fetch, "appctools 1.0");

    assertThat(page).isEqualTo("""
        .TH "TOOL\\-FETCH" "1" "" "appctools 1.0" "User Commands"
        .SH NAME
        tool\\-fetch \\- Fetch an image
        .SH SYNOPSIS
        .nf
        tool fetch [\\-q] [\\-\\-pull\\-policy=POLICY] IMAGE
        .fi
        .SH DESCRIPTION
        Fetch an image
        .PP
        IMAGE is a name.
        .nf
          \\-like this\\-
        .fi
        .SH ARGUMENTS
        .TP
        \\fIIMAGE\\fR
        What to fetch
        .SH OPTIONS
        .TP
        \\fB\\-q\\fR, \\fB\\-\\-quiet\\fR
        No progress bar
        .TP
        \\fB\\-\\-pull\\-policy\\fR=\\fIPOLICY\\fR
        When to download (default: update)
        .SH EXAMPLES
        .nf
        tool fetch \\-\\-pull\\-policy new example.com/app
        \\&.hidden
        .fi
        .SH SEE ALSO
        \\fBtool\\fR(1)
        """);
  }

  @Test
  void of_root_listsItsCommandsWithoutHelp() {
    String page = ManPage.of(new CommandLine(new Tool()), "appctools 1.0");

    assertThat(page).contains(".SH COMMANDS\n.TP\n\\fBfetch\\fR, \\fBget\\fR\nFetch an image. See \\fBtool\\-fetch\\fR(1).\n")
        .doesNotContain("\\fBhelp\\fR").contains(".SH SEE ALSO\n\\fBtool\\-fetch\\fR(1)\n");
  }

  @Test
  void all_root_onePagePerCommand() {
    assertThat(ManPage.all(new CommandLine(new Tool()), "appctools 1.0").keySet())
        .isEqualTo(new java.util.LinkedHashSet<>(List.of("tool.1", "tool-fetch.1")));
  }
}
