package org.appctools.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionTest {
  private static byte[] sample() {
    byte[] data = new byte[300_000];
    new Random(42).nextBytes(data);
    Arrays.fill(data, 1000, 200_000, (byte) 'a');
    // a plain tar header signature so NONE is detected
    System.arraycopy("ustar".getBytes(), 0, data, 257, 5);
    return data;
  }

  private static byte[] compress(Compression c, byte[] data) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(buf)) {
      out.write(data);
    }
    return buf.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compress_roundTrip_returnsInputAndIsDetected(Compression c) throws IOException {
    byte[] data = sample();
    byte[] packed = compress(c, data);
    assertThat(Compression.detect(Arrays.copyOf(packed, Compression.DETECT_BYTES))).isEqualTo(c);
    try (InputStream in = c.decompress(new java.io.ByteArrayInputStream(packed))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compress_twice_identicalBytes(Compression c) throws IOException {
    byte[] data = sample();
    assertThat(compress(c, data)).isEqualTo(compress(c, data));
  }

  @ParameterizedTest
  @EnumSource(value = Compression.class, names = "GZIP")
  void compress_gzip_hasNoMtimeAndNoName(Compression c) throws IOException {
    byte[] packed = compress(c, new byte[] {1, 2, 3});
    assertThat(packed[3]).as("FLG: no FNAME").isEqualTo((byte) 0);
    assertThat(Arrays.copyOfRange(packed, 4, 8)).as("MTIME").containsOnly(0);
  }

  @ParameterizedTest
  @CsvSource({
    "1f8b0800, GZIP",
    "425a6839, BZIP2",
    "fd377a585a0000, XZ",
    "28b52ffd00, ZSTD",
  })
  void detect_magic_returnsCompression(String hex, Compression expected) {
    assertThat(Compression.detect(java.util.HexFormat.of().parseHex(hex))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "00", "7b2261634b696e64", "1f", "425a"})
  void detect_unknownBytes_returnsNull(String hex) {
    assertThat(Compression.detect(java.util.HexFormat.of().parseHex(hex))).isNull();
  }

  @ParameterizedTest
  @CsvSource({"gzip, GZIP", "BZIP2, BZIP2", "xz, XZ", "zstd, ZSTD", "none, NONE"})
  void fromName_known_returnsCompression(String name, Compression expected) {
    assertThat(Compression.fromName(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gz", "lzma", ""})
  void fromName_unknown_throwsNamingTheChoices(String name) {
    assertThatThrownBy(() -> Compression.fromName(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown compression \"" + name + "\" (use gzip, bzip2, xz, zstd or none)");
  }

  @ParameterizedTest
  @CsvSource({"GZIP, true", "BZIP2, true", "XZ, true", "ZSTD, false", "NONE, true"})
  void inSpec_eachCompression_matchesSpec(Compression c, boolean expected) {
    assertThat(c.inSpec()).isEqualTo(expected);
  }
}
