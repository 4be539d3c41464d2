package org.appctools.aci;

import java.io.IOException;
import java.nio.file.Path;
import org.appctools.compress.Compression;

/** Test access to the compression detection of a file. */
final class AciStreamsAccess {
  private AciStreamsAccess() {}

  static Compression detect(Path file) throws IOException {
    return AciStreams.detect(file);
  }
}
