package org.appctools.cli.acbuild;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.WarmUp;
import org.appctools.build.NotFoundException;
import org.appctools.cli.common.ErrorLine;
import org.appctools.cli.common.HelpOptions;
import org.appctools.cli.common.PicocliStartUp;
import org.appctools.cli.common.StartUpWork;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.store.ImageStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code acbuild}: the build session. Commands, flags, aliases and exit codes follow the Go acbuild:
 * 0 ok, 1 failure (also a wrong number of arguments), 2 "element to remove does not exist",
 * 3 usage (unknown command or flag, bad flag value). Only the commands that exist are listed.
 */
@Command(
    name = "acbuild",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild begin ./rootfs",
      "  acbuild set-name example.com/app",
      "  acbuild write app.aci",
      "  acbuild end"},
    description = "acbuild, the application container build system",
    versionProvider = Versions.class,
    mixinStandardHelpOptions = true)
public final class Acbuild {
  /**
   * Every subcommand by its name, in help order. They are registered per run (see {@link
   * #requestedCommand}): building picocli's model of all of them costs more than the command a
   * script line runs, so a run that names one command gets only that one.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
      new Named(AnnotationCommand.class, "annotation"),
      new Named(BeginCommand.class, "begin"),
      new Named(BuildCommand.class, "build"),
      new Named(BuildCacheCommand.class, "build-cache"),
      new Named(CatManifestCommand.class, "cat-manifest"),
      new Named(CopyCommand.class, "copy"),
      new Named(CopyToDirCommand.class, "copy-to-dir"),
      new Named(DependencyCommand.class, "dependency"),
      new Named(EndCommand.class, "end"),
      new Named(EnvironmentCommand.class, "environment"),
      new Named(IsolatorCommand.class, "isolator"),
      new Named(LabelCommand.class, "label"),
      new Named(MountCommand.class, "mount", "volume"),
      new Named(PortCommand.class, "port"),
      new Named(ReplaceManifestCommand.class, "replace-manifest"),
      new Named(RunCommand.class, "run"),
      new Named(ScriptCommand.class, "script"),
      new Named(SetEventHandlerCommand.class, "set-event-handler", "set-eh"),
      new Named(SetExecCommand.class, "set-exec"),
      new Named(SetGroupCommand.class, "set-group"),
      new Named(SetNameCommand.class, "set-name"),
      new Named(SetSuppGroupsCommand.class, "set-supp-groups"),
      new Named(SetUserCommand.class, "set-user"),
      new Named(SetWorkingDirectoryCommand.class, "set-working-directory", "set-wd"),
      new Named(SetTagCommand.class, "set-tag"),
      new Named(LayerCommand.class, "layer"),
      new Named(VersionCommand.class, "version"),
      new Named(WriteCommand.class, "write"),
      new Named(HelpCommand.class, "help"));

  /** The root's options that take a value, so that the command name can be found after them. */
  private static final Set<String> VALUE_OPTIONS = Set.of("--work-path", "--modify", "--modify-appc", "--modify-oci", "--store-dir");

  static final int EXIT_FAILURE = 1;
  static final int EXIT_NOT_FOUND = 2;
  static final int EXIT_USAGE = 3;

  /**
   * True when this JVM is the acbuild process ({@link #main}): {@code run} then gives the command
   * this process's stdin, stdout and stderr. In-process callers of {@link #run} get its output in
   * their writers, and no stdin.
   */
  static volatile boolean processStreams;

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print out debug information to stderr")
  boolean debug;

  @Option(names = "--work-path", scope = ScopeType.INHERIT, paramLabel = "DIR", defaultValue = ".",
      description = "Path to place working files in (the build context is DIR/.acbuild; default: ${DEFAULT-VALUE})")
  String workPath;

  @Option(names = {"--modify", "--modify-appc"},
    scope = ScopeType.INHERIT, paramLabel = "ACI",
      description = "Path to an ACI to modify (ignores build context): apply one command and rewrite the ACI")
  Path modify;

