package org.appctools.docker;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.appctools.AppcException;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarMeta;
import org.appctools.tar.TarNames;
import org.appctools.tar.TarStreamReader;

/**
 * Squashes layers into the rootfs of one ACI in a single streaming pass, top layer first: the
 * first layer to name a path wins, so each entry is written once, straight from its layer into
 * the ACI's tar, and memory holds only names, never content.
 *
 * <ul>
 *   <li>A whiteout {@code DIR/.wh.NAME} hides {@code DIR/NAME} and everything under it in lower
 *       layers; an opaque whiteout {@code DIR/.wh..wh..opq} hides everything under {@code DIR}
 *       in lower layers; neither applies to its own layer nor is written.
 *   <li>A non-directory in an upper layer hides whatever lower layers have under that path; an
 *       upper directory's metadata wins over a lower one's.
 *   <li>An entry whose parent directory no layer above has shown yet waits (its content in a
 *       {@link Spool}) until a lower layer gives the directory; a parent no layer has is made
 *       {@code 0755 0:0}. A lower non-directory under such waiting entries would be written
 *       through: refused.
 *   <li>Hard links keep pointing at their layer's file: when a later layer removes or replaces
 *       the target, the first link still visible becomes the file (its content read again from
 *       that layer, the only case that reads a layer twice) and the other links point to it.
 *   <li>Go docker2aci's hardening: a layer whose {@code /dev} is not a directory is refused;
 *       {@code /dev/stdin}, {@code /dev/stdout}, {@code /dev/stderr} and {@code /dev/fd} symlinks
 *       are added when the image has none.
 * </ul>
 */
final class LayerSquasher {
  /** What an upper layer decided about a path. */
  private record Claim(int layer, TarEntryType type) {}

  /** An entry of the layer being read: its type, whether it is in the image, its link target. */
  private record Seen(TarEntryType type, boolean visible, String link) {}

  /** An entry to write once its parent directory (and hard-link target) are written. */
  private static final class Pending {
    final String name;
    TarEntryType type;
    TarMeta meta;
    String link;
    final int major;
    final int minor;
    long size;
    long spoolOffset = -1;

    Pending(String name, TarEntryType type, TarMeta meta, String link, int major, int minor,
        long size) {
      this.name = name;
      this.type = type;
      this.meta = meta;
      this.link = link;
      this.major = major;
      this.minor = minor;
      this.size = size;
    }
  }

  static final String ROOTFS = "rootfs/";
  /** The symlinks Go docker2aci adds to /dev (stdout and stderr to /dev/console, for journald). */
  static final String[][] STDIO_LINKS = {
    {"dev/stdin", "/proc/self/fd/0"},
    {"dev/stdout", "/dev/console"},
    {"dev/stderr", "/dev/console"},
    {"dev/fd", "/proc/self/fd"},
  };

  private final ReproducibleTarWriter tar;
  private final Spool spool;
  private final long defaultMtime;
  private final LayerStream.Budget budget;
  private final long maxEntries;
  private final Consumer<String> debug;

  private final Map<String, Claim> claims = new HashMap<>();
  private final Set<String> whiteouts = new HashSet<>();
  private final Set<String> opaques = new HashSet<>();
  private final Set<String> written = new HashSet<>();
  private final TreeMap<String, List<Pending>> waitingForDir = new TreeMap<>();
  private final Map<String, List<Pending>> waitingForTarget = new HashMap<>();
  private final Map<String, List<Pending>> lowerLinks = new HashMap<>();
  private final Deque<Pending> queue = new ArrayDeque<>();
  private long entries;

  private int layer;
  private String layerName;
  private Map<String, Seen> seen;
  private TreeMap<String, List<Pending>> refetch;

  LayerSquasher(ReproducibleTarWriter tar, Spool spool, long defaultMtime,
      LayerStream.Budget budget, long maxEntries, Consumer<String> debug) {
    this.tar = tar;
    this.spool = spool;
    this.defaultMtime = defaultMtime;
    this.budget = budget;
    this.maxEntries = maxEntries;
    this.debug = debug;
    written.add("");
  }

