package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.appctools.compress.Compression;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real trees made by .ci/fixtures.sh under the {@code aci.fixtures} directory; skipped when
 * they are absent.
 */
class DebianFixtureTest {
  @TempDir Path tmp;

  private static Path fixture(String name) {
    String dir = System.getProperty("aci.fixtures");
    assumeTrue(dir != null, "aci.fixtures is not set");
    Path rootfs = Path.of(dir, "rootfs", name);
    assumeTrue(Files.isDirectory(rootfs), "fixture " + rootfs + " is absent");
    return rootfs;
  }

  /** A layout in the temp dir whose rootfs is a {@code cp -a} copy of the fixture. */
  private Path layout(Path rootfs) throws Exception {
    Path l = Files.createDirectory(tmp.resolve("layout"));
    Files.write(l.resolve("manifest"), TestAcis.manifestJson("example.com/" + rootfs
        .getFileName()));
    // cp -a keeps owners, modes, mtimes, hard links, devices and xattrs
    assumeTrue(AciTestSupport.run("cp", "-a", rootfs.toString(), l.resolve("rootfs").toString()),
        "cp -a failed");
    return l;
  }

  @Test
  void busybox_buildValidateExtract_roundTrips() throws Exception {
    Path l = layout(fixture("busybox"));
    Path aci = tmp.resolve("busybox.aci");
    BuildResult r = AciBuilder.build(l, aci,
        new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(1_700_000_000L)));
    assertThat(AciValidator.validateImage(aci).errors()).isEmpty();
    assertThat(AciArchive.imageId(aci)).isEqualTo(r.imageId());
    Path out = tmp.resolve("out");
    AciExtractor.extract(aci, out);
    Path again = tmp.resolve("again.aci");
    BuildResult r2 = AciBuilder.build(out, again,
        new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(1_700_000_000L)));
    assertThat(r2.imageId()).isEqualTo(r.imageId());
  }

  @Test
  void busybox_referenceActool_acceptsOurImage() throws Exception {
    Path l = layout(fixture("busybox"));
    Path actool = Path.of(System.getProperty("aci.fixtures"), "bin", "actool");
    assumeTrue(Files.isExecutable(actool), "reference actool " + actool + " is absent");
    for (Compression c : new Compression[] {Compression.GZIP, Compression.BZIP2,
        Compression.XZ, Compression.NONE}) {
      Path aci = tmp.resolve("busybox-" + c + ".aci");
      AciBuilder.build(l, aci, new BuildOptions(c, false, false, OptionalLong.empty()));
      assertThat(AciTestSupport.run(actool.toString(), "validate", aci.toString()))
          .as("actool validate " + c).isTrue();
      assertThat(AciTestSupport.output(actool.toString(), "cat-manifest", aci.toString()))
          .contains("example.com/busybox");
    }
  }

  @Test
  void debian_buildValidateReadExtract_keepsProperties() throws Exception {
    Path rootfs = fixture("debian");
    Path l = layout(rootfs);
    Path aci = tmp.resolve("debian.aci");
    long t0 = System.nanoTime();
    BuildResult r = AciBuilder.build(l, aci, BuildOptions.defaults());
    long t1 = System.nanoTime();
    AciValidator.Report report = AciValidator.validateImage(aci);
    long t2 = System.nanoTime();
    System.out.printf("debian fixture: %d entries, %d MiB tar, %d MiB gzip; build %d ms, "
        + "validate %d ms%n", r.entries(), r.uncompressedBytes() >> 20, Files.size(aci) >> 20,
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    assertThat(report.errors()).isEmpty();
    assertThat(AciArchive.readManifest(aci)).isEqualTo(Files.readAllBytes(l.resolve("manifest")));
    assertThat(AciArchive.imageId(aci)).isEqualTo(r.imageId());

    TarItem su = AciTestSupport.entry(aci, "rootfs/usr/bin/su");
    assertThat(su.mode() & 04000).isEqualTo(04000);
    if (Files.exists(rootfs.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS)
        && !Files.isSymbolicLink(rootfs.resolve("dev/null"))) {
      assertThat(AciTestSupport.entry(aci, "rootfs/dev/null").type())
          .isEqualTo(TarEntryType.CHAR_DEVICE);
    }
    assumeTrue(AciTestSupport.isRoot(), "extracting owners and devices needs root");
    Path out = tmp.resolve("out");
    AciExtractor.extract(aci, out, ExtractOptions.defaults().withAllowDevices(true));
    Path x = out.resolve("rootfs");
    for (String p : new String[] {"usr/bin/su", "usr/bin/passwd", "etc/shadow", "tmp",
        "var/mail", "usr/bin/chage"}) {
      Path a = rootfs.resolve(p);
      Path b = x.resolve(p);
      if (!Files.exists(a, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      for (String attr : new String[] {"unix:mode", "unix:uid", "unix:gid"}) {
        assertThat(Files.getAttribute(b, attr, LinkOption.NOFOLLOW_LINKS)).as(p + " " + attr)
            .isEqualTo(Files.getAttribute(a, attr, LinkOption.NOFOLLOW_LINKS));
      }
      assertThat(Files.getLastModifiedTime(b, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000)
          .isEqualTo(Files.getLastModifiedTime(a, LinkOption.NOFOLLOW_LINKS).toMillis() / 1000);
    }
    BuildResult again = AciBuilder.build(out, tmp.resolve("again.aci"),
        new BuildOptions(Compression.GZIP, false, false, OptionalLong.empty()));
    assertThat(again.imageId()).isEqualTo(r.imageId());
  }
}
