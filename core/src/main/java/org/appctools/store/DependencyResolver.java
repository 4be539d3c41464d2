package org.appctools.store;

import java.util.List;
import java.util.Optional;
import org.appctools.AppcException;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.NameAndLabels;

/**
 * How a dependency reference becomes a stored image: from the store only ({@link #storeOnly}),
 * or with discovery and fetching plugged in by the caller.
 */
@FunctionalInterface
public interface DependencyResolver {
  StoredImage resolve(Dependency dependency) throws AppcException;

  /**
   * From the store only: by {@code imageID} when the dependency gives one (the image must have
   * that ID), else the newest image with {@code imageName} whose labels hold the dependency's.
   * Fails naming the dependency and the {@code actool fetch} command that gets it.
   */
  static DependencyResolver storeOnly(ImageStore store) {
    return dependency -> {
      Optional<StoredImage> found;
      if (dependency.imageID() != null) {
        found = store.get(dependency.imageID().value());
      } else {
        List<StoredImage> matches = store.find(dependency.imageName(), dependency.labels());
        found = matches.stream().findFirst();
      }
      return found.orElseThrow(() -> notInStore(dependency));
    };
  }

  /** The failure of a resolver that cannot find {@code dependency}. */
  static AppcException notInStore(Dependency dependency) {
    String ref = new NameAndLabels(dependency.imageName(), dependency.labels()).toString();
    String pinned = dependency.imageID() == null ? "" : " (imageID " + dependency.imageID() + ")";
    return new AppcException("dependency " + ref + pinned + " is not in the store: get it with "
        + "actool fetch " + ref);
  }
}
