package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.aci.AciValidator;
import org.appctools.aci.ReadLimits;
import org.appctools.aci.TestAcis;
import org.appctools.compress.Compression;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The squash, through {@link Docker2Aci} on OCI layouts made of hand-made layers. */
class LayerSquasherTest {
  @TempDir Path tmp;

  private Map<String, TestImages.Entry> convert(Path... layers) throws Exception {
    Path layout = TestImages.layout(tmp.resolve("img"), TestImages.CONFIG, layers);
    ConvertResult r = Docker2Aci.convert(layout.toString(), TestImages.options(tmp.resolve("out")));
    assertThat(AciValidator.validateImage(r.acis().get(0)).errors()).isEmpty();
    return TestImages.entries(r.acis().get(0));
  }

  private AppcException failure(Path... layers) throws Exception {
    Path layout = TestImages.layout(tmp.resolve("img"), TestImages.CONFIG, layers);
    Path out = tmp.resolve("out");
    AppcException e = org.junit.jupiter.api.Assertions.assertThrows(AppcException.class,
        () -> Docker2Aci.convert(layout.toString(), TestImages.options(out)));
    try (var files = Files.list(out)) {
      assertThat(files.toList()).as("nothing left in the output directory").isEmpty();
    }
    return e;
  }

  private Path layer(String name, TestAcis.Entries entries) throws IOException {
    return TestImages.layer(tmp, name, entries);
  }

