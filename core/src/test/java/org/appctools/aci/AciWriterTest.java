package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.tar.TarMeta;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AciWriterTest {
  @TempDir Path dir;

  private static final ImageManifest MANIFEST = ImageManifest.empty(AcIdentifier.parse("example.com/w"));

  @Test
  void commit_entriesWritten_validAciManifestFirstAndItsImageId() throws Exception {
    Path out = dir.resolve("w.aci");
    String id;
    try (AciWriter w = AciWriter.create("test", out, Compression.GZIP, false, MANIFEST, 1_700_000_000L)) {
      w.tar().file("rootfs/hello", TarMeta.of(0644, 0, 0, 1_700_000_000L), "hi".getBytes(StandardCharsets.UTF_8));
      id = w.commit();
    }
    assertThat(AciValidator.validateImage(out).errors()).isEmpty();
    assertThat(id).isEqualTo(AciArchive.imageId(out));
    List<String> names = new ArrayList<>();
    AciArchive.visit(out, ReadLimits.defaults(), true, (item, content) -> names.add(item.name()));
    assertThat(names).containsExactly("manifest", "rootfs", "rootfs/hello");
  }

  @Test
  void close_withoutCommit_leavesNoFileAndTheTargetAsItWas() throws Exception {
    Path out = Files.writeString(dir.resolve("w.aci"), "old");
    try (AciWriter w = AciWriter.create("test", out, Compression.GZIP, true, MANIFEST, 0)) {
      w.tar().file("rootfs/x", TarMeta.of(0644, 0, 0, 0), new byte[10]);
    }
    assertThat(Files.readString(out)).isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).containsExactly(out);
    }
  }

  @Test
  void create_existingTargetWithoutOverwrite_refused() throws Exception {
    Path out = Files.writeString(dir.resolve("w.aci"), "old");
    assertThatThrownBy(() -> AciWriter.create("test", out, Compression.NONE, false, MANIFEST, 0))
        .isInstanceOf(AppcException.class)
        .hasMessage("test: target file exists: " + out + " (use --overwrite)");
  }
}
