package org.appctools.build.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.aci.AciExtractor;
import org.appctools.aci.ExtractOptions;
import org.appctools.build.BeginSource;
import org.appctools.build.BuildSession;
import org.appctools.build.CopyOptions;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import org.appctools.build.WriteOptions;
import org.appctools.build.WriteResult;
import org.appctools.compress.Compression;
import org.appctools.fs.FileTrees;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.App;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.store.BuildCache;

/**
 * {@code acbuild build}: a Dockerfile built into an ACI through {@link BuildSession}s, each step
 * cached in the image store's {@link BuildCache}.
 *
 * <p>Every instruction extends a chain of {@link StepKey keys}: the key of {@code FROM} names the
 * base image (its Image ID, the digest of a local file, or the key of an earlier stage), and each
 * later key hashes the previous one with the instruction after substitution (and, for {@code RUN},
 * the build arguments in scope; for {@code COPY} and {@code ADD}, the digest of the files copied).
 * Instructions that change only the manifest are applied in memory. Those that change the
 * root filesystem ({@code RUN}, {@code COPY}, {@code ADD}, {@code WORKDIR}) are taken from the
 * cache when their key is there, else run in a build session begun from the last state, whose
 * result is saved under the key. The written image is cached under the last key and the write
 * options, so a rebuild with nothing changed reads no rootfs at all.
 *
 * <p>What has no appc equivalent is refused with the line and the fix, never skipped: see
 * {@code docs/build-files.md}.
 */
public final class DockerfileBuild {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HEREDOC = Pattern.compile("(^|\\s)<<-?\\s*[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']?");
  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?(?:/([a-zA-Z]+))?");
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  /** Annotations of a converted Docker base that describe the base, not the image built on it. */
  private static final List<String> BASE_ANNOTATIONS = List.of("appc.io/docker/originalname",
      "appc.io/docker/registryurl", "appc.io/docker/repository", "appc.io/docker/tag",
      "appc.io/docker/imageid", "appc.io/docker/manifesthash", "created");
  static final String ENTRYPOINT_ANNOTATION = "appc.io/docker/entrypoint";
  static final String CMD_ANNOTATION = "appc.io/docker/cmd";

  /** Finds the image a {@code FROM} names. */
  @FunctionalInterface
  public interface Bases {
    /** The image {@code ref} names ({@code scratch} and earlier stages are handled by the build). */
    Base resolve(String ref, String where) throws AppcException;
  }

  /**
   * A base image: where the session begins, and what identifies it for the cache (an Image ID,
   * a file's digest).
   */
  public record Base(BeginSource source, String identity) {
    public Base {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(identity, "identity");
    }
  }

  /** Runs a {@code RUN} step in the session (the executor); returns the command's exit status. */
  @FunctionalInterface
  public interface Runner {
    int run(BuildSession session, RunStep step) throws AppcException;
  }

  /**
   * A {@code RUN} step: the argv, the build arguments in scope (added to the manifest's
   * environment for the command only), the user and group, the working directory.
   */
  public record RunStep(List<String> argv, Map<String, String> buildArgs, String user, String group,
      String workingDirectory) {
    public RunStep {
      argv = List.copyOf(argv);
      buildArgs = Map.copyOf(buildArgs);
    }
  }

  /** Hears of each step as it starts and ends. */
  public interface Progress {
    /** Step {@code number} of {@code total} ({@code text} as written, substituted) starts, or was taken from the cache. */
    void step(int number, int total, String text, boolean cached);

    /** Step {@code number}, which was run, is done after {@code took}. */
    void done(int number, Duration took);
  }

  /**
   * What to build.
   *
   * @param dockerfile the Dockerfile's text, parsed
   * @param context the build context
   * @param buildArgs {@code --build-arg} values
   * @param target the stage to build (its name or index), or null for the last
   * @param name the image's name ({@code --tag NAME})
   * @param version the {@code version} label ({@code --tag NAME:VERSION}), or null for none
   * @param noCache run every step (their results are still saved)
   * @param compression the ACI's compression
   * @param sourceDateEpoch the time mtimes are clamped to
   * @param compressionLevel the compression's level (checked by {@link Compression#checkLevel};
   *     none ignores it)
   */
  public record Options(Dockerfile dockerfile, BuildContext context, Map<String, String> buildArgs,
      String target, String name, String version, boolean noCache, Compression compression,
      OptionalLong sourceDateEpoch, int compressionLevel) {
    /** @throws IllegalArgumentException when the level is out of the compression's range */
    public Options {
      Objects.requireNonNull(dockerfile, "dockerfile");
      Objects.requireNonNull(context, "context");
      buildArgs = Map.copyOf(buildArgs);
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(compression, "compression");
      Objects.requireNonNull(sourceDateEpoch, "sourceDateEpoch");
      if (compression != Compression.NONE) {
        compression.checkLevel(compressionLevel);
      }
    }

    /** Options at the compression's default level. */
    public Options(Dockerfile dockerfile, BuildContext context, Map<String, String> buildArgs,
        String target, String name, String version, boolean noCache, Compression compression,
        OptionalLong sourceDateEpoch) {
      this(dockerfile, context, buildArgs, target, name, version, noCache, compression,
          sourceDateEpoch, compression.defaultLevel());
    }

    /**
     * The compression as the written image's cache key names it: its name, and the level when
     * it is not the default (so keys made before levels could be chosen still match).
     */
    String compressionKey() {
      return compression == Compression.NONE || compressionLevel == compression.defaultLevel()
          ? compression.name() : compression.name() + ":" + compressionLevel;
    }
  }

  /** Gets the written image (a hard link into the cache: read it, never write it) while the build's files exist. */
  @FunctionalInterface
  public interface Output {
    void accept(Path aci, String imageId) throws AppcException;
  }

