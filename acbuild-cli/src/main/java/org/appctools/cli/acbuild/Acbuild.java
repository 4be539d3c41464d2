package org.appctools.cli.acbuild;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.appctools.schema.types.SemVer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code acbuild}: the build session. Exit codes follow the Go acbuild: 0 ok, 1 failure,
 * 2 "element to remove does not exist", 3 usage. Only the commands that exist are listed.
 */
@Command(
    name = "acbuild",
    description = "acbuild, the application container build tool",
    versionProvider = Acbuild.Versions.class,
    mixinStandardHelpOptions = true,
    subcommands = {Acbuild.VersionCommand.class, HelpCommand.class})
public final class Acbuild {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_NOT_FOUND = 2;
  static final int EXIT_USAGE = 3;

  public static void main(String[] args) {
    System.exit(run(
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args));
  }

  /** Runs one acbuild command line and returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new Acbuild());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("acbuild: " + ex.getMessage());
      ex.getCommandLine().getErr().println("Run 'acbuild help' for usage.");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
      return EXIT_FAILURE;
    });
    if (args.length == 0) {
      cl.usage(err);
      return EXIT_USAGE;
    }
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static final class Versions implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Acbuild.class.getPackage().getImplementationVersion();
      return new String[] {"acbuild version " + (v == null ? "dev" : v), "appc version " + SemVer.CURRENT};
    }
  }

  @Command(name = "version", description = "Get the version of acbuild")
  static final class VersionCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      for (String line : new Versions().getVersion()) {
        spec.commandLine().getOut().println(line);
      }
      return 0;
    }
  }
}
