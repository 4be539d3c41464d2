package org.appctools.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibDeflateGzipInputStreamTest {
  @BeforeAll
  static void requireLibDeflate() {
    GzipTestData.requireLibDeflate();
  }

  /** Our writer's members, of the block size it uses for ACIs. */
  private static byte[] members(byte[] data) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = new LibDeflateGzipOutputStream(buf, 6, 2)) {
      out.write(data);
    }
    return buf.toByteArray();
  }

  /** One member, as the JDK (and Go, and gzip) write a file. */
  private static byte[] oneMember(byte[] data) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(buf)) {
      out.write(data);
    }
    return buf.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      buf.writeBytes(p);
    }
    return buf.toByteArray();
  }

  private static byte[] read(InputStream source) throws IOException {
    try (InputStream in = new LibDeflateGzipInputStream(source)) {
      return in.readAllBytes();
    }
  }

  private static void assertSameBytes(byte[] actual, byte[] expected) {
    assertThat(actual.length).as("bytes read").isEqualTo(expected.length);
    assertThat(Arrays.equals(actual, expected)).as("same bytes").isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1 << 20, (1 << 20) + 1, 11 << 20})
  void read_ourMembers_everyByte(int size) throws IOException {
    byte[] data = GzipTestData.halfRandom(size);
    assertSameBytes(read(new ByteArrayInputStream(members(data))), data);
  }

  @Test
  void read_oneLargeMember_handedToZlib() throws IOException {
    byte[] data = GzipTestData.halfRandom(6 << 20);
    assertSameBytes(read(new ByteArrayInputStream(oneMember(data))), data);
  }

  @Test
  void read_ourMembersThenALargeOne_everyByte() throws IOException {
    byte[] a = GzipTestData.halfRandom(3 << 20);
    byte[] b = GzipTestData.halfRandom(5 << 20);
    assertSameBytes(read(new ByteArrayInputStream(concat(members(a), oneMember(b)))), concat(a, b));
  }

  @Test
  void read_toTheEndOfOneLargeMember_leavesTheInputOpenForItsReader() throws IOException {
    byte[] data = GzipTestData.halfRandom(3 << 20);
    boolean[] closed = {false};
    InputStream source = new ByteArrayInputStream(oneMember(data)) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    InputStream in = new LibDeflateGzipInputStream(source);
    assertSameBytes(in.readAllBytes(), data);
    assertThat(closed[0]).as("input closed at the end of the gzip stream").isFalse();
    in.close();
    assertThat(closed[0]).isTrue();
  }

  @Test
  void read_fromASlowStream_everyMember() throws IOException {
    byte[] data = GzipTestData.halfRandom(5 << 20);
    byte[] file = members(data);
    InputStream slow = new InputStream() {
      int pos;

      @Override
      public int read() {
        return pos < file.length ? file[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int n = Math.min(Math.min(len, 7), file.length - pos);
        if (n <= 0) {
          return len == 0 ? 0 : -1;
        }
        System.arraycopy(file, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    assertSameBytes(read(slow), data);
  }

  @Test
  void read_byteByByte_sameAsInBulk() throws IOException {
    byte[] data = GzipTestData.halfRandom(300_000);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (InputStream in = new LibDeflateGzipInputStream(new ByteArrayInputStream(members(data)))) {
      for (int c = in.read(); c >= 0; c = in.read()) {
        got.write(c);
      }
    }
    assertSameBytes(got.toByteArray(), data);
  }

  @Test
  void read_trailingBytesThatStartNoMember_endTheStreamAsTheJdksReaderDoes() throws IOException {
    byte[] data = GzipTestData.halfRandom(2 << 20);
    byte[] file = concat(members(data), "trailing junk, not gzip".getBytes());
    assertSameBytes(read(new ByteArrayInputStream(file)), data);
    try (InputStream jdk = new GZIPInputStream(new ByteArrayInputStream(file))) {
      assertSameBytes(jdk.readAllBytes(), data);
    }
  }

  @Test
  void read_truncated_failsAsZlibDoes() throws IOException {
    byte[] file = members(GzipTestData.halfRandom(3 << 20));
    byte[] cut = Arrays.copyOf(file, file.length - 1000);
    assertThatThrownBy(() -> read(new ByteArrayInputStream(cut)))
        .isInstanceOf(EOFException.class).hasMessage("Unexpected end of ZLIB input stream");
  }

  @Test
  void read_corruptMember_failsAsZlibDoes() throws IOException {
    byte[] file = members(GzipTestData.halfRandom(3 << 20));
    // the first member's CRC-32 (its trailer ends where the second member's magic starts)
    int second = indexOfMagic(file, 1);
    file[second - 8] ^= 0x55;
    assertThatThrownBy(() -> read(new ByteArrayInputStream(file)))
        .isInstanceOf(ZipException.class).hasMessage("Corrupt GZIP trailer");
  }

  @Test
  void open_notGzip_failsAsTheJdksReaderDoes() {
    assertThatThrownBy(() -> new LibDeflateGzipInputStream(new ByteArrayInputStream("plain text, no gzip".getBytes())))
        .isInstanceOf(ZipException.class).hasMessage("Not in GZIP format");
    assertThatThrownBy(() -> new LibDeflateGzipInputStream(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(EOFException.class);
  }

  /** The index of the gzip magic (1f 8b 08) after {@code from}. */
  private static int indexOfMagic(byte[] file, int from) {
    for (int i = from; i + 2 < file.length; i++) {
      if (file[i] == 0x1f && file[i + 1] == (byte) 0x8b && file[i + 2] == 8 && file[i + 3] == 0) {
        return i;
      }
    }
    throw new AssertionError("no second member");
  }
}