  @Test
  void convert_whiteoutInUpperLayer_hidesPathAndSubtree() throws Exception {
    Path l1 = layer("l1", t -> t.dir("etc").file("etc/a", "a").dir("opt").dir("opt/d").file("opt/d/x", "x"));
    Path l2 = layer("l2", t -> t.dir("etc").file("etc/.wh.a", "").dir("opt").file("opt/.wh.d", ""));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e).containsKeys("rootfs/etc", "rootfs/opt")
        .doesNotContainKeys("rootfs/etc/a", "rootfs/opt/d", "rootfs/opt/d/x", "rootfs/etc/.wh.a", "rootfs/opt/.wh.d");
  }

  @Test
  void convert_opaqueWhiteout_hidesLowerChildrenKeepsItsOwn() throws Exception {
    Path l1 = layer("l1", t -> t.dir("c").file("c/old", "old").dir("c/sub").file("c/sub/deep", "d"));
    Path l2 = layer("l2", t -> t.dir("c").file("c/new", "new").file("c/.wh..wh..opq", ""));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e).containsKeys("rootfs/c", "rootfs/c/new")
        .doesNotContainKeys("rootfs/c/old", "rootfs/c/sub", "rootfs/c/sub/deep", "rootfs/c/.wh..wh..opq");
  }

  @Test
  void convert_whiteoutOfItsOwnLayersFile_keepsTheFile() throws Exception {
    Path l1 = layer("l1", t -> t.file("a", "lower"));
    Path l2 = layer("l2", t -> t.file(".wh.a", "").file("a", "upper"));
    assertThat(convert(l1, l2).get("rootfs/a").content()).isEqualTo("upper");
  }

  @Test
  void convert_upperLayer_winsForFilesAndDirectoryMetadata() throws Exception {
    Path l1 = layer("l1", t -> t.dir("d", 0755).file("d/f", "lower"));
    Path l2 = layer("l2", t -> t.dir("d", 0700).file("d/f", "upper"));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e.get("rootfs/d").item().mode()).isEqualTo(0700);
    assertThat(e.get("rootfs/d/f").content()).isEqualTo("upper");
  }

  @Test
  void convert_upperFileReplacesDirectory_hidesLowerChildren() throws Exception {
    Path l1 = layer("l1", t -> t.dir("x").file("x/child", "c"));
    Path l2 = layer("l2", t -> t.file("x", "now a file"));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e.get("rootfs/x").item().type()).isEqualTo(TarEntryType.FILE);
    assertThat(e).doesNotContainKey("rootfs/x/child");
  }

  @Test
  void convert_upperEntryWithoutParent_takesParentFromLowerLayer() throws Exception {
    Path l1 = layer("l1", t -> t.dir("root", 0700).dir("tmp", 01777));
    Path l2 = layer("l2", t -> t.file("root/.profile", "p").file("tmp/note", "n"));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e.get("rootfs/root").item().mode()).isEqualTo(0700);
    assertThat(e.get("rootfs/tmp").item().mode()).isEqualTo(01777);
    assertThat(e.get("rootfs/root/.profile").content()).isEqualTo("p");
    assertThat(e.keySet()).containsSubsequence("rootfs/root", "rootfs/root/.profile");
  }

  @Test
  void convert_parentInNoLayer_isMade0755Root() throws Exception {
    Path l1 = layer("l1", t -> t.file("a/b/c/file", "deep"));
    Map<String, TestImages.Entry> e = convert(l1);
    assertThat(e.get("rootfs/a/b").item().mode()).isEqualTo(0755);
    assertThat(e.get("rootfs/a/b").item().uid()).isZero();
    assertThat(e.get("rootfs/a/b/c/file").content()).isEqualTo("deep");
  }

  @Test
  void convert_hardLinkWhoseTargetAnUpperLayerRemoves_becomesTheFile() throws Exception {
    Path l1 = layer("l1", t -> t.dir("h").file("h/target", "shared content").hardlink("h/link", "h/target")
        .hardlink("h/link2", "h/target"));
    Path l2 = layer("l2", t -> t.dir("h").file("h/.wh.target", ""));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e).doesNotContainKey("rootfs/h/target");
    assertThat(e.get("rootfs/h/link").item().type()).isEqualTo(TarEntryType.FILE);
    assertThat(e.get("rootfs/h/link").content()).isEqualTo("shared content");
    assertThat(e.get("rootfs/h/link2").item().type()).isEqualTo(TarEntryType.HARDLINK);
    assertThat(e.get("rootfs/h/link2").item().linkName()).isEqualTo("rootfs/h/link");
  }

  @Test
  void convert_hardLinkWhoseTargetAnUpperLayerReplaces_keepsItsOwnContent() throws Exception {
    Path l1 = layer("l1", t -> t.file("target", "old").hardlink("link", "target"));
    Path l2 = layer("l2", t -> t.file("target", "new"));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e.get("rootfs/target").content()).isEqualTo("new");
    assertThat(e.get("rootfs/link").item().type()).isEqualTo(TarEntryType.FILE);
    assertThat(e.get("rootfs/link").content()).isEqualTo("old");
  }

  @Test
  void convert_hardLinkToAFileOfALowerLayer_staysAHardLink() throws Exception {
    Path l1 = layer("l1", t -> t.file("target", "base"));
    Path l2 = layer("l2", t -> t.hardlink("link", "target"));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e.get("rootfs/link").item().type()).isEqualTo(TarEntryType.HARDLINK);
    assertThat(e.get("rootfs/link").item().linkName()).isEqualTo("rootfs/target");
    assertThat(e.keySet()).containsSubsequence("rootfs/target", "rootfs/link");
  }

  @Test
  void convert_hardLinkToALowerFileAMiddleLayerRemoves_becomesTheFile() throws Exception {
    Path l1 = layer("l1", t -> t.file("target", "base"));
    Path l2 = layer("l2", t -> t.file(".wh.target", ""));
    Path l3 = layer("l3", t -> t.hardlink("link", "target"));
    Map<String, TestImages.Entry> e = convert(l1, l2, l3);
    assertThat(e).doesNotContainKey("rootfs/target");
    assertThat(e.get("rootfs/link").content()).isEqualTo("base");
  }

  @Test
  void convert_hardLinkToNothing_fails() throws Exception {
    Path l1 = layer("l1", t -> t.hardlink("link", "nowhere"));
    assertThat(failure(l1)).hasMessage("hard link \"link\" points to \"nowhere\", which no layer below it holds");
  }

  @Test
  void convert_lowerSymlinkUnderUpperEntries_refused() throws Exception {
    Path l1 = layer("l1", t -> t.symlink("etc", "/tmp"));
    Path l2 = layer("l2", t -> t.file("etc/passwd", "x"));
    assertThat(failure(l1, l2)).hasMessageStartingWith("layer 1 of 2 (sha256:")
        .hasMessageEndingWith(": \"etc/passwd\" of an upper layer lies under \"etc\", which a lower layer "
            + "makes a symlink and no layer makes a directory; refusing to write through it");
  }

  @Test
  void convert_entryUnderSymlinkOfItsOwnLayer_refused() throws Exception {
    Path l1 = layer("l1", t -> t.symlink("etc", "/tmp").file("etc/passwd", "x"));
    assertThat(failure(l1)).hasMessageEndingWith(": entry \"etc/passwd\": refusing to write through a symlink \"etc\"");
  }

  @Test
  void convert_symlinkInUpperLayer_hidesLowerDirectory() throws Exception {
    Path l1 = layer("l1", t -> t.dir("etc").file("etc/passwd", "x"));
    Path l2 = layer("l2", t -> t.symlink("etc", "/somewhere"));
    Map<String, TestImages.Entry> e = convert(l1, l2);
    assertThat(e.get("rootfs/etc").item().type()).isEqualTo(TarEntryType.SYMLINK);
    assertThat(e).doesNotContainKey("rootfs/etc/passwd");
  }

  @Test
  void convert_duplicateEntryInALayer_refused() throws Exception {
    Path l1 = layer("l1", t -> t.file("a", "1").file("a", "2"));
    assertThat(failure(l1)).hasMessageEndingWith(": entry \"a\": duplicate entry (a layer may hold each path once)");
  }

  @Test
  void convert_devNotADirectory_refused() throws Exception {
    Path l1 = layer("l1", t -> t.symlink("dev", "/"));
    assertThat(failure(l1)).hasMessageEndingWith(": invalid layer: \"/dev\" is not a directory "
        + "(refused, as the Go docker2aci does since CVE-2016-7569)");
  }

  @Test
  void convert_absoluteOrEscapingName_refused() throws Exception {
    assertThat(failure(layer("abs", t -> t.file("/etc/passwd", "x"))))
        .hasMessageEndingWith("tar: entry \"/etc/passwd\": absolute path is not allowed");
    Files.walk(tmp.resolve("img")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    assertThat(failure(layer("dotdot", t -> t.file("a/../../x", "x"))))
        .hasMessageEndingWith("tar: entry \"a/../../x\": path escapes the rootfs");
  }

  @Test
  void convert_noStdioLinks_addsThemAsGoDoes() throws Exception {
    Map<String, TestImages.Entry> e = convert(layer("l1", t -> t.file("f", "x")));
    assertThat(e.get("rootfs/dev").item().type()).isEqualTo(TarEntryType.DIRECTORY);
    assertThat(e.get("rootfs/dev/stdin").item().linkName()).isEqualTo("/proc/self/fd/0");
    assertThat(e.get("rootfs/dev/stdout").item().linkName()).isEqualTo("/dev/console");
    assertThat(e.get("rootfs/dev/stderr").item().linkName()).isEqualTo("/dev/console");
    assertThat(e.get("rootfs/dev/fd").item().linkName()).isEqualTo("/proc/self/fd");
  }

  @Test
  void convert_imageWithItsOwnStdin_keepsIt() throws Exception {
    Map<String, TestImages.Entry> e = convert(layer("l1", t -> t.dir("dev").symlink("dev/stdin", "/x")));
    assertThat(e.get("rootfs/dev/stdin").item().linkName()).isEqualTo("/x");
  }

  @Test
  void convert_devicesFifosXattrsOwners_kept() throws Exception {
    Path l1 = layer("l1", t -> t.dir("dev").charDevice("dev/null", 1, 3).fifo("pipe")
        .file("x", "x".getBytes(), 04755, 1000, 1001, Map.of("SCHILY.xattr.user.note", "hi")));
    Map<String, TestImages.Entry> e = convert(l1);
    assertThat(e.get("rootfs/dev/null").item().type()).isEqualTo(TarEntryType.CHAR_DEVICE);
    assertThat(e.get("rootfs/dev/null").item().devMinor()).isEqualTo(3);
    assertThat(e.get("rootfs/pipe").item().type()).isEqualTo(TarEntryType.FIFO);
    assertThat(e.get("rootfs/x").item().mode()).isEqualTo(04755);
    assertThat(e.get("rootfs/x").item().uid()).isEqualTo(1000);
    assertThat(e.get("rootfs/x").item().gid()).isEqualTo(1001);
    assertThat(new String(e.get("rootfs/x").item().xattrs().get("user.note"))).isEqualTo("hi");
  }

  @Test
  void convert_uncompressedZstdAndEmptyLayers_read() throws Exception {
    Path plain = TestAcis.archive(tmp.resolve("plain"), Compression.NONE, t -> t.file("p", "plain"));
    Path zstd = TestAcis.archive(tmp.resolve("zstd"), Compression.ZSTD, t -> t.file("z", "zstd"));
    Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
    Map<String, TestImages.Entry> e = convert(plain, zstd, empty);
    assertThat(e.get("rootfs/p").content()).isEqualTo("plain");
    assertThat(e.get("rootfs/z").content()).isEqualTo("zstd");
  }

  @Test
  void convert_layerNotMatchingItsDigest_failsAndWritesNothing() throws Exception {
    Path l1 = layer("l1", t -> t.file("a", "a"));
    Path layout = TestImages.layout(tmp.resolve("img"), TestImages.CONFIG, l1);
    String digest = Digests.sha256(Files.readAllBytes(l1));
    Path blob = layout.resolve("blobs/sha256/" + digest.substring(7));
    Files.copy(TestAcis.archive(tmp.resolve("other"), Compression.GZIP, t -> t.file("a", "b")), blob,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path out = tmp.resolve("out");
    assertThatThrownBy(() -> Docker2Aci.convert(layout.toString(), TestImages.options(out)))
        .isInstanceOf(AppcException.class)
        .hasMessageStartingWith("layer 1 of 1 (" + digest + ") does not match its digest: expected "
            + digest + ", got sha256:")
        .hasMessageEndingWith(" (corrupt or tampered; fetch it again)");
    try (var files = Files.list(out)) {
      assertThat(files.toList()).isEmpty();
    }
  }

  @Test
  void convert_layerLongerThanItsDescriptorSays_fails() throws Exception {
    Path l1 = layer("l1", t -> t.file("a", "a"));
    Path layout = TestImages.layout(tmp.resolve("img"), TestImages.CONFIG, l1);
    long size = Files.size(l1);
    String index = Files.readString(layout.resolve("index.json"));
    int at = index.indexOf("sha256:");
    String oldDigest = index.substring(at, at + 71);
    String manifest = Files.readString(layout.resolve("blobs/sha256/" + oldDigest.substring(7)))
        .replace("\"size\":" + size + "}]", "\"size\":" + (size - 1) + "}]");
    byte[] m = manifest.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String newDigest = TestImages.put(layout, m);
    Files.writeString(layout.resolve("index.json"), index.replace(oldDigest, newDigest)
        .replaceFirst("\"size\":\\d+", "\"size\":" + m.length));
    assertThatThrownBy(() -> Docker2Aci.convert(layout.toString(), TestImages.options(tmp.resolve("out"))))
        .hasMessageEndingWith(" has " + size + " bytes where its descriptor says " + (size - 1)
            + " (corrupt or tampered; fetch it again)");
  }

  @Test
  void convert_decompressionBomb_stopsAtTheRatio() throws Exception {
    byte[] zeros = new byte[4 << 20];
    Path bomb = layer("bomb", t -> t.file("zeros", zeros));
    Path layout = TestImages.layout(tmp.resolve("img"), TestImages.CONFIG, bomb);
    ConvertOptions o = TestImages.options(tmp.resolve("out"));
    ConvertOptions strict = new ConvertOptions(o.outputDir(), null, true, o.compression(), null,
        o.platform(), o.registry(), ReadLimits.defaults().withExpansionGuard(10, 1 << 20), null);
    assertThatThrownBy(() -> Docker2Aci.convert(layout.toString(), strict))
        .hasMessageContaining("expands more than 10x")
        .hasMessageContaining("limit max-expansion-ratio guards against decompression bombs");
  }
}
