package org.appctools.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.aci.ExtractOptions;
import org.appctools.aci.ExtractResult;
import org.appctools.aci.LayeredExtractor;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.ImageId;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarNames;

/**
 * Renders an image with its dependencies into one tree, as the spec and its reference renderer
 * ({@code pkg/acirenderer}) do.
 *
 * <p><b>Order.</b> {@link #plan} flattens the dependency graph like the reference: the image,
 * then for each dependency from the last to the first, that dependency and (recursively) its
 * own. For {@code A→[B,C], C→[D]} that is A, C, D, B, and for {@code A→[B,C], B→[D], C→[D]} it is
 * A, C, D, B, D: the reverse of the spec's depth-first application order (B, D, C, A and D, B, D,
 * C, A). {@link #render} then extracts top first and the first writer of a path wins, which is
 * the same as applying bottom first with later layers overwriting, but writes each file once.
 * A symlink of an upper layer is never followed by a lower one, and a file and a directory at
 * the same path are never merged: the upper one stays.
 *
 * <p><b>Whitelists.</b> As in the reference: an image's own {@code pathWhitelist} removes only
 * its non-directories that are not listed; the whitelist of the outermost ancestor that has one
 * removes anything of a dependency that it does not list, directories included. {@code rootfs}
 * itself and the top image's manifest are always kept.
 *
 * <p><b>Checks.</b> Each archive is streamed once and must hash to its Image ID (a dependency
 * pinned by {@code imageID} must have that ID, one with {@code size} that size); every layer
 * passes the rules of {@link LayeredExtractor}; cycles and graphs deeper than {@link
 * #MAX_DEPTH} or with more than {@link #MAX_LAYERS} layers are refused. An image that appears
 * twice is read again only when its second place admits paths the first did not. Device nodes are
 * skipped with a warning unless {@link ExtractOptions#allowDevices()} (the executor provides
 * {@code /dev}). Owners are kept when running as root, as {@link
 * org.appctools.aci.AciExtractor} does.
 */
public final class Renderer {
  /** Deepest dependency chain rendered. */
  public static final int MAX_DEPTH = 64;
  /** Most layers (occurrences of images in the flattened graph) rendered. */
  public static final int MAX_LAYERS = 1024;

  private Renderer() {}

  /**
   * One place of an image in the flattened dependency graph.
   *
   * @param image the stored image
   * @param manifest its manifest
   * @param level 0 for the rendered image, 1 for its dependencies, and so on
   * @param ancestorWhitelist the whitelist (as {@code rootfs/...} names) of the outermost
   *     ancestor that has one, or null
   */
  public record Layer(StoredImage image, ImageManifest manifest, int level,
      Set<String> ancestorWhitelist) {
    public Layer {
      ancestorWhitelist = ancestorWhitelist == null ? null : Set.copyOf(ancestorWhitelist);
    }
  }

  /**
   * The layers of {@code image}, top first, its dependencies resolved with {@code resolver}.
   * Takes no lock of its own beyond what the store's methods take, so the resolver may import.
   */
  public static List<Layer> plan(ImageStore store, StoredImage image, DependencyResolver resolver)
      throws AppcException {
    List<Layer> layers = new ArrayList<>();
    add(store, resolver, image, store.manifest(image), 0, null, new ArrayDeque<>(), layers);
    return layers;
  }

  /**
   * {@link #plan(ImageStore, StoredImage, DependencyResolver)} for an image whose manifest the
   * caller read itself, such as an ACI file outside the store that {@code image} describes: only
   * its dependencies come from the store, which may be null when it has none.
   */
  public static List<Layer> plan(ImageStore store, StoredImage image, ImageManifest manifest,
      DependencyResolver resolver) throws AppcException {
    List<Layer> layers = new ArrayList<>();
    add(store, resolver, image, manifest, 0, null, new ArrayDeque<>(), layers);
    return layers;
  }

  private static void add(ImageStore store, DependencyResolver resolver, StoredImage image,
      ImageManifest manifest, int level, Set<String> ancestorWhitelist, Deque<StoredImage> chain,
      List<Layer> layers) throws AppcException {
    if (layers.size() >= MAX_LAYERS) {
      throw new AppcException("render: " + chain.getLast().name() + ": more than " + MAX_LAYERS
          + " layers in its dependency graph (the same images repeated?); flatten it");
    }
    layers.add(new Layer(image, manifest, level, ancestorWhitelist));
    chain.addFirst(image);
    Set<String> forDependencies = ancestorWhitelist != null ? ancestorWhitelist
        : whitelist(manifest);
    List<Dependency> deps = manifest.dependencies();
    for (int i = deps.size() - 1; i >= 0; i--) {
      Dependency d = deps.get(i);
      String where = "render: " + path(chain);
      if (level + 1 > MAX_DEPTH) {
        throw new AppcException(where + ": dependencies nested deeper than " + MAX_DEPTH
            + " levels; flatten the chain");
      }
      StoredImage dep;
      try {
        dep = resolver.resolve(d);
      } catch (AppcException e) {
        throw new AppcException(where + ": " + e.getMessage(), e);
      }
      check(where, d, dep);
      for (StoredImage above : chain) {
        if (above.id().equals(dep.id())) {
          throw new AppcException(where + " → " + dep.name() + ": dependency cycle ("
              + dep.name() + " depends on itself through " + path(chain) + "); remove one of "
              + "the dependencies");
        }
      }
      add(store, resolver, dep, store.manifest(dep), level + 1, forDependencies, chain, layers);
    }
    chain.removeFirst();
  }

