package org.appctools.aci;

import java.util.List;

/**
 * What {@link AciExtractor#extract} did.
 *
 * @param entries entries extracted
 * @param warnings what could not be restored exactly (xattrs without setfattr or privileges)
 */
public record ExtractResult(long entries, List<String> warnings) {
  public ExtractResult {
    warnings = List.copyOf(warnings);
  }
}
