package org.appctools.executor;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Volume;

/**
 * A pod to plan: its UUID, the directory it keeps its state and scratch files in, its apps,
 * volumes and pod-level isolators, and how it runs.
 */
public record PodSpec(UUID uuid, Path dir, List<AppSpec> apps, List<Volume> volumes, List<Isolator> isolators,
    PodOptions options) {
  public PodSpec {
    apps = List.copyOf(apps);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    isolators = isolators == null ? List.of() : List.copyOf(isolators);
    if (apps.isEmpty()) {
      throw new IllegalArgumentException("a pod needs an app");
    }
  }
}
