package org.appctools.build;

import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;

/** One change of a manifest; {@link ManifestEdits} has the acbuild commands' ones. */
@FunctionalInterface
public interface ManifestEdit {
  ImageManifest apply(ImageManifest m) throws AppcException;
}
