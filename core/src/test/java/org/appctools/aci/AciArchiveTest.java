package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AciArchiveTest {
  @TempDir Path tmp;

  @Test
  void readManifest_manifestFirst_stopsBeforeCorruptRest() throws Exception {
    byte[] random = new byte[300_000];
    new Random(1).nextBytes(random);
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t.file("rootfs/big", random));
    byte[] all = Files.readAllBytes(aci);
    Files.write(aci, Arrays.copyOf(all, all.length / 2));
    assertThat(AciArchive.readManifest(aci)).isEqualTo(TestAcis.manifestJson());
    assertThat(AciValidator.validateImage(aci).errors()).isNotEmpty();
  }

  @Test
  void readManifest_manifestLast_found() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.BZIP2,
        t -> t.dir("rootfs").file("rootfs/a", "x").file("manifest", TestAcis.manifestJson()));
    assertThat(AciArchive.readManifest(aci)).isEqualTo(TestAcis.manifestJson());
  }

  @Test
  void readManifest_tooLarge_throwsNamingTheLimit() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"));
    assertThatThrownBy(() -> AciArchive.readManifest(aci,
        ReadLimits.defaults().withMaxManifestBytes(10)))
        .hasMessage("reading manifest: " + aci + ": manifest is "
            + TestAcis.manifestJson().length + " bytes, more than the limit of 10 "
            + "(a manifest is small JSON: this is not a genuine image)");
  }

  @Test
  void readManifest_noManifest_throws() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.NONE, t -> t.dir("rootfs"));
    assertThatThrownBy(() -> AciArchive.readManifest(aci))
        .hasMessage("reading manifest: " + aci + ": the ACI has no manifest entry");
  }

  @Test
  void readManifest_notAnArchive_throws() throws Exception {
    Path f = Files.writeString(tmp.resolve("x.aci"), "hello");
    assertThatThrownBy(() -> AciArchive.readManifest(f))
        .hasMessage("reading manifest: " + f
            + ": not an ACI (no gzip, bzip2, xz, zstd or tar signature)");
  }

  @Test
  void imageId_anyCompression_isSha512OfTheTar() throws Exception {
    Path plain = TestAcis.minimalAci(tmp.resolve("x.tar"));
    byte[] tar;
    try (var in = Compression.GZIP.decompress(Files.newInputStream(plain))) {
      tar = in.readAllBytes();
    }
    String expected = "sha512-"
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(tar));
    assertThat(AciArchive.imageId(plain)).isEqualTo(expected);
    Path xz = tmp.resolve("x.xz.aci");
    try (var out = Compression.XZ.compress(Files.newOutputStream(xz))) {
      out.write(tar);
    }
    assertThat(AciArchive.imageId(xz)).isEqualTo(expected);
  }
}
