package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.appctools.AppcException;
import org.appctools.docker.Digests;
import org.appctools.store.DependencyResolver;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OciExporterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path app() throws Exception {
    return OciTestImages.aci(tmp, "example.com/app", OciTestImages.labels("1.0")
        + ",\"app\":{\"exec\":[\"/bin/app\"],\"user\":\"0\",\"group\":\"0\"}",
        "bin/app=#!/bin/sh", "etc/", "etc/conf=x", "bin/sh->app");
  }

  private static OciExporter.Options options(OciExporter.Format format) {
    return new OciExporter.Options(format, null, false, null);
  }

  @ParameterizedTest
  @EnumSource(OciExporter.Format.class)
  void export_sameImageTwice_identicalBytes(OciExporter.Format format) throws Exception {
    Path aci = app();
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");

    OciExporter.Result a = OciExporter.export(ExportSource.file(aci, null), first, options(format));
    OciExporter.Result b = OciExporter.export(ExportSource.file(aci, null), second, options(format));

    assertThat(b).isEqualTo(a);
    assertThat(describe(second)).isEqualTo(describe(first));
  }

  @Test
  void export_ociLayout_indexManifestConfigAndLayer() throws Exception {
    Path out = tmp.resolve("layout");

    OciExporter.Result r = OciExporter.export(ExportSource.file(app(), null), out,
        options(OciExporter.Format.OCI));

    assertThat(r.reference()).isEqualTo("example.com/app:1.0");
    assertThat(Files.readString(out.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    JsonNode index = JSON.readTree(out.resolve("index.json").toFile());
    JsonNode entry = index.path("manifests").get(0);
    assertThat(entry.path("digest").asText()).isEqualTo(r.manifestDigest());
    assertThat(entry.path("annotations").toString()).isEqualTo(
        "{\"io.containerd.image.name\":\"example.com/app:1.0\",\"org.opencontainers.image.ref.name\":\"1.0\"}");
    assertThat(entry.path("platform").toString()).isEqualTo("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
    byte[] manifestBytes = Files.readAllBytes(blob(out, r.manifestDigest()));
    assertThat(Digests.sha256(manifestBytes)).isEqualTo(r.manifestDigest());
    JsonNode manifest = JSON.readTree(manifestBytes);
    assertThat(manifest.path("config").path("digest").asText()).isEqualTo(r.configDigest());
    JsonNode layer = manifest.path("layers").get(0);
    assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
    Path layerFile = blob(out, layer.path("digest").asText());
    assertThat(Files.size(layerFile)).isEqualTo(layer.path("size").asLong());
    JsonNode config = JSON.readTree(blob(out, r.configDigest()).toFile());
    byte[] tar;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(layerFile))) {
      tar = in.readAllBytes();
    }
    assertThat(config.path("rootfs").path("diff_ids").get(0).asText()).isEqualTo(Digests.sha256(tar));
    assertThat(config.path("config").path("Entrypoint").toString()).isEqualTo("[\"/bin/app\"]");
    assertThat(entries(tar)).containsExactly("bin/ 755 0:0", "bin/app 644 0:0", "bin/sh 777 0:0 -> app",
        "etc/ 755 0:0", "etc/conf 644 0:0");
  }

  @Test
  void export_dependencies_baseLayersFirstWhitelistsAppliedAsTheRenderer() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    store.importAci(OciTestImages.aci(tmp, "example.com/base", OciTestImages.labels("1"),
        "etc/os=base", "etc/keep=k", "usr/"), null, null);
    Path app = OciTestImages.aci(tmp, "example.com/app", OciTestImages.labels("2")
        + ",\"dependencies\":[{\"imageName\":\"example.com/base\"}]"
        + ",\"pathWhitelist\":[\"/etc/keep\",\"/etc/os\",\"/app\"]",
        "app=mine", "junk=dropped");
    StoredImage stored = store.importAci(app, null, null);
    Path out = tmp.resolve("layout");

    OciExporter.Result r = OciExporter.export(ExportSource.stored(store, stored,
        DependencyResolver.storeOnly(store)), out, options(OciExporter.Format.OCI));

    assertThat(r.layers()).isEqualTo(2);
    JsonNode manifest = JSON.readTree(blob(out, r.manifestDigest()).toFile());
    List<String> base = entries(gunzip(blob(out, manifest.path("layers").get(0).path("digest").asText())));
    List<String> top = entries(gunzip(blob(out, manifest.path("layers").get(1).path("digest").asText())));
    assertThat(base).containsExactly("etc/ 755 0:0", "etc/keep 644 0:0", "etc/os 644 0:0");
    assertThat(top).containsExactly("app 644 0:0");
    JsonNode config = JSON.readTree(blob(out, r.configDigest()).toFile());
    assertThat(config.path("history").get(0).path("created_by").asText()).startsWith("appc image example.com/base:1 sha512-");
  }

  @Test
  void export_sameDependencyTwice_oneLayerAtItsUpperPlace() throws Exception {
    ImageStore store = ImageStore.open(tmp.resolve("store"));
    store.importAci(OciTestImages.aci(tmp, "example.com/d", OciTestImages.labels("1"), "d=d"), null, null);
    store.importAci(OciTestImages.aci(tmp, "example.com/b", OciTestImages.labels("1")
        + ",\"dependencies\":[{\"imageName\":\"example.com/d\"}]", "b=b"), null, null);
    store.importAci(OciTestImages.aci(tmp, "example.com/c", OciTestImages.labels("1")
        + ",\"dependencies\":[{\"imageName\":\"example.com/d\"}]", "c=c"), null, null);
    Path a = OciTestImages.aci(tmp, "example.com/a", OciTestImages.labels("1")
        + ",\"dependencies\":[{\"imageName\":\"example.com/b\"},{\"imageName\":\"example.com/c\"}]", "a=a");

    ExportSource source = ExportSource.file(a, () -> store);

    assertThat(source.layers()).extracting(ExportSource.Layer::title)
        .containsExactly("example.com/b:1", "example.com/d:1", "example.com/c:1", "example.com/a:1");
  }

  @Test
  void export_dockerArchive_manifestJsonConfigAndPlainLayers() throws Exception {
    Path out = tmp.resolve("image.tar");

    OciExporter.Result r = OciExporter.export(ExportSource.file(app(), null), out,
        new OciExporter.Options(OciExporter.Format.DOCKER_ARCHIVE, "team/app:v2", false, null));

    assertThat(r.manifestDigest()).isNull();
    List<String> names = new ArrayList<>();
    String manifestJson = null;
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(out))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        if (e.getName().equals("manifest.json")) {
          manifestJson = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
    }
    String config = OciExporter.hex(r.configDigest()) + ".json";
    assertThat(names).hasSize(3).startsWith(config).endsWith("manifest.json");
    assertThat(manifestJson).isEqualTo("[{\"Config\":\"" + config + "\",\"RepoTags\":[\"team/app:v2\"],\"Layers\":[\""
        + names.get(1) + "\"]}]");
  }

  @Test
  void export_outputExists_refusedWithoutOverwrite() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("layout"));

    assertThatThrownBy(() -> OciExporter.export(ExportSource.file(app(), null), out,
        options(OciExporter.Format.OCI))).isInstanceOf(AppcException.class)
        .hasMessage("export: " + out + " exists (use --overwrite to replace it)");
    assertThat(out).isEmptyDirectory();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".layout"));
    }
  }

  @Test
  void export_overwrite_replacesTheLayout() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("layout"));
    Files.writeString(out.resolve("stale"), "x");

    OciExporter.export(ExportSource.file(app(), null), out,
        new OciExporter.Options(OciExporter.Format.OCI, null, true, null));

    assertThat(out.resolve("stale")).doesNotExist();
    assertThat(out.resolve("index.json")).exists();
  }

  @Test
  void tag_versionWithPlus_failsAskingForTag() throws Exception {
    Path aci = OciTestImages.aci(tmp, "example.com/app", OciTestImages.labels("1.0+build"));

    assertThatThrownBy(() -> OciExporter.export(ExportSource.file(aci, null), tmp.resolve("o"),
        options(OciExporter.Format.OCI))).isInstanceOf(AppcException.class).hasMessage(
        "export: the image's name and version make no Docker reference (invalid image reference "
            + "\"example.com/app:1.0+build\": tag \"1.0+build\" must be letters, digits, _ . - (at most 128, not "
            + "starting with . or -)); give one with --tag NAME:TAG");
  }

  @Test
  void tag_givenWithoutTag_latest() throws Exception {
    assertThat(OciExporter.tag(null, "registry.example.com:5000/team/app"))
        .isEqualTo(new OciExporter.Tag("registry.example.com:5000/team/app:latest", "latest"));
  }

  private static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(OciExporter.hex(digest));
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  /** "name mode uid:gid [-> target]" per entry. */
  private static List<String> entries(byte[] tar) throws IOException {
    List<String> out = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.add(e.getName() + " " + Integer.toOctalString(e.getMode() & 07777) + " " + e.getLongUserId() + ":"
            + e.getLongGroupId() + (e.isSymbolicLink() ? " -> " + e.getLinkName() : ""));
      }
    }
    return out;
  }

  /** Every file under {@code p} (or p itself) with its bytes' digest. */
  private static List<String> describe(Path p) throws IOException {
    List<String> out = new ArrayList<>();
    try (var files = Files.walk(p)) {
      for (Path f : files.sorted().toList()) {
        out.add(p.relativize(f) + (Files.isRegularFile(f) ? " " + Digests.sha256(Files.readAllBytes(f)) : ""));
      }
    }
    return out;
  }
}