  /** Writes the squashed rootfs of {@code layers} (base first) as {@code rootfs/...} entries. */
  void squash(List<LayerBlob> layers) throws AppcException {
    for (int i = layers.size() - 1; i >= 0; i--) {
      layer = i;
      LayerBlob blob = layers.get(i);
      layerName = "layer " + (i + 1) + " of " + layers.size() + " (" + blob.describe() + ")";
      seen = new HashMap<>();
      refetch = new TreeMap<>();
      Set<String> layerWhiteouts = new HashSet<>();
      Set<String> layerOpaques = new HashSet<>();
      try (LayerStream in = LayerStream.open(blob, layerName, budget)) {
        TarStreamReader reader = in.reader();
        long count = 0;
        for (TarItem item = reader.next(); item != null; item = reader.next()) {
          if (++entries > maxEntries) {
            throw new AppcException("the image has more than " + maxEntries
                + " entries (limit max-entries; raise it for a larger image)");
          }
          count++;
          entry(item, reader.content(), layerWhiteouts, layerOpaques);
        }
        in.finish();
        debug.accept(layerName + ": " + in.compression() + ", " + count + " entries, "
            + layerWhiteouts.size() + " whiteouts, " + layerOpaques.size() + " opaque whiteouts");
      } catch (IOException e) {
        throw new AppcException(layerName + ": " + e.getMessage(), e);
      }
      if (!refetch.isEmpty()) {
        readTargetsAgain(blob);
      }
      whiteouts.addAll(layerWhiteouts);
      opaques.addAll(layerOpaques);
    }
    finish();
  }

  private void entry(TarItem item, InputStream content, Set<String> layerWhiteouts,
      Set<String> layerOpaques) throws IOException, AppcException {
    String name = item.name();
    if (name.equals(".")) {
      return; // the rootfs itself: written by the ACI writer
    }
    String parent = TarNames.parent(name);
    String base = parent == null ? name : name.substring(parent.length() + 1);
    if (base.startsWith(".wh.")) {
      if (base.equals(".wh..wh..opq")) {
        layerOpaques.add(parent == null ? "" : parent);
      } else if (!base.startsWith(".wh..wh.")) {
        String target = base.substring(4);
        if (target.isEmpty() || target.equals(".") || target.equals("..")) {
          throw new AppcException(layerName + ": entry \"" + item.rawName() + "\": malformed whiteout");
        }
        layerWhiteouts.add(parent == null ? target : parent + "/" + target);
      }
      return; // aufs metadata (.wh..wh.plnk and the like) is not part of the image
    }
    TarEntryType type = item.type();
    if (type == TarEntryType.OTHER) {
      throw new AppcException(layerName + ": entry \"" + item.rawName()
          + "\": unsupported entry type (sparse file, multi-volume part or unknown type)");
    }
    if (name.equals("dev") && type != TarEntryType.DIRECTORY) {
      throw new AppcException(layerName + ": invalid layer: \"/dev\" is not a directory "
          + "(refused, as the Go docker2aci does since CVE-2016-7569)");
    }
    boolean hidden = hidden(name, item);
    String link = type == TarEntryType.HARDLINK ? hardlinkTarget(item) : null;
    seen.put(name, new Seen(type, !hidden, link));
    if (hidden) {
      List<Pending> waiters = lowerLinks.remove(name);
      if (waiters != null) {
        if (type == TarEntryType.FILE) {
          materialize(waiters, item, content);
        } else {
          resolveLinks(waiters, name);
        }
      }
      return;
    }
    claims.put(name, new Claim(layer, type));
    Pending p = new Pending(name, type, meta(item),
        type == TarEntryType.SYMLINK ? item.linkName() : link, item.devMajor(), item.devMinor(),
        item.size());
    switch (type) {
      case FILE -> writeOrSpool(p, content);
      case HARDLINK -> {
        if (seen.containsKey(link) && !link.equals(name)) {
          resolveLinks(new ArrayList<>(List.of(p)), link);
        } else {
          lowerLinks.computeIfAbsent(link, k -> new ArrayList<>()).add(p);
        }
      }
      default -> place(p);
    }
    List<Pending> waiters = lowerLinks.remove(name);
    if (waiters != null) {
      for (Pending w : waiters) {
        w.link = name;
        place(w);
      }
    }
  }

  /**
   * Whether an upper layer hides {@code name}: it claimed the path, whited it or an ancestor out,
   * made an ancestor opaque, or put a non-directory at an ancestor. The same path twice in one
   * layer, or a path under a non-directory of its own layer, is refused.
   */
  private boolean hidden(String name, TarItem item) throws AppcException {
    Claim c = claims.get(name);
    if (c != null) {
      if (c.layer() == layer) {
        throw new AppcException(layerName + ": entry \"" + item.rawName()
            + "\": duplicate entry (a layer may hold each path once)");
      }
      return true;
    }
    if (opaques.contains("") || whiteouts.contains(name)) {
      return true;
    }
    for (String a = TarNames.parent(name); a != null; a = TarNames.parent(a)) {
      if (whiteouts.contains(a) || opaques.contains(a)) {
        return true;
      }
      Claim ac = claims.get(a);
      if (ac != null && ac.type() != TarEntryType.DIRECTORY) {
        if (ac.layer() == layer) {
          throw new AppcException(layerName + ": entry \"" + item.rawName()
              + "\": refusing to write through " + describe(ac.type()) + " \"" + a + "\"");
        }
        return true;
      }
    }
    return false;
  }

