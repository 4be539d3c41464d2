package org.appctools.oci;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.appctools.AppcException;
import org.appctools.aci.BuildOptions;
import org.appctools.hash.Hashes;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarMeta;

/**
 * One layer of an OCI-mode build: the difference between two root filesystems, the lower as a
 * layer was sealed and the upper as it is now, written as an OCI layer tar (image-spec 1.0 {@code
 * layer.md}):
 *
 * <ul>
 *   <li>what is new in the upper tree, or differs in type, content, mode, owner, mtime (files and
 *       directories), link target or device number, is written with its parent directories;
 *   <li>what the lower tree has and the upper lacks becomes a whiteout {@code DIR/.wh.NAME} (one
 *       for a removed directory, not one per entry under it);
 *   <li>a non-directory sharing its inode with the lower one is unchanged without reading it (the
 *       build clones generations with hard links and never writes a shared inode in place); two
 *       written paths sharing an inode become a file and a hard link to it.
 * </ul>
 *
 * Owners are those recorded for an unprivileged build where there are records, else those on
 * disk. Entries are sorted by name and go through the project's one tar writer, so the same trees
 * give the same bytes; with a {@code clamp} (SOURCE_DATE_EPOCH) no mtime is later than it.
 * Extended attributes and sockets are not carried.
 */
final class LayerDiff {
  /** The prefix of a whiteout's name. */
  static final String WHITEOUT = ".wh.";

  /**
   * A written layer.
   *
   * @param diffId the sha256 digest of the uncompressed tar
   * @param changes the number of entries written other than parent directories: 0 for a layer
   *     that changes nothing
   */
  record Written(String diffId, long changes) {}

  /** One file's metadata as the layer sees it. */
  private record Meta(char type, int mode, long uid, long gid, long mtime, long size, Object key,
      long rdev) {}

  /** One entry to write: its name in the layer and its path in the upper tree (none for a whiteout). */
  private record Entry(String name, Path path, Meta meta, boolean change) {}

  private final Map<String, BuildOptions.Owner> lowerOwners;
  private final Map<String, BuildOptions.Owner> upperOwners;
  private final OptionalLong clamp;

  private LayerDiff(Map<String, BuildOptions.Owner> lowerOwners,
      Map<String, BuildOptions.Owner> upperOwners, OptionalLong clamp) {
    this.lowerOwners = lowerOwners;
    this.upperOwners = upperOwners;
    this.clamp = clamp;
  }

  /**
   * Writes the layer that turns {@code lower} (null: nothing) into {@code upper} to {@code tarFile},
   * uncompressed.
   */
  static Written write(Path lower, Map<String, BuildOptions.Owner> lowerOwners, Path upper,
      Map<String, BuildOptions.Owner> upperOwners, Path tarFile, OptionalLong clamp)
      throws AppcException {
    LayerDiff d = new LayerDiff(lowerOwners, upperOwners, clamp);
    MessageDigest sha256 = Hashes.sha256();
    long changes;
    try {
      List<Entry> entries = d.compare("", lower, upper);
      changes = entries.stream().filter(Entry::change).count();
      try (OutputStream file = Files.newOutputStream(tarFile);
          ReproducibleTarWriter tar = new ReproducibleTarWriter(new BufferedOutputStream(
              new DigestOutputStream(file, sha256), 256 * 1024))) {
        Map<Object, String> written = new HashMap<>();
        for (Entry e : entries) {
          d.writeEntry(tar, e, written);
        }
      }
    } catch (IOException e) {
      throw new AppcException("write: computing the layer of " + upper + ": " + e.getMessage(), e);
    }
    return new Written("sha256:" + java.util.HexFormat.of().formatHex(sha256.digest()), changes);
  }

