package org.appctools.cli.actool;

import java.nio.file.Path;
import org.appctools.executor.linux.Pods;
import picocli.CommandLine.Option;

/**
 * Where pods keep their state: --pods-dir DIR, else {@link Pods#defaultDir()} ($APPCTOOLS_PODS_DIR,
 * else /var/lib/appctools/pods for root).
 */
final class PodsOptions {
  @Option(names = "--pods-dir", paramLabel = "DIR",
      description = "The pods' state directories (default: $APPCTOOLS_PODS_DIR, else /var/lib/appctools/pods as root, "
          + "else $XDG_RUNTIME_DIR/appctools/pods or ~/.local/share/appctools/pods)")
  Path podsDir;

  Pods pods() {
    return new Pods(podsDir != null ? podsDir : Pods.defaultDir());
  }
}
