package org.appctools.executor.metadata;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.Annotations;

/**
 * A running pod as the metadata service serves it. The fields must agree with the pod manifest,
 * as the ACE validator compares what it is served against it: one {@link AppInfo} per app of the
 * manifest and no other, each with the manifest's image ID and annotations for that app, and
 * {@code podAnnotations} equal to the manifest's; the constructor checks this and throws
 * {@link IllegalArgumentException} naming the first difference.
 *
 * @param uuid the pod's UUID
 * @param podManifest the fully reified pod manifest
 * @param apps by app name, each app of the pod
 * @param podAnnotations the pod manifest's top-level annotations
 */
public record PodRegistration(UUID uuid, PodManifest podManifest, Map<String, AppInfo> apps, Annotations podAnnotations) {
  public PodRegistration {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(podManifest, "podManifest");
    apps = Map.copyOf(Objects.requireNonNull(apps, "apps"));
    podAnnotations = podAnnotations == null ? Annotations.of() : podAnnotations;
    String what = "register pod " + uuid + ": ";
    if (!podAnnotations.equals(podManifest.annotations())) {
      throw new IllegalArgumentException(what + "podAnnotations differ from the pod manifest's annotations");
    }
    Set<String> manifestApps = podManifest.apps().stream().map(a -> a.name().value()).collect(Collectors.toSet());
    for (String name : new TreeMap<>(apps).keySet()) {
      if (!manifestApps.contains(name)) {
        throw new IllegalArgumentException(what + "app \"" + name + "\" is not in the pod manifest");
      }
    }
    for (RuntimeApp app : podManifest.apps()) {
      AppInfo info = apps.get(app.name().value());
      if (info == null) {
        throw new IllegalArgumentException(what + "the pod manifest's app \"" + app.name() + "\" has no AppInfo");
      }
      if (!info.imageId().equals(app.image().id())) {
        throw new IllegalArgumentException(what + "app \"" + app.name() + "\": imageId " + info.imageId()
            + " differs from the pod manifest's " + app.image().id() + " (write the same ID in both)");
      }
      if (!info.appAnnotations().equals(app.annotations())) {
        throw new IllegalArgumentException(what + "app \"" + app.name()
            + "\": appAnnotations differ from the pod manifest's annotations for it");
      }
    }
  }
}