  /** The entries of the directory {@code rel} (lower null: absent there), sorted. */
  private List<Entry> compare(String rel, Path lowerDir, Path upperDir) throws IOException {
    List<Entry> out = new ArrayList<>();
    TreeSet<String> upperNames = names(upperDir);
    if (lowerDir != null) {
      for (String n : names(lowerDir)) {
        if (!upperNames.contains(n)) {
          Meta parent = meta(upperDir, rel, upperOwners);
          out.add(new Entry(join(rel, WHITEOUT + n), null, new Meta('0', 0, 0, 0, parent.mtime(),
              0, null, 0), true));
        }
      }
    }
    for (String n : upperNames) {
      String childRel = join(rel, n);
      Path up = upperDir.resolve(n);
      Meta um = meta(up, childRel, upperOwners);
      Path low = lowerDir == null ? null : lowerDir.resolve(n);
      Meta lm = low != null && Files.exists(low, LinkOption.NOFOLLOW_LINKS)
          ? meta(low, childRel, lowerOwners) : null;
      if (um.type() == '5') {
        boolean lowerIsDir = lm != null && lm.type() == '5';
        List<Entry> below = compare(childRel, lowerIsDir ? low : null, up);
        boolean changed = !lowerIsDir || lm.mode() != um.mode() || lm.uid() != um.uid()
            || lm.gid() != um.gid() || lm.mtime() != um.mtime();
        if (changed || !below.isEmpty()) {
          out.add(new Entry(childRel, up, um, changed));
          out.addAll(below);
        }
      } else if (um.type() != 's' && (lm == null || differs(low, lm, up, um))) {
        out.add(new Entry(childRel, up, um, true));
      }
    }
    return out;
  }

  private static boolean differs(Path low, Meta lm, Path up, Meta um) throws IOException {
    if (lm.type() != um.type() || lm.uid() != um.uid() || lm.gid() != um.gid()) {
      return true;
    }
    if (lm.key().equals(um.key())) {
      return false;
    }
    return switch (um.type()) {
      case '2' -> !Files.readSymbolicLink(low).equals(Files.readSymbolicLink(up));
      case '3', '4' -> lm.rdev() != um.rdev() || lm.mode() != um.mode();
      case '6' -> lm.mode() != um.mode();
      default -> lm.mode() != um.mode() || lm.mtime() != um.mtime() || lm.size() != um.size()
          || Files.mismatch(low, up) != -1;
    };
  }

  private void writeEntry(ReproducibleTarWriter tar, Entry e, Map<Object, String> written)
      throws IOException {
    Meta m = e.meta();
    TarMeta meta = TarMeta.of(m.mode(), m.uid(), m.gid(), m.mtime());
    switch (m.type()) {
      case '5' -> tar.directory(e.name(), meta);
      case '2' -> tar.symlink(e.name(), meta, Files.readSymbolicLink(e.path()).toString());
      case '3' -> tar.charDevice(e.name(), meta, major(m.rdev()), minor(m.rdev()));
      case '4' -> tar.blockDevice(e.name(), meta, major(m.rdev()), minor(m.rdev()));
      case '6' -> tar.fifo(e.name(), meta);
      default -> {
        if (e.path() == null) {
          tar.file(e.name(), meta, new byte[0]);
          return;
        }
        String first = written.putIfAbsent(m.key(), e.name());
        if (first != null) {
          tar.hardlink(e.name(), meta, first);
          return;
        }
        try (InputStream in = Files.newInputStream(e.path(), LinkOption.NOFOLLOW_LINKS)) {
          tar.file(e.name(), meta, m.size(), in);
        }
      }
    }
  }

  private Meta meta(Path p, String rel, Map<String, BuildOptions.Owner> owners)
      throws IOException {
    Map<String, Object> a = Files.readAttributes(p,
        "unix:mode,uid,gid,ino,dev,rdev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    char type = switch (mode & 0170000) {
      case 0040000 -> '5';
      case 0120000 -> '2';
      case 0020000 -> '3';
      case 0060000 -> '4';
      case 0010000 -> '6';
      case 0140000 -> 's';
      default -> '0';
    };
    BuildOptions.Owner o = owners.get(rel);
    long uid = o != null ? o.uid() : ((Number) a.get("uid")).longValue();
    long gid = o != null ? o.gid() : ((Number) a.get("gid")).longValue();
    long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
    if (clamp.isPresent() && mtime > clamp.getAsLong()) {
      mtime = clamp.getAsLong();
    }
    return new Meta(type, mode & 07777, uid, gid, mtime, ((Number) a.get("size")).longValue(),
        List.of(a.get("dev"), a.get("ino")), ((Number) a.get("rdev")).longValue());
  }

  private static TreeSet<String> names(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path c : ds) {
        names.add(c.getFileName().toString());
      }
    }
    return names;
  }

  private static String join(String rel, String name) {
    return rel.isEmpty() ? name : rel + "/" + name;
  }

  /** Linux's {@code major()} of a {@code dev_t}. */
  static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  /** Linux's {@code minor()} of a {@code dev_t}. */
  static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }
}
