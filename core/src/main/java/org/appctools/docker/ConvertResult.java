package org.appctools.docker;

import java.nio.file.Path;
import java.util.List;
import org.appctools.schema.ImageManifest;

/**
 * What {@link Docker2Aci#convert} wrote.
 *
 * @param acis the ACI files, in the order written (with {@code --nosquash}, base layer first)
 * @param imageIds their Image IDs, in the same order
 * @param manifest the manifest of the last one: the image's (squashed) or the top layer's
 * @param warnings what the conversion could not carry over (environment entries appc cannot
 *     name, and the like)
 */
public record ConvertResult(List<Path> acis, List<String> imageIds, ImageManifest manifest,
    List<String> warnings) {
  public ConvertResult {
    acis = List.copyOf(acis);
    imageIds = List.copyOf(imageIds);
    warnings = List.copyOf(warnings);
  }
}
