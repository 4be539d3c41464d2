package org.appctools.aci;

import java.util.List;

/**
 * What {@link AciExtractor#extract} did.
 *
 * @param entries entries extracted
 * @param warnings what could not be restored exactly (xattrs without setfattr or privileges)
 * @param owners when the extraction did not set owners (not root or {@link
 *     ExtractOptions#deferOwners()}, and no {@link ExtractOptions#keepOwnership()}): every extracted entry of the root filesystem whose owner
 *     in its archive is not 0:0, in extraction order; empty when it set them
 */
public record ExtractResult(long entries, List<String> warnings, List<EntryOwner> owners) {
  public ExtractResult {
    warnings = List.copyOf(warnings);
    owners = List.copyOf(owners);
  }
}
