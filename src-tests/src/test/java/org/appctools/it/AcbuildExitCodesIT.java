package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exit codes of the Go acbuild: 0 ok, 1 failure or wrong argument count, 2 not found, 3 usage. */
class AcbuildExitCodesIT {
  @TempDir Path work;

  @Test
  void noArguments_printsUsage_exits3() {
    java.io.StringWriter err = new java.io.StringWriter();
    int code = org.appctools.cli.acbuild.Acbuild.run(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));

    assertThat(code).isEqualTo(3);
    assertThat(err.toString()).contains("Usage: acbuild", "Commands:");
  }

  @Test
  void globalFlagsOnly_exits3() {
    Tools.Result r = Tools.acbuild(work, "--debug");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("Missing required subcommand");
  }

  @Test
  void unknownCommand_exits3() {
    Tools.Result r = Tools.acbuild(work, "frobnicate");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).startsWith("acbuild: ").contains("frobnicate");
  }

  @Test
  void unknownFlag_exits3() {
    Tools.acbuild(work, "begin").expectOk();

    Tools.Result r = Tools.acbuild(work, "label", "add", "--bogus", "a", "b");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("--bogus");
  }

  @Test
  void ambiguousPrefix_exits3() {
    Tools.Result r = Tools.acbuild(work, "set", "x");

    assertThat(r.code()).isEqualTo(3);
  }

  @Test
  void groupWithoutSubcommand_exits3() {
    assertThat(Tools.acbuild(work, "label").code()).isEqualTo(3);
  }

  @Test
  void wrongArgumentCount_exits1AsTheGoCommands() {
    Tools.acbuild(work, "begin").expectOk();

    Tools.Result few = Tools.acbuild(work, "label", "add", "only-name");
    Tools.Result many = Tools.acbuild(work, "set-name", "a.b/c", "extra");

    assertThat(few.code()).isEqualTo(1);
    assertThat(few.err()).startsWith("label add: incorrect number of arguments");
    assertThat(many.code()).isEqualTo(1);
    assertThat(many.err()).startsWith("set-name: incorrect number of arguments");
  }

  @Test
  void removeOfMissingElement_exits2() {
    Tools.acbuild(work, "begin").expectOk();

    for (String[] cmd : new String[][] {
        {"label", "rm", "x"}, {"annotation", "rm", "x"}, {"environment", "rm", "x"}, {"mount", "rm", "x"},
        {"port", "rm", "x"}, {"isolator", "rm", "resource/memory"}, {"dependency", "rm", "example.com/x"}}) {
      assertThat(Tools.acbuild(work, cmd).code()).as(String.join(" ", cmd)).isEqualTo(2);
    }
  }

  @Test
  void noBuildInProgress_exits1() {
    Tools.Result r = Tools.acbuild(work, "set-user", "nobody");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("set-user: ");
  }

  @Test
  void help_listsEveryCommand_includingTheOciModeOnes() {
    String help = Tools.acbuild(work, "help").expectOk().out();
    String beginHelp = Tools.acbuild(work, "begin", "--help").expectOk().out();

    assertThat(help).contains("begin", "copy", "copy-to-dir", "dependency", "environment", "annotation", "label",
        "mount, volume", "port", "isolator", "set-exec", "set-user", "set-group", "set-supp-groups",
        "set-working-directory, set-wd", "set-event-handler, set-eh", "set-name", "cat-manifest",
        "replace-manifest", "run", "write", "end", "script", "version", "set-tag", "layer", "--modify-oci");
    assertThat(beginHelp).contains("--build-mode");
  }

  @Test
  void version_printsBothVersions() {
    String out = Tools.acbuild(work, "version").expectOk().out();

    assertThat(out).startsWith("acbuild version ").contains("appc version 0.8.11");
  }

  @Test
  void debug_printsStepsToStderr() {
    Tools.Result r = Tools.acbuild(work, "--debug", "begin").expectOk();

    assertThat(r.err()).contains("Beginning build with an empty ACI");
  }
}
