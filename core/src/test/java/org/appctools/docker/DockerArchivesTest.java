package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.aci.TestAcis;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker save archives made by hand: the manifest.json layout, its digests, the old layout. */
class DockerArchivesTest {
  @TempDir Path tmp;

  /** A docker save archive of one image whose one layer is {@code layer}; {@code diffId} as given. */
  private Path archive(byte[] layer, String diffId, String configTamper) throws Exception {
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/x\"]},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
    byte[] cfg = config.getBytes(StandardCharsets.UTF_8);
    String cfgName = Digests.sha256(cfg).substring(7) + ".json";
    byte[] stored = (config + configTamper).getBytes(StandardCharsets.UTF_8);
    String manifest = "[{\"Config\":\"" + cfgName + "\",\"RepoTags\":[\"example.com/team/app:1.0\"],"
        + "\"Layers\":[\"abc/layer.tar\"]}]";
    return TestAcis.archive(tmp.resolve("app.tar"), Compression.NONE, t -> t
        .file("manifest.json", manifest).file(cfgName, stored).dir("abc").file("abc/layer.tar", layer));
  }

  private byte[] layer() throws Exception {
    return Files.readAllBytes(TestAcis.archive(tmp.resolve("layer"), Compression.NONE, t -> t.file("hello", "hi")));
  }

  @Test
  void convert_currentLayout_namedByItsTagAndDiffIdChecked() throws Exception {
    byte[] layer = layer();
    ConvertResult r = Docker2Aci.convert(archive(layer, Digests.sha256(layer), "").toString(),
        TestImages.options(tmp.resolve("out")));
    assertThat(r.acis().get(0).getFileName()).hasToString("team-app-1.0.aci");
    assertThat(r.manifest().name().value()).isEqualTo("example.com/team/app");
    assertThat(TestImages.entries(r.acis().get(0)).get("rootfs/hello").content()).isEqualTo("hi");
  }

  @Test
  void convert_layerNotMatchingItsDiffId_fails() throws Exception {
    byte[] layer = layer();
    String wrong = "sha256:" + "e".repeat(64);
    assertThatThrownBy(() -> Docker2Aci.convert(archive(layer, wrong, "").toString(),
        TestImages.options(tmp.resolve("out"))))
        .hasMessage("layer 1 of 1 (" + wrong + ") (uncompressed) does not match its digest: expected "
            + wrong + ", got " + Digests.sha256(layer) + " (corrupt or tampered; fetch it again)");
  }

  @Test
  void convert_configNotMatchingItsName_fails() throws Exception {
    byte[] layer = layer();
    Path archive = archive(layer, Digests.sha256(layer), " ");
    assertThatThrownBy(() -> Docker2Aci.convert(archive.toString(), TestImages.options(tmp.resolve("out"))))
        .hasMessageStartingWith(archive + ": config ")
        .hasMessageContaining(" does not match its digest: expected sha256:");
  }

  @Test
  void convert_notAnImageArchive_saysWhatItWants() throws Exception {
    Path plain = TestAcis.archive(tmp.resolve("plain.tar"), Compression.GZIP, t -> t.file("readme", "x"));
    assertThatThrownBy(() -> Docker2Aci.convert(plain.toString(), TestImages.options(tmp.resolve("out"))))
        .hasMessage(plain + ": neither a docker save archive (manifest.json or repositories) nor an OCI "
            + "archive (oci-layout and index.json)");
  }
}
