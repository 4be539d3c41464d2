package org.appctools.oci;

import java.io.IOException;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.store.TestImages;

/**
 * Small ACIs for the oci tests: the store tests' {@link TestImages} with the labels these tests use.
 * Rootfs entries: {@code "path=content"} a file, {@code "path/"} a directory, {@code
 * "path->target"} a symlink.
 */
final class OciTestImages {
  static final long EPOCH = TestImages.EPOCH;
  static final String PLATFORM = "{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}";

  private OciTestImages() {}

  /** {@code "labels":[version, os linux, arch amd64]}. */
  static String labels(String version) {
    return "\"labels\":[{\"name\":\"version\",\"value\":\"" + version + "\"}," + PLATFORM + "]";
  }

  /** Builds {@code dir/NAME-N.aci}: name, extra manifest JSON fields (may be ""), rootfs entries. */
  static Path aci(Path dir, String name, String extraJson, String... entries)
      throws IOException, AppcException {
    return TestImages.aci(dir, name, extraJson, entries);
  }
}