  private String hardlinkTarget(TarItem item) throws AppcException {
    String raw = item.linkName();
    if (TarNames.problem(raw) != null) {
      throw new AppcException(layerName + ": entry \"" + item.rawName() + "\": hard link target \""
          + raw + "\" is outside the layer");
    }
    String t = TarNames.clean(raw);
    if (t.equals(".")) {
      throw new AppcException(layerName + ": entry \"" + item.rawName()
          + "\": hard link to the root directory");
    }
    return t;
  }

  /**
   * Hard links of this layer to {@code target}, an entry seen earlier in it: they link to it when
   * it is in the image, else (a later layer removed or replaced it) its content is read again
   * after this layer.
   */
  private void resolveLinks(List<Pending> links, String target) throws IOException, AppcException {
    String t = target;
    Seen s = seen.get(t);
    for (int hops = 0; s != null && s.type() == TarEntryType.HARDLINK && hops < 64; hops++) {
      t = s.link();
      s = seen.get(t);
    }
    if (s == null) {
      throw new AppcException(layerName + ": hard link \"" + links.get(0).name + "\" points to \""
          + target + "\", which is not in the layer");
    }
    if (s.type() == TarEntryType.DIRECTORY) {
      throw new AppcException(layerName + ": hard link \"" + links.get(0).name
          + "\" points to the directory \"" + t + "\"");
    }
    if (s.visible()) {
      for (Pending p : links) {
        p.link = t;
        place(p);
      }
    } else if (s.type() == TarEntryType.FILE) {
      refetch.computeIfAbsent(t, k -> new ArrayList<>()).addAll(links);
    } else {
      throw new AppcException(layerName + ": hard link \"" + links.get(0).name + "\" points to "
          + describe(s.type()) + " \"" + t + "\", which an upper layer removes; only hard links "
          + "to regular files can be kept");
    }
  }

  /** The first link becomes the file with {@code content}; the others link to it. */
  private void materialize(List<Pending> links, TarItem target, InputStream content)
      throws IOException, AppcException {
    Pending first = links.get(0);
    first.type = TarEntryType.FILE;
    first.meta = meta(target);
    first.link = null;
    first.size = target.size();
    writeOrSpool(first, content);
    for (int i = 1; i < links.size(); i++) {
      links.get(i).link = first.name;
      place(links.get(i));
    }
  }

  /** Reads the layer again for the content of files that hard links kept but the image lost. */
  private void readTargetsAgain(LayerBlob blob) throws AppcException {
    debug.accept(layerName + ": reading it again for " + refetch.size()
        + " hard-link targets that upper layers removed");
    try (LayerStream in = LayerStream.open(blob, layerName, budget)) {
      TarStreamReader reader = in.reader();
      for (TarItem item = reader.next(); item != null && !refetch.isEmpty(); item = reader.next()) {
        List<Pending> links = item.type() == TarEntryType.FILE ? refetch.remove(item.name()) : null;
        if (links != null) {
          materialize(links, item, reader.content());
        }
      }
      in.finish();
    } catch (IOException e) {
      throw new AppcException(layerName + ": " + e.getMessage(), e);
    }
    if (!refetch.isEmpty()) {
      throw new AppcException(layerName + ": reading it again did not find \""
          + refetch.firstKey() + "\" (did the layer change?)");
    }
  }

  private void writeOrSpool(Pending p, InputStream content) throws IOException, AppcException {
    if (written.contains(parentOf(p.name))) {
      tar.file(ROOTFS + p.name, p.meta, p.size, content);
      written.add(p.name);
      release(p);
      drain();
    } else {
      p.spoolOffset = spool.append(content, p.size);
      place(p);
    }
  }

  private void place(Pending p) throws IOException, AppcException {
    queue.add(p);
    drain();
  }

  /** Writes every queued entry whose parent (and link target) is written; parks the others. */
  private void drain() throws IOException, AppcException {
    while (!queue.isEmpty()) {
      Pending q = queue.poll();
      String parent = parentOf(q.name);
      if (!written.contains(parent)) {
        Claim pc = claims.get(parent);
        if (pc != null && pc.type() != TarEntryType.DIRECTORY) {
          throw throughNonDirectory(q.name, parent, pc.type());
        }
        waitingForDir.computeIfAbsent(parent, k -> new ArrayList<>()).add(q);
        continue;
      }
      if (q.type == TarEntryType.HARDLINK && !written.contains(q.link)) {
        waitingForTarget.computeIfAbsent(q.link, k -> new ArrayList<>()).add(q);
        continue;
      }
      write(q);
      written.add(q.name);
      release(q);
    }
  }

