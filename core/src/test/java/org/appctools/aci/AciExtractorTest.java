package org.appctools.aci;

import static org.appctools.aci.AciTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.OptionalLong;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AciExtractorTest {
  private static final long EPOCH = 1_600_000_000L;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  @TempDir Path tmp;

  private static int mode(Path p) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue();
  }

  private Path buildSample() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Path r = l.resolve("rootfs");
    Files.createDirectories(r.resolve("bin"));
    Files.writeString(r.resolve("bin/su"), "setuid binary");
    Files.setAttribute(r.resolve("bin/su"), "unix:mode", 04755);
    Files.createLink(r.resolve("bin/su2"), r.resolve("bin/su"));
    Files.createDirectory(r.resolve("tmp"));
    Files.setAttribute(r.resolve("tmp"), "unix:mode", 01777);
    Files.createDirectory(r.resolve("ro"));
    Files.writeString(r.resolve("ro/f"), "read only dir content");
    Files.setAttribute(r.resolve("ro"), "unix:mode", 0555);
    Files.createSymbolicLink(r.resolve("etc"), Path.of("/etc"));
    Files.createSymbolicLink(r.resolve("dangling"), Path.of("../nowhere"));
    Files.setLastModifiedTime(r.resolve("bin"), FileTime.fromMillis(1_500_000_000_000L));
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(l, aci,
        new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(EPOCH)));
    return aci;
  }

  @Test
  void extract_builtImage_restoresTreeModesLinksAndTimes() throws Exception {
    Path aci = buildSample();
    Path t = tmp.resolve("out");
    ExtractResult r = AciExtractor.extract(aci, t);
    assertThat(r.warnings()).isEmpty();
    assertThat(t.resolve("manifest")).hasBinaryContent(AciArchive.readManifest(aci));
    Path root = t.resolve("rootfs");
    assertThat(root.resolve("bin/su")).hasContent("setuid binary");
    assertThat(mode(root.resolve("bin/su")) & 07777).isEqualTo(04755);
    assertThat(Files.getAttribute(root.resolve("bin/su2"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("bin/su"), "unix:ino"));
    assertThat(mode(root.resolve("tmp")) & 07777).isEqualTo(01777);
    assertThat(mode(root.resolve("ro")) & 07777).isEqualTo(0555);
    assertThat(Files.readSymbolicLink(root.resolve("etc"))).isEqualTo(Path.of("/etc"));
    assertThat(Files.readSymbolicLink(root.resolve("dangling"))).isEqualTo(Path.of("../nowhere"));
    assertThat(Files.getLastModifiedTime(root.resolve("bin")).toMillis() / 1000)
        .isEqualTo(1_500_000_000L);
    assertThat(Files.getLastModifiedTime(root.resolve("ro")).toMillis() / 1000).isEqualTo(EPOCH);
    assertThat(AciValidator.validateLayout(t).errors()).isEmpty();
  }

  @Test
  void extract_thenRebuild_sameImageId() throws Exception {
    Path aci = buildSample();
    Path t = tmp.resolve("out");
    AciExtractor.extract(aci, t);
    Path again = tmp.resolve("again.aci");
    BuildResult r = AciBuilder.build(t, again,
        new BuildOptions(Compression.GZIP, false, false, OptionalLong.of(EPOCH)));
    assertThat(r.imageId()).isEqualTo(AciArchive.imageId(aci));
  }

  @Test
  void extract_fifoDeviceOwnersAndXattrs_restoredAsRoot() throws Exception {
    assumeTrue(AciTestSupport.isRoot(), "devices and owners need root");
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Path r = l.resolve("rootfs");
    assumeTrue(run("mkfifo", r.resolve("fifo").toString()), "mkfifo failed");
    assumeTrue(run("mknod", r.resolve("null").toString(), "c", "1", "3"), "mknod failed");
    Files.createLink(r.resolve("null2"), r.resolve("null"));
    Files.writeString(r.resolve("ping"), "x");
    Files.setAttribute(r.resolve("ping"), "unix:uid", 1000);
    Files.setAttribute(r.resolve("ping"), "unix:gid", 1001);
    boolean xattr = run("setfattr", "-n", "user.note", "-v", "hi", r.resolve("ping").toString());
    boolean cap = run("setcap", "cap_setuid,cap_net_raw+ep", r.resolve("ping").toString());
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(l, aci, BuildOptions.defaults());
    Path t = tmp.resolve("out");
    ExtractResult res = AciExtractor.extract(aci, t, ExtractOptions.defaults()
        .withAllowDevices(true));
    assertThat(res.warnings()).isEmpty();
    Path root = t.resolve("rootfs");
    assertThat(mode(root.resolve("fifo")) & 0170000).isEqualTo(0010000);
    assertThat(mode(root.resolve("null")) & 0170000).isEqualTo(0020000);
    assertThat(Files.getAttribute(root.resolve("null"), "unix:rdev"))
        .isEqualTo(Files.getAttribute(r.resolve("null"), "unix:rdev"));
    assertThat(Files.getAttribute(root.resolve("null2"), "unix:ino"))
        .isEqualTo(Files.getAttribute(root.resolve("null"), "unix:ino"));
    assertThat(Files.getAttribute(root.resolve("ping"), "unix:uid")).isEqualTo(1000);
    assertThat(Files.getAttribute(root.resolve("ping"), "unix:gid")).isEqualTo(1001);
    if (xattr) {
      assertThat(AciTestSupport.output("getfattr", "--absolute-names", "-n", "user.note", "--only-values",
          root.resolve("ping").toString())).isEqualTo("hi");
    }
    if (cap) {
      assertThat(AciTestSupport.output("getcap", root.resolve("ping").toString()))
          .contains("cap_setuid,cap_net_raw=ep");
    }
  }

  @Test
  void extract_nonEmptyTarget_throws() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"));
    Path t = Files.createDirectory(tmp.resolve("t"));
    Files.writeString(t.resolve("keep"), "mine");
    assertThatThrownBy(() -> AciExtractor.extract(aci, t))
        .hasMessage("extract: target directory " + t
            + " is not empty (extract into a new or empty directory)");
    assertThat(t.resolve("keep")).hasContent("mine");
  }

  @Test
  void extract_missingManifest_throwsAndRemovesTarget() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.GZIP,
        t -> t.dir("rootfs").file("rootfs/a", "x"));
    assertThatThrownBy(() -> AciExtractor.extract(aci, tmp.resolve("t")))
        .hasMessage("extract: " + aci + ": the ACI has no manifest entry");
    assertThat(tmp.resolve("t")).doesNotExist();
  }

  @Test
  void extract_symlinkPointingOutside_storedButNotFollowed() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"),
        t -> t.symlink("rootfs/out", outside.toString()));
    Path t = tmp.resolve("t");
    AciExtractor.extract(aci, t);
    assertThat(Files.readSymbolicLink(t.resolve("rootfs/out"))).isEqualTo(outside);
    assertThat(outside).isEmptyDirectory();
  }
}
