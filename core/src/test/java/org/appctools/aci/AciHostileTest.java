package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile archives: each is listed by the validator and refused by the extractor with the same
 * words, and the extractor leaves nothing behind.
 */
class AciHostileTest {
  private static final ReadLimits SMALL =
      ReadLimits.defaults().withMaxUncompressedBytes(1 << 20);

  @TempDir Path tmp;

  interface Maker {
    Path make(Path file) throws IOException;
  }

  private static Arguments entryCase(String label, TestAcis.Entries hostile, String problem) {
    return Arguments.of(label, (Maker) f -> TestAcis.hostileTar(f, Compression.GZIP, hostile),
        ReadLimits.defaults(), problem, "extract: " + problem);
  }

  static Stream<Arguments> cases() {
    byte[] random = new byte[200_000];
    new Random(7).nextBytes(random);
    return Stream.of(
        entryCase("path traversal", t -> t.file("rootfs/../../x", "pwned"),
            "entry \"rootfs/../../x\": path escapes the rootfs"),
        entryCase("absolute name", t -> t.file("/etc/x", "pwned"),
            "entry \"/etc/x\": absolute path is not allowed"),
        entryCase("outside rootfs", t -> t.file("foo", "x"),
            "entry \"foo\": outside manifest and rootfs/ (an ACI holds only those)"),
        entryCase("prefix trap rootfs-x/", t -> t.file("rootfs-x/a", "x"),
            "entry \"rootfs-x/a\": outside manifest and rootfs/ (an ACI holds only those)"),
        entryCase("prefix trap rootfsX", t -> t.file("rootfsX", "x"),
            "entry \"rootfsX\": outside manifest and rootfs/ (an ACI holds only those)"),
        entryCase("write through symlink",
            t -> t.symlink("rootfs/link", "/etc").file("rootfs/link/passwd", "pwned"),
            "entry \"rootfs/link/passwd\": refusing to write through symlink \"rootfs/link\""),
        entryCase("hard link escaping", t -> t.hardlink("rootfs/h", "../../etc/passwd"),
            "entry \"rootfs/h\": hard link target \"../../etc/passwd\" is outside the rootfs"),
        entryCase("hard link to a later entry",
            t -> t.hardlink("rootfs/h", "rootfs/later").file("rootfs/later", "x"),
            "entry \"rootfs/h\": hard link target \"rootfs/later\" is not an earlier "
                + "non-directory entry"),
        entryCase("duplicate entry", t -> t.file("rootfs/a", "1").file("./rootfs/a", "2"),
            "entry \"./rootfs/a\": duplicate entry"),
        Arguments.of("truncated gzip", (Maker) f -> {
          TestAcis.minimalAci(f, t -> t.file("rootfs/big", random));
          byte[] all = Files.readAllBytes(f);
          return Files.write(f, Arrays.copyOf(all, all.length / 2));
        }, ReadLimits.defaults(),
            "truncated archive: unexpected end of data (Unexpected end of ZLIB input stream)",
            "extract: %s: truncated archive: unexpected end of data (Unexpected end of ZLIB "
                + "input stream)"),
        Arguments.of("corrupt xz", (Maker) f -> {
          TestAcis.archive(f, Compression.XZ, t -> t.file("manifest", TestAcis.manifestJson())
              .dir("rootfs").file("rootfs/big", random));
          byte[] all = Files.readAllBytes(f);
          for (int i = all.length / 2; i < all.length / 2 + 64; i++) {
            all[i] ^= 0x5a;
          }
          return Files.write(f, all);
        }, ReadLimits.defaults(), "corrupt archive: Integrity check (CRC64) does not match",
            "extract: %s: corrupt archive: Integrity check (CRC64) does not match"),
        Arguments.of("bomb over the size limit", (Maker) f -> TestAcis.minimalAci(f,
            t -> t.file("rootfs/zeros", new byte[4 << 20])), SMALL,
            "uncompressed size exceeds the limit of 1048576 bytes "
                + "(limit max-uncompressed-size; raise it to read a larger image)",
            "extract: %s: uncompressed size exceeds the limit of 1048576 bytes "
                + "(limit max-uncompressed-size; raise it to read a larger image)"),
        Arguments.of("too many entries", (Maker) f -> TestAcis.minimalAci(f,
            t -> t.file("rootfs/a", "1").file("rootfs/b", "2")),
            ReadLimits.defaults().withMaxEntries(3),
            "more than 3 entries (limit max-entries; raise it to read a larger image)",
            "extract: %s: more than 3 entries (limit max-entries; raise it to read a larger "
                + "image)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void validateImage_hostile_listsError(String label, Maker maker, ReadLimits limits,
      String validation, String extraction) throws Exception {
    Path aci = maker.make(tmp.resolve("hostile.aci"));
    AciValidator.Report report = AciValidator.validateImage(aci, limits);
    assertThat(report.errors()).contains(validation);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void extract_hostile_throwsAndLeavesNothing(String label, Maker maker, ReadLimits limits,
      String validation, String extraction) throws Exception {
    Path aci = maker.make(tmp.resolve("hostile.aci"));
    Path target = tmp.resolve("a/b/target");
    Files.createDirectories(target.getParent());
    List<Path> before = listing();
    assertThatThrownBy(() -> AciExtractor.extract(aci, target,
        ExtractOptions.defaults().withLimits(limits)))
        .isInstanceOf(AppcException.class)
        .hasMessage(extraction.replace("%s", aci.toString()));
    assertThat(target).doesNotExist();
    assertThat(listing()).isEqualTo(before);
  }

  @Test
  void extract_hostileIntoExistingEmptyDir_emptiesItAgain() throws Exception {
    Path aci = TestAcis.hostileTar(tmp.resolve("h.aci"), Compression.GZIP,
        t -> t.file("rootfs/ok", "fine").file("rootfs/../../x", "pwned"));
    Path target = Files.createDirectory(tmp.resolve("target"));
    assertThatThrownBy(() -> AciExtractor.extract(aci, target))
        .hasMessage("extract: entry \"rootfs/../../x\": path escapes the rootfs");
    assertThat(target).isEmptyDirectory();
  }

  @Test
  void extract_expansionBomb_throwsNamingTheRatioGuard() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("bomb.aci"),
        t -> t.file("rootfs/zeros", new byte[8 << 20]));
    ReadLimits limits = ReadLimits.defaults().withExpansionGuard(100, 1 << 20);
    assertThatThrownBy(() -> AciExtractor.extract(aci, tmp.resolve("t"),
        ExtractOptions.defaults().withLimits(limits)))
        .hasMessageStartingWith("extract: " + aci + ": decompressed data expands more than 100x")
        .hasMessageContaining("limit max-expansion-ratio guards against decompression bombs");
    assertThat(AciValidator.validateImage(aci, limits).errors())
        .anySatisfy(e -> assertThat(e).startsWith("decompressed data expands more than 100x"));
    assertThat(tmp.resolve("t")).doesNotExist();
  }

  @Test
  void extract_deviceWithoutAllowDevices_throws() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("d.aci"), t -> t.charDevice("rootfs/mem", 1, 1));
    assertThat(AciValidator.validateImage(aci).errors()).isEmpty();
    assertThatThrownBy(() -> AciExtractor.extract(aci, tmp.resolve("t")))
        .hasMessage("extract: entry \"rootfs/mem\": device nodes are refused (allow them with "
            + "ExtractOptions.allowDevices, which needs root)");
    assertThat(tmp.resolve("t")).doesNotExist();
  }

  @Test
  void validateImage_manyProblems_listsEveryOne() throws Exception {
    Path aci = TestAcis.archive(tmp.resolve("m.aci"), Compression.GZIP, t -> t
        .file("foo", "x").file("/abs", "x").file("rootfs/a", "x").file("rootfs/a", "y"));
    assertThat(AciValidator.validateImage(aci).errors()).containsExactly(
        "entry \"foo\": outside manifest and rootfs/ (an ACI holds only those)",
        "entry \"/abs\": absolute path is not allowed",
        "entry \"rootfs/a\": duplicate entry",
        "missing manifest entry",
        "missing explicit rootfs directory entry (the spec requires a \"rootfs\" entry)");
  }

  private List<Path> listing() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.sorted().collect(Collectors.toList());
    }
  }
}
