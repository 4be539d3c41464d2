package org.appctools.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.aci.ReadLimits;
import org.appctools.aci.TestAcis;
import org.appctools.compress.Compression;
import org.appctools.registry.RegistryOptions;
import org.appctools.tar.TarItem;

/** OCI layouts made by hand from layer tars written with commons-compress, and their ACIs read back. */
final class TestImages {
  private TestImages() {}

  /** An entry of a converted ACI: its header and, for files, its content as UTF-8. */
  record Entry(TarItem item, String content) {}

  static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\","
      + "\"created\":\"2023-11-14T22:13:20Z\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
      + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

  /** A gzip layer file holding what {@code entries} writes. */
  static Path layer(Path dir, String name, TestAcis.Entries entries) throws IOException {
    return TestAcis.archive(dir.resolve(name), Compression.GZIP, entries);
  }

  /** An OCI layout in {@code dir}, tag {@code latest}, with {@code config} and the layers (base first). */
  static Path layout(Path dir, String config, Path... layers) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    List<String> descriptors = new ArrayList<>();
    for (Path l : layers) {
      byte[] b = Files.readAllBytes(l);
      descriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", put(dir, b), b.length));
    }
    byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", put(dir, cfg), cfg.length)
        + ",\"layers\":[" + String.join(",", descriptors) + "]}";
    byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
    String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"" + put(dir, m) + "\",\"size\":" + m.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}";
    Files.writeString(dir.resolve("index.json"), index);
    return dir;
  }

  static String put(Path layout, byte[] blob) throws IOException {
    String digest = Digests.sha256(blob);
    Files.write(layout.resolve("blobs/sha256/" + digest.substring(7)), blob);
    return digest;
  }

  static String descriptor(String mediaType, String digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  /** Squashing options writing to {@code out}: gzip, linux/amd64, default limits. */
  static ConvertOptions options(Path out) throws AppcException {
    return new ConvertOptions(out, null, true, Compression.GZIP, null, Platform.of("linux", "amd64"),
        RegistryOptions.defaults(), ReadLimits.defaults(), null);
  }

  /** The entries of an ACI in order, by name. */
  static Map<String, Entry> entries(Path aci) throws AppcException {
    Map<String, Entry> out = new LinkedHashMap<>();
    AciArchive.visit(aci, ReadLimits.defaults(), true, (item, content) -> {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      content.transferTo(b);
      out.put(item.name(), new Entry(item, b.toString(StandardCharsets.UTF_8)));
      return true;
    });
    return out;
  }
}
