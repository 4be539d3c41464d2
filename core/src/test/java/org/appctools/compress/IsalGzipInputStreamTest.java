package org.appctools.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.appctools.SystemLibraries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsalGzipInputStreamTest {
  /** libisal2 is installed by .ci/fixtures.sh packages: missing, skip here and fail in CI. */
  @BeforeAll
  static void requireIsaL() {
    SystemLibraries.require(IsaL.available(), "libisal.so.2");
  }

  /** Each part a gzip member of its own, written by the JDK. */
  private static byte[] members(byte[]... parts) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      GZIPOutputStream out = new GZIPOutputStream(gz);
      out.write(part);
      out.finish();
    }
    return gz.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      all.writeBytes(p);
    }
    return all.toByteArray();
  }

  /** Buffers of every size, so members and their magic straddle buffer ends every way. */
  @ParameterizedTest
  @ValueSource(ints = {64, 1000, 4096, 65536, 256 * 1024})
  void read_membersThroughBuffersOfEachSize_everyByte(int buffer) throws Exception {
    byte[] a = GzipTestData.halfRandom(300_000);
    byte[] b = new byte[0];
    byte[] c = "appc".getBytes();
    byte[] gz = members(a, b, c, a);

    try (InputStream in = new IsalGzipInputStream(new ByteArrayInputStream(gz), buffer)) {
      assertThat(in.readAllBytes()).isEqualTo(concat(a, b, c, a));
    }
  }

  @Test
  void read_bytesAfterTheLastMemberThatStartNoMember_endTheStream() throws Exception {
    byte[] data = GzipTestData.halfRandom(50_000);
    byte[] gz = concat(members(data), new byte[] {0, 0, 0, 0, 0});

    try (InputStream in = new IsalGzipInputStream(new ByteArrayInputStream(gz), 4096)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void read_cutShort_failsAsTheJdkDoes() throws Exception {
    byte[] gz = members(GzipTestData.halfRandom(200_000));
    byte[] cut = Arrays.copyOf(gz, gz.length - 1000);

    try (InputStream in = new IsalGzipInputStream(new ByteArrayInputStream(cut), 4096)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class)
          .hasMessage("Unexpected end of ZLIB input stream");
    }
  }

  @Test
  void read_wrongCrc_fails() throws Exception {
    byte[] gz = members(GzipTestData.halfRandom(20_000));
    gz[gz.length - 6] ^= 1; // in the CRC-32 of the trailer

    try (InputStream in = new IsalGzipInputStream(new ByteArrayInputStream(gz), 4096)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(ZipException.class)
          .hasMessage("Corrupt GZIP trailer");
    }
  }

  @Test
  void libDeflateReader_oneLargeMember_handedToIsaL_everyByte() throws Exception {
    GzipTestData.requireLibDeflate();
    byte[] data = GzipTestData.halfRandom(5 * LibDeflateGzipInputStream.OUTPUT_SIZE + 123);
    byte[] gz = members(data, data);

    try (InputStream in = new LibDeflateGzipInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(concat(data, data));
    }
  }
}
