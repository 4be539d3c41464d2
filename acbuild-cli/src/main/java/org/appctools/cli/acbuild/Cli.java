package org.appctools.cli.acbuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.aci.BuildOptions;
import org.appctools.fs.FileTrees;
import org.appctools.sign.SigningKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** Small things every acbuild command needs the same way. */
final class Cli {
  private Cli() {}

  /**
   * The history annotation's value as the Go acbuild writes it ({@code addACBuildAnnotation}):
   * {@code acbuild} and the command's canonical names, then each positional argument Go-quoted
   * ({@code %q}); flags are not recorded.
   */
  static String history(CommandSpec spec) {
    StringBuilder sb = new StringBuilder(spec.qualifiedName(" "));
    for (String a : positionals(spec)) {
      sb.append(' ').append(goQuote(a));
    }
    return sb.toString();
  }

  /** Positionals by index: a class, not a Comparator.comparingInt lambda (see goQuote). */
  private static final Comparator<PositionalParamSpec> BY_INDEX = new Comparator<>() {
    @Override
    public int compare(PositionalParamSpec a, PositionalParamSpec b) {
      return Integer.compare(a.index().min(), b.index().min());
    }
  };

  static List<String> positionals(CommandSpec spec) {
    ParseResult pr = spec.commandLine().getParseResult();
    List<PositionalParamSpec> matched = new ArrayList<>(pr.matchedPositionals());
    matched.sort(BY_INDEX);
    List<String> values = new ArrayList<>();
    for (PositionalParamSpec p : matched) {
      values.addAll(p.originalStringValues());
    }
    return values;
  }

  /** Go's strconv.Quote: double quotes, backslash escapes for quotes, backslashes and control characters. */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    // a plain loop, not codePoints().forEach: every acbuild command runs this once, and a stream
    // or a lambda costs a short command first-time set-up that the class-data archive does not hold
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 11 -> sb.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", c));
          } else if (Character.isISOControl(c) || !Character.isDefined(c)) {
            sb.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
          } else {
            sb.appendCodePoint(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** SOURCE_DATE_EPOCH (reproducible-builds.org), if set: the time to clamp mtimes to. */
  static OptionalLong sourceDateEpoch() throws AppcException {
    return BuildOptions.sourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"));
  }

  static void warn(CommandSpec spec, List<String> warnings) {
    for (String w : warnings) {
      spec.commandLine().getErr().println(Acbuild.commandPath(spec) + ": warning: " + w);
    }
  }

  static void debug(CommandSpec spec, String message) {
    if (Acbuild.of(spec).debug) {
      spec.commandLine().getErr().println(message);
    }
  }

  /** A path given on the command line: {@code ~} and {@code ~/x} as a shell would expand them. */
  static Path hostPath(String arg) {
    if (arg.equals("~")) {
      return Path.of(System.getProperty("user.home"));
    }
    if (arg.startsWith("~/")) {
      return Path.of(System.getProperty("user.home")).resolve(arg.substring(2));
    }
    return Path.of(arg).toAbsolutePath();
  }

  /** Removes a temporary tree of ours. */
  static void deleteTree(Path p) throws IOException {
    FileTrees.delete(p);
  }

  /**
   * The key of --key / --key-id / --passphrase-file (without --key, the user's GnuPG home); with
   * no passphrase file, a protected key's passphrase is asked for on a TTY.
   */
  static SigningKey signingKey(Path key, String keyId, Path passphraseFile) throws AppcException {
    char[] pass = null;
    if (passphraseFile != null) {
      try {
        String s = Files.readString(passphraseFile);
        int nl = s.indexOf('\n');
        s = nl < 0 ? s : s.substring(0, nl);
        pass = (s.endsWith("\r") ? s.substring(0, s.length() - 1) : s).toCharArray();
      } catch (IOException e) {
        throw new AppcException("cannot read the passphrase file: " + e.getMessage(), e);
      }
    }
    try {
      return SigningKey.load(key, keyId, pass);
    } catch (AppcException e) {
      java.io.Console c = System.console();
      char[] typed = pass != null || c == null ? null : c.readPassword("Passphrase for %s: ", key == null ? "the signing key" : key);
      if (typed == null || typed.length == 0) {
        throw e;
      }
      return SigningKey.load(key, keyId, typed);
    }
  }
}
