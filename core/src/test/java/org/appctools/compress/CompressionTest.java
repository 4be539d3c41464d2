package org.appctools.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
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

  @ParameterizedTest
  @CsvSource({"GZIP, 1", "GZIP, 9", "BZIP2, 1", "XZ, 0", "XZ, 9", "ZSTD, 1", "ZSTD, 19"})
  void compress_atLevel_roundTrips(Compression c, int level) throws IOException {
    byte[] data = sample();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(buf, level)) {
      out.write(data);
    }
    try (InputStream in = c.decompress(new java.io.ByteArrayInputStream(buf.toByteArray()))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @ParameterizedTest
  @CsvSource({"GZIP, 6", "BZIP2, 9", "XZ, 6", "ZSTD, 3"})
  void compress_defaultLevel_sameBytesAsThatLevel(Compression c, int level) throws IOException {
    byte[] data = sample();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(buf, level)) {
      out.write(data);
    }
    assertThat(c.defaultLevel()).isEqualTo(level);
    assertThat(buf.toByteArray()).isEqualTo(compress(c, data));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "GZIP  | 0  | compression level 0 is out of range for gzip (use 1-9)",
    "GZIP  | 10 | compression level 10 is out of range for gzip (use 1-9)",
    "BZIP2 | 0  | compression level 0 is out of range for bzip2 (use 1-9)",
    "XZ    | -1 | compression level -1 is out of range for xz (use 0-9)",
    "XZ    | 10 | compression level 10 is out of range for xz (use 0-9)",
    "ZSTD  | 0  | compression level 0 is out of range for zstd (use 1-19)",
    "ZSTD  | 20 | compression level 20 is out of range for zstd (use 1-19)",
    "NONE  | 1  | compression none takes no level (drop the level or choose gzip, bzip2, xz or zstd)",
  })
  void checkLevel_outOfRange_throwsNamingTheRange(Compression c, int level, String message) {
    assertThatThrownBy(() -> c.checkLevel(level)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  /** 3.5 MiB, half random and half repetitive: several blocks of either gzip writer. */
  private static byte[] large() {
    byte[] big = new byte[(7 << 20) / 2];
    new Random(7).nextBytes(big);
    for (int i = big.length / 2; i < big.length; i++) {
      big[i] = (byte) ("appc ".charAt(i % 5));
    }
    return big;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Runs {@code body} with the system property appctools.gzip set to {@code value}. */
  private static <T> T withGzipProperty(String value, java.util.concurrent.Callable<T> body) throws Exception {
    String before = System.getProperty(Compression.GZIP_PROPERTY);
    System.setProperty(Compression.GZIP_PROPERTY, value);
    try {
      return body.call();
    } finally {
      if (before == null) {
        System.clearProperty(Compression.GZIP_PROPERTY);
      } else {
        System.setProperty(Compression.GZIP_PROPERTY, before);
      }
    }
  }

  @Test
  void compress_gzipZlibForced_sameBytesAsBeforeLibdeflate() throws Exception {
    // digests of Compression.GZIP.compress's output at commit 7637c79, before libdeflate
    assertThat(withGzipProperty("zlib", () -> sha256(compress(Compression.GZIP, sample()))))
        .isEqualTo("a3124f5f17aee4f0e85bafc7ab0920fa47b0a935f2881a4f398ce92060961813");
    assertThat(withGzipProperty("ZLIB", () -> sha256(compress(Compression.GZIP, large()))))
        .isEqualTo("4ad30495e4d9661d16579e97242882ae47b7f2ee115ab4fe54fe89071cf53491");
  }

  @Test
  void compress_gzipZlibForced_isTheParallelZlibStream() throws Exception {
    byte[] data = large();
    ByteArrayOutputStream zlib = new ByteArrayOutputStream();
    try (OutputStream out = new ParallelGzipOutputStream(zlib, 6, 1)) {
      out.write(data);
    }
    assertThat(withGzipProperty("zlib", () -> compress(Compression.GZIP, data))).isEqualTo(zlib.toByteArray());
  }

  @Test
  void compress_gzipWithLibdeflate_isTheLibdeflateStreamAndOneMemberPerMiB() throws Exception {
    GzipTestData.requireLibDeflate();
    byte[] data = large();
    ByteArrayOutputStream members = new ByteArrayOutputStream();
    try (OutputStream out = new LibDeflateGzipOutputStream(members, 9, 1)) {
      out.write(data);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = withGzipProperty("libdeflate", () -> Compression.GZIP.compress(buf, 9))) {
      out.write(data);
    }
    assertThat(buf.toByteArray()).isEqualTo(members.toByteArray());
    assertThat(LibDeflateGzipOutputStreamTest.memberSizes(buf.toByteArray())).hasSize(4);
  }

  /** Hands out one byte per read and says nothing is available until the end, as a slow pipe. */
  private static final class OneByteAtATime extends InputStream {
    private final byte[] data;
    private int pos;

    OneByteAtATime(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int c = read();
      if (c < 0) {
        return -1;
      }
      b[off] = (byte) c;
      return 1;
    }

    @Override
    public int available() {
      return 0;
    }
  }

  private static byte[] jdkGzip(byte[] data) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(buf)) {
      out.write(data);
    }
    return buf.toByteArray();
  }

  @Test
  void decompress_multiMemberGzipFromASlowStream_readsEveryMember() throws IOException {
    byte[] a = sample();
    byte[] b = "second member".getBytes();
    byte[] c = new byte[70_000];
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(jdkGzip(a));
    file.write(jdkGzip(b));
    file.write(jdkGzip(c));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(a);
    expected.write(b);
    expected.write(c);

    try (InputStream in = Compression.GZIP.decompress(new OneByteAtATime(file.toByteArray()))) {
      assertSameBytes(in.readAllBytes(), expected.toByteArray());
    }
  }

  @Test
  void decompress_libdeflateMembersFromASlowStream_readsEveryMember() throws Exception {
    GzipTestData.requireLibDeflate();
    byte[] data = large();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = new LibDeflateGzipOutputStream(buf, 1, 2, 256 * 1024)) {
      out.write(data);
    }
    try (InputStream in = Compression.GZIP.decompress(new OneByteAtATime(buf.toByteArray()))) {
      assertSameBytes(in.readAllBytes(), data);
    }
  }

  /** Sizes first, so that a stream that ended at a member boundary shows as a short read. */
  private static void assertSameBytes(byte[] actual, byte[] expected) {
    assertThat(actual.length).as("bytes read").isEqualTo(expected.length);
    assertThat(Arrays.equals(actual, expected)).as("same bytes").isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 8})
  void zstd_anyWorkerCount_sameBytesAsOneWorker(int workers) throws IOException {
    // many jobs: libzstd makes a job of four windows (2 MiB at level 1); the input is 16 MiB
    byte[] data = new byte[16 << 20];
    byte[] noise = new byte[4096];
    Random random = new Random(9);
    for (int off = 0; off < data.length; off += 4096) {
      if (random.nextInt(3) == 0) {
        random.nextBytes(noise);
        System.arraycopy(noise, 0, data, off, noise.length);
      } else {
        Arrays.fill(data, off, off + 4096, (byte) random.nextInt(4));
        data[off] = (byte) random.nextInt();
      }
    }
    assertThat(zstd(data, workers)).isEqualTo(zstd(data, 1));
  }

  private static byte[] zstd(byte[] data, int workers) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = Compression.zstd(buf, 1, workers)) {
      for (int off = 0; off < data.length; off += 100_000) {
        out.write(data, off, Math.min(100_000, data.length - off));
      }
    }
    return buf.toByteArray();
  }
}
