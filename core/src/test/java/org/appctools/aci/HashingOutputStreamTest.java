package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashingOutputStreamTest {
  private static byte[] data(int size) {
    byte[] d = new byte[size];
    new Random(size).nextBytes(d);
    return d;
  }

  /** Many more chunks than wait at once, written in pieces of every kind of size. */
  @ParameterizedTest
  @ValueSource(ints = {1, 1000, AciStreams.HashingOutputStream.CHUNK, AciStreams.HashingOutputStream.CHUNK * 3 + 7})
  void finishedDigest_anyWriteSizes_theSha512OfTheBytesInOrder(int piece) throws Exception {
    byte[] data = data(AciStreams.HashingOutputStream.CHUNK * (AciStreams.HashingOutputStream.AHEAD + 5) + 123);
    ByteArrayOutputStream passed = new ByteArrayOutputStream();
    AciStreams.HashingOutputStream h = new AciStreams.HashingOutputStream(passed);
    for (int off = 0; off < data.length; off += piece) {
      int n = Math.min(piece, data.length - off);
      if (n == 1) {
        h.write(data[off]);
      } else {
        h.write(data, off, n);
      }
    }

    assertThat(h.finishedDigest().digest()).isEqualTo(MessageDigest.getInstance("SHA-512").digest(data));
    assertThat(h.count).isEqualTo(data.length);
    assertThat(passed.toByteArray()).isEqualTo(data);
  }

  @Test
  void write_failingOutput_failsAndLeavesNothingWaiting() throws Exception {
    OutputStream failing = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("disk full");
      }
    };
    AciStreams.HashingOutputStream h = new AciStreams.HashingOutputStream(failing);
    assertThatThrownBy(() -> h.write(data(10), 0, 10)).hasMessage("disk full");
    assertThat(h.finishedDigest().digest()).isEqualTo(MessageDigest.getInstance("SHA-512").digest());
  }
}
