package org.appctools.cli.actool;

import java.nio.file.Path;
import org.appctools.sign.TrustStore;
import picocli.CommandLine.Option;

/**
 * Where the trust store lives: --trust-dir DIR (that directory alone), else
 * {@link TrustStore#userDefault()} ($APPCTOOLS_TRUST_DIR, else /etc/appctools for root and
 * ~/.config/appctools for others, read over the system directory /usr/lib/appctools).
 */
final class TrustDirOptions {
  @Option(names = "--trust-dir", paramLabel = "DIR",
      description = "Trust store directory, used alone (default: $APPCTOOLS_TRUST_DIR, else /etc/appctools as root, "
          + "else ~/.config/appctools; those are read over the system directory /usr/lib/appctools)")
  Path trustDir;

  /** The store; an --trust-dir given to an enclosing command (trust --trust-dir D list) counts too. */
  TrustStore store(TrustDirOptions enclosing) {
    Path dir = trustDir != null ? trustDir : enclosing == null ? null : enclosing.trustDir;
    return dir != null ? new TrustStore(null, dir) : TrustStore.userDefault();
  }
}
