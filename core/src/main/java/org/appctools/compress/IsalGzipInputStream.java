package org.appctools.compress;

import com.sun.jna.Memory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * A streaming gzip reader on ISA-L's inflate ({@link IsaL}), member after member; each member's
 * CRC-32 and size are checked by ISA-L. Bytes after a member that do not start another (no gzip
 * magic) end the stream, as {@link java.util.zip.GZIPInputStream} ends it; a stream cut short
 * fails with the JDK's words ("Unexpected end of ZLIB input stream"). Reads from {@code in} only
 * what it needs, a buffer at a time; closing this closes {@code in} and frees the native memory.
 */
final class IsalGzipInputStream extends InputStream {
  private final InputStream in;
  private final int bufferSize;
  private final Memory state = IsaL.newState();
  private final Memory input;
  private final Memory output;
  private final byte[] copy;
  private long outPos;
  private long outLen;
  private boolean inputEnded;
  private boolean ended;
  private boolean closed;

  IsalGzipInputStream(InputStream in) {
    this(in, 256 * 1024);
  }

  IsalGzipInputStream(InputStream in, int bufferSize) {
    this.in = in;
    this.bufferSize = bufferSize;
    this.input = new Memory(bufferSize);
    this.output = new Memory(bufferSize);
    this.copy = new byte[bufferSize];
    IsaL.isal_inflate_init(state);
    state.setInt(IsaL.CRC_FLAG, IsaL.GZIP);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("Stream closed");
    }
    if (len == 0) {
      return 0;
    }
    while (outPos == outLen) {
      if (ended || !inflate()) {
        return -1;
      }
    }
    int n = (int) Math.min(len, outLen - outPos);
    output.read(outPos, b, off, n);
    outPos += n;
    return n;
  }

  /** Decodes the next output; false at the end of the stream. */
  private boolean inflate() throws IOException {
    while (true) {
      if (state.getInt(IsaL.AVAIL_IN) == 0 && !refill()) {
        if (state.getInt(IsaL.BLOCK_STATE) == IsaL.BLOCK_FINISH) {
          ended = true;
          return false;
        }
        throw new EOFException("Unexpected end of ZLIB input stream");
      }
      if (state.getInt(IsaL.BLOCK_STATE) == IsaL.BLOCK_FINISH && !nextMember()) {
        ended = true;
        return false;
      }
      state.setPointer(IsaL.NEXT_OUT, output);
      state.setInt(IsaL.AVAIL_OUT, bufferSize);
      int availBefore = state.getInt(IsaL.AVAIL_IN);
      int rc = IsaL.isal_inflate(state);
      if (rc < 0) {
        throw new ZipException(rc == IsaL.INCORRECT_CHECKSUM ? "Corrupt GZIP trailer"
            : "invalid gzip data (ISA-L inflate error " + rc + ")");
      }
      outPos = 0;
      outLen = bufferSize - (state.getInt(IsaL.AVAIL_OUT) & 0xffffffffL);
      if (outLen > 0) {
        return true;
      }
      if (state.getInt(IsaL.AVAIL_IN) == availBefore
          && state.getInt(IsaL.BLOCK_STATE) != IsaL.BLOCK_FINISH) {
        throw new ZipException("invalid gzip data (ISA-L inflate made no progress)");
      }
    }
  }

  /**
   * After a member: starts the next one if the bytes held begin with gzip's magic (the caller
   * made sure some are held), else false.
   */
  private boolean nextMember() throws IOException {
    long availIn = state.getInt(IsaL.AVAIL_IN) & 0xffffffffL;
    com.sun.jna.Pointer nextIn = state.getPointer(IsaL.NEXT_IN);
    if (availIn < 2 && !inputEnded) {
      // the magic may straddle the buffer's end: move the held byte to the front and read more
      byte held = nextIn.getByte(0);
      input.setByte(0, held);
      int n = readInto(1);
      availIn = 1 + Math.max(n, 0);
      nextIn = input;
    }
    if (availIn < 2 || nextIn.getByte(0) != (byte) 0x1f || nextIn.getByte(1) != (byte) 0x8b) {
      return false;
    }
    IsaL.isal_inflate_reset(state);
    state.setInt(IsaL.CRC_FLAG, IsaL.GZIP);
    state.setPointer(IsaL.NEXT_IN, nextIn);
    state.setInt(IsaL.AVAIL_IN, (int) availIn);
    return true;
  }

  /** Reads the next buffer of compressed bytes; false when the input has ended. */
  private boolean refill() throws IOException {
    if (inputEnded) {
      return false;
    }
    int n = readInto(0);
    if (n <= 0) {
      return false;
    }
    state.setPointer(IsaL.NEXT_IN, input);
    state.setInt(IsaL.AVAIL_IN, n);
    return true;
  }

  /** Reads into the input buffer from {@code at}; the bytes read, or -1 at the input's end. */
  private int readInto(int at) throws IOException {
    int n = in.read(copy, 0, bufferSize - at);
    if (n < 0) {
      inputEnded = true;
      return -1;
    }
    input.write(at, copy, 0, n);
    return n;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      in.close();
    } finally {
      state.close();
      input.close();
      output.close();
    }
  }
}
