package org.appctools.aci;

import java.util.List;

/**
 * What {@link AciBuilder#build} wrote.
 *
 * @param imageId {@code sha512-} and the hex SHA-512 of the uncompressed tar
 * @param entries tar entries written (manifest included)
 * @param uncompressedBytes size of the uncompressed tar
 * @param warnings things skipped or degraded (sockets, xattrs that could not be read)
 */
public record BuildResult(String imageId, long entries, long uncompressedBytes,
    List<String> warnings) {
  public BuildResult {
    warnings = List.copyOf(warnings);
  }
}
