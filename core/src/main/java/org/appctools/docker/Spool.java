package org.appctools.docker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.appctools.tar.TarFormatException;

/**
 * A temporary file that holds the content of entries the squash must write later than it reads
 * them (an entry whose parent directory comes from a lower layer). Created on first use, deleted
 * on {@link #close()}.
 */
final class Spool implements Closeable {
  private final Path dir;
  private Path file;
  private FileChannel channel;
  private long end;

  Spool(Path dir) {
    this.dir = dir;
  }

  /** Copies {@code size} bytes of {@code in} to the end; returns where they start. */
  long append(InputStream in, long size) throws IOException {
    if (channel == null) {
      file = Files.createTempFile(dir, ".docker2aci-spool.", ".tmp");
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    long start = end;
    byte[] buf = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new TarFormatException("truncated archive: unexpected end of data in an entry");
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
      while (bb.hasRemaining()) {
        end += channel.write(bb, end);
      }
      left -= n;
    }
    return start;
  }

  /** The {@code size} bytes stored at {@code offset}. */
  InputStream read(long offset, long size) {
    return new InputStream() {
      private long pos = offset;
      private final long limit = offset + size;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= limit) {
          return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, limit - pos)), pos);
        if (n > 0) {
          pos += n;
        }
        return n;
      }
    };
  }

  @Override
  public void close() {
    try {
      if (channel != null) {
        channel.close();
      }
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // best effort
    }
  }
}
