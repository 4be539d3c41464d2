package org.appctools.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibDeflateGzipOutputStreamTest {
  /** Small blocks, so that many members occur in little data. */
  private static final int B = 64 * 1024;

  @BeforeAll
  static void requireLibDeflate() {
    GzipTestData.requireLibDeflate();
  }

  private static byte[] gzip(byte[] input, int level, int threads, int blockSize, int chunk) throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (LibDeflateGzipOutputStream gz = new LibDeflateGzipOutputStream(sink, level, threads, blockSize)) {
      for (int off = 0; off < input.length; off += chunk) {
        gz.write(input, off, Math.min(chunk, input.length - off));
        gz.flush();
      }
    }
    return sink.toByteArray();
  }

  private static byte[] gunzip(byte[] compressed) throws Exception {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  /** The sizes of the members' uncompressed data, found by inflating member after member. */
  static List<Integer> memberSizes(byte[] gz) throws Exception {
    List<Integer> sizes = new ArrayList<>();
    int off = 0;
    while (off < gz.length) {
      assertThat(Arrays.copyOfRange(gz, off, off + 4)).as("member header at %d", off).containsExactly(0x1f, 0x8b, 8, 0);
      Inflater inflater = new Inflater(true);
      inflater.setInput(gz, off + 10, gz.length - off - 10);
      byte[] buf = new byte[1 << 20];
      int size = 0;
      while (!inflater.finished()) {
        size += inflater.inflate(buf);
      }
      off = gz.length - inflater.getRemaining() + 8;
      inflater.end();
      sizes.add(size);
    }
    return sizes;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, B - 1, B, B + 1, 3 * B + B / 2})
  void write_anySize_oneMemberPerBlockThatGunzipsToTheInput(int size) throws Exception {
    byte[] input = GzipTestData.halfRandom(size);

    byte[] compressed = gzip(input, 6, 2, B, 7919);

    assertThat(gunzip(compressed)).isEqualTo(input);
    int members = Math.max(1, (size + B - 1) / B);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      expected.add(Math.min(B, size - i * B));
    }
    assertThat(memberSizes(compressed)).isEqualTo(expected);
    assertThat(compressed).as("no mtime, no name, OS unknown").startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0);
    assertThat(compressed[9]).isEqualTo((byte) 0xff);
  }

  @ParameterizedTest
  @ValueSource(ints = {B - 1, 5 * B + B / 2})
  void write_oneTwoAndFourThreadsAndAnyWriteSize_sameBytes(int size) throws Exception {
    byte[] input = GzipTestData.halfRandom(size);
    byte[] one = gzip(input, 6, 1, B, 65536);
    assertThat(gzip(input, 6, 2, B, 1)).isEqualTo(one);
    assertThat(gzip(input, 6, 4, B, 1 << 20)).isEqualTo(one);
  }

  @Test
  void write_defaultBlockSize_membersOfOneMiB() throws Exception {
    byte[] input = GzipTestData.halfRandom(2 * LibDeflateGzipOutputStream.BLOCK_SIZE + 5);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (LibDeflateGzipOutputStream gz = new LibDeflateGzipOutputStream(sink, 6, 2)) {
      gz.write(input);
    }
    assertThat(memberSizes(sink.toByteArray())).containsExactly(1 << 20, 1 << 20, 5);
    assertThat(gunzip(sink.toByteArray())).isEqualTo(input);
  }

  @Test
  void write_levels_higherLevelSmallerAndAllGunzip() throws Exception {
    byte[] input = new byte[3 * B];
    Random random = new Random(3);
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) ("abcdefgh".charAt(random.nextInt(8)));
    }
    byte[] fast = gzip(input, 1, 2, B, 65536);
    byte[] best = gzip(input, 9, 2, B, 65536);
    assertThat(gunzip(fast)).isEqualTo(input);
    assertThat(gunzip(best)).isEqualTo(input);
    assertThat(best.length).isLessThan(fast.length);
  }

  @Test
  void write_realTarOfTheBusyboxFixture_roundTripsAndGzipAcceptsIt() throws Exception {
    String fixtures = System.getProperty("aci.fixtures");
    assumeTrue(fixtures != null, "aci.fixtures is not set");
    Path rootfs = Path.of(fixtures, "rootfs", "busybox");
    assumeTrue(Files.isDirectory(rootfs), "fixture " + rootfs + " is absent");
    Process tar = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", "-", ".")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] input = tar.getInputStream().readAllBytes();
    assertThat(tar.waitFor()).isZero();

    byte[] compressed = gzip(input, 6, 2, LibDeflateGzipOutputStream.BLOCK_SIZE, 65536);

    assertThat(memberSizes(compressed)).hasSizeGreaterThan(1);
    assertThat(gunzip(compressed)).isEqualTo(input);
    Process gzip = new ProcessBuilder("gzip", "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Thread feeder = new Thread(() -> {
      try (var in = gzip.getOutputStream()) {
        in.write(compressed);
      } catch (java.io.IOException e) {
        // gzip ended early: its exit code tells
      }
    });
    feeder.start();
    byte[] gunzipped = gzip.getInputStream().readAllBytes();
    feeder.join();
    assertThat(gzip.waitFor()).isZero();
    assertThat(gunzipped).isEqualTo(input);
  }
}
