package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.appctools.compress.Compression;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredExtractorTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return Integer.toOctalString(((Number) Files.getAttribute(p, "unix:mode",
        LinkOption.NOFOLLOW_LINKS)).intValue() & 07777);
  }

  @Test
  void add_twoLayers_firstWriterWinsAndLowerFillsTheRest() throws Exception {
    Path upper = TestAcis.minimalAci(tmp.resolve("upper.aci"), t -> t
        .file("rootfs/both", "upper").file("rootfs/upper-only", "u"));
    Path lower = TestAcis.archive(tmp.resolve("lower.aci"), Compression.XZ, t -> t
        .file("manifest", TestAcis.manifestJson("example.com/lower")).dir("rootfs")
        .file("rootfs/both", "lower").file("rootfs/lower-only", "l"));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      assertThat(x.add(upper, LayeredExtractor.ALL)).isEqualTo(AciArchive.imageId(upper));
      assertThat(x.add(lower, LayeredExtractor.ALL)).isEqualTo(AciArchive.imageId(lower));
      assertThat(x.finish().entries()).isEqualTo(5);
    }
    assertThat(out.resolve("manifest")).hasBinaryContent(TestAcis.manifestJson());
    assertThat(out.resolve("rootfs/both")).hasContent("upper");
    assertThat(out.resolve("rootfs/upper-only")).hasContent("u");
    assertThat(out.resolve("rootfs/lower-only")).hasContent("l");
  }

  @Test
  void finish_ownersDeferred_listsTheWrittenEntriesNotOwnedByRoot_theUpperLayersWhereTheyOverlap() throws Exception {
    Path upper = TestAcis.minimalAci(tmp.resolve("upper.aci"), t -> t
        .file("rootfs/both", "upper".getBytes(), 04755, 1000, 1000, Map.of())
        .dir("rootfs/home/app", 0750, 1000, 1000)
        .file("rootfs/opt/x", "x")
        .file("rootfs/root-owned", "r".getBytes(), 0644, 0, 0, Map.of()));
    Path lower = TestAcis.minimalAci(tmp.resolve("lower.aci"), t -> t
        .file("rootfs/both", "lower".getBytes(), 0644, 2000, 2000, Map.of())
        .file("rootfs/lower-only", "l".getBytes(), 02640, 3000, 3, Map.of())
        .dir("rootfs/opt", 0700, 5, 0)
        .file("rootfs/skipped", "s".getBytes(), 0644, 1000, 1000, Map.of()));
    Path out = tmp.resolve("out");
    ExtractResult r;
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults().withDeferOwners(true))) {
      x.add(upper, LayeredExtractor.ALL);
      x.add(lower, item -> !item.name().equals("rootfs/skipped"));
      r = x.finish();
    }
    assertThat(r.owners()).containsExactly(
        new EntryOwner("both", TarEntryType.FILE, 1000, 1000, 04755),
        new EntryOwner("home/app", TarEntryType.DIRECTORY, 1000, 1000, 0750),
        new EntryOwner("lower-only", TarEntryType.FILE, 3000, 3, 02640),
        new EntryOwner("opt", TarEntryType.DIRECTORY, 5, 0, 0700));
    assertThat(out.resolve("rootfs/skipped")).doesNotExist();
    assertThat(r.owners().get(0).needsChmod()).isTrue();
    assertThat(r.owners().get(1).needsChmod()).isFalse();
  }

  @Test
  void finish_asRoot_setsTheOwnersAndListsNone() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t
        .file("rootfs/a", "a".getBytes(), 0644, 1000, 1000, Map.of()));
    org.junit.jupiter.api.Assumptions.assumeTrue(AciTestSupport.isRoot(), "owners are set as root");
    try (LayeredExtractor x = LayeredExtractor.create(tmp.resolve("out"), ExtractOptions.defaults())) {
      x.add(aci, LayeredExtractor.ALL);
      assertThat(x.finish().owners()).isEmpty();
    }
    assertThat(Files.getAttribute(tmp.resolve("out/rootfs/a"), "unix:uid")).isEqualTo(1000);
  }

  @Test
  void add_upperSymlinkOverLowerDirectory_lowerEntriesBelowItSkipped() throws Exception {
    Path upper = TestAcis.minimalAci(tmp.resolve("upper.aci"), t -> t.symlink("rootfs/lib", "usr/lib"));
    Path lower = TestAcis.minimalAci(tmp.resolve("lower.aci"), t -> t
        .dir("rootfs/lib").file("rootfs/lib/libc.so", "c").dir("rootfs/usr").dir("rootfs/usr/lib"));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      x.add(upper, LayeredExtractor.ALL);
      x.add(lower, LayeredExtractor.ALL);
      x.finish();
    }
    assertThat(Files.readSymbolicLink(out.resolve("rootfs/lib"))).isEqualTo(Path.of("usr/lib"));
    assertThat(out.resolve("rootfs/usr/lib")).isEmptyDirectory();
  }

  @Test
  void add_lowerExplicitDirectory_givesMetadataToAnImpliedOne() throws Exception {
    Path upper = TestAcis.minimalAci(tmp.resolve("upper.aci"), t -> t.file("rootfs/opt/x", "x"));
    Path lower = TestAcis.minimalAci(tmp.resolve("lower.aci"), t -> t.dir("rootfs/opt", 0700));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      x.add(upper, LayeredExtractor.ALL);
      x.add(lower, LayeredExtractor.ALL);
      x.finish();
    }
    assertThat(mode(out.resolve("rootfs/opt"))).isEqualTo("700");
    assertThat(out.resolve("rootfs/opt/x")).hasContent("x");
  }

  @Test
  void add_hardLinkWhoseTargetAnUpperLayerShadows_getsThisLayersContent() throws Exception {
    Path upper = TestAcis.minimalAci(tmp.resolve("upper.aci"), t -> t.file("rootfs/bin/a", "upper a"));
    Path lower = TestAcis.minimalAci(tmp.resolve("lower.aci"), t -> t
        .dir("rootfs/bin").file("rootfs/bin/a", "lower a").hardlink("rootfs/bin/b", "rootfs/bin/a")
        .hardlink("rootfs/bin/c", "rootfs/bin/b"));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      x.add(upper, LayeredExtractor.ALL);
      x.add(lower, LayeredExtractor.ALL);
      assertThat(x.finish().warnings()).isEmpty();
    }
    assertThat(out.resolve("rootfs/bin/a")).hasContent("upper a");
    assertThat(out.resolve("rootfs/bin/b")).hasContent("lower a");
    assertThat(out.resolve("rootfs/bin/c")).hasContent("lower a");
    assertThat(Files.getAttribute(out.resolve("rootfs/bin/c"), "unix:ino"))
        .isEqualTo(Files.getAttribute(out.resolve("rootfs/bin/b"), "unix:ino"));
  }

  @Test
  void add_hardLinkWhoseTargetTheFilterSkips_getsTheContent() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t
        .file("rootfs/a", "data").hardlink("rootfs/b", "rootfs/a"));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      x.add(aci, item -> !item.name().equals("rootfs/a"));
      x.finish();
    }
    assertThat(out.resolve("rootfs/a")).doesNotExist();
    assertThat(out.resolve("rootfs/b")).hasContent("data");
  }

  @Test
  void add_filterSkipsEntries_theyAreNotWritten() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t.file("rootfs/a", "a").fifo("rootfs/f"));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      x.add(aci, item -> item.type() != TarEntryType.FIFO);
      x.warn("skipped rootfs/f");
      assertThat(x.finish().warnings()).containsExactly("skipped rootfs/f");
    }
    assertThat(out.resolve("rootfs/a")).hasContent("a");
    assertThat(out.resolve("rootfs/f")).doesNotExist();
  }

  @Test
  void add_hostileLowerLayer_failsAndCloseRemovesEverything() throws Exception {
    Path upper = TestAcis.minimalAci(tmp.resolve("upper.aci"), t -> t.file("rootfs/a", "a"));
    Path lower = TestAcis.minimalAci(tmp.resolve("lower.aci"), t -> t.file("rootfs/../../evil", "x"));
    Path out = tmp.resolve("out");
    try (LayeredExtractor x = LayeredExtractor.create(out, ExtractOptions.defaults())) {
      x.add(upper, LayeredExtractor.ALL);
      assertThatThrownBy(() -> x.add(lower, LayeredExtractor.ALL))
          .hasMessage("extract: entry \"rootfs/../../evil\": path escapes the rootfs");
    }
    assertThat(out).doesNotExist();
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void add_sameLayerFileOverImpliedDirectory_conflicts() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t.file("rootfs/d/x", "x").file("rootfs/d", "y"));
    try (LayeredExtractor x = LayeredExtractor.create(tmp.resolve("out"), ExtractOptions.defaults())) {
      assertThatThrownBy(() -> x.add(aci, LayeredExtractor.ALL))
          .hasMessage("extract: entry \"rootfs/d\": conflicts with an earlier entry at the same path");
    }
  }

  @Test
  void inspect_validAci_givesIdManifestAndAnExactCopy() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t.file("rootfs/a", "a"));
    Files.write(aci, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND); // trailing bytes
    java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();

    AciArchive.Inspection i = AciArchive.inspect("import", aci, ReadLimits.defaults(), copy);

    assertThat(i.imageId()).isEqualTo(AciArchive.imageId(aci));
    assertThat(i.manifest()).isEqualTo(TestAcis.manifestJson());
    assertThat(i.compression()).isEqualTo(Compression.GZIP);
    assertThat(copy.toByteArray()).isEqualTo(Files.readAllBytes(aci));
  }

  @Test
  void inspect_entryOutsideTheRootfs_throwsNamingIt() throws Exception {
    Path aci = TestAcis.hostileTar(tmp.resolve("x.aci"), Compression.GZIP, t -> t.file("etc/passwd", "x"));
    assertThatThrownBy(() -> AciArchive.inspect("import", aci, ReadLimits.defaults(), null))
        .hasMessage("import: " + aci + ": entry \"etc/passwd\": outside manifest and rootfs/ (an ACI holds only those)");
  }

  @Test
  void inspect_noRootfsEntry_throws() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("x.aci"), Compression.NONE, t -> t
        .file("manifest", TestAcis.manifestJson()).file("rootfs/a", "a"));
    assertThatThrownBy(() -> AciArchive.inspect("import", aci, ReadLimits.defaults(), null))
        .hasMessage("import: " + aci + ": the ACI has no rootfs directory entry (the spec requires one)");
  }
}
