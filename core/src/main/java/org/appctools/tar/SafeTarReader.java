package org.appctools.tar;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams entries out of an uncompressed tar (wrap compressed input with {@code
 * Compression.decompress} first), parsed by {@link TarStreamReader}.
 *
 * <p>Names are cleaned like Go's {@code filepath.Clean}. In strict mode an absolute name, a
 * {@code ..} component or a NUL byte is a {@link TarFormatException}; in lenient mode (for
 * validators that list every problem) the entry is returned with {@link TarItem#nameProblem()}
 * set. A stream that ends inside an entry, a bad header checksum and corrupt compression are
 * reported as {@link TarFormatException} with a message that says so: a failure of the stream
 * under the reader (a decompressor's) is classified by {@link TarFormatException#of}.
 *
 * <p>PAX values are kept as raw bytes, so a binary {@code SCHILY.xattr} value (such as {@code
 * security.capability}) is read exactly; the libarchive base64 copy ({@code LIBARCHIVE.xattr},
 * which {@link ReproducibleTarWriter} writes for values that are not UTF-8) is used when present.
 * Unread entry content is skipped with {@link InputStream#skip}, so give a stream whose {@code
 * skip} reads through when every byte must be seen (hashed or counted).
 */
public final class SafeTarReader implements Closeable {
  private final InputStream in;
  private final TarStreamReader reader;

  /** A strict reader over an uncompressed tar stream. */
  public SafeTarReader(InputStream in) {
    this(in, true);
  }

  public SafeTarReader(InputStream in, boolean strict) {
    this.in = in;
    this.reader = new TarStreamReader(in, !strict);
  }

  /** The next entry, or null at the end of the archive. */
  public TarItem next() throws IOException {
    try {
      return reader.next();
    } catch (IOException ex) {
      throw TarFormatException.of(ex);
    }
  }

  /**
   * The content of the current entry; reads are checked for truncation. Not closed by callers
   * (closing it does nothing).
   */
  public InputStream content() {
    InputStream content = reader.content();
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return content.read(b, off, len);
        } catch (IOException ex) {
          throw TarFormatException.of(ex);
        }
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Reads the underlying stream to its end after the last entry, so corrupt or truncated
   * compression after the tar end marker (a bad gzip CRC, a cut xz index) is noticed.
   */
  public void drain(InputStream underlying) throws IOException {
    byte[] buf = new byte[64 * 1024];
    try {
      while (underlying.read(buf) >= 0) {
        // discard
      }
    } catch (IOException ex) {
      throw TarFormatException.of(ex);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
