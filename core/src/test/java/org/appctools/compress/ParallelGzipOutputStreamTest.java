package org.appctools.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {
  private static final int B = ParallelGzipOutputStream.BLOCK_SIZE;

  private static byte[] gzip(byte[] input, int threads, int chunk) throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(sink, Deflater.DEFAULT_COMPRESSION, threads)) {
      for (int off = 0; off < input.length; off += chunk) {
        gz.write(input, off, Math.min(chunk, input.length - off));
        gz.flush();
      }
    }
    return sink.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, B - 1, B, B + 1, 3 * B + B / 2})
  void write_anySize_gunzipsToTheInput(int size) throws Exception {
    byte[] input = GzipTestData.halfRandom(size);
    byte[] compressed = gzip(input, 2, 7919);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertThat(in.readAllBytes()).isEqualTo(input);
    }
    assertThat(compressed).startsWith(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
  }

  @ParameterizedTest
  @ValueSource(ints = {B - 1, 3 * B + B / 2})
  void write_differentThreadCountsAndWriteSizes_sameBytes(int size) throws Exception {
    byte[] input = GzipTestData.halfRandom(size);
    byte[] one = gzip(input, 1, 65536);
    assertThat(gzip(input, 2, 1)).isEqualTo(one);
    assertThat(gzip(input, 5, 1 << 20)).isEqualTo(one);
  }
}
