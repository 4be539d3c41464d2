package org.appctools.oci;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.SchemaException;
import org.appctools.schema.types.ImageId;
import org.appctools.store.DependencyResolver;
import org.appctools.store.ImageStore;
import org.appctools.store.Renderer;
import org.appctools.store.StoredImage;

/**
 * An image to export: its manifest and the ACIs of its filesystem, base first: the image's
 * dependencies in the order the spec applies them (the reverse of {@link Renderer#plan}, so the
 * layers stack as the renderer renders them), then the image itself. An image that the flattened
 * graph holds twice is kept once, at its upper place, as the renderer reads it once (unless the
 * lower place admits paths the upper one does not).
 *
 * @param manifest the manifest of the exported image
 * @param layers the layers, base first
 */
public record ExportSource(ImageManifest manifest, List<Layer> layers) {
  /**
   * One ACI of the stack and what of it is kept, by the renderer's whitelist rules.
   *
   * @param aci the file
   * @param id its Image ID (checked while reading), or null for an ACI file not in the store,
   *     which is whatever the file holds
   * @param title {@code name[:version]}, for messages and the config's history
   * @param ownWhitelist the image's own {@code pathWhitelist} as {@code rootfs/...} names: its
   *     non-directories not listed are left out; null for none
   * @param ancestorWhitelist the whitelist of the outermost ancestor that has one: anything not
   *     listed is left out; null for none
   */
  public record Layer(Path aci, ImageId id, String title, Set<String> ownWhitelist,
      Set<String> ancestorWhitelist) {
    public Layer {
      ownWhitelist = ownWhitelist == null ? null : Set.copyOf(ownWhitelist);
      ancestorWhitelist = ancestorWhitelist == null ? null : Set.copyOf(ancestorWhitelist);
    }
  }

  public ExportSource {
    layers = List.copyOf(layers);
  }

  /** A stored image with its dependencies, resolved by {@code resolver}. */
  public static ExportSource stored(ImageStore store, StoredImage image, DependencyResolver resolver)
      throws AppcException {
    List<Renderer.Layer> plan = Renderer.plan(store, image, resolver);
    return new ExportSource(plan.get(0).manifest(), layers(store, plan, null));
  }

  /** Opens the store when an image has dependencies to resolve, and only then. */
  @FunctionalInterface
  public interface StoreOpener {
    ImageStore open() throws AppcException;
  }

  /**
   * An ACI file; its dependencies, if it has any, come from the store {@code store} opens, by
   * {@link DependencyResolver#storeOnly}.
   */
  public static ExportSource file(Path aci, StoreOpener storeForDependencies)
      throws AppcException {
    ImageManifest manifest;
    try {
      manifest = ImageManifest.parse(AciArchive.readManifest(aci));
    } catch (SchemaException e) {
      throw new AppcException("export: " + aci + ": invalid manifest: " + e.getMessage(), e);
    }
    ImageStore store = manifest.dependencies().isEmpty() ? null : storeForDependencies.open();
    DependencyResolver resolver = store == null ? null : DependencyResolver.storeOnly(store);
    // the file stands in the plan as an image of its own; its bytes are read from the file
    ImageId placeholder = ImageId.parse("sha512-" + "0".repeat(128));
    StoredImage top = new StoredImage(placeholder, manifest.name(), manifest.labels(),
        Instant.EPOCH, null, 0, aci.toString(), false);
    List<Renderer.Layer> plan = Renderer.plan(store, top, manifest, resolver);
    return new ExportSource(manifest, layers(store, plan, aci));
  }

  /** The plan's places bottom first, each image once where the renderer reads it once. */
  private static List<Layer> layers(ImageStore store, List<Renderer.Layer> plan, Path topFile) {
    Map<ImageId, List<Set<String>>> seen = new HashMap<>();
    List<Layer> topFirst = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      Renderer.Layer l = plan.get(i);
      Set<String> upper = l.ancestorWhitelist();
      if (i > 0 && covered(seen.computeIfAbsent(l.image().id(), k -> new ArrayList<>()), upper)) {
        continue;
      }
      seen.computeIfAbsent(l.image().id(), k -> new ArrayList<>()).add(upper);
      boolean isFile = i == 0 && topFile != null;
      topFirst.add(new Layer(isFile ? topFile : store.aciFile(l.image()), isFile ? null : l.image().id(),
          l.image().nameAndVersion(), Renderer.whitelist(l.manifest()), upper));
    }
    List<Layer> bottomFirst = new ArrayList<>(topFirst);
    java.util.Collections.reverse(bottomFirst);
    return bottomFirst;
  }

  /** As the renderer: an earlier place admitting everything this one admits (null = all). */
  private static boolean covered(List<Set<String>> earlier, Set<String> upper) {
    for (Set<String> e : earlier) {
      if (e == null || (upper != null && e.containsAll(upper))) {
        return true;
      }
    }
    return false;
  }
}
