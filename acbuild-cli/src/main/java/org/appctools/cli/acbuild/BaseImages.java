package org.appctools.cli.acbuild;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.build.BeginSource;
import org.appctools.build.file.DockerfileBuild;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.DiscoveryOptions;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import org.appctools.sign.TrustStore;
import org.appctools.store.Fetcher;
import org.appctools.store.ImageStore;

/**
 * The images builds start from, and what identifies each for the build cache: a Dockerfile's
 * FROM and an acbuild script's begin name the same base with the same identity, so they share
 * its cached state.
 */
final class BaseImages {
  private BaseImages() {}

  /** An empty image. */
  static DockerfileBuild.Base scratch() {
    return new DockerfileBuild.Base(new BeginSource.Empty(), "scratch");
  }

  /** A local directory (the rootfs), ACI or rootfs tar. */
  static DockerfileBuild.Base local(Path p, String where, String shown) throws AppcException {
    if (Files.isDirectory(p)) {
      return new DockerfileBuild.Base(new BeginSource.Directory(p), "directory " + treeDigest(p, where));
    }
    if (!Files.isRegularFile(p)) {
      throw new AppcException(where + ": " + shown + ": no such file or directory (" + p + ")");
    }
    return new DockerfileBuild.Base(new BeginSource.Archive(p), "file " + fileDigest(p, where));
  }

  /**
   * {@code docker://REF} or an appc name, through the image store (fetched when missing, as
   * acbuild begin does; --insecure allows plain HTTP and skips signature checks).
   */
  static DockerfileBuild.Base fetched(ImageStore store, String name, boolean insecure, PrintWriter err) throws AppcException {
    HttpOptions httpOptions = HttpOptions.defaults().withAllowHttp(insecure).withInsecureSkipTlsVerify(insecure);
    Http http = new Http(httpOptions);
    Fetcher fetcher = new Fetcher(store, http, new Discovery(http, new DiscoveryOptions(insecure, null)),
        // a Docker image has no appc signature (its registry digests are checked)
        TrustStore.userDefault(), new Fetcher.Options(Fetcher.PullPolicy.NEW, insecure || name.startsWith("docker://"), null, null),
        err::println);
    Fetcher.Fetched f = fetcher.fetch(name);
    return new DockerfileBuild.Base(new BeginSource.Archive(store.aciFile(f.image())), "image " + f.image().id().value());
  }

  /** SHA-256 of a file's bytes. */
  static String fileDigest(Path p, String where) throws AppcException {
    MessageDigest d = sha256();
    try (var in = Files.newInputStream(p)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new AppcException(where + ": cannot read " + p + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /**
   * A digest of a directory tree's metadata (names, modes, owners, sizes, mtimes, link targets),
   * not its contents: reading a whole root filesystem on every build would cost more than the
   * cache saves. A base directory changed without changing any of these is not seen.
   */
  static String treeDigest(Path dir, String where) throws AppcException {
    MessageDigest d = sha256();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) throws IOException {
          entry(p);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
          entry(p);
          return FileVisitResult.CONTINUE;
        }

        private void entry(Path p) throws IOException {
          Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,isSymbolicLink",
              LinkOption.NOFOLLOW_LINKS);
          String link = Boolean.TRUE.equals(a.get("isSymbolicLink")) ? " -> " + Files.readSymbolicLink(p) : "";
          d.update((dir.relativize(p) + " " + a.get("mode") + " " + a.get("uid") + ":" + a.get("gid") + " " + a.get("size")
              + " " + a.get("lastModifiedTime") + link + "\n").getBytes(StandardCharsets.UTF_8));
        }
      });
    } catch (IOException e) {
      throw new AppcException(where + ": cannot read " + dir + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JRE", e);
    }
  }
}
