package org.appctools.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.aci.AciWriter;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.Labels;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarMeta;
import org.appctools.tar.TarNames;
import org.appctools.tar.TarStreamReader;

/**
 * {@code --nosquash}: one ACI per layer, as the Go docker2aci writes them. Layer {@code n} (base
 * = 0) is named {@code IMAGE-HEX} after its digest, labelled with the image's os and arch, depends
 * on layer {@code n-1} by name, labels and Image ID, and carries the {@code pathWhitelist} of
 * every path of layers 0..n that no whiteout removed: rendering the top layer's dependencies in
 * appc's order then gives the image. The top layer also carries the image's app, version label
 * and annotations. Whiteout files are not written; the /dev hardening and symlinks are applied to
 * each layer as the Go tool does. A hard link to a file of a lower layer cannot be expressed in a
 * layer ACI and is refused.
 */
final class LayerAcis {
  private LayerAcis() {}

  static ConvertResult write(SourceImage image, DockerToAciTranslator.Translation top,
      ConvertOptions o, LayerStream.Budget budget) throws AppcException {
    ImageManifest image0 = top.manifest();
    Labels platform = Labels.of();
    for (String l : new String[] {"os", "arch"}) {
      if (image0.labels().get(l).isPresent()) {
        platform = platform.with(AcIdentifier.parse(l), image0.labels().get(l).get());
      }
    }
    String stem = Docker2Aci.fileStem(image.reference())
        + image0.labels().get("os").map(v -> "-" + v).orElse("")
        + image0.labels().get("arch").map(v -> "-" + v).orElse("");
    Path staging;
    try {
      staging = Files.createTempDirectory(o.outputDir(), ".docker2aci-layers.");
    } catch (IOException e) {
      throw new AppcException("cannot create a temporary directory in " + o.outputDir() + ": "
          + e.getMessage(), e);
    }
    try {
      return write(image, top, o, budget, stem, platform, staging);
    } finally {
      try (Stream<Path> s = Files.walk(staging)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a leftover temporary directory is not worth failing for
      }
    }
  }

