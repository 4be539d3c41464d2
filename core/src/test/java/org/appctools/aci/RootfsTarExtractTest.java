package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link AciExtractor#extractRootfs}: a plain tarball whose root is the rootfs, under the same
 * rules and with the same words as an ACI.
 */
class RootfsTarExtractTest {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final ReadLimits SMALL =
      ReadLimits.defaults().withMaxUncompressedBytes(1 << 20);

  @TempDir Path tmp;

  interface Maker {
    Path make(Path file, Path outside) throws IOException;
  }

  private static Arguments entryCase(String label, TestAcis.Entries entries, String message) {
    return Arguments.of(label,
        (Maker) (f, outside) -> TestAcis.archive(f, Compression.GZIP, entries),
        ReadLimits.defaults(), message);
  }

  static Stream<Arguments> hostile() {
    byte[] random = new byte[200_000];
    new Random(7).nextBytes(random);
    return Stream.of(
        entryCase("path traversal", t -> t.dir("./").file("./ok", "fine").file("../x", "pwned"),
            "extract: entry \"../x\": path escapes the rootfs"),
        entryCase("traversal inside a name", t -> t.file("./a/../../x", "pwned"),
            "extract: entry \"./a/../../x\": path escapes the rootfs"),
        entryCase("absolute name", t -> t.file("/etc/x", "pwned"),
            "extract: entry \"/etc/x\": absolute path is not allowed"),
        Arguments.of("symlink then write through it",
            (Maker) (f, outside) -> TestAcis.archive(f, Compression.GZIP,
                t -> t.symlink("./link", outside.toString()).file("./link/pwned", "pwned")),
            ReadLimits.defaults(),
            "extract: entry \"./link/pwned\": refusing to write through symlink \"link\""),
        Arguments.of("symlink then a directory below it",
            (Maker) (f, outside) -> TestAcis.archive(f, Compression.GZIP,
                t -> t.symlink("link", outside.toString()).dir("link/sub")),
            ReadLimits.defaults(),
            "extract: entry \"link/sub/\": refusing to write through symlink \"link\""),
        entryCase("hard link leading out", t -> t.file("a", "x").hardlink("h", "../../etc/passwd"),
            "extract: entry \"h\": hard link target \"../../etc/passwd\" is outside the rootfs"),
        entryCase("absolute hard link", t -> t.hardlink("./h", "/etc/passwd"),
            "extract: entry \"./h\": hard link target \"/etc/passwd\" is outside the rootfs"),
        Arguments.of("hard link through a symlink",
            (Maker) (f, outside) -> TestAcis.archive(f, Compression.GZIP,
                t -> t.symlink("link", outside.toString()).hardlink("h", "link/secret")),
            ReadLimits.defaults(),
            "extract: entry \"h\": hard link target \"link/secret\" is not an earlier "
                + "non-directory entry"),
        entryCase("hard link to a directory", t -> t.dir("./d").hardlink("./h", "./d"),
            "extract: entry \"./h\": hard link target \"./d\" is not an earlier non-directory "
                + "entry"),
        entryCase("duplicate entry", t -> t.file("a", "1").file("./a", "2"),
            "extract: entry \"./a\": duplicate entry"),
        entryCase("device node", t -> t.charDevice("./mem", 1, 1),
            "extract: entry \"./mem\": device nodes are refused (allow them with "
                + "ExtractOptions.allowDevices, which needs root)"),
        Arguments.of("bomb over a small limit",
            (Maker) (f, outside) -> TestAcis.archive(f, Compression.GZIP,
                t -> t.file("zeros", new byte[4 << 20])), SMALL,
            "extract: %s: uncompressed size exceeds the limit of 1048576 bytes "
                + "(limit max-uncompressed-size; raise it to read a larger image)"),
        Arguments.of("truncated gzip", (Maker) (f, outside) -> {
          TestAcis.archive(f, Compression.GZIP, t -> t.file("big", random));
          byte[] all = Files.readAllBytes(f);
          return Files.write(f, Arrays.copyOf(all, all.length / 2));
        }, ReadLimits.defaults(),
            "extract: %s: truncated archive: unexpected end of data (Unexpected end of ZLIB "
                + "input stream)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void extractRootfs_hostile_throwsNamingEntryAndLeavesNothing(String label, Maker maker,
      ReadLimits limits, String message) throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path tar = maker.make(tmp.resolve("hostile.tar.gz"), outside);
    Path target = tmp.resolve("a/b/rootfs");
    Files.createDirectories(target.getParent());
    List<Path> before = listing();
    assertThatThrownBy(() -> AciExtractor.extractRootfs(tar, target,
        ExtractOptions.defaults().withLimits(limits)))
        .isInstanceOf(AppcException.class)
        .hasMessage(message.replace("%s", tar.toString()));
    assertThat(target).doesNotExist();
    assertThat(listing()).isEqualTo(before);
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void extractRootfs_expansionBomb_throwsNamingTheRatioGuard() throws Exception {
    Path tar = TestAcis.archive(tmp.resolve("bomb.tar.gz"), Compression.GZIP,
        t -> t.file("zeros", new byte[8 << 20]));
    ReadLimits limits = ReadLimits.defaults().withExpansionGuard(100, 1 << 20);
    assertThatThrownBy(() -> AciExtractor.extractRootfs(tar, tmp.resolve("t"),
        ExtractOptions.defaults().withLimits(limits)))
        .hasMessageStartingWith("extract: " + tar + ": decompressed data expands more than 100x")
        .hasMessageContaining("limit max-expansion-ratio guards against decompression bombs");
    assertThat(tmp.resolve("t")).doesNotExist();
  }

  @Test
  void extractRootfs_hostileIntoExistingEmptyDir_emptiesItAgain() throws Exception {
    Path tar = TestAcis.archive(tmp.resolve("h.tar"), Compression.NONE,
        t -> t.dir("./etc").file("./etc/ok", "fine").file("./etc/../../x", "pwned"));
    Path target = Files.createDirectory(tmp.resolve("target"));
    assertThatThrownBy(() -> AciExtractor.extractRootfs(tar, target))
        .hasMessage("extract: entry \"./etc/../../x\": path escapes the rootfs");
    assertThat(target).isEmptyDirectory();
  }

  @Test
  void extractRootfs_rootEntryNotADirectory_refused() throws Exception {
    Path tar = TestAcis.archive(tmp.resolve("dot.tar"), Compression.NONE,
        t -> t.symlink(".", "/etc"));
    assertThatThrownBy(() -> AciExtractor.extractRootfs(tar, tmp.resolve("t")))
        .hasMessage("extract: entry \".\": the archive root must be a directory");
    assertThat(tmp.resolve("t")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void extractRootfs_goodTarball_everyKindRestored(Compression compression) throws Exception {
    Path tar = TestAcis.archive(tmp.resolve("root.tar"), compression, t -> t
        .dir("./", 0750)
        .dir("./bin")
        .file("./bin/su", "setuid binary".getBytes(StandardCharsets.UTF_8), 04755, 0, 0,
            Map.of())
        .hardlink("./bin/su2", "./bin/su")
        .hardlink("bin/su3", "bin/su2")
        .symlink("./etc", "/etc")
        .symlink("./sh", "bin/su")
        .fifo("./run/fifo")
        .file("./manifest", "not a manifest, just a file")
        .dir("./rootfs")
        .file("./note", "x".getBytes(StandardCharsets.UTF_8), 0640, 0, 0,
            Map.of("SCHILY.xattr.user.note", "hi"))
        .dir("./tmp", 01777));
    Path root = tmp.resolve("out/rootfs");
    Files.createDirectories(root.getParent());
    ExtractResult r = AciExtractor.extractRootfs(tar, root);
    assertThat(r.warnings()).isEmpty();
    assertThat(r.entries()).isEqualTo(11);
    assertThat(mode(root)).isEqualTo(0750);
    assertThat(root.resolve("bin/su")).hasContent("setuid binary");
    assertThat(mode(root.resolve("bin/su"))).isEqualTo(04755);
    assertThat(ino(root.resolve("bin/su2"))).isEqualTo(ino(root.resolve("bin/su")));
    assertThat(ino(root.resolve("bin/su3"))).isEqualTo(ino(root.resolve("bin/su")));
    assertThat(Files.readSymbolicLink(root.resolve("etc"))).isEqualTo(Path.of("/etc"));
    assertThat(Files.readSymbolicLink(root.resolve("sh"))).isEqualTo(Path.of("bin/su"));
    assertThat(((Number) Files.getAttribute(root.resolve("run/fifo"), "unix:mode", NOFOLLOW))
        .intValue() & 0170000).isEqualTo(0010000);
    assertThat(mode(root.resolve("run/fifo"))).isEqualTo(0644);
    assertThat(root.resolve("manifest")).hasContent("not a manifest, just a file");
    assertThat(root.resolve("rootfs")).isEmptyDirectory();
    assertThat(mode(root.resolve("tmp"))).isEqualTo(01777);
    assertThat(mode(root.resolve("note"))).isEqualTo(0640);
    UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(root.resolve("note"),
        UserDefinedFileAttributeView.class);
    ByteBuffer buf = ByteBuffer.allocate(16);
    xattrs.read("note", buf);
    assertThat(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8))
        .isEqualTo("hi");
    assertThat(root.getParent()).isDirectoryContaining(p -> p.equals(root));
    try (Stream<Path> s = Files.list(root.getParent())) {
      assertThat(s.count()).as("nothing beside the rootfs").isEqualTo(1);
    }
  }

  @Test
  void extractRootfs_ownersKeptAsRoot() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(AciTestSupport.isRoot(), "owners need root");
    Path tar = TestAcis.archive(tmp.resolve("o.tar.gz"), Compression.GZIP,
        t -> t.file("./f", "x".getBytes(StandardCharsets.UTF_8), 0644, 1234, 5678, Map.of()));
    Path root = tmp.resolve("r");
    AciExtractor.extractRootfs(tar, root);
    assertThat(Files.getAttribute(root.resolve("f"), "unix:uid")).isEqualTo(1234);
    assertThat(Files.getAttribute(root.resolve("f"), "unix:gid")).isEqualTo(5678);
  }

  @Test
  void extract_aciUnchanged_topLevelFileStillOutside() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("x.aci"), t -> t.file("note", "x"));
    assertThatThrownBy(() -> AciExtractor.extract(aci, tmp.resolve("t")))
        .hasMessage("extract: entry \"note\": outside manifest and rootfs/ (an ACI holds only "
            + "those)");
  }

  private static int mode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:mode", NOFOLLOW)).intValue() & 07777;
  }

  private static Object ino(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino", NOFOLLOW);
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.sorted().collect(Collectors.toList());
    }
  }
}
