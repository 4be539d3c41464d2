package org.appctools.cli.actool;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.WarmUp;
import org.appctools.cli.common.ErrorLine;
import org.appctools.cli.common.HelpOptions;
import org.appctools.cli.common.PicocliStartUp;
import org.appctools.cli.common.StartUpWork;
import org.appctools.compress.Compression;
import org.appctools.schema.types.InvalidValueException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code actool}: the appc tool. Commands, flags and exit codes follow the Go actool 0.8.11
 * (1 = the operation failed, 2 = unknown command or bad flags), plus {@code image-id}, signing and
 * rkt's {@code image} commands over the local store.
 */
@Command(
    name = "actool",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool build ./layout app.aci",
      "  actool fetch example.com/app:1.0",
      "  actool run example.com/app:1.0",
      "  actool help image list"},
    description = "actool, the application container tool",
    versionProvider = Versions.class,
    mixinStandardHelpOptions = true)
public final class Actool {
  /**
   * Every subcommand, in help order. They are registered per run (see {@link #requestedCommand}):
   * picocli's model of all of them costs more than many a command takes, so a run that names one
   * command gets only that one.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
      Map.entry("build", BuildCommand.class),
      Map.entry("cat-manifest", CatManifestCommand.class),
      Map.entry("decrypt", DecryptCommand.class),
      Map.entry("discover", DiscoverCommand.class),
      Map.entry("encrypt", EncryptCommand.class),
      Map.entry("export", ExportCommand.class),
      Map.entry("image", ImageCommand.class),
      Map.entry("image-id", ImageIdCommand.class),
      Map.entry("fetch", FetchCommand.class),
      Map.entry("gc", GcCommand.class),
      Map.entry("list", ListCommand.class),
      Map.entry("patch-manifest", PatchManifestCommand.class),
      Map.entry("pod", PodCommand.class),
      Map.entry("publish", PublishCommand.class),
      Map.entry("push", PushCommand.class),
      Map.entry("run", RunCommand.class),
      Map.entry("sign", SignCommand.class),
      Map.entry("status", StatusCommand.class),
      Map.entry("stop", StopCommand.class),
      Map.entry("trust", TrustCommand.class),
      Map.entry("validate", ValidateCommand.class),
      Map.entry("verify", VerifyCommand.class),
      Map.entry("version", VersionCommand.class),
      Map.entry("help", HelpCommand.class));

  /**
   * The subcommands by the names of their {@code @Command}, written out: reading the annotations
   * of every command class at start would cost each run tens of milliseconds (ActoolTest checks
   * that the two agree).
   */
  @SafeVarargs
  private static Map<String, Class<?>> subcommands(Map.Entry<String, Class<?>>... commands) {
    Map<String, Class<?>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, Class<?>> c : commands) {
      byName.put(c.getKey(), c.getValue());
    }
    return Collections.unmodifiableMap(byName);
  }

  /**
   * The commands that write gzip or read whole ACIs: libdeflate is loaded on the other core while
   * they start (see {@link Compression#prepareGzip()}); the others never load it.
   */
  private static final Set<Class<?>> USES_GZIP = Set.of(
      BuildCommand.class, PatchManifestCommand.class, ExportCommand.class, PushCommand.class,
      ValidateCommand.class, ImageIdCommand.class, ImageCommand.class, FetchCommand.class);

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  /**
   * True when this JVM is the actool process ({@link #main}): a pod's output then goes straight to
   * this process's stdout and stderr. In-process callers of {@link #run} get it in their writers.
   */
  static volatile boolean processStreams;

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print verbose (debug) output, with stack traces of errors")
  boolean debug;

  public static void main(String[] args) {
    // most commands read or write manifests, and picocli reads every annotation of the command:
    // both done first on the other core while picocli starts on this one
    Class<?> command = requestedCommand(args);
    warmUp(command);
    processStreams = true;
    System.exit(run(
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args));
  }

  /**
   * Starts the warm-up thread for {@code command} (null: any): its annotations, the manifest
   * codecs, and libdeflate for the commands that write gzip or read whole ACIs. {@link
   * CdsTraining} calls it too, so that the class-data archive holds what this loads.
   */
  static void warmUp(Class<?> command) {
    WarmUp.inBackground(new StartUpWork(true, command != null && USES_GZIP.contains(command)),
        command == null ? Actool.class : command);
  }

  /** Runs one actool command line and returns its exit code; all output goes to out and err. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    PicocliStartUp.apply();
    Actool root = new Actool();
    Class<?> only = requestedCommand(args);
    CommandLine cl = commandLine(root, only == null ? SUBCOMMANDS.values() : List.<Class<?>>of(only));
    cl.setOut(out);
    cl.setErr(err);
    if (args.length == 0) {
      cl.usage(err);
      return EXIT_USAGE;
    }
    int code = cl.execute(goStyleFlags(cl, args));
    out.flush();
    err.flush();
    return code;
  }

  /** The complete model of actool, every command registered: what the completion script and man pages are made from. */
  public static CommandLine commandLine() {
    return commandLine(new Actool(), SUBCOMMANDS.values());
  }

  private static CommandLine commandLine(Actool root, Collection<Class<?>> subcommands) {
    CommandLine cl = new CommandLine(root);
    for (Class<?> c : subcommands) {
      cl.addSubcommand(c);
    }
    HelpOptions.addEverywhere(cl);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // run IMAGE [APP OPTIONS] [-- ARGS] [--- IMAGE ...]: everything from the first image on is the apps'
    if (cl.getSubcommands().containsKey("run")) {
      cl.getSubcommands().get("run").setStopAtPositional(true);
    }
    cl.setParameterExceptionHandler((ex, a) -> {
      PrintWriter e = ex.getCommandLine().getErr();
      ErrorLine.print(e, "actool: " + ex.getMessage());
      e.println("Run '" + helpCommand(ex.getCommandLine()) + "' for usage.");
      return EXIT_USAGE;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      PrintWriter e = c.getErr();
      String name = qualifiedName(c);
      if (ex instanceof AppcException || ex instanceof InvalidValueException) {
        // core messages usually name the operation already ("build: target file exists: ...")
        String m = ex.getMessage();
        String own = c.getCommandName() + ": ";
        ErrorLine.print(e, name + ": " + (m.startsWith(own) ? m.substring(own.length()) : m));
      } else {
        ErrorLine.print(e, name + ": unexpected error: " + ex);
      }
      if (root.debug) {
        ex.printStackTrace(e);
      }
      return EXIT_FAILURE;
    });
    return cl;
  }

  /**
   * The one subcommand the arguments name (the first word that is not a root option), or null
   * when they name none, or help, which then sees every command.
   */
  static Class<?> requestedCommand(String[] args) {
    for (String a : args) {
      if (a.equals("--debug") || a.equals("-debug")) {
        continue;
      }
      if (a.startsWith("-")) {
        return null;
      }
      Class<?> c = SUBCOMMANDS.get(a);
      return c == HelpCommand.class ? null : c;
    }
    return null;
  }

  /**
   * Go's flag package takes {@code -overwrite} as well as {@code --overwrite}; scripts written for
   * the Go actool use both. A single-dash word that is one of our long options gets its second dash.
   */
  public static String[] goStyleFlags(CommandLine cl, String[] args) {
    Set<String> longNames = new HashSet<>();
    collectOptionNames(cl, longNames);
    String[] result = args.clone();
    for (int i = 0; i < result.length; i++) {
      String a = result[i];
      if (a.equals("--")) {
        break;
      }
      if (a.length() > 2 && a.charAt(0) == '-' && a.charAt(1) != '-') {
        int eq = a.indexOf('=');
        if (longNames.contains("-" + (eq < 0 ? a : a.substring(0, eq)))) {
          result[i] = "-" + a;
        }
      }
    }
    return result;
  }

  private static void collectOptionNames(CommandLine cl, Set<String> into) {
    cl.getCommandSpec().options().forEach(o -> into.addAll(List.of(o.names())));
    cl.getSubcommands().values().forEach(sub -> collectOptionNames(sub, into));
  }

  /** "build", or "image rm" for a command of a group. */
  private static String qualifiedName(CommandLine c) {
    return c.getParent() == null || c.getParent().getParent() == null ? c.getCommandName()
        : qualifiedName(c.getParent()) + " " + c.getCommandName();
  }

  /** The command that prints the usage of {@code c}: "actool help build", "actool image help rm". */
  private static String helpCommand(CommandLine c) {
    if (c.getParent() == null) {
      return "actool help ";
    }
    if (c.getParent().getParent() == null) {
      return "actool help " + c.getCommandName();
    }
    return "actool " + qualifiedName(c.getParent()) + " help " + c.getCommandName();
  }
}