  private void release(Pending p) throws AppcException {
    List<Pending> children = waitingForDir.remove(p.name);
    if (children != null) {
      if (p.type != TarEntryType.DIRECTORY) {
        throw throughNonDirectory(children.get(0).name, p.name, p.type);
      }
      queue.addAll(children);
    }
    List<Pending> links = waitingForTarget.remove(p.name);
    if (links != null) {
      if (p.type == TarEntryType.DIRECTORY) {
        throw new AppcException("hard link \"" + links.get(0).name + "\" points to the directory \""
            + p.name + "\"");
      }
      queue.addAll(links);
    }
  }

  private AppcException throughNonDirectory(String child, String parent, TarEntryType type) {
    return new AppcException(layerName + ": \"" + child + "\" of an upper layer lies under \""
        + parent + "\", which a lower layer makes " + describe(type)
        + " and no layer makes a directory; refusing to write through it");
  }

  private void write(Pending p) throws IOException {
    String n = ROOTFS + p.name;
    switch (p.type) {
      case DIRECTORY -> tar.directory(n, p.meta);
      case FILE -> {
        try (InputStream in = spool.read(p.spoolOffset, p.size)) {
          tar.file(n, p.meta, p.size, in);
        }
      }
      case SYMLINK -> tar.symlink(n, p.meta, p.link);
      case HARDLINK -> tar.hardlink(n, p.meta, ROOTFS + p.link);
      case CHAR_DEVICE -> tar.charDevice(n, p.meta, p.major, p.minor);
      case BLOCK_DEVICE -> tar.blockDevice(n, p.meta, p.major, p.minor);
      case FIFO -> tar.fifo(n, p.meta);
      default -> throw new IllegalStateException("unexpected entry type " + p.type);
    }
  }

  /** After the base layer: implicit directories, unresolved links, /dev symlinks. */
  private void finish() throws AppcException {
    layerName = "squashing";
    try {
      if (!lowerLinks.isEmpty()) {
        Map.Entry<String, List<Pending>> e = lowerLinks.entrySet().iterator().next();
        throw new AppcException("hard link \"" + e.getValue().get(0).name + "\" points to \""
            + e.getKey() + "\", which no layer below it holds");
      }
      while (!waitingForDir.isEmpty()) {
        String dir = waitingForDir.firstKey();
        ensureDirectory(dir);
        if (waitingForDir.containsKey(dir)) {
          throw new AppcException("entries under \"" + dir + "\" could not be placed: \""
              + waitingForDir.get(dir).get(0).name + "\" has no directory to go in");
        }
      }
      if (!waitingForTarget.isEmpty()) {
        Map.Entry<String, List<Pending>> e = waitingForTarget.entrySet().iterator().next();
        throw new AppcException("hard link \"" + e.getValue().get(0).name + "\" points to \""
            + e.getKey() + "\", which is not in the image");
      }
      for (String[] link : STDIO_LINKS) {
        if (!claims.containsKey(link[0])) {
          ensureDirectory("dev");
          tar.symlink(ROOTFS + link[0], TarMeta.of(0777, 0, 0, defaultMtime), link[1]);
          written.add(link[0]);
        }
      }
    } catch (IOException e) {
      throw new AppcException("writing the rootfs: " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code dir} exist: written already, or waiting for its own parent (which is made
   * then), or else a new directory {@code 0755 0:0} after its parents.
   */
  private void ensureDirectory(String dir) throws IOException, AppcException {
    if (written.contains(dir)) {
      return;
    }
    String parent = parentOf(dir);
    Claim c = claims.get(dir);
    if (c != null) {
      // an entry of a layer, waiting for its parent: make the parent, which releases it
      ensureDirectory(parent);
      if (!written.contains(dir)) {
        throw new AppcException("\"" + dir + "\" could not be written (a hard link or "
            + "directory loop in the layers?)");
      }
      return;
    }
    ensureDirectory(parent);
    Pending implicit = new Pending(dir, TarEntryType.DIRECTORY, TarMeta.of(0755, 0, 0, defaultMtime),
        null, 0, 0, 0);
    claims.put(dir, new Claim(-1, TarEntryType.DIRECTORY));
    place(implicit);
  }

  private static String parentOf(String name) {
    String p = TarNames.parent(name);
    return p == null ? "" : p;
  }

  private static TarMeta meta(TarItem item) {
    return new TarMeta(item.mode(), item.uid(), item.gid(), item.mtime(), new TreeMap<>(item.xattrs()));
  }

  private static String describe(TarEntryType type) {
    return switch (type) {
      case FILE -> "a file";
      case SYMLINK -> "a symlink";
      case HARDLINK -> "a hard link";
      case CHAR_DEVICE, BLOCK_DEVICE -> "a device node";
      case FIFO -> "a FIFO";
      default -> "a non-directory";
    };
  }
}
