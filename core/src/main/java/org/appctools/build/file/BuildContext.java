package org.appctools.build.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.appctools.AppcException;

/**
 * The build context of {@code acbuild build}: the directory whose files {@code COPY} and {@code
 * ADD} name, less what its {@code .dockerignore} excludes. Sources are resolved inside it (never
 * outside: {@code ../x} is refused), patterns ({@code *}, {@code ?}, {@code [...]}) match its
 * paths, and the files a step copies are digested (names, types, permissions, contents, link
 * targets) for the step's cache key.
 */
public final class BuildContext {
  private final Path root;
  private final DockerIgnore ignore;

  /** The context {@code root} with the patterns of {@code ignore}. */
  public BuildContext(Path root, DockerIgnore ignore) throws AppcException {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new AppcException("build: the build context " + root + " does not exist (give a directory)", e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new AppcException("build: the build context " + root + " is not a directory");
    }
    this.ignore = ignore;
  }

  /** The context in {@code root}, with its {@code .dockerignore} if there is one. */
  public static BuildContext of(Path root) throws AppcException {
    Path file = root.resolve(".dockerignore");
    if (!Files.isRegularFile(file)) {
      return new BuildContext(root, DockerIgnore.none());
    }
    try {
      return new BuildContext(root, DockerIgnore.parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new AppcException("build: cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The context directory. */
  public Path root() {
    return root;
  }

  /** The file of the context path {@code rel} ({@code ""} is the context itself). */
  public Path file(String rel) {
    return rel.isEmpty() ? root : root.resolve(rel);
  }

  /**
   * The context paths that the source {@code source} of a {@code COPY} or {@code ADD} names: the
   * one path, or every path a pattern matches, sorted.
   */
  public List<String> resolve(String source, String where, String op) throws AppcException {
    String clean = DockerIgnore.clean(source.startsWith("/") ? source.substring(1) : source);
    if (clean.equals("..") || clean.startsWith("../")) {
      throw new AppcException(where + ": " + op + " " + source + ": forbidden path outside the build context");
    }
    if (clean.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
      if (!Files.exists(file(clean), LinkOption.NOFOLLOW_LINKS) || (!clean.isEmpty() && ignore.excluded(clean))) {
        throw new AppcException(where + ": " + op + " " + source + ": no such file in the build context "
            + root + " (or .dockerignore excludes it)");
      }
      return List.of(clean);
    }
    Pattern p = Pattern.compile(DockerIgnore.regex(clean));
    List<String> out = new ArrayList<>();
    try (Stream<Path> all = Files.walk(root)) {
      all.forEach(f -> {
        String rel = root.relativize(f).toString();
        if (!rel.isEmpty() && p.matcher(rel).matches() && !ignore.excluded(rel)) {
          out.add(rel);
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new AppcException(where + ": " + op + ": cannot list the build context " + root + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new AppcException(where + ": " + op + " " + source + ": no file in the build context " + root
          + " matches (or .dockerignore excludes them all)");
    }
    out.sort(null);
    return out;
  }

  /** Whether the context path {@code rel} is a directory (symlinks not followed). */
  public boolean isDirectory(String rel) {
    return Files.isDirectory(file(rel), LinkOption.NOFOLLOW_LINKS);
  }

  /** The digest of what copying {@code rels} copies: every entry's name, type, permissions, contents or link target. */
  public String digest(List<String> rels, String where) throws AppcException {
    MessageDigest d = StepKey.sha256();
    byte[] buf = new byte[64 * 1024];
    for (String rel : rels) {
      line(d, "source " + rel);
      walk(rel, where, (f, r, attrs) -> {
        String mode = PosixFilePermissions.toString(attrs.permissions());
        if (attrs.isSymbolicLink()) {
          line(d, "link " + r + " " + Files.readSymbolicLink(f));
        } else if (attrs.isDirectory()) {
          line(d, "dir " + r + " " + mode);
        } else {
          line(d, "file " + r + " " + mode + " " + attrs.size());
          try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
              d.update(buf, 0, n);
            }
          }
        }
      });
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * Copies the context path {@code rel} to {@code target}: a file or symlink becomes {@code
   * target}; a directory's contents (less the excluded) go into the directory {@code target},
   * which is made if missing. Permissions and times are kept; owners are the caller's to set.
   */
  public void copy(String rel, Path target, String where) throws AppcException {
    Path src = file(rel);
    walk(rel, where, (f, r, attrs) -> {
      String sub = src.relativize(f).toString();
      Path t = sub.isEmpty() ? target : target.resolve(sub);
      if (t.getParent() != null) {
        Files.createDirectories(t.getParent());
      }
      if (attrs.isDirectory()) {
        Files.createDirectories(t);
      } else {
        Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      }
    });
    // directories last, deepest first, so copying into them does not change their times
    walkDirectoriesDeepestFirst(src, target);
  }

  private void walkDirectoriesDeepestFirst(Path src, Path target) throws AppcException {
    if (!Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(src)) {
      List<Path> dirs = new ArrayList<>(all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList());
      for (int i = dirs.size() - 1; i >= 0; i--) {
        Path d = dirs.get(i);
        Path t = target.resolve(src.relativize(d).toString());
        if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
          PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          Files.setPosixFilePermissions(t, a.permissions());
          Files.setLastModifiedTime(t, a.lastModifiedTime());
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new AppcException("build: cannot copy from the build context: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Visit {
    void entry(Path file, String rel, PosixFileAttributes attrs) throws IOException;
  }

  /** Visits {@code rel} and, for a directory, every entry below it that is not excluded, in name order. */
  private void walk(String rel, String where, Visit v) throws AppcException {
    Path start = file(rel);
    try {
      Files.walkFileTree(start, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
              String r = root.relativize(dir).toString();
              if (!dir.equals(start) && ignore.excluded(r)) {
                return ignore.hasExceptions() ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
              }
              v.entry(dir, r, posix(dir));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              String r = root.relativize(file).toString();
              if (!file.equals(start) && ignore.excluded(r)) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isOther()) {
                throw new IOException(r + " is a device, FIFO or socket: only files, directories and symlinks are copied");
              }
              v.entry(file, r, posix(file));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new AppcException(where + ": cannot copy from the build context: " + e.getMessage(), e);
    }
  }

  private static PosixFileAttributes posix(Path p) throws IOException {
    return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static void line(MessageDigest d, String s) {
    d.update((s + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
