package org.appctools.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;

/**
 * Applies the changes an overlayfs mount recorded in its upper directory to a hard-linked clone
 * of the lower directory (the next generation of a build), so that the clone becomes what the
 * mount showed:
 * <ul>
 *   <li>a whiteout (a character device 0/0) deletes the path;
 *   <li>an opaque directory ({@code trusted.overlay.opaque="y"}) replaces the directory there;
 *   <li>a directory over a directory keeps the clone's one (a new inode) and takes the upper's
 *       mode, owner and time, its entries applied one by one;
 *   <li>anything else replaces what is there by a rename of the upper's entry: new inodes, never
 *       a write through a hard link the clone shares with the generation it was made from.
 * </ul>
 * Overlayfs' own xattrs ({@code trusted.overlay.*}, {@code user.overlay.*}) are removed from what
 * moves into the clone. The upper directory is consumed. Requires overlayfs mounted with
 * {@code redirect_dir=off} and {@code metacopy=off}, so that every change is one of the above.
 */
final class OverlayChanges {
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;

  private final Path upper;
  private final Path target;
  private final Map<Path, List<String>> overlayXattrs;
  private final List<String> deleted = new ArrayList<>();
  private final List<String> created = new ArrayList<>();
  private final List<String> replaced = new ArrayList<>();
  private final List<String[]> strip = new ArrayList<>();
  private final List<Object[]> times = new ArrayList<>();

  private OverlayChanges(Path upper, Path target, Map<Path, List<String>> overlayXattrs) {
    this.upper = upper;
    this.target = target;
    this.overlayXattrs = overlayXattrs;
  }

  /**
   * What changed, as paths relative to the target: {@code deleted} (a whiteout, or a directory an
   * entry of another kind or an opaque directory replaced: nothing of it is left), {@code created}
   * (whole new entries, a directory with all it holds), {@code replaced} (a non-directory where
   * one was: overlayfs copies a file up when it is changed, so it is the same file, changed).
   */
  record Applied(List<String> deleted, List<String> created, List<String> replaced) {}

  /** Applies {@code upper} onto {@code target}. */
  static Applied apply(Path upper, Path target) throws AppcException {
    OverlayChanges c = new OverlayChanges(upper, target, readOverlayXattrs(upper));
    try {
      c.attributes(upper, target);
      c.entries(upper, target);
      c.stripOverlayXattrs();
      for (int i = c.times.size() - 1; i >= 0; i--) {
        Object[] t = c.times.get(i);
        Files.setLastModifiedTime((Path) t[0], (FileTime) t[1]);
      }
      return new Applied(List.copyOf(c.deleted), List.copyOf(c.created), List.copyOf(c.replaced));
    } catch (IOException e) {
      throw new AppcException("run: applying the command's changes to the build failed: " + e, e);
    }
  }

  private void entries(Path u, Path t) throws IOException, AppcException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(u)) {
      ds.forEach(children::add);
    }
    children.sort(null);
    for (Path uc : children) {
      Path tc = t.resolve(uc.getFileName().toString());
      String rel = target.relativize(tc).toString();
      boolean existed = Files.exists(tc, LinkOption.NOFOLLOW_LINKS);
      if (isWhiteout(uc)) {
        delete(tc);
        deleted.add(rel);
        continue;
      }
      boolean dir = Files.isDirectory(uc, LinkOption.NOFOLLOW_LINKS);
      boolean wasDir = Files.isDirectory(tc, LinkOption.NOFOLLOW_LINKS);
      if (dir && !isOpaque(uc) && wasDir) {
        attributes(uc, tc);
        entries(uc, tc);
        continue;
      }
      if (existed && (dir || wasDir)) {
        deleted.add(rel);
      }
      (existed && !dir && !wasDir ? replaced : created).add(rel);
      delete(tc);
      Files.move(uc, tc, StandardCopyOption.ATOMIC_MOVE);
      moved(uc, tc);
    }
  }

  /** Mode, owner and (set last) time of an upper directory onto the clone's. */
  private void attributes(Path u, Path t) throws IOException {
    Map<String, Object> a = Files.readAttributes(u, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(t, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(t, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(t, "unix:mode", ((Integer) a.get("mode")) & 07777, LinkOption.NOFOLLOW_LINKS);
    times.add(new Object[] {t, a.get("lastModifiedTime")});
  }

  /** Records the overlay xattrs of what moved (and, for a directory, of what it holds) for removal. */
  private void moved(Path from, Path to) {
    String prefix = from + "/";
    for (Map.Entry<Path, List<String>> e : overlayXattrs.entrySet()) {
      String p = e.getKey().toString();
      if (p.equals(from.toString()) || p.startsWith(prefix)) {
        Path now = to.resolve(from.relativize(e.getKey()).toString());
        for (String name : e.getValue()) {
          strip.add(new String[] {name, now.toString()});
        }
      }
    }
  }

  private boolean isOpaque(Path dir) {
    List<String> names = overlayXattrs.getOrDefault(dir, List.of());
    return names.contains("trusted.overlay.opaque") || names.contains("user.overlay.opaque");
  }

  private static boolean isWhiteout(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return (((Integer) a.get("mode")) & S_IFMT) == S_IFCHR && ((Number) a.get("rdev")).longValue() == 0;
  }

  /** Deletes a path of the clone, never following symlinks (its files are unlinked, not written). */
  private static void delete(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(p);
      return;
    }
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** One {@code setfattr -x} per xattr, in one shell. */
  private void stripOverlayXattrs() throws AppcException {
    if (strip.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("sh", "-c",
        "while [ $# -gt 0 ]; do setfattr -h -x \"$1\" \"$2\" || exit 1; shift 2; done", "sh"));
    for (String[] s : strip) {
      cmd.add(s[0]);
      cmd.add(s[1]);
    }
    BuildSession.run("run", cmd);
  }

  /** The overlay xattrs of every entry under {@code upper}, from one getfattr. */
  private static Map<Path, List<String>> readOverlayXattrs(Path upper) throws AppcException {
    Map<Path, List<String>> out = new HashMap<>();
    ProcessBuilder pb = new ProcessBuilder("getfattr", "-R", "-h", "-m", "^(trusted|user)\\.overlay\\.",
        "--absolute-names", "--", upper.toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      String text;
      try (InputStream in = p.getInputStream()) {
        text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
      p.waitFor();
      Path current = null;
      for (String line : text.split("\n")) {
        if (line.startsWith("# file: ")) {
          current = Path.of(unescape(line.substring("# file: ".length())));
        } else if (current != null && !line.isBlank()) {
          out.computeIfAbsent(current, k -> new ArrayList<>()).add(line.strip());
        }
      }
      return out;
    } catch (IOException e) {
      throw new AppcException("run: cannot read the overlay's xattrs with getfattr (install the attr package): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("run: interrupted while reading the overlay's xattrs", e);
    }
  }

  /** A path as getfattr prints it (raw bytes, control characters as octal escapes) back to a string. */
  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