  @Option(names = "--modify-oci", scope = ScopeType.INHERIT, paramLabel = "IMAGE",
      description = "Path to an OCI image layout (a tar of one, or a directory) to modify (ignores build context): apply one command and rewrite the image")
  Path modifyOci;

  @Option(names = "--no-history", scope = ScopeType.INHERIT,
      description = "Don't add annotations with the command that was run")
  boolean noHistory;

  @Option(names = "--store-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "The image store that begin NAME and dependency add use (default: $APPCTOOLS_STORE_DIR, else the store actool uses)")
  Path storeDir;

  /** Where {@code isolator add NAME -} reads the value. */
  final InputStream in;

  private Acbuild(InputStream in) {
    this.in = in;
  }

  public static void main(String[] args) {
    // nearly every command reads and writes the manifest, and picocli reads every annotation of
    // the command: both done first on the other core while picocli starts on this one
    Class<?> command = requestedCommand(args);
    warmUp(command);
    processStreams = true;
    System.exit(run(System.in,
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
        args));
  }

  /**
   * Starts the warm-up thread for {@code command} (null: any): its annotations, the manifest
   * codec, and libdeflate for the commands that write or read much gzip. {@link
   * CdsTraining} calls it too, so that the class-data archive holds what this loads.
   */
  static void warmUp(Class<?> command) {
    // write and build write gzip, begin reads a whole ACI
    boolean gzip = command == WriteCommand.class || command == BuildCommand.class || command == BeginCommand.class;
    WarmUp.inBackground(new StartUpWork(false, gzip), command == null ? Acbuild.class : command);
  }

  /** Runs one acbuild command line with the process's stdin and returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(System.in, out, err, args);
  }

  /** Runs one acbuild command line and returns its exit code; all output goes to out and err. */
  public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
    PicocliStartUp.apply();
    Acbuild root = new Acbuild(in);
    Class<?> only = requestedCommand(args);
    CommandLine cl = commandLine(root, only == null ? new LinkedHashSet<>(SUBCOMMANDS.values()) : List.<Class<?>>of(only));
    cl.setOut(out);
    cl.setErr(err);
    if (args.length == 0) {
      cl.usage(err);
      err.flush();
      return EXIT_USAGE;
    }
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The complete model of acbuild, every command registered: what the completion script and man pages are made from. */
  public static CommandLine commandLine() {
    return commandLine(new Acbuild(System.in), new LinkedHashSet<>(SUBCOMMANDS.values()));
  }

  private static CommandLine commandLine(Acbuild root, Collection<Class<?>> subcommands) {
    CommandLine cl = new CommandLine(root);
    for (Class<?> c : subcommands) {
      cl.addSubcommand(c);
    }
    HelpOptions.addEverywhere(cl);
    cl.setAbbreviatedSubcommandsAllowed(true);
    cl.setOverwrittenOptionsAllowed(true);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // set-exec /bin/sh -c x, set-event-handler pre-start /bin/x -v, run ls -l: what follows the command is its argv
    for (String argvCommand : List.of("set-exec", "set-event-handler", "run")) {
      if (cl.getSubcommands().containsKey(argvCommand)) {
        cl.getSubcommands().get(argvCommand).setStopAtPositional(true);
      }
    }
    cl.setParameterExceptionHandler((ex, a) -> parameterError(ex));
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      PrintWriter e = c.getErr();
      int code;
      if (ex instanceof NotFoundException) {
        code = EXIT_NOT_FOUND;
        ErrorLine.print(e, errorLine(commandPath(c.getCommandSpec()), ex.getMessage()));
      } else if (ex instanceof AppcException || ex instanceof InvalidValueException) {
        code = EXIT_FAILURE;
        ErrorLine.print(e, errorLine(commandPath(c.getCommandSpec()), ex.getMessage()));
      } else {
        code = EXIT_FAILURE;
        ErrorLine.print(e, commandPath(c.getCommandSpec()) + ": unexpected error: " + ex);
      }
      if (root.debug) {
        ex.printStackTrace(e);
      }
      return code;
    });
    return cl;
  }

  /**
   * Cobra reports unknown commands and flags (exit 3); the Go commands themselves check their
   * argument count and fail with "incorrect number of arguments" (exit 1). So do we.
   */
  private static int parameterError(ParameterException ex) {
    CommandLine c = ex.getCommandLine();
    PrintWriter e = c.getErr();
    boolean leaf = c.getSubcommands().isEmpty();
    boolean wrongCount = ex instanceof MissingParameterException
        || (leaf && ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
            && !u.getUnmatched().get(0).startsWith("-"));
    if (wrongCount && c.getParent() != null) {
      ErrorLine.print(e, commandPath(c.getCommandSpec()) + ": incorrect number of arguments (" + ex.getMessage() + ")");
      e.println("Run 'acbuild help " + commandPath(c.getCommandSpec()) + "' for usage.");
      return EXIT_FAILURE;
    }
    ErrorLine.print(e, "acbuild: " + ex.getMessage());
    e.println("Run 'acbuild help" + (c.getParent() == null ? "" : " " + commandPath(c.getCommandSpec())) + "' for usage.");
    return EXIT_USAGE;
  }

  /**
   * A subcommand's class with the name and aliases of its {@code @Command}, written out: reading
   * the annotations of every command class at start would cost each run tens of milliseconds
   * (AcbuildTest checks that the two agree).
   */
  record Named(Class<?> type, String name, String... aliases) {}

  private static Map<String, Class<?>> subcommands(Named... commands) {
    Map<String, Class<?>> byName = new LinkedHashMap<>();
    for (Named c : commands) {
      byName.put(c.name(), c.type());
      for (String alias : c.aliases()) {
        byName.put(alias, c.type());
      }
    }
    return byName;
  }

  /**
   * The one subcommand the arguments name, exactly, by alias or by an unambiguous prefix; null
   * when they name none or several, or ask for help, which then see every command.
   */
  static Class<?> requestedCommand(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("-")) {
        if (VALUE_OPTIONS.contains(a)) {
          i++;
        } else if (!a.equals("--debug") && !a.equals("--no-history") && !a.contains("=")) {
          return null;
        }
        continue;
      }
      Set<Class<?>> matches = new HashSet<>();
      if (SUBCOMMANDS.containsKey(a)) {
        matches.add(SUBCOMMANDS.get(a));
      } else {
        SUBCOMMANDS.forEach((name, c) -> {
          if (name.startsWith(a)) {
            matches.add(c);
          }
        });
      }
      // help describes any command, so it sees them all
      return matches.size() == 1 && !matches.contains(HelpCommand.class) ? matches.iterator().next() : null;
    }
    return null;
  }

  /** "command: message", unless the message already names the operation it failed in. */
  static String errorLine(String command, String message) {
    String op = command.substring(command.lastIndexOf(' ') + 1);
    return message.startsWith(command + ": ") || message.startsWith(op + ": ") ? message : command + ": " + message;
  }

  /** "label add" for acbuild label add: the prefix of the Go tool's messages. */
  static String commandPath(CommandSpec spec) {
    String q = spec.qualifiedName(" ");
    return q.startsWith("acbuild ") ? q.substring("acbuild ".length()) : q;
  }

  /** The root of the command that runs. */
  static Acbuild of(CommandSpec spec) {
    return (Acbuild) spec.root().userObject();
  }

  Path workPath() {
    return Path.of(workPath);
  }

  /** The image store directory: --store-dir, else the one actool uses. */
  Path storeDir() {
    return storeDir != null ? storeDir : ImageStore.defaultDir();
  }

  /** begin, write, end, script and version make no sense on one ACI; the Go tool refuses them too. */
  void refuseModify(CommandSpec spec) throws AppcException {
    if (modify != null) {
      throw new AppcException("Can't use the --modify flag with " + spec.name() + ".");
    }
    if (modifyOci != null) {
      throw new AppcException("Can't use --modify flags with " + spec.name() + ".");
    }
  }

  /** --modify(-appc) and --modify-oci exclude each other, as in the Go tool. */
  void checkModifyFlags() throws AppcException {
    if (modify != null && modifyOci != null) {
      throw new AppcException("can't modify an appc image and an oci image at the same time");
    }
  }
}
