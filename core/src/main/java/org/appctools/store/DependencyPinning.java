package org.appctools.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;

/**
 * Turns what a user names as a dependency into a pinned one: the Image ID and size of the image
 * it resolves to, so the built image renders the same filesystem wherever it runs (no Go tool
 * records them). Pinning never goes to the network; an image the store lacks stays unpinned.
 */
public final class DependencyPinning {
  private static final List<String> DISCOVERY_LABELS = List.of("version", "os", "arch");

  private DependencyPinning() {}

  /**
   * The dependency with the Image ID and size of the newest stored image that matches its name and
   * labels, if it has no ID yet; with an ID, the size of that image if stored. Unchanged otherwise.
   */
  public static Dependency pin(ImageStore store, Dependency d) throws AppcException {
    if (d.imageID() != null) {
      if (d.size() != null) {
        return d;
      }
      Optional<StoredImage> byId = store.get(d.imageID().value());
      return byId.map(i -> new Dependency(d.imageName(), d.imageID(), d.labels(), i.size())).orElse(d);
    }
    List<StoredImage> matches = store.find(d.imageName(), d.labels());
    if (matches.isEmpty()) {
      return d;
    }
    StoredImage newest = matches.get(0);
    return new Dependency(d.imageName(), newest.id(), d.labels(), d.size() != null ? d.size() : newest.size());
  }

  /**
   * A local ACI as a dependency: imported into the store (not signature-checked: the Image ID it
   * is pinned to is the guarantee), named as its manifest names it, with its version, os and arch
   * labels unless {@code labels} sets them, its Image ID and its size.
   */
  public static Dependency fromFile(ImageStore store, Path aci, Labels labels) throws AppcException {
    if (!Files.isRegularFile(aci)) {
      throw new AppcException("dependency add: no such file: " + aci + " (give an ACI file, or an image name)");
    }
    StoredImage image = store.importAci(aci, null, aci.toAbsolutePath().toString());
    ImageManifest m = store.manifest(image);
    Labels out = labels == null ? Labels.of() : labels;
    Labels own = m.labels() == null ? Labels.of() : m.labels();
    for (String key : DISCOVERY_LABELS) {
      Optional<String> v = own.get(key);
      if (v.isPresent() && out.get(key).isEmpty()) {
        out = out.with(AcIdentifier.parse(key), v.get());
      }
    }
    return new Dependency(m.name(), image.id(), sorted(out), image.size());
  }

  private static Labels sorted(Labels l) {
    List<Label> list = new java.util.ArrayList<>(l.list());
    list.sort(java.util.Comparator.comparingInt(x -> {
      int i = DISCOVERY_LABELS.indexOf(x.name().value());
      return i < 0 ? DISCOVERY_LABELS.size() : i;
    }));
    return new Labels(list);
  }
}
