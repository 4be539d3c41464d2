package org.appctools.cli.acbuild;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.cli.common.ErrorLine;
import org.appctools.build.BuildSession;
import org.appctools.build.ScriptParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a Go acbuild script: one acbuild command per line, all in this process. With no build in
 * progress in the work path, the script runs in a fresh temporary context (its own {@code begin}
 * starts it) that is ended afterwards, as the Go tool does; with a build in progress, the lines act
 * on that build and it stays open (containers/build#275). With {@code --cache}, the lines go
 * through the step cache of acbuild build ({@link CachedScript}).
 */
@Command(name = "script",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild script build-myapp.acb"},
    description = {"Runs an acbuild script",
    "One acbuild command per line, quoted and escaped as in a shell, # comments, \\ continues a line.",
    "With no build in progress the script gets its own (begun by its begin line, ended after the last line);",
    "with a build in progress in the work path the script acts on that build and leaves it open."})
final class ScriptCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--cache", description = "Take lines from the step cache of acbuild build, and cache them (the script must begin its own build)")
  boolean cache;

  @Parameters(index = "0", paramLabel = "SCRIPT_FILE") String file;

  @Override
  public Integer call() throws AppcException {
    Acbuild root = Acbuild.of(spec);
    root.refuseModify(spec);
    String text;
    try {
      text = Files.readString(Cli.hostPath(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AppcException("can't read " + file + ": " + e.getMessage(), e);
    }
    List<List<String>> commands = ScriptParser.parse(text);
    for (List<String> c : commands) {
      String verb = c.get(0).toLowerCase(Locale.ROOT);
      if (verb.equals("end")) {
        throw new AppcException("calling end is unnecessary in a script, cleanup is done automatically");
      }
    }
    Cli.debug(spec, "Running script from " + file);
    Path workPath = root.workPath();
    boolean own = !Files.isDirectory(workPath.resolve(".acbuild"));
    if (cache && !own) {
      throw new AppcException("--cache runs scripts that begin their own build, and a build is in progress in "
          + workPath.toAbsolutePath() + " (run acbuild end first, or drop --cache)");
    }
    if (own) {
      try {
        workPath = Files.createTempDirectory("acbuild-script");
      } catch (IOException e) {
        throw new AppcException("can't create a temporary build context: " + e.getMessage(), e);
      }
    }
    try {
      if (cache) {
        int code = new CachedScript(spec, workPath).run(commands);
        Cli.debug(spec, "Script has been completed");
        return code;
      }
      int n = 0;
      for (List<String> c : commands) {
        n++;
        int code = Acbuild.run(root.in, spec.commandLine().getOut(), spec.commandLine().getErr(),
            lineArgs(root, workPath, c));
        if (code != 0) {
          ErrorLine.print(spec.commandLine().getErr(), "script: command " + n + " (" + String.join(" ", c) + ") failed with exit code " + code);
          return code;
        }
      }
      Cli.debug(spec, "Script has been completed");
      return 0;
    } finally {
      if (own) {
        cleanUp(workPath);
      }
    }
  }

  private void cleanUp(Path context) throws AppcException {
    try {
      if (Files.isDirectory(context.resolve(".acbuild"))) {
        try (BuildSession s = BuildSession.open(context)) {
          s.end();
        }
      }
    } finally {
      try {
        Cli.deleteTree(context);
      } catch (IOException e) {
        spec.commandLine().getErr().println("script: warning: can't remove " + context + ": " + e.getMessage());
      }
    }
  }

  /**
   * The acbuild command line of one script line: the command (its name in lower case, as the Go
   * tool takes them) on the script's build, with the root's flags the line inherits.
   */
  static String[] lineArgs(Acbuild root, Path workPath, List<String> line) {
    List<String> args = new ArrayList<>();
    args.add("--work-path=" + workPath);
    args.add("--store-dir=" + root.storeDir());
    if (root.debug) {
      args.add("--debug");
    }
    if (root.noHistory) {
      args.add("--no-history");
    }
    args.add(line.get(0).toLowerCase(Locale.ROOT));
    args.addAll(line.subList(1, line.size()));
    return args.toArray(String[]::new);
  }
}
