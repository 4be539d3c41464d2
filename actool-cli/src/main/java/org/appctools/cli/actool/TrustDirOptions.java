package org.appctools.cli.actool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.sign.TrustStore;
import picocli.CommandLine.Option;

/**
 * Where the trust store lives: --trust-dir DIR (that directory alone), else $APPCTOOLS_TRUST_DIR,
 * else /etc/appctools for root and ~/.config/appctools for others; the last two are read on top
 * of the system directory /usr/lib/appctools (rkt's layout, the local one masking the system's).
 */
final class TrustDirOptions {
  static final Path SYSTEM_DIR = Path.of("/usr/lib/appctools");

  @Option(names = "--trust-dir", paramLabel = "DIR",
      description = "Trust store directory, used alone (default: $APPCTOOLS_TRUST_DIR, else /etc/appctools as root, "
          + "else ~/.config/appctools; those are read over the system directory /usr/lib/appctools)")
  Path trustDir;

  /** The store; an --trust-dir given to an enclosing command (trust --trust-dir D list) counts too. */
  TrustStore store(TrustDirOptions enclosing) {
    Path dir = trustDir != null ? trustDir : enclosing == null ? null : enclosing.trustDir;
    if (dir != null) {
      return new TrustStore(null, dir);
    }
    String env = System.getenv("APPCTOOLS_TRUST_DIR");
    Path local = env != null && !env.isEmpty() ? Path.of(env)
        : isRoot() ? Path.of("/etc/appctools") : Path.of(System.getProperty("user.home"), ".config", "appctools");
    return new TrustStore(SYSTEM_DIR, local);
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
