package org.appctools.cli.actool;

import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Option;

/**
 * Where the image store lives: --store-dir DIR, else {@link ImageStore#defaultDir()}
 * ($APPCTOOLS_STORE_DIR, else /var/lib/appctools/store for root, $XDG_DATA_HOME/appctools/store or
 * ~/.local/share/appctools/store for others).
 */
final class StoreOptions {
  @Option(names = "--store-dir", paramLabel = "DIR",
      description = "The image store (default: $APPCTOOLS_STORE_DIR, else /var/lib/appctools/store as root, "
          + "else $XDG_DATA_HOME/appctools/store, ~/.local/share/appctools/store when unset)")
  Path storeDir;

  /** Opens the store, creating it if missing. */
  ImageStore store() throws AppcException {
    return ImageStore.open(storeDir != null ? storeDir : ImageStore.defaultDir());
  }
}
