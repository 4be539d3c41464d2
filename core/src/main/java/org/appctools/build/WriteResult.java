package org.appctools.build;

import java.util.List;

/**
 * What {@link BuildSession#write} wrote.
 *
 * @param imageId {@code sha512-} and the hex SHA-512 of the uncompressed tar
 * @param warnings e.g. that no exec is set, or what the archive could not hold
 */
public record WriteResult(String imageId, List<String> warnings) {
  public WriteResult {
    warnings = List.copyOf(warnings);
  }
}
