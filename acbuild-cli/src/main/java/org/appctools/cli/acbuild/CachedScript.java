package org.appctools.cli.acbuild;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.appctools.AppcException;
import org.appctools.build.BeginSource;
import org.appctools.build.BuildSession;
import org.appctools.build.file.BuildContext;
import org.appctools.build.file.DockerIgnore;
import org.appctools.build.file.DockerfileBuild;
import org.appctools.build.file.StepKey;
import org.appctools.store.BuildCache;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code acbuild script --cache}: a Go acbuild script run through the step cache of {@code
 * acbuild build}. The script must begin its own build (its first line is {@code begin}); the
 * begin's key is the key of a Dockerfile's FROM of the same base (see {@link BaseImages}), and
 * each later line extends the chain with its words (and, for {@code copy}, {@code copy-to-dir},
 * {@code isolator add} and {@code replace-manifest}, the digest of the host files it reads). A
 * line whose key is cached is not run; a line that is runs, as plain {@code acbuild script}
 * runs it, on the build begun from the last cached state, and the state after it is cached. A
 * {@code write} without {@code --sign} is cached as {@code acbuild build}'s image is. Lines whose
 * result the key cannot capture ({@code run --mount}, {@code isolator add NAME -}, {@code write
 * --sign}) always run, and no line after them is taken from the cache.
 */
final class CachedScript {
  private final CommandSpec spec;
  private final Acbuild root;
  private final BuildCache cache;
  private final ImageStore store;
  private final Path workPath;
  private final PrintWriter err;
  private String key;
  private String stateKey;
  /** Whether the work path holds a build context with the current state. */
  private boolean live;
  private int counter;

  CachedScript(CommandSpec spec, Path workPath) throws AppcException {
    this.spec = spec;
    this.root = Acbuild.of(spec);
    this.store = ImageStore.open(root.storeDir());
    this.cache = BuildCache.open(store);
    this.workPath = workPath;
    this.err = spec.commandLine().getErr();
  }

  /** Runs the lines; returns the exit code of the first that fails, else 0. */
  int run(List<List<String>> commands) throws AppcException {
    if (commands.isEmpty() || !commands.get(0).get(0).toLowerCase(Locale.ROOT).equals("begin")) {
      throw new AppcException("script --cache: the script's first line must be begin (the cache starts from the base image)");
    }
    int total = commands.size();
    begin(commands.get(0), total);
    for (int i = 1; i < total; i++) {
      List<String> c = commands.get(i);
      String verb = c.get(0).toLowerCase(Locale.ROOT);
      String text = String.join(" ", c);
      int code;
      if (verb.equals("cat-manifest")) {
        step(i + 1, total, text, false);
        materialize();
        code = line(c, spec.commandLine().getOut());
      } else if (verb.equals("write")) {
        code = write(c, i + 1, total, text);
      } else {
        code = change(c, verb, i + 1, total, text);
      }
      if (code != 0) {
        err.println("script: command " + (i + 1) + " (" + text + ") failed with exit code " + code);
        return code;
      }
    }
    return 0;
  }

  private void step(int n, int total, String text, boolean cached) {
    err.println("Step " + n + "/" + total + " : " + text + (cached ? " (cached)" : ""));
    err.flush();
  }

  private void begin(List<String> c, int total) throws AppcException {
    boolean insecure = false;
    String start = null;
    for (String a : c.subList(1, c.size())) {
      if (a.equals("--insecure")) {
        insecure = true;
      } else if (start == null && !a.startsWith("-")) {
        start = a;
      } else {
        throw new AppcException("script --cache: line 1: begin takes [--insecure] [START]: " + String.join(" ", c));
      }
    }
    DockerfileBuild.Base base;
    if (start == null) {
      base = BaseImages.scratch();
    } else if (start.startsWith(".") || start.startsWith("/") || start.startsWith("~")) {
      base = BaseImages.local(Cli.hostPath(start), "begin", start);
    } else {
      base = BaseImages.fetched(store, start, insecure, err);
    }
    key = StepKey.of(null, List.of("FROM", base.identity()));
    stateKey = key;
    boolean cached = cache.hasState(key);
    step(1, total, String.join(" ", c), cached);
    if (!cached) {
      try (BuildSession s = BuildSession.begin(workPath, base.source())) {
        Cli.warn(spec, s.warnings());
        save(s, key);
      }
      live = true;
    }
  }

  /** A line that changes the build: from the cache, or run and cached. */
  private int change(List<String> c, String verb, int n, int total, String text) throws AppcException {
    List<String> args = c.subList(1, c.size());
    boolean cacheable = !(verb.equals("run") && args.stream().anyMatch(a -> a.equals("--mount") || a.startsWith("--mount=")))
        && !(verb.equals("isolator") && args.contains("-"));
    List<String> parts = new ArrayList<>(List.of("script", json(c),
        "history " + !root.noHistory));
    for (Path f : inputs(verb, args)) {
      parts.add("input " + f + " " + digest(f));
    }
    String next = cacheable ? StepKey.of(key, parts) : StepKey.of(key, List.of(UUID.randomUUID().toString()));
    if (cacheable && cache.hasState(next)) {
      step(n, total, text, true);
      endLive();
      key = next;
      stateKey = next;
      return 0;
    }
    step(n, total, text, false);
    materialize();
    int code = line(c, spec.commandLine().getOut());
    key = next;
    if (code == 0 && cacheable) {
      try (BuildSession s = BuildSession.open(workPath)) {
        save(s, next);
      }
      stateKey = next;
    }
    return code;
  }

