package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.appctools.aci.BuildOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LayerDiff: the layer between a sealed rootfs and the next, with whiteouts. */
class LayerDiffTest {
  @TempDir Path tmp;
  Path lower;
  Path upper;

  @BeforeEach
  void trees() throws Exception {
    lower = Files.createDirectories(tmp.resolve("lower"));
    Files.createDirectories(lower.resolve("etc/conf.d"));
    Files.writeString(lower.resolve("etc/keep"), "same");
    Files.writeString(lower.resolve("etc/change"), "old");
    Files.writeString(lower.resolve("etc/conf.d/x"), "x");
    Files.writeString(lower.resolve("gone"), "bye");
    for (Path p : List.of(lower.resolve("etc/conf.d"), lower.resolve("etc"), lower)) {
      Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
    }
    upper = tmp.resolve("upper");
    // a clone as the build makes one: directories new, files hard-linked
    Process p = new ProcessBuilder("cp", "-a", "-l", "-T", lower.toString(), upper.toString()).start();
    assertThat(p.waitFor()).isZero();
  }

  private List<String> entries(Path tar) throws Exception {
    List<String> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = t.getNextTarEntry(); e != null; e = t.getNextTarEntry()) {
        out.add(e.getName() + (e.isLink() ? " -> " + e.getLinkName() : ""));
      }
    }
    return out;
  }

  private LayerDiff.Written diff(Path lowerTree, Path tar) throws Exception {
    return LayerDiff.write(lowerTree, Map.of(), upper, Map.of(), tar, OptionalLong.empty());
  }

  @Test
  void write_unchangedClone_writesNothing() throws Exception {
    Path tar = tmp.resolve("l.tar");

    LayerDiff.Written w = diff(lower, tar);

    assertThat(w.changes()).isZero();
    assertThat(entries(tar)).isEmpty();
  }

  @Test
  void write_changesAndDeletions_writesThemWithParentsAndOneWhiteoutPerRemovedTree() throws Exception {
    Files.delete(upper.resolve("etc/change"));
    Files.writeString(upper.resolve("etc/change"), "new");
    Files.writeString(upper.resolve("added"), "hi");
    Files.delete(upper.resolve("gone"));
    Files.delete(upper.resolve("etc/conf.d/x"));
    Files.delete(upper.resolve("etc/conf.d"));
    Files.setLastModifiedTime(upper.resolve("etc"), FileTime.fromMillis(1_000_000_000_000L));
    Path tar = tmp.resolve("l.tar");

    LayerDiff.Written w = diff(lower, tar);

    assertThat(entries(tar)).containsExactly(".wh.gone", "added", "etc/", "etc/.wh.conf.d", "etc/change");
    assertThat(w.changes()).isEqualTo(4);
  }

  @Test
  void write_noLower_writesTheWholeTree_andHardLinksAsLinks() throws Exception {
    Files.createLink(upper.resolve("etc/keep2"), upper.resolve("etc/keep"));
    Path tar = tmp.resolve("l.tar");

    diff(null, tar);

    assertThat(entries(tar)).containsExactly("etc/", "etc/change", "etc/conf.d/", "etc/conf.d/x", "etc/keep",
        "etc/keep2 -> etc/keep", "gone");
  }

  @Test
  void write_sameContentNewInode_isUnchanged_butAnOwnerRecordIsAChange() throws Exception {
    Path keep = upper.resolve("etc/keep");
    FileTime t = Files.getLastModifiedTime(keep);
    Files.delete(keep);
    Files.writeString(keep, "same");
    Files.setLastModifiedTime(keep, t);
    Files.setLastModifiedTime(upper.resolve("etc"), FileTime.fromMillis(1_000_000_000_000L));
    Path tar = tmp.resolve("l.tar");

    assertThat(diff(lower, tar).changes()).isZero();
    LayerDiff.Written owned = LayerDiff.write(lower, Map.of(), upper, Map.of("etc/keep", new BuildOptions.Owner(5, 6)),
        tar, OptionalLong.empty());

    assertThat(owned.changes()).isEqualTo(1);
    assertThat(entries(tar)).containsExactly("etc/", "etc/keep");
  }

  @Test
  void write_sameTreesTwice_sameDiffId_andClampedMtimes() throws Exception {
    Files.writeString(upper.resolve("added"), "hi");
    Path one = tmp.resolve("one.tar");
    Path two = tmp.resolve("two.tar");

    LayerDiff.Written a = LayerDiff.write(lower, Map.of(), upper, Map.of(), one, OptionalLong.of(86400));
    LayerDiff.Written b = LayerDiff.write(lower, Map.of(), upper, Map.of(), two, OptionalLong.of(86400));

    assertThat(a.diffId()).isEqualTo(b.diffId()).startsWith("sha256:");
    try (TarArchiveInputStream t = new TarArchiveInputStream(Files.newInputStream(one))) {
      assertThat(t.getNextTarEntry().getModTime().getTime()).isEqualTo(86_400_000L);
    }
  }

  @Test
  void majorMinor_linuxEncoding() {
    assertThat(LayerDiff.major(0x0103)).isEqualTo(1);
    assertThat(LayerDiff.minor(0x0103)).isEqualTo(3);
    assertThat(LayerDiff.major((259L << 8) | 0x12)).isEqualTo(259);
  }
}