  /**
   * The outcome of a build.
   *
   * @param imageId the Image ID of the written ACI
   * @param key the cache key of the written ACI
   * @param steps how many steps there were
   * @param cached how many were taken from the cache
   * @param warnings what the user should know (unused build arguments, warnings of the write)
   */
  public record Result(String imageId, String key, int steps, int cached, List<String> warnings) {
    public Result {
      warnings = List.copyOf(warnings);
    }
  }

  /** One stage: {@code FROM} to the next {@code FROM}. */
  private static final class Stage {
    final int index;
    final String name;
    String key;
    /** The key of the cache state holding this stage's rootfs (and owners). */
    String stateKey;
    ImageManifest manifest;
    BuildSession session;
    Path workPath;
    final Map<String, String> args = new LinkedHashMap<>();
    List<String> shell = DEFAULT_SHELL;
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    boolean cmdFromBase;
    boolean chainIntact = true;

    Stage(int index, String name) {
      this.index = index;
      this.name = name;
    }
  }

  private final Options options;
  private final BuildCache cache;
  private final Bases bases;
  private final Runner runner;
  private final Progress progress;
  private final ShellLex lex;
  private final List<Stage> stages = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Set<String> usedArgs = new java.util.HashSet<>();
  private final Map<String, String> globalArgs = new LinkedHashMap<>();
  private Path work;
  private int counter;
  private int cachedSteps;
  private boolean lastWasCached;

  private DockerfileBuild(Options options, BuildCache cache, Bases bases, Runner runner, Progress progress) {
    this.options = options;
    this.cache = cache;
    this.bases = bases;
    this.runner = runner;
    this.progress = progress;
    this.lex = new ShellLex(options.dockerfile().escape());
  }

