package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How the three tools report a failure to a pipe, run through bin/ as scripts run them: one plain
 * line (no escape codes, no stack trace), and the stack trace after it only with {@code --debug}.
 * The colour on a terminal is TerminalIT's.
 */
class ErrorOutputIT {
  @TempDir Path tmp;

  private Tools.Result run(String tool, String args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Tools.bin(tool).toString()));
    for (String a : args.split(" ")) {
      cmd.add(a.replace("TMP", tmp.toString()));
    }
    return Tools.process(tmp, Map.of(), cmd.toArray(String[]::new));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "actool | build TMP/missing TMP/x.aci | build: invalid layout TMP/missing: layout TMP/missing is not a directory",
      "acbuild | --work-path TMP set-name example.com/x | set-name: build not in progress in TMP (run acbuild begin)",
      "docker2aci | TMP/missing.tar | docker2aci: TMP/missing.tar: no such file or directory (give a docker save archive, "
          + "an OCI archive or layout, or docker://NAME)",
  })
  void failure_inAPipe_onePlainLine(String tool, String args, String line) throws Exception {
    Tools.Result r = run(tool, args);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(line.replace("TMP", tmp.toString()) + "\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "actool | --debug build TMP/missing TMP/x.aci | build: invalid layout",
      "acbuild | --debug --work-path TMP set-name example.com/x | set-name: build not in progress",
      "docker2aci | --debug TMP/missing.tar | docker2aci: TMP/missing.tar: no such file",
  })
  void failure_withDebug_lineThenStackTrace(String tool, String args, String start) throws Exception {
    Tools.Result r = run(tool, args);

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(start.replace("TMP", tmp.toString()))
        .contains("\norg.appctools.")
        .containsPattern("\n\tat org\\.appctools\\.cli\\.[a-z0-9]+\\.")
        .doesNotContain("\u001b");
  }
}
