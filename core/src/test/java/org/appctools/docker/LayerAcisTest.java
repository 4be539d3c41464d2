package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.appctools.aci.AciArchive;
import org.appctools.aci.AciValidator;
import org.appctools.schema.ImageManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --nosquash}: one ACI per layer with dependencies and path whitelists. */
class LayerAcisTest {
  @TempDir Path tmp;

  private ConvertResult convert(Path... layers) throws Exception {
    Path layout = TestImages.layout(tmp.resolve("img"), TestImages.CONFIG, layers);
    ConvertOptions o = TestImages.options(tmp.resolve("out"));
    return Docker2Aci.convert(layout.toString(), new ConvertOptions(o.outputDir(), null, false,
        o.compression(), null, o.platform(), o.registry(), o.limits(), null));
  }

  @Test
  void convert_noSquash_oneAciPerLayerChainedWithWhitelists() throws Exception {
    Path l1 = TestImages.layer(tmp, "l1", t -> t.dir("etc").file("etc/a", "a").dir("c").file("c/old", "o"));
    Path l2 = TestImages.layer(tmp, "l2", t -> t.dir("etc").file("etc/.wh.a", "").dir("c")
        .file("c/.wh..wh..opq", "").file("c/new", "n"));
    ConvertResult r = convert(l1, l2);
    assertThat(r.acis()).extracting(p -> p.getFileName().toString())
        .containsExactly("img-latest-linux-amd64-0.aci", "img-latest-linux-amd64-1.aci");
    ImageManifest base = ImageManifest.parse(AciArchive.readManifest(r.acis().get(0)));
    ImageManifest top = ImageManifest.parse(AciArchive.readManifest(r.acis().get(1)));
    for (Path aci : r.acis()) {
      assertThat(AciValidator.validateImage(aci).errors()).isEmpty();
    }
    assertThat(base.name().value()).startsWith("img-");
    assertThat(base.app()).isNull();
    assertThat(base.dependencies()).isEmpty();
    assertThat(base.pathWhitelist()).containsExactly("/c", "/c/old", "/dev/fd", "/dev/stderr",
        "/dev/stdin", "/dev/stdout", "/etc", "/etc/a");
    assertThat(top.app().exec()).containsExactly("/bin/sh");
    assertThat(top.labels().get("version")).hasValue("latest");
    assertThat(top.dependencies()).hasSize(1);
    assertThat(top.dependencies().get(0).imageName()).isEqualTo(base.name());
    assertThat(top.dependencies().get(0).imageID().value()).isEqualTo(r.imageIds().get(0));
    assertThat(top.dependencies().get(0).labels().get("arch")).hasValue("amd64");
    assertThat(top.pathWhitelist()).containsExactly("/c", "/c/new", "/dev/fd", "/dev/stderr",
        "/dev/stdin", "/dev/stdout", "/etc");
    Map<String, TestImages.Entry> e = TestImages.entries(r.acis().get(1));
    assertThat(e).containsKeys("rootfs/c/new", "rootfs/dev/stdin").doesNotContainKeys("rootfs/etc/.wh.a",
        "rootfs/c/.wh..wh..opq");
  }

  @Test
  void convert_noSquashHardLinkToALowerLayer_refusedWithTheWayOut() throws Exception {
    Path l1 = TestImages.layer(tmp, "l1", t -> t.file("target", "t"));
    Path l2 = TestImages.layer(tmp, "l2", t -> t.hardlink("link", "target"));
    assertThatThrownBy(() -> convert(l1, l2)).hasMessageEndingWith(": entry \"link\": hard link to "
        + "\"target\", which is not an earlier file of this layer; a layer ACI cannot hold it "
        + "(convert without --nosquash)");
    assertThat(tmp.resolve("out").toFile().list()).as("no layer ACI left behind").isEmpty();
  }
}
