package org.appctools.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.appctools.hash.Hashes;

/**
 * The checksum of a rendered tree: SHA-512 over every path in a fixed order (children sorted by
 * the bytes of their names) with its type, permission bits, owner, and its content (files),
 * target (symlinks) or device number. Modification times are left out. The same tree always
 * gives the same checksum, so a tree changed after rendering is noticed.
 */
final class TreeChecksum {
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;

  private TreeChecksum() {}

  static String of(Path root) throws IOException {
    MessageDigest digest = Hashes.sha512();
    walk(root, ".", digest, new byte[256 * 1024]);
    return "sha512-" + HexFormat.of().formatHex(digest.digest());
  }

  private static void walk(Path path, String name, MessageDigest digest, byte[] buffer)
      throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid,gid,size,rdev",
        LinkOption.NOFOLLOW_LINKS);
    int mode = ((Number) a.get("mode")).intValue();
    int type = mode & S_IFMT;
    String extra = switch (type) {
      case S_IFREG -> "size " + a.get("size");
      case S_IFLNK -> "target " + Files.readSymbolicLink(path);
      case S_IFDIR -> "dir";
      default -> "rdev " + a.get("rdev");
    };
    digest.update((name + '\0' + Integer.toOctalString(mode) + ' ' + a.get("uid") + ' '
        + a.get("gid") + ' ' + extra + '\n').getBytes(StandardCharsets.UTF_8));
    if (type == S_IFREG) {
      try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
        }
      }
    } else if (type == S_IFDIR) {
      for (String child : sortedChildren(path)) {
        walk(path.resolve(child), name + "/" + child, digest, buffer);
      }
    }
  }

  private static List<String> sortedChildren(Path dir) throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    }
    names.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
        y.getBytes(StandardCharsets.UTF_8)));
    return names;
  }
}
