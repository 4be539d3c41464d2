package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AciValidatorTest {
  @TempDir Path tmp;

  @Test
  void detect_directory_isLayout() throws Exception {
    assertThat(AciValidator.detect(tmp)).isEqualTo(AciValidator.FileType.LAYOUT);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void detect_archive_isImage(Compression c) throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), c,
        t -> t.file("manifest", TestAcis.manifestJson()).dir("rootfs"));
    assertThat(AciValidator.detect(aci)).isEqualTo(AciValidator.FileType.IMAGE);
    AciValidator.Report report = AciValidator.validateImage(aci);
    assertThat(report.errors()).isEmpty();
    if (c == Compression.ZSTD) {
      assertThat(report.warnings())
          .containsExactly("compression zstd is not in the appc spec (gzip, bzip2, xz)");
    } else {
      assertThat(report.warnings()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void validateImage_truncatedAnyCompression_reportsTruncation(Compression c) throws Exception {
    byte[] random = new byte[300_000];
    new java.util.Random(3).nextBytes(random);
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), c,
        t -> t.file("manifest", TestAcis.manifestJson()).dir("rootfs").file("rootfs/r", random));
    byte[] all = Files.readAllBytes(aci);
    Files.write(aci, java.util.Arrays.copyOf(all, all.length * 2 / 3));
    assertThat(AciValidator.validateImage(aci).errors())
        .singleElement().asString().startsWith("truncated archive: ");
  }

  @Test
  void detect_json_isManifest() throws Exception {
    Path m = Files.write(tmp.resolve("manifest"), TestAcis.manifestJson());
    assertThat(AciValidator.detect(m)).isEqualTo(AciValidator.FileType.MANIFEST);
  }

  @Test
  void validateImage_badManifest_prefixesManifestErrors() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.GZIP,
        t -> t.file("manifest", "{\"acKind\":\"ImageManifest\"}").dir("rootfs"));
    assertThat(AciValidator.validateImage(aci).errors())
        .containsExactly("manifest: acVersion: is required", "manifest: name: is required");
  }

  @Test
  void validateImage_dotSlashNames_accepted() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.GZIP, t -> t.dir("./")
        .file("./manifest", TestAcis.manifestJson()).dir("./rootfs/").file("./rootfs/a", "x")
        .hardlink("./rootfs/b", "./rootfs/a"));
    assertThat(AciValidator.validateImage(aci).errors()).isEmpty();
  }

  @Test
  void validateImage_missingRootfsEntry_reported() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.GZIP,
        t -> t.file("manifest", TestAcis.manifestJson()).file("rootfs/bin/x", "x"));
    assertThat(AciValidator.validateImage(aci).errors()).containsExactly(
        "missing explicit rootfs directory entry (the spec requires a \"rootfs\" entry)");
  }

  @Test
  void validateLayout_minimal_valid() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    assertThat(AciValidator.validateLayout(l).errors()).isEmpty();
  }

  @Test
  void validateLayout_everyProblem_listed() throws Exception {
    Path l = Files.createDirectory(tmp.resolve("l"));
    Files.writeString(l.resolve("rootfs"), "not a dir");
    Files.writeString(l.resolve("rootfsX"), "x");
    assertThat(AciValidator.validateLayout(l).errors()).containsExactly(
        "missing manifest file",
        "rootfs must be a directory",
        "unexpected top-level entry \"rootfsX\" (a layout holds only manifest and rootfs/)");
  }
}
