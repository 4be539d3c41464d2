package org.appctools.executor.metadata;

import java.util.Objects;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.Annotations;
import org.appctools.schema.types.ImageId;

/**
 * What the metadata service tells an app about itself.
 *
 * @param imageManifest the app's image manifest; its annotations are merged with {@code appAnnotations}
 * @param imageManifestBytes the image manifest as stored in the image, served verbatim (copied here)
 * @param imageId the image's ID, the same as the pod manifest's {@code apps[].image.id}
 * @param appAnnotations the pod manifest's annotations for this app ({@code apps[].annotations})
 */
public record AppInfo(ImageManifest imageManifest, byte[] imageManifestBytes, ImageId imageId, Annotations appAnnotations) {
  public AppInfo {
    Objects.requireNonNull(imageManifest, "imageManifest");
    imageManifestBytes = Objects.requireNonNull(imageManifestBytes, "imageManifestBytes").clone();
    Objects.requireNonNull(imageId, "imageId");
    appAnnotations = appAnnotations == null ? Annotations.of() : appAnnotations;
  }

  /**
   * The image's annotations overridden by the pod's for this app, in the order of the Go
   * reference's {@code Annotations.Set}: an override keeps its name's place, new names follow.
   */
  Annotations mergedAnnotations() {
    Annotations merged = imageManifest.annotations();
    for (var a : appAnnotations.list()) {
      merged = merged.with(a.name(), a.value());
    }
    return merged;
  }
}
