package org.appctools.aci;

import static org.appctools.aci.AciTestSupport.assertValid;
import static org.appctools.aci.AciTestSupport.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.appctools.compress.Compression;
import org.appctools.schema.ImageManifest;
import org.appctools.tar.TarItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AciRewriterTest {
  @TempDir Path tmp;

  private Path built() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.writeString(l.resolve("rootfs/a"), "x");
    Files.createLink(l.resolve("rootfs/b"), l.resolve("rootfs/a"));
    Files.createSymbolicLink(l.resolve("rootfs/c"), Path.of("/a"));
    Path aci = tmp.resolve("in.aci");
    AciBuilder.build(l, aci,
        new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(1_600_000_000L)));
    return aci;
  }

  @Test
  void replaceManifest_newFile_manifestFirstAndTreeUnchanged() throws Exception {
    Path in = built();
    Path out = tmp.resolve("out.aci");
    byte[] json = TestAcis.manifestJson("example.com/patched");
    String id = AciRewriter.replaceManifest(in, out, json, Compression.XZ, false);
    assertThat(id).isEqualTo(AciArchive.imageId(out)).isNotEqualTo(AciArchive.imageId(in));
    assertThat(AciArchive.readManifest(out)).isEqualTo(ImageManifest.parse(json).toJson());
    List<TarItem> before = entries(in);
    List<TarItem> after = entries(out);
    assertThat(after.get(0).name()).isEqualTo("manifest");
    assertThat(after.get(0).mtime()).isEqualTo(before.get(0).mtime());
    assertThat(after.subList(1, after.size())).usingRecursiveFieldByFieldElementComparator()
        .isEqualTo(before.subList(1, before.size()));
    assertValid(out);
  }

  @Test
  void replaceManifest_sameManifestSameCompression_sameImageId() throws Exception {
    Path in = built();
    String id = AciRewriter.replaceManifest(in, tmp.resolve("o.aci"), TestAcis.manifestJson(),
        Compression.GZIP, false);
    assertThat(id).isEqualTo(AciArchive.imageId(in));
  }

  @Test
  void replaceManifest_compressionLevel_sameImageIdOtherBytes() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("text"));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      text.append(i * 7919 % 100_003).append(i % 3 == 0 ? '\n' : ' ');
    }
    Files.writeString(l.resolve("rootfs/numbers"), text);
    Path in = tmp.resolve("text.aci");
    AciBuilder.build(l, in, new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(1_600_000_000L)));

    String fast = AciRewriter.replaceManifest(in, tmp.resolve("fast.aci"), TestAcis.manifestJson(), Compression.GZIP, 1,
        false, ReadLimits.defaults());
    String best = AciRewriter.replaceManifest(in, tmp.resolve("best.aci"), TestAcis.manifestJson(), Compression.GZIP, 9,
        false, ReadLimits.defaults());

    assertThat(fast).isEqualTo(best).isEqualTo(AciArchive.imageId(in));
    assertThat(Files.size(tmp.resolve("best.aci"))).isLessThan(Files.size(tmp.resolve("fast.aci")));
    assertThatThrownBy(() -> AciRewriter.replaceManifest(in, tmp.resolve("bad.aci"), TestAcis.manifestJson(),
        Compression.GZIP, 10, false, ReadLimits.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("compression level 10 is out of range for gzip (use 1-9)");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("text", "text.aci", "fast.aci", "best.aci");
    }
  }

  @Test
  void replaceManifest_inPlace_replacesAtomically() throws Exception {
    Path in = built();
    AciRewriter.replaceManifest(in, in, TestAcis.manifestJson("example.com/again"),
        Compression.GZIP, false);
    assertThat(new String(AciArchive.readManifest(in))).contains("example.com/again");
    assertThat(tmp).isDirectoryNotContaining("glob:**.tmp");
    assertValid(in);
  }

  @Test
  void replaceManifest_targetExists_throws() throws Exception {
    Path in = built();
    Path out = Files.writeString(tmp.resolve("o.aci"), "old");
    assertThatThrownBy(() -> AciRewriter.replaceManifest(in, out, TestAcis.manifestJson(),
        Compression.GZIP, false))
        .hasMessage("patch-manifest: target file exists: " + out + " (use --overwrite)");
    assertThat(out).hasContent("old");
  }

  @Test
  void replaceManifest_invalidManifest_throwsAndWritesNothing() throws Exception {
    Path in = built();
    Path out = tmp.resolve("o.aci");
    assertThatThrownBy(() -> AciRewriter.replaceManifest(in, out, "{}".getBytes(),
        Compression.GZIP, false))
        .hasMessageStartingWith("patch-manifest: new manifest: ");
    assertThat(out).doesNotExist();
  }
}