  /** write: the written image is cached under the state's key and the write options, unless it is signed. */
  private int write(List<String> c, int n, int total, String text) throws AppcException {
    List<String> args = c.subList(1, c.size());
    boolean overwrite = false;
    String compression = "gzip";
    String out = null;
    boolean signed = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--overwrite") || a.equals("--overwrite=true")) {
        overwrite = true;
      } else if (a.equals("--compression") && i + 1 < args.size()) {
        compression = args.get(++i);
      } else if (a.startsWith("--compression=")) {
        compression = a.substring("--compression=".length());
      } else if (a.startsWith("--sign") || a.startsWith("--key") || a.startsWith("--passphrase")) {
        signed = true;
      } else if (!a.startsWith("-") && out == null) {
        out = a;
      } else {
        signed = true; // a flag this cache does not know: run the line as it is
      }
    }
    String epoch = System.getenv("SOURCE_DATE_EPOCH");
    String writeKey = StepKey.of(key, List.of("script write", compression, "epoch " + epoch));
    if (signed || out == null || !cache.hasAci(writeKey)) {
      step(n, total, text, false);
      materialize();
      StringWriter printed = new StringWriter();
      int code = line(c, new PrintWriter(printed));
      spec.commandLine().getOut().print(printed);
      spec.commandLine().getOut().flush();
      if (code == 0 && !signed && out != null) {
        Path staged = cache.newWorkDirectory();
        try {
          Files.copy(Cli.hostPath(out), staged.resolve("image.aci"));
          Files.writeString(staged.resolve("image-id"), printed.toString().strip());
        } catch (IOException e) {
          throw new AppcException("script --cache: cannot cache the image written to " + out + ": " + e.getMessage(), e);
        }
        cache.putAci(writeKey, staged);
      }
      return code;
    }
    step(n, total, text, true);
    Path target = Cli.hostPath(out);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
      throw new AppcException("write: ACI already exists: " + out + " (use --overwrite)");
    }
    String id = cache.withAci(writeKey, e -> {
      if (e == null) {
        throw new AppcException("script --cache: the cached image was removed meanwhile (run the script again)");
      }
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
      Files.copy(e.resolve("image.aci"), tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return Files.readString(e.resolve("image-id"), StandardCharsets.UTF_8).strip();
    });
    spec.commandLine().getOut().println(id);
    return 0;
  }

  /** The host files a line reads, whose contents are part of its key. */
  private static List<Path> inputs(String verb, List<String> args) {
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--chown") || a.equals("--chmod")) {
        i++;
      } else if (!a.startsWith("-")) {
        positional.add(a);
      }
    }
    List<Path> out = new ArrayList<>();
    switch (verb) {
      case "copy", "copy-to-dir" -> positional.subList(0, Math.max(0, positional.size() - 1)).forEach(p -> out.add(Cli.hostPath(p)));
      case "isolator" -> {
        if (positional.size() == 3 && positional.get(0).equals("add")) {
          out.add(Cli.hostPath(positional.get(2)));
        }
      }
      case "replace-manifest" -> positional.forEach(p -> out.add(Cli.hostPath(p)));
      default -> { }
    }
    return out;
  }

  private static String digest(Path f) throws AppcException {
    Path abs = f.toAbsolutePath().normalize();
    if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS) || abs.getParent() == null) {
      return "missing";
    }
    BuildContext ctx = new BuildContext(abs.getParent(), DockerIgnore.none());
    return ctx.digest(List.of(abs.getFileName().toString()), "script");
  }

  /** Makes the work path hold the current state, begun from the cache when it does not. */
  private void materialize() throws AppcException {
    if (live) {
      return;
    }
    String k = stateKey;
    cache.withState(k, e -> {
      if (e == null) {
        throw new AppcException("script --cache: a state of the build cache was removed meanwhile (run the script again)");
      }
      try (BuildSession s = BuildSession.begin(workPath, new BeginSource.Generation(e))) {
        Cli.warn(spec, s.warnings());
      }
      return null;
    });
    live = true;
  }

  private void endLive() throws AppcException {
    if (live) {
      try (BuildSession s = BuildSession.open(workPath)) {
        s.end();
      }
      live = false;
    }
  }

  private void save(BuildSession s, String k) throws AppcException {
    Path staged = cache.newWorkDirectory();
    try {
      Path entry = staged.resolve("state-" + (++counter));
      s.saveGeneration(entry);
      cache.putState(k, entry);
    } finally {
      try {
        org.appctools.fs.FileTrees.delete(staged);
      } catch (IOException e) {
        err.println("script: warning: can't remove " + staged + ": " + e.getMessage());
      }
    }
  }

  /** Runs one script line as plain acbuild script does. */
  private int line(List<String> c, PrintWriter out) {
    return Acbuild.run(root.in, out, err, ScriptCommand.lineArgs(root, workPath, c));
  }

  private static String json(List<String> words) {
    StringBuilder b = new StringBuilder("[");
    for (String w : words) {
      b.append(b.length() > 1 ? "," : "").append(Cli.goQuote(w));
    }
    return b.append(']').toString();
  }
}
