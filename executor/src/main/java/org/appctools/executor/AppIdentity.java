package org.appctools.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.appctools.AppcException;

/**
 * The numeric user and group an app runs as, resolved as the appc spec (ace.md, "user" and
 * "group") says, always against the image's own rootfs, never the host's (rkt#2828):
 * <ol>
 *   <li>a name found in the rootfs's {@code /etc/passwd} (or {@code /etc/group});
 *   <li>else a string of digits is the number itself;
 *   <li>else an absolute path names a file in the rootfs whose owner (or group) is used.
 * </ol>
 */
public final class AppIdentity {
  private AppIdentity() {}

  /** The UID for the manifest's {@code app.user}. */
  public static long uid(Path rootfs, String user) throws AppcException {
    return resolve(rootfs, user, "user", "etc/passwd", "unix:uid");
  }

  /** The GID for the manifest's {@code app.group}. */
  public static long gid(Path rootfs, String group) throws AppcException {
    return resolve(rootfs, group, "group", "etc/group", "unix:gid");
  }

  /** A user's entry in the image's {@code /etc/passwd}: name, home directory and login shell. */
  public record Account(String name, String home, String shell) {}

  /** The first entry of the image's {@code /etc/passwd} with this UID, if any. */
  public static Optional<Account> account(Path rootfs, long uid) throws AppcException {
    for (String[] f : entries(rootfs.resolve("etc/passwd"))) {
      if (f.length >= 7 && f[2].equals(Long.toString(uid))) {
        return Optional.of(new Account(f[0], f[5], f[6]));
      }
    }
    return Optional.empty();
  }

  private static long resolve(Path rootfs, String value, String what, String database, String ownerAttribute)
      throws AppcException {
    if (value == null || value.isEmpty()) {
      throw new AppcException("resolve " + what + ": the app's " + what + " is empty (set it in the manifest, e.g. \"0\")");
    }
    Optional<Long> byName = lookUp(rootfs.resolve(database), value);
    if (byName.isPresent()) {
      return byName.get();
    }
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new AppcException("resolve " + what + ": \"" + value + "\" is too large for an ID");
      }
    }
    if (value.startsWith("/")) {
      Path file = rootfs.resolve(value.substring(1));
      try {
        return ((Number) Files.getAttribute(file, ownerAttribute, LinkOption.NOFOLLOW_LINKS)).longValue();
      } catch (NoSuchFileException e) {
        throw new AppcException("resolve " + what + ": \"" + value + "\" does not exist in the image's rootfs");
      } catch (IOException | UnsupportedOperationException e) {
        throw new AppcException("resolve " + what + ": cannot read the owner of \"" + value + "\": " + e.getMessage(), e);
      }
    }
    throw new AppcException("resolve " + what + ": \"" + value + "\" is not in the image's /" + database
        + ", not a number and not an absolute path (add it to /" + database + " or use a numeric ID)");
  }

  /** The third field of the line whose first field is name, in a passwd(5)/group(5) file. */
  private static Optional<Long> lookUp(Path database, String name) throws AppcException {
    for (String[] f : entries(database)) {
      if (f.length >= 3 && f[0].equals(name)) {
        try {
          return Optional.of(Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
          throw new AppcException("resolve: /" + database.getFileName() + " entry \"" + name + "\" has a non-numeric ID \"" + f[2] + "\"");
        }
      }
    }
    return Optional.empty();
  }

  /** The colon-separated fields of each line of a passwd(5)/group(5) file; none if it is missing. */
  private static List<String[]> entries(Path database) throws AppcException {
    List<String> lines;
    try {
      if (!Files.isRegularFile(database, LinkOption.NOFOLLOW_LINKS)) {
        return List.of();
      }
      lines = Files.readAllLines(database, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AppcException("resolve: cannot read " + database + ": " + e.getMessage(), e);
    }
    return lines.stream().map(l -> l.split(":", -1)).toList();
  }
}