  /**
   * Writes the layer ACIs into {@code staging}, then moves them all to the output directory, so
   * that a failure leaves none behind.
   */
  private static ConvertResult write(SourceImage image, DockerToAciTranslator.Translation top,
      ConvertOptions o, LayerStream.Budget budget, String stem, Labels platform, Path staging)
      throws AppcException {
    ImageManifest image0 = top.manifest();
    TreeSet<String> whitelist = new TreeSet<>();
    List<Path> staged = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Dependency parent = null;
    ImageManifest last = null;
    int n = image.layers().size();
    for (int i = 0; i < n; i++) {
      LayerBlob blob = image.layers().get(i);
      String what = "layer " + (i + 1) + " of " + n + " (" + blob.describe() + ")";
      Set<String> names = scan(blob, what, budget, whitelist);
      for (String[] link : LayerSquasher.STDIO_LINKS) {
        if (!names.contains(link[0])) {
          whitelist.add("/" + link[0]);
        }
      }
      String hex = blob.describe().replaceFirst("^sha(256|512):", "");
      if (!Digests.isValid(blob.digest()) && !Digests.isValid(blob.diffId())) {
        hex = "layer" + i;
      }
      AcIdentifier name = AcIdentifier.parse(image0.name().value() + "-" + hex);
      ImageManifest m = i == n - 1 ? image0.withName(name) : ImageManifest.empty(name).withLabels(platform);
      m = m.withDependencies(parent == null ? List.of() : List.of(parent))
          .withPathWhitelist(List.copyOf(whitelist));
      Path out = staging.resolve(stem + "-" + i + ".aci");
      String id;
      try (AciWriter w = AciWriter.create("docker2aci", out, o.compression(), o.compressionLevel(), true, m, top.created())) {
        copy(blob, what, budget, w.tar(), names, top.created());
        id = w.commit();
      }
      o.debug().accept(what + ": converted");
      staged.add(out);
      ids.add(id);
      parent = new Dependency(name, ImageId.parse(id), platform, null);
      last = m;
    }
    for (Path p : staged) {
      Path target = o.outputDir().resolve(p.getFileName());
      try {
        Files.move(p, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new AppcException("moving " + p.getFileName() + " to " + o.outputDir() + ": "
            + e.getMessage(), e);
      }
      written.add(target);
    }
    return new ConvertResult(written, ids, last, top.warnings());
  }

  /**
   * The names of the layer's entries; its whiteouts and opaque whiteouts are applied to {@code
   * whitelist} (paths of lower layers), then its own paths are added.
   */
  private static Set<String> scan(LayerBlob blob, String what, LayerStream.Budget budget,
      TreeSet<String> whitelist) throws AppcException {
    Set<String> names = new HashSet<>();
    List<String> removed = new ArrayList<>();
    List<String> opaque = new ArrayList<>();
    try (LayerStream in = LayerStream.open(blob, what, budget)) {
      TarStreamReader reader = in.reader();
      for (TarItem item = reader.next(); item != null; item = reader.next()) {
        String name = item.name();
        if (name.equals(".")) {
          continue;
        }
        String parent = TarNames.parent(name);
        String base = parent == null ? name : name.substring(parent.length() + 1);
        if (base.equals(".wh..wh..opq")) {
          opaque.add(parent == null ? "" : "/" + parent);
        } else if (base.startsWith(".wh..wh.")) {
          continue;
        } else if (base.startsWith(".wh.")) {
          removed.add("/" + (parent == null ? "" : parent + "/") + base.substring(4));
        } else {
          names.add(name);
        }
      }
      in.finish();
    } catch (IOException e) {
      throw new AppcException(what + ": " + e.getMessage(), e);
    }
    for (String r : removed) {
      whitelist.remove(r);
      whitelist.subSet(r + "/", r + "0").clear(); // '0' follows '/': everything under r
    }
    for (String d : opaque) {
      whitelist.subSet(d + "/", d + "0").clear();
    }
    for (String name : names) {
      whitelist.add("/" + name);
    }
    return names;
  }

  private static void copy(LayerBlob blob, String what, LayerStream.Budget budget,
      ReproducibleTarWriter tar, Set<String> names, long mtime) throws AppcException {
    Map<String, TarEntryType> seen = new HashMap<>();
    try (LayerStream in = LayerStream.open(blob, what, budget)) {
      TarStreamReader reader = in.reader();
      for (TarItem item = reader.next(); item != null; item = reader.next()) {
        String name = item.name();
        String parent = TarNames.parent(name);
        String base = parent == null ? name : name.substring(parent.length() + 1);
        if (name.equals(".") || base.startsWith(".wh.")) {
          continue;
        }
        check(item, what, seen);
        String n = LayerSquasher.ROOTFS + name;
        TarMeta meta = new TarMeta(item.mode(), item.uid(), item.gid(), item.mtime(),
            new TreeMap<>(item.xattrs()));
        switch (item.type()) {
          case DIRECTORY -> tar.directory(n, meta);
          case FILE -> tar.file(n, meta, item.size(), reader.content());
          case SYMLINK -> tar.symlink(n, meta, item.linkName());
          case HARDLINK -> tar.hardlink(n, meta, LayerSquasher.ROOTFS + TarNames.clean(item.linkName()));
          case CHAR_DEVICE -> tar.charDevice(n, meta, item.devMajor(), item.devMinor());
          case BLOCK_DEVICE -> tar.blockDevice(n, meta, item.devMajor(), item.devMinor());
          case FIFO -> tar.fifo(n, meta);
          default -> throw new IllegalStateException("checked above");
        }
      }
      in.finish();
      for (String[] link : LayerSquasher.STDIO_LINKS) {
        if (!names.contains(link[0])) {
          tar.symlink(LayerSquasher.ROOTFS + link[0], TarMeta.of(0777, 0, 0, mtime), link[1]);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new AppcException(what + ": " + e.getMessage(), e);
    }
  }

  /** The rules of one layer on its own: no duplicates, nothing through a symlink, local links. */
  private static void check(TarItem item, String what, Map<String, TarEntryType> seen)
      throws AppcException {
    String name = item.name();
    String prefix = what + ": entry \"" + item.rawName() + "\": ";
    if (item.type() == TarEntryType.OTHER) {
      throw new AppcException(prefix + "unsupported entry type (sparse file, multi-volume part or unknown type)");
    }
    if (name.equals("dev") && item.type() != TarEntryType.DIRECTORY) {
      throw new AppcException(what + ": invalid layer: \"/dev\" is not a directory "
          + "(refused, as the Go docker2aci does since CVE-2016-7569)");
    }
    if (seen.containsKey(name)) {
      throw new AppcException(prefix + "duplicate entry (a layer may hold each path once)");
    }
    for (String a = TarNames.parent(name); a != null; a = TarNames.parent(a)) {
      TarEntryType t = seen.get(a);
      if (t != null && t != TarEntryType.DIRECTORY) {
        throw new AppcException(prefix + "refusing to write through \"" + a + "\"");
      }
    }
    if (item.type() == TarEntryType.HARDLINK) {
      String target = TarNames.problem(item.linkName()) == null ? TarNames.clean(item.linkName()) : null;
      TarEntryType t = target == null ? null : seen.get(target);
      if (t == null || t == TarEntryType.DIRECTORY) {
        throw new AppcException(prefix + "hard link to \"" + item.linkName() + "\", which is not "
            + "an earlier file of this layer; a layer ACI cannot hold it (convert without --nosquash)");
      }
    }
    seen.put(name, item.type());
  }
}
