package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.appctools.compress.Compression;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.Test;

/** The aci package works on any NIO file system, here an in-memory one (C7). */
class AciJimfsTest {
  @Test
  void build_onJimfs_validatesReadsAndExtracts() throws Exception {
    Configuration config = Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix").build();
    try (FileSystem fs = Jimfs.newFileSystem(config)) {
      Path l = TestAcis.minimalLayout(fs.getPath("/work/layout"));
      Files.createDirectories(l.resolve("rootfs/etc"));
      Files.writeString(l.resolve("rootfs/etc/hostname"), "jimfs\n");
      Files.createSymbolicLink(l.resolve("rootfs/link"), fs.getPath("/etc/hostname"));
      Path aci = fs.getPath("/work/x.aci");
      BuildResult r = AciBuilder.build(l, aci,
          new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(1_600_000_000L)));
      assertThat(r.warnings()).containsExactly("the file system of " + l.resolve("rootfs")
          + " has no unix attributes: hard links and device nodes are not detected");
      assertThat(AciValidator.validateImage(aci).errors()).isEmpty();
      assertThat(AciArchive.imageId(aci)).isEqualTo(r.imageId());
      assertThat(AciTestSupport.entry(aci, "rootfs/link").type()).isEqualTo(TarEntryType.SYMLINK);
      Path out = fs.getPath("/work/out");
      AciExtractor.extract(aci, out, ExtractOptions.defaults());
      assertThat(Files.readString(out.resolve("rootfs/etc/hostname"))).isEqualTo("jimfs\n");
      assertThat(Files.readSymbolicLink(out.resolve("rootfs/link")).toString())
          .isEqualTo("/etc/hostname");
    }
  }
}
