package org.appctools.oci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.aci.AciBuilder;
import org.appctools.aci.BuildOptions;
import org.appctools.compress.Compression;

/**
 * Small ACIs for the oci tests, built with {@link AciBuilder} from a layout written here.
 * Rootfs entries: {@code "path=content"} a file, {@code "path/"} a directory, {@code
 * "path->target"} a symlink.
 */
final class OciTestImages {
  static final long EPOCH = 1_700_000_000L;
  static final String PLATFORM = "{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}";

  private OciTestImages() {}

  /** {@code "labels":[version, os linux, arch amd64]}. */
  static String labels(String version) {
    return "\"labels\":[{\"name\":\"version\",\"value\":\"" + version + "\"}," + PLATFORM + "]";
  }

  /** Builds {@code dir/NAME-N.aci}: name, extra manifest JSON fields (may be ""), rootfs entries. */
  static Path aci(Path dir, String name, String extraJson, String... entries)
      throws IOException, AppcException {
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
    AciBuilder.build(layout, aci, new BuildOptions(Compression.GZIP, false, false,
        OptionalLong.of(EPOCH)));
    return aci;
  }
}