  /**
   * Builds the image and gives it to {@code output} (a file in the cache, valid during the call).
   * The build's own files are removed whatever happens; the cache keeps every step that completed.
   */
  public static Result build(Options options, BuildCache cache, Bases bases, Runner runner, Progress progress,
      Output output) throws AppcException {
    DockerfileBuild b = new DockerfileBuild(options, cache, bases, runner, progress);
    b.work = cache.newWorkDirectory();
    try {
      return b.run(output);
    } finally {
      for (Stage s : b.stages) {
        b.endSession(s);
      }
      try {
        FileTrees.delete(b.work);
      } catch (IOException e) {
        b.warnings.add("cannot remove the build's work directory " + b.work + ": " + e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- the steps

  private Result run(Output output) throws AppcException {
    List<Instruction> all = options.dockerfile().instructions();
    int firstFrom = -1;
    for (int i = 0; i < all.size(); i++) {
      Instruction in = all.get(i);
      if (in.keyword().equals("FROM")) {
        firstFrom = i;
        break;
      }
      if (!in.keyword().equals("ARG")) {
        throw new AppcException(in.where() + ": " + in.keyword() + " before FROM: a Dockerfile must begin with FROM "
            + "(only ARG may come before it)");
      }
      declareArgs(in, globalArgs, globalArgsUsed(), null);
    }
    if (firstFrom < 0) {
      throw new AppcException(options.dockerfile().instructions().isEmpty()
          ? "build: the Dockerfile has no instructions (it needs a FROM)"
          : "build: the Dockerfile has no FROM");
    }
    List<Instruction> steps = all.subList(firstFrom, all.size());
    int last = lastStepOfTarget(steps);
    int total = last + 1;
    Stage stage = null;
    for (int i = 0; i <= last; i++) {
      Instruction in = steps.get(i);
      int number = i + 1;
      long start = System.nanoTime();
      if (in.keyword().equals("FROM")) {
        stage = from(in, number, total);
      } else {
        step(stage, in, number, total);
      }
      if (!lastWasCached) {
        progress.done(number, Duration.ofNanos(System.nanoTime() - start));
      }
    }
    for (String a : options.buildArgs().keySet()) {
      if (!usedArgs.contains(a)) {
        warnings.add("the build argument " + a + " was not consumed (no ARG " + a + " in the Dockerfile)");
      }
    }
    return write(stage, total, output);
  }

  private void report(Stage s, int number, int total, String text, boolean cached) {
    lastWasCached = cached;
    if (cached) {
      cachedSteps++;
    }
    progress.step(number, total, text, cached);
  }

  /** The index (among the steps from the first FROM) of the last step of the target stage. */
  private int lastStepOfTarget(List<Instruction> steps) throws AppcException {
    if (options.target() == null) {
      return steps.size() - 1;
    }
    int stageIndex = -1;
    boolean inTarget = false;
    for (int i = 0; i < steps.size(); i++) {
      Instruction in = steps.get(i);
      if (in.keyword().equals("FROM")) {
        if (inTarget) {
          return i - 1;
        }
        stageIndex++;
        inTarget = options.target().equals(Integer.toString(stageIndex))
            || options.target().equalsIgnoreCase(stageName(in));
      }
    }
    if (inTarget) {
      return steps.size() - 1;
    }
    throw new AppcException("build: --target " + options.target() + ": no stage of that name or number in the Dockerfile");
  }

  private static String stageName(Instruction in) {
    String[] w = in.text().strip().split("\\s+");
    return w.length == 3 && w[1].equalsIgnoreCase("AS") ? w[2].toLowerCase(Locale.ROOT) : null;
  }

  private Stage from(Instruction in, int number, int total) throws AppcException {
    refuseFlags(in, Set.of(), "FROM");
    List<String> words = lex.words(in.text(), globalArgsUsed(), in.where());
    if (words.size() != 1 && !(words.size() == 3 && words.get(1).equalsIgnoreCase("AS"))) {
      throw new AppcException(in.where() + ": FROM takes IMAGE or IMAGE AS NAME: " + in.display());
    }
    String ref = words.get(0);
    String name = words.size() == 3 ? words.get(2).toLowerCase(Locale.ROOT) : null;
    if (name != null && !name.matches("[a-z][a-z0-9._-]*")) {
      throw new AppcException(in.where() + ": FROM ... AS " + words.get(2) + ": a stage name is a letter then letters, "
          + "digits, '.', '_' or '-'");
    }
    Stage s = new Stage(stages.size(), name);
    Stage base = stage(ref);
    String text = "FROM " + String.join(" ", words);
    if (base != null) {
      s.key = StepKey.of(null, List.of("FROM stage", base.key));
      s.stateKey = base.stateKey;
      s.manifest = base.manifest;
      s.shell = base.shell;
      s.entrypoint = base.entrypoint;
      s.cmd = base.cmd;
      s.cmdFromBase = true;
      s.chainIntact = base.chainIntact;
      report(s, number, total, text, base.chainIntact);
    } else {
      boolean scratch = ref.equals("scratch");
      Base b = scratch ? new Base(new BeginSource.Empty(), "scratch") : bases.resolve(ref, in.where());
      s.key = StepKey.of(null, List.of("FROM", b.identity()));
      s.stateKey = s.key;
      boolean cached = !options.noCache() && cache.hasState(s.key);
      s.chainIntact = cached;
      report(s, number, total, text, cached);
      if (!cached) {
        s.workPath = stageWorkPath(s);
        try (BuildSession session = BuildSession.begin(s.workPath, b.source())) {
          warnings.addAll(session.warnings());
          save(session, s.key);
          session.end();
        }
      }
      s.manifest = cache.withState(s.key, e -> {
        if (e == null) {
          throw new AppcException("build: the cache entry of " + in.where() + " was removed meanwhile (build again)");
        }
        try {
          return ImageManifest.parse(Files.readAllBytes(e.resolve("image/manifest")));
        } catch (org.appctools.schema.SchemaException x) {
          throw new AppcException(in.where() + ": the base image's manifest: " + x.getMessage(), x);
        }
      });
      s.manifest = baseManifest(s, s.manifest, in);
    }
    stages.add(s);
    return s;
  }

  /** The earlier stage {@code ref} names (by name or number), or null. */
  private Stage stage(String ref) {
    for (Stage s : stages) {
      if (ref.equalsIgnoreCase(s.name) || ref.equals(Integer.toString(s.index))) {
        return s;
      }
    }
    return null;
  }

  /** The base's manifest as this build starts from it: what described the base only is dropped; ENTRYPOINT and CMD read. */
  private ImageManifest baseManifest(Stage s, ImageManifest m, Instruction in) throws AppcException {
    ImageManifest out = m;
    for (String a : BASE_ANNOTATIONS) {
      AcIdentifier id = AcIdentifier.parse(a);
      if (out.annotations().list().stream().anyMatch(x -> x.name().equals(id))) {
        out = out.withAnnotations(out.annotations().without(id));
      }
    }
    s.entrypoint = jsonAnnotation(out, ENTRYPOINT_ANNOTATION, in);
    s.cmd = jsonAnnotation(out, CMD_ANNOTATION, in);
    if (s.entrypoint.isEmpty() && s.cmd.isEmpty() && out.app() != null) {
      s.cmd = out.app().exec();
    }
    s.cmdFromBase = true;
    return out;
  }

  private static List<String> jsonAnnotation(ImageManifest m, String name, Instruction in) throws AppcException {
    AcIdentifier id = AcIdentifier.parse(name);
    for (var a : m.annotations().list()) {
      if (a.name().equals(id)) {
        try {
          return List.of(JSON.readValue(a.value(), String[].class));
        } catch (JsonProcessingException e) {
          throw new AppcException(in.where() + ": the base image's annotation " + name + " is not a JSON array of strings");
        }
      }
    }
    return List.of();
  }

  private void step(Stage s, Instruction in, int number, int total) throws AppcException {
    switch (in.keyword()) {
      case "RUN" -> run(s, in, number, total);
      case "COPY", "ADD" -> copy(s, in, number, total);
      case "WORKDIR" -> workdir(s, in, number, total);
      case "ENV" -> env(s, in, number, total);
      case "ARG" -> {
        List<String> declared = declareArgs(in, s.args, vars(s), globalArgs);
        manifestStep(s, in, number, total, "ARG " + String.join(" ", declared), m -> m);
      }
      case "LABEL" -> label(s, in, number, total);
      case "USER" -> user(s, in, number, total);
      case "EXPOSE" -> expose(s, in, number, total);
      case "VOLUME" -> volume(s, in, number, total);
      case "ENTRYPOINT", "CMD" -> entrypointOrCmd(s, in, number, total);
      case "SHELL" -> {
        if (in.json() == null || in.json().isEmpty()) {
          throw new AppcException(in.where() + ": SHELL takes a JSON array, e.g. SHELL [\"/bin/bash\", \"-c\"]");
        }
        s.shell = in.json();
        manifestStep(s, in, number, total, "SHELL " + json(in.json()), m -> m);
      }
      case "MAINTAINER" -> {
        String who = in.text().strip();
        manifestStep(s, in, number, total, "MAINTAINER " + who, ManifestEdits.addAnnotation("authors", who));
      }
      case "HEALTHCHECK" -> refuse(in, "appc has no health checks; check the app from outside (e.g. a probe of your orchestrator)");
      case "ONBUILD" -> refuse(in, "appc images have no triggers for builds on top of them; put the instructions in the Dockerfiles that use this image");
      case "STOPSIGNAL" -> refuse(in, "appc apps have no stop signal (the executor sends SIGTERM); handle SIGTERM in the app");
      default -> throw new AppcException(in.where() + ": unknown instruction: " + in.keyword());
    }
  }

  private static void refuse(Instruction in, String why) throws AppcException {
    throw new AppcException(in.where() + ": " + in.keyword() + " is not supported: " + why + "; remove the line");
  }

  private static void refuseFlags(Instruction in, Set<String> allowed, String what) throws AppcException {
    for (String f : in.flags().keySet()) {
      if (!allowed.contains(f)) {
        String fix = switch (f) {
          case "link" -> "drop --link (each COPY makes a new state of the whole rootfs here)";
          case "platform" -> "drop --platform (the base is taken for this machine; docker2aci --arch converts another)";
          case "mount", "network", "security" -> "drop it; acbuild run's --mount and --net are not available in a Dockerfile";
          case "checksum", "keep-git-dir" -> "drop it (ADD takes local files only)";
          default -> "drop it";
        };
        throw new AppcException(in.where() + ": " + what + " --" + f + " is not supported: " + fix);
      }
    }
  }

  // ---------------------------------------------------------------- manifest-only steps

  private void manifestStep(Stage s, Instruction in, int number, int total, String text, ManifestEdit edit)
      throws AppcException {
    s.key = StepKey.of(s.key, List.of(text));
    report(s, number, total, text, s.chainIntact);
    try {
      s.manifest = edit.apply(s.manifest);
    } catch (InvalidValueException e) {
      throw new AppcException(in.where() + ": " + e.getMessage(), e);
    } catch (AppcException e) {
      throw new AppcException(in.where() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Declares the ARGs of {@code in} in {@code scope}: a {@code --build-arg} value, else the
   * default given, else (in a stage) the value of the global ARG of that name. Returns them as
   * written (NAME or NAME=DEFAULT) for the key.
   */
  private List<String> declareArgs(Instruction in, Map<String, String> scope, Map<String, String> vars,
      Map<String, String> globals) throws AppcException {
    List<String> out = new ArrayList<>();
    List<String> words = lex.words(in.text(), vars, in.where());
    if (words.isEmpty()) {
      throw new AppcException(in.where() + ": ARG requires at least one argument");
    }
    for (String w : words) {
      int eq = w.indexOf('=');
      String name = eq < 0 ? w : w.substring(0, eq);
      String value = eq >= 0 ? w.substring(eq + 1) : globals != null ? globals.get(name) : null;
      if (options.buildArgs().containsKey(name)) {
        value = options.buildArgs().get(name);
        usedArgs.add(name);
      }
      scope.put(name, value);
      out.add(w);
    }
    return out;
  }

  /** The global ARGs, for FROM lines. */
  private Map<String, String> globalArgsUsed() {
    Map<String, String> m = new LinkedHashMap<>();
    globalArgs.forEach((k, v) -> {
      if (v != null) {
        m.put(k, v);
      }
    });
    return m;
  }

  /** The variables of a stage for substitution: its ARGs, then its environment over them. */
  private static Map<String, String> vars(Stage s) {
    Map<String, String> m = new LinkedHashMap<>();
    s.args.forEach((k, v) -> {
      if (v != null) {
        m.put(k, v);
      }
    });
    if (s.manifest.app() != null) {
      s.manifest.app().environment().list().forEach(e -> m.put(e.name(), e.value()));
    }
    return m;
  }

  /** NAME=VALUE pairs of ENV and LABEL; also the old {@code ENV NAME VALUE...} form. */
  private List<String[]> pairs(Instruction in, Stage s) throws AppcException {
    List<String[]> out = new ArrayList<>();
    String text = in.text().strip();
    List<String> raw = splitRaw(text);
    if (raw.isEmpty()) {
      throw new AppcException(in.where() + ": " + in.keyword() + " requires at least one argument");
    }
    if (!raw.get(0).contains("=")) {
      if (!in.keyword().equals("ENV") || raw.size() < 2) {
        throw new AppcException(in.where() + ": " + in.keyword() + " takes NAME=VALUE pairs: " + in.display());
      }
      String name = raw.get(0);
      String value = lex.word(text.substring(text.indexOf(name) + name.length()).strip(), vars(s), in.where());
      out.add(new String[] {name, value});
      return out;
    }
    Map<String, String> v = vars(s);
    for (String w : raw) {
      int eq = w.indexOf('=');
      if (eq <= 0) {
        throw new AppcException(in.where() + ": " + in.keyword() + " " + w + ": expected NAME=VALUE");
      }
      String name = lex.word(w.substring(0, eq), v, in.where());
      String value = lex.word(w.substring(eq + 1), v, in.where());
      // every pair sees the variables as they were before the instruction, as in Docker
      out.add(new String[] {name, value});
    }
    return out;
  }

  /** Splits at unquoted whitespace keeping quotes and escapes (for NAME=VALUE pairs, processed after). */
  private List<String> splitRaw(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    char esc = options.dockerfile().escape();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
        continue;
      }
      cur.append(c);
      if (c == esc && quote != '\'' && i + 1 < text.length()) {
        cur.append(text.charAt(++i));
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  private void env(Stage s, Instruction in, int number, int total) throws AppcException {
    List<String[]> pairs = pairs(in, s);
    List<String> shown = new ArrayList<>();
    ManifestEdit edit = m -> m;
    for (String[] p : pairs) {
      shown.add(p[0] + "=" + p[1]);
      ManifestEdit prev = edit;
      ManifestEdit add = ManifestEdits.addEnvironment(p[0], p[1]);
      edit = m -> add.apply(prev.apply(m));
    }
    manifestStep(s, in, number, total, "ENV " + String.join(" ", shown), edit);
  }

  private void label(Stage s, Instruction in, int number, int total) throws AppcException {
    List<String[]> pairs = pairs(in, s);
    List<String> shown = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    for (String[] p : pairs) {
      shown.add(p[0] + "=" + p[1]);
      labels.put(p[0], p[1]);
    }
    manifestStep(s, in, number, total, "LABEL " + String.join(" ", shown), m -> {
      App a = app(m);
      Map<String, String> user = new TreeMap<>(a.userLabels());
      user.putAll(labels);
      return m.withApp(a.withUserLabels(user));
    });
  }

  private static App app(ImageManifest m) {
    return m.app() != null ? m.app() : App.of(List.of(), "0", "0");
  }

  private void user(Stage s, Instruction in, int number, int total) throws AppcException {
    String spec = lex.word(in.text().strip(), vars(s), in.where());
    if (spec.isEmpty() || spec.contains(" ")) {
      throw new AppcException(in.where() + ": USER takes one USER[:GROUP]: " + in.display());
    }
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? null : spec.substring(colon + 1);
    if (group == null) {
      group = primaryGroup(s, user, in);
    }
    String g = group;
    manifestStep(s, in, number, total, "USER " + user + ":" + g, m -> m.withApp(app(m).withUser(user).withGroup(g)));
  }

  /** The primary group of {@code user} in the stage's /etc/passwd; {@code 0} for a number not listed, as Docker. */
  private String primaryGroup(Stage s, String user, Instruction in) throws AppcException {
    String found = withRootfs(s, rootfs -> {
      Path passwd = rootfs.resolve("etc/passwd");
      if (!Files.isRegularFile(passwd, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length >= 4 && (f[0].equals(user) || f[2].equals(user))) {
          return f[3];
        }
      }
      return null;
    });
    if (found != null) {
      return found;
    }
    if (user.matches("[0-9]+")) {
      return "0";
    }
    throw new AppcException(in.where() + ": USER " + user + ": no such user in the image's /etc/passwd (add it with a RUN "
        + "before, or give the group: USER " + user + ":GROUP)");
  }

  private void expose(Stage s, Instruction in, int number, int total) throws AppcException {
    List<String> specs = lex.words(in.text(), vars(s), in.where());
    if (specs.isEmpty()) {
      throw new AppcException(in.where() + ": EXPOSE requires at least one argument");
    }
    List<ManifestEdit> edits = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    for (String spec : specs) {
      var m = PORT.matcher(spec);
      if (!m.matches()) {
        throw new AppcException(in.where() + ": EXPOSE " + spec + ": expected PORT[-END][/tcp|/udp]");
      }
      int port = Integer.parseInt(m.group(1));
      int end = m.group(2) == null ? port : Integer.parseInt(m.group(2));
      String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
      if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
        throw new AppcException(in.where() + ": EXPOSE " + spec + ": the protocol is tcp, udp or sctp");
      }
      if (port < 1 || port > 65535 || end < port || end > 65535) {
        throw new AppcException(in.where() + ": EXPOSE " + spec + ": ports are 1..65535, a range low-high");
      }
      String name = sanitizeName(m.group(1) + (m.group(2) == null ? "" : "-" + m.group(2)) + "-" + proto);
      edits.add(ManifestEdits.addPort(name, proto, port, end - port + 1, false));
      shown.add(port + (end == port ? "" : "-" + end) + "/" + proto);
    }
    manifestStep(s, in, number, total, "EXPOSE " + String.join(" ", shown), chain(edits));
  }

  private void volume(Stage s, Instruction in, int number, int total) throws AppcException {
    List<String> paths = new ArrayList<>();
    if (in.json() != null) {
      for (String p : in.json()) {
        paths.add(lex.word(p, vars(s), in.where()));
      }
    } else {
      paths.addAll(lex.words(in.text(), vars(s), in.where()));
    }
    if (paths.isEmpty()) {
      throw new AppcException(in.where() + ": VOLUME requires at least one argument");
    }
    List<ManifestEdit> edits = new ArrayList<>();
    for (String p : paths) {
      if (!p.startsWith("/")) {
        throw new AppcException(in.where() + ": VOLUME " + p + ": the path must be absolute");
      }
      String clean = "/" + DockerIgnore.clean(p);
      String name = sanitizeName("volume/" + clean.substring(1));
      edits.add(ManifestEdits.addMount(name, clean, false));
    }
    manifestStep(s, in, number, total, "VOLUME " + json(paths), chain(edits));
  }

  private void entrypointOrCmd(Stage s, Instruction in, int number, int total) throws AppcException {
    List<String> argv;
    if (in.json() != null) {
      argv = in.json();
    } else if (in.text().isBlank()) {
      argv = List.of();
    } else {
      argv = new ArrayList<>(s.shell);
      argv.add(in.text());
    }
    if (in.keyword().equals("ENTRYPOINT")) {
      s.entrypoint = argv;
      if (s.cmdFromBase) {
        s.cmd = List.of();
      }
    } else {
      s.cmd = argv;
      s.cmdFromBase = false;
    }
    List<String> exec = new ArrayList<>(s.entrypoint);
    exec.addAll(s.cmd);
    String ep = json(s.entrypoint);
    String cmd = json(s.cmd);
    manifestStep(s, in, number, total, in.keyword() + " " + json(argv), m -> {
      ImageManifest out = exec.isEmpty() ? m.withApp(app(m).withExec(List.of())) : ManifestEdits.setExec(exec).apply(m);
      out = out.withAnnotations(withOrWithout(withOrWithout(out.annotations(), ENTRYPOINT_ANNOTATION, ep),
          CMD_ANNOTATION, cmd));
      return out;
    });
  }

  private static org.appctools.schema.types.Annotations withOrWithout(org.appctools.schema.types.Annotations a,
      String name, String jsonArray) {
    AcIdentifier id = AcIdentifier.parse(name);
    return jsonArray.equals("[]") ? a.without(id) : a.with(id, jsonArray);
  }

  private static ManifestEdit chain(List<ManifestEdit> edits) {
    return m -> {
      ImageManifest out = m;
      for (ManifestEdit e : edits) {
        out = e.apply(out);
      }
      return out;
    };
  }

  /** Go's SanitizeACName, as docker2aci names ports and volumes. */
  static String sanitizeName(String s) {
    String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("(^-+)|(-+$)", "");
    return v;
  }

  static String json(List<String> argv) {
    try {
      return JSON.writeValueAsString(argv);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- rootfs steps

  /** What a rootfs step does in a session. */
  @FunctionalInterface
  private interface TreeChange {
    void apply(BuildSession session) throws AppcException;
  }

  /**
   * A step that changes the rootfs: taken from the cache under its key, or run in the stage's
   * session (begun from the last state when there is none) and saved under its key.
   */
  private void treeStep(Stage s, int number, int total, String text, List<String> keyParts, TreeChange change)
      throws AppcException {
    List<String> parts = new ArrayList<>(List.of(text));
    parts.addAll(keyParts);
    String key = StepKey.of(s.key, parts);
    s.key = key;
    if (!options.noCache() && cache.hasState(key)) {
      report(s, number, total, text, true);
      endSession(s);
      s.stateKey = key;
      return;
    }
    report(s, number, total, text, false);
    s.chainIntact = false;
    BuildSession session = session(s);
    session.edit(null, m -> s.manifest);
    change.apply(session);
    save(session, key);
    s.stateKey = key;
  }

  /** The stage's live session, begun from its last state if there is none. */
  private BuildSession session(Stage s) throws AppcException {
    if (s.session != null) {
      return s.session;
    }
    s.workPath = stageWorkPath(s);
    s.session = cache.withState(s.stateKey, e -> {
      if (e == null) {
        throw new AppcException("build: a state of the build cache was removed meanwhile (build again)");
      }
      return BuildSession.begin(s.workPath, new BeginSource.Generation(e));
    });
    warnings.addAll(s.session.warnings());
    return s.session;
  }

  private Path stageWorkPath(Stage s) throws AppcException {
    Path p = work.resolve("stage-" + s.index + "-" + (++counter));
    try {
      Files.createDirectories(p);
    } catch (IOException e) {
      throw new AppcException("build: cannot create " + p + ": " + e.getMessage(), e);
    }
    return p;
  }

  private void endSession(Stage s) throws AppcException {
    if (s.session != null) {
      BuildSession session = s.session;
      s.session = null;
      session.end();
    }
  }

  /** Saves the session's current generation as the cache state {@code key}. */
  private void save(BuildSession session, String key) throws AppcException {
    Path staged = work.resolve("state-" + (++counter));
    session.saveGeneration(staged);
    cache.putState(key, staged);
  }

  /** Runs {@code use} on the stage's current rootfs (its session's, or its cache state's). */
  private <T> T withRootfs(Stage s, BuildCache.EntryUse<T> use) throws AppcException {
    if (s.session != null) {
      try {
        return use.use(s.session.imageDir().resolve("rootfs"));
      } catch (IOException e) {
        throw new AppcException("build: " + e.getMessage(), e);
      }
    }
    return cache.withState(s.stateKey, e -> {
      if (e == null) {
        throw new AppcException("build: a state of the build cache was removed meanwhile (build again)");
      }
      return use.use(e.resolve("image/rootfs"));
    });
  }

  private void run(Stage s, Instruction in, int number, int total) throws AppcException {
    refuseFlags(in, Set.of(), "RUN");
    List<String> argv;
    if (in.json() != null) {
      argv = in.json();
    } else {
      if (HEREDOC.matcher(in.text()).find()) {
        throw new AppcException(in.where() + ": RUN with a heredoc (<<WORD) is not supported: put the lines in a "
            + "script file, COPY it and RUN it");
      }
      argv = new ArrayList<>(s.shell);
      argv.add(in.text());
    }
    if (argv.isEmpty() || argv.get(0).isEmpty()) {
      throw new AppcException(in.where() + ": RUN requires a command");
    }
    Map<String, String> args = new TreeMap<>();
    s.args.forEach((k, v) -> {
      if (v != null) {
        args.put(k, v);
      }
    });
    App a = app(s.manifest);
    String user = s.manifest.app() == null ? "0" : a.user();
    String group = s.manifest.app() == null ? "0" : a.group();
    String dir = a.workingDirectory() == null || a.workingDirectory().isEmpty() ? "/" : a.workingDirectory();
    String text = in.json() != null ? "RUN " + json(argv) : "RUN " + in.text();
    List<String> parts = new ArrayList<>(List.of(json(argv), "user " + user + ":" + group, "dir " + dir));
    args.forEach((k, v) -> parts.add("arg " + k + "=" + v));
    RunStep step = new RunStep(argv, args, user, group, dir);
    treeStep(s, number, total, text, parts, session -> {
      int code = runner.run(session, step);
      if (code != 0) {
        throw new AppcException(in.where() + ": " + text + ": the command returned a non-zero code: " + code);
      }
    });
  }

  private void workdir(Stage s, Instruction in, int number, int total) throws AppcException {
    String dir = lex.word(in.text().strip(), vars(s), in.where());
    if (dir.isEmpty()) {
      throw new AppcException(in.where() + ": WORKDIR requires a directory");
    }
    String abs = absolute(s, dir);
    s.manifest = ManifestEdits.setWorkingDirectory(abs).apply(s.manifest);
    treeStep(s, number, total, "WORKDIR " + abs, List.of(), session -> {
      Path rootfs = session.imageDir().resolve("rootfs");
      Path p = BuildSession.pathInRootfs("WORKDIR", rootfs, abs);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Path empty = work.resolve("workdir-" + (++counter));
        try {
          Files.createDirectory(empty, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
          Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
          throw new AppcException(in.where() + ": WORKDIR: " + e.getMessage(), e);
        }
        session.copy(empty, abs, new CopyOptions(null, null, null), null);
      }
    });
  }

  /** {@code path} made absolute against the stage's working directory, and cleaned. */
  private static String absolute(Stage s, String path) {
    String base = s.manifest.app() == null || s.manifest.app().workingDirectory() == null
        || s.manifest.app().workingDirectory().isEmpty() ? "/" : s.manifest.app().workingDirectory();
    String joined = path.startsWith("/") ? path : base + "/" + path;
    return "/" + DockerIgnore.clean(joined);
  }

  private void copy(Stage s, Instruction in, int number, int total) throws AppcException {
    boolean add = in.keyword().equals("ADD");
    refuseFlags(in, add ? Set.of("chown", "chmod") : Set.of("chown", "chmod", "from"), in.keyword());
    Map<String, String> v = vars(s);
    List<String> words = new ArrayList<>();
    if (in.json() != null) {
      for (String w : in.json()) {
        words.add(lex.word(w, v, in.where()));
      }
    } else {
      if (HEREDOC.matcher(in.text()).find()) {
        throw new AppcException(in.where() + ": " + in.keyword() + " with a heredoc (<<WORD) is not supported: write the "
            + "file into the build context and copy it");
      }
      words.addAll(lex.words(in.text(), v, in.where()));
    }
    if (words.size() < 2) {
      throw new AppcException(in.where() + ": " + in.keyword() + " requires at least two arguments: SOURCE... DEST");
    }
    List<String> sources = words.subList(0, words.size() - 1);
    String destWord = words.get(words.size() - 1);
    for (String src : sources) {
      if (src.matches("(?i)(https?|git|ssh)://.*") || src.startsWith("git@")) {
        throw new AppcException(in.where() + ": " + in.keyword() + " " + src + ": URLs are not supported (the build "
            + "is local and reproducible): download the file into the build context and " + in.keyword() + " it");
      }
    }
    String dest = absolute(s, destWord) + (destWord.endsWith("/") && !destWord.equals("/") ? "/" : "");
    Long[] owner = owner(s, in);
    Integer mode = null;
    if (in.flags().containsKey("chmod")) {
      String m = in.flags().get("chmod");
      if (m == null || !m.matches("[0-7]{3,4}")) {
        throw new AppcException(in.where() + ": " + in.keyword() + " --chmod=" + m + ": expected an octal mode such as 755");
      }
      mode = Integer.parseInt(m, 8);
    }
    CopyOptions opts = new CopyOptions(owner[0], owner[1], mode);
    String flagText = flagsText(in);
    String text = in.keyword() + flagText + " " + String.join(" ", sources) + " " + destWord;
    if (in.flags().containsKey("from")) {
      copyFromStage(s, in, number, total, sources, dest, opts, text);
      return;
    }
    BuildContext ctx = options.context();
    List<String> rels = new ArrayList<>();
    for (String src : sources) {
      rels.addAll(ctx.resolve(src, in.where(), in.keyword()));
    }
    String digest = ctx.digest(rels, in.where());
    boolean intoDir = dest.endsWith("/") || rels.size() > 1;
    treeStep(s, number, total, text, List.of("dest " + dest, "owner " + owner[0] + ":" + owner[1],
        "mode " + mode, "files " + digest), session -> {
      Path rootfs = session.imageDir().resolve("rootfs");
      boolean destIsDir = intoDir || Files.isDirectory(BuildSession.pathInRootfs(in.keyword(), rootfs, dest),
          LinkOption.NOFOLLOW_LINKS) || ctx.isDirectory(rels.get(0));
      Path stage = work.resolve("copy-" + (++counter));
      try {
        Files.createDirectory(stage);
        if (!destIsDir) {
          Path one = stage.resolve("file");
          stageSource(ctx, rels.get(0), one, add, in, true);
          session.copy(one, dest, opts, null);
          return;
        }
        Path into = stage.resolve("dir");
        Files.createDirectory(into);
        for (String rel : rels) {
          if (ctx.isDirectory(rel)) {
            ctx.copy(rel, into, in.where());
          } else {
            stageSource(ctx, rel, into, add, in, false);
          }
        }
        Path existing = BuildSession.pathInRootfs(in.keyword(), rootfs, dest);
        if (Files.isDirectory(existing, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(into, Files.getPosixFilePermissions(existing, LinkOption.NOFOLLOW_LINKS));
          Files.setLastModifiedTime(into, Files.getLastModifiedTime(existing, LinkOption.NOFOLLOW_LINKS));
        } else {
          Files.setPosixFilePermissions(into, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        session.copy(into, dest, opts, null);
      } catch (IOException e) {
        throw new AppcException(in.where() + ": " + in.keyword() + ": " + e.getMessage(), e);
      } finally {
        try {
          FileTrees.delete(stage);
        } catch (IOException e) {
          warnings.add("cannot remove " + stage + ": " + e.getMessage());
        }
      }
    });
  }

  /**
   * Stages one context file: ADD extracts a local tar archive (plain or compressed) into the
   * destination directory; otherwise the file goes to {@code target} (as it, or into it).
   */
  private void stageSource(BuildContext ctx, String rel, Path target, boolean add, Instruction in, boolean asFile)
      throws AppcException, IOException {
    Path file = ctx.file(rel);
    if (add && isTar(file)) {
      Path into = target;
      if (asFile) {
        Files.createDirectory(into);
      }
      Path x = into.resolve(".extract");
      AciExtractor.extractRootfs(file, x, ExtractOptions.defaults().withAllowDevices(false));
      try (var ds = Files.newDirectoryStream(x)) {
        for (Path c : ds) {
          Files.move(c, into.resolve(c.getFileName().toString()));
        }
      }
      Files.delete(x);
      return;
    }
    Path t = asFile ? target : target.resolve(file.getFileName().toString());
    ctx.copy(rel, t, in.where());
  }

  /** Whether {@code file} is a tar archive, plain or compressed (ADD extracts those). */
  private static boolean isTar(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(Compression.DETECT_BYTES);
    }
    Compression c = Compression.detect(head);
    if (c != Compression.NONE) {
      try (InputStream in = c.decompress(Files.newInputStream(file))) {
        head = in.readNBytes(512);
      } catch (IOException e) {
        return false;
      }
    }
    return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
  }

  private void copyFromStage(Stage s, Instruction in, int number, int total, List<String> sources, String dest,
      CopyOptions opts, String text) throws AppcException {
    String from = in.flags().get("from");
    Stage src = from == null ? null : stage(from);
    if (src == null || src == s) {
      throw new AppcException(in.where() + ": COPY --from=" + from + ": no earlier stage of that name or number (an "
          + "image cannot be copied from here: add a stage FROM it AS a name, and COPY --from=name)");
    }
    for (String p : sources) {
      if (p.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
        throw new AppcException(in.where() + ": COPY --from " + p + ": patterns are not supported with --from; name the "
            + "path");
      }
    }
    boolean intoDir = dest.endsWith("/") || sources.size() > 1;
    treeStep(s, number, total, text, List.of("from " + src.stateKey, "dest " + dest,
        "owner " + opts.uid() + ":" + opts.gid(), "mode " + opts.mode()), session ->
        withRootfs(src, rootfs -> {
          for (String p : sources) {
            Path file = BuildSession.pathInRootfs("COPY", rootfs, p.startsWith("/") ? p : "/" + p);
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
              throw new AppcException(in.where() + ": COPY --from=" + from + " " + p + ": no such file in that stage");
            }
            boolean dir = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
            String target = intoDir && !dir ? dest + (dest.endsWith("/") ? "" : "/") + file.getFileName() : dest;
            session.copy(file, target, opts, null);
          }
          return null;
        }));
  }

  /** {@code --chown=USER[:GROUP]} as numbers (names from the stage's /etc/passwd and /etc/group); 0:0 without it. */
  private Long[] owner(Stage s, Instruction in) throws AppcException {
    String spec = in.flags().get("chown");
    if (spec == null) {
      return new Long[] {0L, 0L};
    }
    spec = lex.word(spec, vars(s), in.where());
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? null : spec.substring(colon + 1);
    String[] ids = withRootfs(s, rootfs -> {
      String uid = user.matches("[0-9]+") ? user : lookup(rootfs.resolve("etc/passwd"), user, 2);
      String gid;
      if (group == null) {
        gid = user.matches("[0-9]+") ? user : lookup(rootfs.resolve("etc/passwd"), user, 3);
      } else {
        gid = group.matches("[0-9]+") ? group : lookup(rootfs.resolve("etc/group"), group, 2);
      }
      return new String[] {uid, gid};
    });
    if (ids[0] == null) {
      throw new AppcException(in.where() + ": " + in.keyword() + " --chown=" + spec + ": no user " + user
          + " in the image's /etc/passwd (use numbers, or add the user first)");
    }
    if (ids[1] == null) {
      throw new AppcException(in.where() + ": " + in.keyword() + " --chown=" + spec + ": no group " + group
          + " in the image's /etc/group (use numbers, or add the group first)");
    }
    try {
      return new Long[] {Long.parseLong(ids[0]), Long.parseLong(ids[1])};
    } catch (NumberFormatException e) {
      throw new AppcException(in.where() + ": " + in.keyword() + " --chown=" + spec + ": IDs are numbers 0..4294967295", e);
    }
  }

  private static String lookup(Path file, String name, int field) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split(":", -1);
      if (f.length > field && f[0].equals(name)) {
        return f[field];
      }
    }
    return null;
  }

  private static String flagsText(Instruction in) {
    StringBuilder b = new StringBuilder();
    in.flags().forEach((k, v) -> b.append(" --").append(k).append(v == null ? "" : "=" + v));
    return b.toString();
  }

  // ---------------------------------------------------------------- write

  private Result write(Stage s, int total, Output output) throws AppcException {
    ImageManifest m = s.manifest;
    try {
      m = m.withName(AcIdentifier.parse(options.name()));
      m = options.version() == null
          ? (m.labels().get("version").isPresent() ? ManifestEdits.removeLabel("version").apply(m) : m)
          : ManifestEdits.addLabel("version", options.version()).apply(m);
    } catch (InvalidValueException e) {
      throw new AppcException("build: --tag " + options.name() + ": " + e.getMessage(), e);
    }
    ImageManifest finalManifest = m;
    String key = StepKey.of(s.key, List.of("WRITE", new String(finalManifest.toJson(), StandardCharsets.UTF_8),
        options.compressionKey(), options.sourceDateEpoch().isPresent()
            ? Long.toString(options.sourceDateEpoch().getAsLong()) : "no-epoch"));
    if (options.noCache() || !cache.hasAci(key)) {
      BuildSession session = session(s);
      session.edit(null, x -> finalManifest);
      Path staged = work.resolve("aci-" + (++counter));
      try {
        Files.createDirectory(staged);
        WriteResult r = session.write(staged.resolve("image.aci"),
            new WriteOptions(false, options.compression(), options.sourceDateEpoch(),
                options.compressionLevel()));
        warnings.addAll(r.warnings());
        Files.writeString(staged.resolve("image-id"), r.imageId());
      } catch (IOException e) {
        throw new AppcException("build: cannot write the image: " + e.getMessage(), e);
      }
      cache.putAci(key, staged);
    }
    Path link = work.resolve("image.aci");
    String id = cache.withAci(key, e -> {
      if (e == null) {
        throw new AppcException("build: the written image was removed from the build cache meanwhile (build again)");
      }
      Files.createLink(link, e.resolve("image.aci"));
      return Files.readString(e.resolve("image-id"), StandardCharsets.UTF_8).strip();
    });
    output.accept(link, id);
    return new Result(id, key, total, cachedSteps, warnings);
  }
}
