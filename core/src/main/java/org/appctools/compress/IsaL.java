package org.appctools.compress;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.appctools.jna.DirectMapping;

/**
 * The streaming inflate of Intel's ISA-L (the system's {@code libisal.so.2}, Debian package
 * {@code libisal2}), bound through JNA's direct mapping: about twice as fast as zlib on a gzip
 * member too large for libdeflate's whole-member decoding (the reference actool's ACI of the
 * Debian tree: 0.23 s against 0.41 s). Its state is a C struct whose fields the caller sets; the
 * offsets below are those of ISA-L 2.30 (Debian 12) on x86-64, and a decoding of known members at
 * load makes sure they hold, or ISA-L is not used.
 */
final class IsaL {
  private static final String[] NAMES = {"libisal.so.2", "isal"};

  /** {@code sizeof(struct inflate_state)} is 87,368 in 2.30; room for growth. */
  static final long STATE_SIZE = 128 * 1024;
  static final long NEXT_OUT = 0;
  static final long AVAIL_OUT = 8;
  static final long NEXT_IN = 16;
  static final long AVAIL_IN = 32;
  static final long BLOCK_STATE = 21160;
  static final long CRC_FLAG = 21172;
  /** {@code block_state}: the member was decoded, its trailer checked. */
  static final int BLOCK_FINISH = 5;
  /** {@code crc_flag}: read a gzip header and check the trailer's CRC-32 and size. */
  static final int GZIP = 1;
  /** {@code isal_inflate}: the member's CRC-32 or size was wrong. */
  static final int INCORRECT_CHECKSUM = -6;

  private static final boolean AVAILABLE = load();

  private IsaL() {}

  /** Whether ISA-L loaded and decoded the known members right. Tried once. */
  static boolean available() {
    return AVAILABLE;
  }

  private static boolean load() {
    if (!DirectMapping.register(IsaL.class, NAMES)) {
      return false;
    }
    try {
      return decodesKnownMembers();
    } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
      return false;
    }
  }

  /**
   * Two members written by the JDK (random bytes, then text) read back through {@link
   * IsalGzipInputStream} with tiny buffers: a wrong field offset shows as wrong bytes or an error.
   */
  private static boolean decodesKnownMembers() throws IOException {
    byte[] random = new byte[30_000];
    new Random(42).nextBytes(random);
    byte[] text = "appc ".repeat(4_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    for (byte[] part : new byte[][] {random, text}) {
      try (GZIPOutputStream out = new GZIPOutputStream(gz) {
        @Override
        public void close() throws IOException {
          finish(); // keeps gz open for the next member
        }
      }) {
        out.write(part);
      }
    }
    byte[] expected = new byte[random.length + text.length];
    System.arraycopy(random, 0, expected, 0, random.length);
    System.arraycopy(text, 0, expected, random.length, text.length);
    try (InputStream in = new IsalGzipInputStream(new ByteArrayInputStream(gz.toByteArray()), 4096)) {
      return Arrays.equals(in.readAllBytes(), expected);
    }
  }

  /** Sets up {@code state} (of {@link #STATE_SIZE} bytes) for a new stream. */
  static native void isal_inflate_init(Pointer state);

  /** Sets up {@code state} for a new stream, keeping nothing of the last one. */
  static native void isal_inflate_reset(Pointer state);

  /** Decodes from next_in to next_out; 0 or a positive status, or a negative error. */
  static native int isal_inflate(Pointer state);

  /** A state of {@link #STATE_SIZE} bytes, zeroed. */
  static Memory newState() {
    Memory m = new Memory(STATE_SIZE);
    m.clear();
    return m;
  }
}
