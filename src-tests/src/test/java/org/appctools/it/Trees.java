package org.appctools.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Root filesystems described entry by entry, to compare two trees: type, permission bits
 * (setuid, setgid, sticky included), numeric owner, symlink target, device numbers, SHA-256 of
 * file content, xattrs (all namespaces, read with getfattr) and the set of hard links of each file.
 * Modification times are left out.
 */
final class Trees {
  private Trees() {}

  /** Path (relative, {@code /}-separated) to its description; the root itself is left out. */
  static Map<String, String> describe(Path root) throws IOException, InterruptedException {
    Map<String, String> xattrs = xattrs(root);
    Map<String, TreeSet<String>> inodes = new HashMap<>();
    Map<String, String> inodeOf = new HashMap<>();
    Map<String, String> out = new TreeMap<>();
    List<Path> all;
    try (Stream<Path> s = Files.walk(root)) {
      all = s.filter(p -> !p.equals(root)).sorted().toList();
    }
    for (Path p : all) {
      String rel = root.relativize(p).toString();
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,rdev,nlink", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      int type = mode & 0170000;
      StringBuilder d = new StringBuilder();
      d.append(switch (type) {
        case 0040000 -> "dir";
        case 0100000 -> "file";
        case 0120000 -> "symlink";
        case 0020000 -> "char";
        case 0060000 -> "block";
        case 0010000 -> "fifo";
        default -> "type" + Integer.toOctalString(type);
      });
      d.append(' ').append(Integer.toOctalString(mode & 07777)).append(' ').append(a.get("uid"))
          .append(':').append(a.get("gid"));
      if (type == 0120000) {
        d.append(" -> ").append(Files.readSymbolicLink(p));
      } else if (type == 0100000) {
        d.append(" sha256=").append(sha256(p));
        if ((Integer) a.get("nlink") > 1) {
          String key = a.get("dev") + ":" + a.get("ino");
          inodes.computeIfAbsent(key, k -> new TreeSet<>()).add(rel);
          inodeOf.put(rel, key);
        }
      } else if (type == 0020000 || type == 0060000) {
        d.append(" rdev=").append(a.get("rdev"));
      }
      String x = xattrs.get(rel);
      if (x != null) {
        d.append(" xattrs{").append(x).append('}');
      }
      out.put(rel, d.toString());
    }
    for (Map.Entry<String, String> e : inodeOf.entrySet()) {
      TreeSet<String> group = inodes.get(e.getValue());
      if (group.size() > 1) {
        out.put(e.getKey(), out.get(e.getKey()) + " links=" + group);
      }
    }
    return out;
  }

  /** {@code getfattr -R -h -d -m - -e hex}: every xattr of the tree, by relative path. */
  private static Map<String, String> xattrs(Path root) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("getfattr", "-R", "-h", "-d", "-m", "-", "-e", "hex",
        "--absolute-names", root.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(5, TimeUnit.MINUTES);
    Map<String, String> out = new HashMap<>();
    String file = null;
    StringBuilder attrs = new StringBuilder();
    for (String line : (text + "\n").split("\n")) {
      if (line.startsWith("# file: ")) {
        file = root.relativize(Path.of(line.substring(8))).toString();
        attrs.setLength(0);
      } else if (line.isEmpty() && file != null) {
        if (attrs.length() > 0) {
          out.put(file, attrs.toString().trim());
        }
        file = null;
      } else if (file != null) {
        attrs.append(line).append(' ');
      }
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