  private static void check(String where, Dependency d, StoredImage dep) throws AppcException {
    ImageId pinned = d.imageID();
    if (pinned != null && !(pinned.isFull() ? dep.id().equals(pinned)
        : dep.id().value().startsWith(pinned.value()))) {
      throw new AppcException(where + ": dependency " + d.imageName() + " resolved to "
          + dep.id() + ", but the manifest pins imageID " + pinned + "; get the pinned image "
          + "with actool fetch");
    }
    if (d.size() != null && d.size() != dep.size()) {
      throw new AppcException(where + ": dependency " + d.imageName() + " (" + dep.id()
          + ") is " + dep.size() + " bytes, but the manifest gives size " + d.size()
          + "; get the image the manifest names with actool fetch");
    }
  }

  /** "a → b → c" from the outermost image down to the innermost of {@code chain}. */
  private static String path(Deque<StoredImage> chain) {
    List<String> names = new ArrayList<>();
    chain.descendingIterator().forEachRemaining(i -> names.add(i.name().value()));
    return String.join(" → ", names);
  }

  /** The whitelist of a manifest as clean {@code rootfs/...} entry names, or null if none. */
  public static Set<String> whitelist(ImageManifest manifest) {
    if (manifest.pathWhitelist().isEmpty()) {
      return null;
    }
    return manifest.pathWhitelist().stream().map(p -> TarNames.clean("rootfs/" + p))
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Extracts {@code layers} (from {@link #plan}) into {@code target}, which must be missing or
   * an empty directory: {@code target/manifest} (the top image's) and {@code target/rootfs}. On
   * failure nothing is left. The caller holds the store's shared lock so no layer is removed
   * meanwhile.
   */
  public static ExtractResult render(ImageStore store, List<Layer> layers, Path target,
      ExtractOptions opts) throws AppcException {
    return render(store, layers, target, opts, ProgressListener.NONE);
  }

  /**
   * {@link #render(ImageStore, List, Path, ExtractOptions)}, telling {@code progress} the bytes
   * of the layers' archives read so far against their sum.
   */
  public static ExtractResult render(ImageStore store, List<Layer> layers, Path target,
      ExtractOptions opts, ProgressListener progress) throws AppcException {
    long total = 0;
    for (Layer layer : layers) {
      total += archiveSize(store, layer);
    }
    long done = 0;
    Map<ImageId, List<Set<String>>> streamed = new HashMap<>();
    try (LayeredExtractor x = LayeredExtractor.create(target, opts)) {
      for (Layer layer : layers) {
        StoredImage image = layer.image();
        List<Set<String>> seen = streamed.computeIfAbsent(image.id(), k -> new ArrayList<>());
        long size = archiveSize(store, layer);
        if (covered(seen, layer.ancestorWhitelist())) {
          done += size;
          continue;
        }
        Set<String> own = whitelist(layer.manifest());
        Set<String> upper = layer.ancestorWhitelist();
        Set<String> warned = new HashSet<>();
        String id;
        try {
          long before = done;
          long sum = total;
          id = x.add(store.aciFile(image), item -> accept(item, own, upper, opts, x, warned),
              progress == ProgressListener.NONE ? ProgressListener.NONE
                  : (read, ignored) -> progress.progress(before + read, sum));
        } catch (AppcException e) {
          throw new AppcException("render: " + image.name() + " (" + image.id() + "): "
              + e.getMessage(), e);
        }
        if (!id.equals(image.id().value())) {
          throw new AppcException("render: image " + image.nameAndVersion() + " in the store "
              + "does not hash to its ID " + image.id() + " (it hashes to " + id + "): the "
              + "stored copy is damaged; remove it with actool image rm " + image.id()
              + " and fetch it again");
        }
        seen.add(upper);
        done += size;
        progress.progress(done, total);
      }
      return x.finish();
    }
  }

  /** The size of a layer's archive in the store, 0 if it cannot be read (its extraction says why). */
  private static long archiveSize(ImageStore store, Layer layer) {
    try {
      return Files.size(store.aciFile(layer.image()));
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Whether an earlier place of the same image already admitted everything this one admits
   * (null = everything): then reading it again cannot add a path, since the paths it could add
   * were written then or are still taken.
   */
  private static boolean covered(List<Set<String>> earlier, Set<String> upper) {
    for (Set<String> e : earlier) {
      if (e == null || (upper != null && e.containsAll(upper))) {
        return true;
      }
    }
    return false;
  }

  private static boolean accept(TarItem item, Set<String> own, Set<String> upper,
      ExtractOptions opts, LayeredExtractor x, Set<String> warned) {
    String name = item.name();
    if (!name.startsWith("rootfs/")) {
      return true; // manifest and rootfs itself
    }
    if (own != null && item.type() != TarEntryType.DIRECTORY && !own.contains(name)) {
      return false;
    }
    if (upper != null && !upper.contains(name)) {
      return false;
    }
    if ((item.type() == TarEntryType.CHAR_DEVICE || item.type() == TarEntryType.BLOCK_DEVICE)
        && !opts.allowDevices()) {
      if (warned.add(name)) {
        x.warn("entry \"" + item.rawName() + "\": device node not created (the executor "
            + "provides /dev)");
      }
      return false;
    }
    return true;
  }
}
