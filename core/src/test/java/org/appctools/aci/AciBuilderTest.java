package org.appctools.aci;

import static org.appctools.aci.AciTestSupport.assertValid;
import static org.appctools.aci.AciTestSupport.entries;
import static org.appctools.aci.AciTestSupport.entry;
import static org.appctools.aci.AciTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AciBuilderTest {
  private static final long EPOCH = 1_600_000_000L;

  @TempDir Path tmp;

  private static BuildOptions opts(Compression c) {
    return new BuildOptions(c, false, false, OptionalLong.of(EPOCH));
  }

  private static void tree(Path layout, boolean reversed, long mtime) throws IOException {
    TestAcis.minimalLayout(layout);
    Path r = layout.resolve("rootfs");
    List<String> files = List.of("etc/hostname", "bin/app", "a-b", "a/x", "usr/share/doc/z");
    List<String> order = new java.util.ArrayList<>(files);
    if (reversed) {
      java.util.Collections.reverse(order);
    }
    for (String f : order) {
      Path p = r.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "content of " + f);
    }
    try (Stream<Path> walk = Files.walk(layout)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
      }
    }
  }

  @Test
  void build_sameFilesDifferentOrderAndTimes_identicalBytes() throws Exception {
    Path one = tmp.resolve("one");
    Path two = tmp.resolve("two");
    tree(one, false, EPOCH + 1000);
    tree(two, true, EPOCH + 99_999);
    BuildResult r1 = AciBuilder.build(one, tmp.resolve("one.aci"), opts(Compression.GZIP));
    BuildResult r2 = AciBuilder.build(two, tmp.resolve("two.aci"), opts(Compression.GZIP));
    assertThat(Files.readAllBytes(tmp.resolve("one.aci")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("two.aci")));
    assertThat(r1.imageId()).isEqualTo(r2.imageId()).startsWith("sha512-").hasSize(7 + 128);
    assertThat(AciArchive.imageId(tmp.resolve("one.aci"))).isEqualTo(r1.imageId());
    assertValid(tmp.resolve("one.aci"));
  }

  @Test
  void build_layout_manifestFirstThenRootfsThenSortedTree() throws Exception {
    tree(tmp.resolve("l"), false, EPOCH + 5);
    Path aci = tmp.resolve("x.aci");
    BuildResult r = AciBuilder.build(tmp.resolve("l"), aci, opts(Compression.GZIP));
    List<TarItem> items = entries(aci);
    assertThat(items).extracting(TarItem::name).containsExactly("manifest", "rootfs",
        "rootfs/a", "rootfs/a/x", "rootfs/a-b", "rootfs/bin", "rootfs/bin/app", "rootfs/etc",
        "rootfs/etc/hostname", "rootfs/usr", "rootfs/usr/share", "rootfs/usr/share/doc",
        "rootfs/usr/share/doc/z");
    assertThat(r.entries()).isEqualTo(items.size());
    TarItem manifest = items.get(0);
    assertThat(manifest.mode()).isEqualTo(0644);
    assertThat(manifest.mtime()).isEqualTo(EPOCH);
    assertThat(items).allSatisfy(i -> assertThat(i.mtime()).isEqualTo(EPOCH));
    assertThat(AciArchive.readManifest(aci)).isEqualTo(
        org.appctools.schema.ImageManifest.parse(TestAcis.manifestJson()).toJson());
  }

  @Test
  void build_withoutEpoch_keepsMtimesAndManifestFileMtime() throws Exception {
    tree(tmp.resolve("l"), false, 1_234_567_890L);
    Files.setLastModifiedTime(tmp.resolve("l/manifest"), FileTime.fromMillis(1_111_111_111_000L));
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(tmp.resolve("l"), aci, BuildOptions.defaults());
    assertThat(entry(aci, "manifest").mtime()).isEqualTo(1_111_111_111L);
    assertThat(entry(aci, "rootfs/bin/app").mtime()).isEqualTo(1_234_567_890L);
  }

  @Test
  void build_hardlinks_storedOnce() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Path a = l.resolve("rootfs/a");
    Files.writeString(a, "shared");
    Files.createLink(l.resolve("rootfs/b"), a);
    Files.createLink(l.resolve("rootfs/c"), a);
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(l, aci, opts(Compression.GZIP));
    TarItem b = entry(aci, "rootfs/b");
    assertThat(entry(aci, "rootfs/a").type()).isEqualTo(TarEntryType.FILE);
    assertThat(entry(aci, "rootfs/a").size()).isEqualTo(6);
    assertThat(b.type()).isEqualTo(TarEntryType.HARDLINK);
    assertThat(b.size()).isZero();
    assertThat(b.linkName()).isEqualTo("rootfs/a");
    assertThat(entry(aci, "rootfs/c").linkName()).isEqualTo("rootfs/a");
    assertValid(aci);
  }

  @Test
  void build_symlinks_storedNotFollowed() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.createSymbolicLink(l.resolve("rootfs/abs"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(l.resolve("rootfs/dangling"), Path.of("nowhere/at/all"));
    Files.createSymbolicLink(l.resolve("rootfs/dir"), Path.of("/"));
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(l, aci, opts(Compression.GZIP));
    assertThat(entry(aci, "rootfs/abs").linkName()).isEqualTo("/etc/passwd");
    assertThat(entry(aci, "rootfs/dangling").linkName()).isEqualTo("nowhere/at/all");
    assertThat(entry(aci, "rootfs/dir").type()).isEqualTo(TarEntryType.SYMLINK);
    assertThat(entries(aci)).hasSize(5);
    assertValid(aci);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void build_fifoAndCharDevice_storedWithoutOpening() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    assumeTrue(run("mkfifo", l.resolve("rootfs/fifo").toString()), "mkfifo unavailable");
    Path aci = tmp.resolve("x.aci");
    boolean dev = AciTestSupport.isRoot()
        && run("mknod", l.resolve("rootfs/null").toString(), "c", "1", "3");
    AciBuilder.build(l, aci, opts(Compression.GZIP));
    assertThat(entry(aci, "rootfs/fifo").type()).isEqualTo(TarEntryType.FIFO);
    if (dev) {
      TarItem n = entry(aci, "rootfs/null");
      assertThat(n.type()).isEqualTo(TarEntryType.CHAR_DEVICE);
      assertThat(n.devMajor()).isEqualTo(1);
      assertThat(n.devMinor()).isEqualTo(3);
    }
    assertValid(aci);
  }

  @Test
  void build_charDevice_keptWithMajorMinor() throws Exception {
    assumeTrue(AciTestSupport.isRoot(), "mknod needs root");
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    assumeTrue(run("mknod", l.resolve("rootfs/tty").toString(), "c", "5", "0"), "mknod failed");
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(l, aci, opts(Compression.GZIP));
    TarItem t = entry(aci, "rootfs/tty");
    assertThat(t.type()).isEqualTo(TarEntryType.CHAR_DEVICE);
    assertThat(t.devMajor()).isEqualTo(5);
    assertThat(t.devMinor()).isZero();
  }

  @Test
  void build_setuidSetgidSticky_modesKept() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.writeString(l.resolve("rootfs/su"), "x");
    Files.writeString(l.resolve("rootfs/wall"), "x");
    Files.createDirectory(l.resolve("rootfs/tmp"));
    Files.setAttribute(l.resolve("rootfs/su"), "unix:mode", 04755);
    Files.setAttribute(l.resolve("rootfs/wall"), "unix:mode", 02755);
    Files.setAttribute(l.resolve("rootfs/tmp"), "unix:mode", 01777);
    Path aci = tmp.resolve("x.aci");
    AciBuilder.build(l, aci, opts(Compression.GZIP));
    assertThat(entry(aci, "rootfs/su").mode()).isEqualTo(04755);
    assertThat(entry(aci, "rootfs/wall").mode()).isEqualTo(02755);
    assertThat(entry(aci, "rootfs/tmp").mode()).isEqualTo(01777);
  }

  @Test
  void build_ownersKeptUnlessOwnerRoot() throws Exception {
    assumeTrue(AciTestSupport.isRoot(), "chown needs root");
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.writeString(l.resolve("rootfs/f"), "x");
    Files.setAttribute(l.resolve("rootfs/f"), "unix:uid", 1234);
    Files.setAttribute(l.resolve("rootfs/f"), "unix:gid", 5678);
    AciBuilder.build(l, tmp.resolve("kept.aci"), opts(Compression.GZIP));
    AciBuilder.build(l, tmp.resolve("root.aci"),
        new BuildOptions(Compression.GZIP, true, false, OptionalLong.of(EPOCH)));
    TarItem kept = entry(tmp.resolve("kept.aci"), "rootfs/f");
    assertThat(kept.uid()).isEqualTo(1234);
    assertThat(kept.gid()).isEqualTo(5678);
    TarItem root = entry(tmp.resolve("root.aci"), "rootfs/f");
    assertThat(root.uid()).isZero();
    assertThat(root.gid()).isZero();
  }

  @Test
  void build_xattrsUserAndSecurityCapability_stored() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Path f = l.resolve("rootfs/ping");
    Files.writeString(f, "x");
    assumeTrue(run("setfattr", "-n", "user.note", "-v", "hello world", f.toString()),
        "setfattr or user xattrs unavailable here");
    boolean cap = run("setcap", "cap_setuid,cap_net_raw+ep", f.toString());
    Path aci = tmp.resolve("x.aci");
    BuildResult r = AciBuilder.build(l, aci, opts(Compression.GZIP));
    assertThat(r.warnings()).isEmpty();
    TarItem ping = entry(aci, "rootfs/ping");
    assertThat(ping.xattrs().get("user.note")).isEqualTo("hello world".getBytes());
    if (cap) {
      // cap_setuid is bit 7: the value has a 0x80 byte and is not UTF-8
      assertThat(ping.xattrs()).containsKey("security.capability");
      assertThat(ping.xattrs().get("security.capability")[4] & 0xff).isEqualTo(0x80);
      assertThat(ping.xattrs().get("security.capability")[5] & 0xff).isEqualTo(0x20);
    }
    assertValid(aci);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void build_eachCompression_detectedAndSameImageId(Compression c) throws Exception {
    tree(tmp.resolve("l"), false, EPOCH);
    Path aci = tmp.resolve("x.aci");
    BuildResult r = AciBuilder.build(tmp.resolve("l"), aci, opts(c));
    assertThat(AciStreamsAccess.detect(aci)).isEqualTo(c);
    assertThat(AciArchive.imageId(aci)).isEqualTo(r.imageId());
    BuildResult gz = AciBuilder.build(tmp.resolve("l"), tmp.resolve("gz.aci"),
        opts(Compression.GZIP));
    assertThat(r.imageId()).isEqualTo(gz.imageId());
    assertValid(aci);
  }

  @Test
  void build_targetExists_throwsWithoutOverwrite() throws Exception {
    TestAcis.minimalLayout(tmp.resolve("l"));
    Path out = tmp.resolve("x.aci");
    Files.writeString(out, "old");
    assertThatThrownBy(() -> AciBuilder.build(tmp.resolve("l"), out, opts(Compression.GZIP)))
        .isInstanceOf(AppcException.class)
        .hasMessage("build: target file exists: " + out + " (use --overwrite)");
    assertThat(Files.readString(out)).isEqualTo("old");
    AciBuilder.build(tmp.resolve("l"), out,
        new BuildOptions(Compression.GZIP, false, true, OptionalLong.of(EPOCH)));
    assertValid(out);
  }

  @Test
  void build_extraTopLevelEntries_throwsNamingThem() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.writeString(l.resolve("README"), "x");
    Files.createDirectory(l.resolve("rootfs-x"));
    assertThatThrownBy(() -> AciBuilder.build(l, tmp.resolve("x.aci"), opts(Compression.GZIP)))
        .hasMessage("build: invalid layout " + l + ": unexpected top-level entry \"README\" (a "
            + "layout holds only manifest and rootfs/); unexpected top-level entry \"rootfs-x\" "
            + "(a layout holds only manifest and rootfs/)");
  }

  @Test
  void build_outputInsideRootfs_throws() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Path out = l.resolve("rootfs/x.aci");
    assertThatThrownBy(() -> AciBuilder.build(l, out, opts(Compression.GZIP)))
        .hasMessage("build: target file " + out + " is inside the rootfs being built ("
            + l.resolve("rootfs") + "); write it elsewhere");
    assertThat(l.resolve("rootfs")).isEmptyDirectory();
  }

  @Test
  void build_failsMidway_leavesNoFileAndNoTemp() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.writeString(l.resolve("rootfs/a"), "x");
    // a name that is not valid in the JVM's file name encoding cannot be opened again by Java
    assumeTrue(run("sh", "-c", "printf x > \"$(printf '" + l.resolve("rootfs") + "/\\377')\""),
        "cannot make a non-UTF-8 file name");
    Path out = tmp.resolve("out/x.aci");
    Files.createDirectory(out.getParent());
    assertThatThrownBy(() -> AciBuilder.build(l, out, opts(Compression.GZIP)))
        .isInstanceOf(AppcException.class)
        .hasMessageStartingWith("build: writing " + out + ": ");
    assertThat(out.getParent()).isEmptyDirectory();
  }

  @Test
  void build_invalidManifest_throws() throws Exception {
    Path l = TestAcis.minimalLayout(tmp.resolve("l"));
    Files.writeString(l.resolve("manifest"), "{\"acKind\":\"PodManifest\"}");
    assertThatThrownBy(() -> AciBuilder.build(l, tmp.resolve("x.aci"), opts(Compression.GZIP)))
        .hasMessageStartingWith("build: invalid layout " + l + ": manifest: ");
    assertThat(tmp.resolve("x.aci")).doesNotExist();
  }

  @Test
  void build_withProgress_toldTheFileBytesUpToTheirSum() throws Exception {
    tree(tmp.resolve("l"), false, EPOCH + 5);
    long sum = 0;
    for (String f : List.of("etc/hostname", "bin/app", "a-b", "a/x", "usr/share/doc/z")) {
      sum += ("content of " + f).length();
    }
    List<long[]> told = new java.util.ArrayList<>();

    AciBuilder.build(tmp.resolve("l"), tmp.resolve("x.aci"), opts(Compression.GZIP), (done, total) -> told.add(new long[] {done, total}));

    assertThat(told).extracting(t -> t[1]).containsOnly(sum);
    assertThat(told).extracting(t -> t[0]).isSorted().startsWith(0L).endsWith(sum);
    assertThat(told).hasSize(1 + 5 + 1); // the start, each file, the end
  }
}
