package org.appctools.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.aci.AciBuilder;
import org.appctools.aci.BuildOptions;
import org.appctools.compress.Compression;

/**
 * Small ACIs for the store tests (and the oci tests, through {@code OciTestImages}), built with
 * {@link AciBuilder} from a layout written here.
 * Rootfs entries: {@code "path=content"} a file, {@code "path/"} a directory, {@code
 * "path->target"} a symlink.
 */
public final class TestImages {
  public static final long EPOCH = 1_700_000_000L;

  private TestImages() {}

  /** A clock that stands still until moved. */
  static final class TestClock extends java.time.Clock {
    java.time.Instant now = java.time.Instant.parse("2024-06-01T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }

    void advance(java.time.Duration d) {
      now = now.plus(d);
    }
  }

  /** Builds {@code dir/NAME.aci}: name, extra manifest JSON fields (may be ""), rootfs entries. */
  public static Path aci(Path dir, String name, String extraJson, String... entries)
      throws IOException, AppcException {
    return aci(Compression.GZIP, dir, name, extraJson, entries);
  }

  /** {@link #aci(Path, String, String, String...)} with another compression (same Image ID). */
  static Path aci(Compression compression, Path dir, String name, String extraJson,
      String... entries) throws IOException, AppcException {
    String base = name.replace('/', '_').replace('.', '_');
    Path layout = Files.createDirectories(dir.resolve("layout-" + base + "-" + System.nanoTime()));
    Path rootfs = Files.createDirectories(layout.resolve("rootfs"));
    for (String e : entries) {
      if (e.contains("->")) {
        String[] p = e.split("->", 2);
        Path link = rootfs.resolve(p[0]);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(p[1]));
      } else if (e.endsWith("/")) {
        Files.createDirectories(rootfs.resolve(e));
      } else {
        String[] p = e.split("=", 2);
        Path f = rootfs.resolve(p[0]);
        Files.createDirectories(f.getParent());
        Files.writeString(f, p.length > 1 ? p[1] : "");
      }
    }
    String manifest = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name
        + "\"" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
    Files.writeString(layout.resolve("manifest"), manifest, StandardCharsets.UTF_8);
    Path aci = dir.resolve(base + "-" + System.nanoTime() + ".aci");
    AciBuilder.build(layout, aci, new BuildOptions(compression, false, false,
        OptionalLong.of(EPOCH)));
    return aci;
  }

  /** {@code "labels":[{"name":"version","value":VERSION}]}. */
  static String version(String version) {
    return "\"labels\":[{\"name\":\"version\",\"value\":\"" + version + "\"}]";
  }

  /** {@code "dependencies":[{"imageName":N},...]} by name only. */
  static String dependsOn(String... names) {
    return "\"dependencies\":[" + String.join(",", List.of(names).stream()
        .map(n -> "{\"imageName\":\"" + n + "\"}").toList()) + "]";
  }

  /** {@code "pathWhitelist":[...]}. */
  static String whitelist(String... paths) {
    return "\"pathWhitelist\":[" + String.join(",", List.of(paths).stream()
        .map(p -> "\"" + p + "\"").toList()) + "]";
  }
}
