package org.appctools.tar;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams entries out of an uncompressed tar (wrap compressed input with {@code
 * Compression.decompress} first) over commons-compress's {@link TarArchiveInputStream}.
 *
 * <p>Names are cleaned like Go's {@code filepath.Clean}. In strict mode an absolute name, a
 * {@code ..} component or a NUL byte is a {@link TarFormatException}; in lenient mode (for
 * validators that list every problem) the entry is returned with {@link TarItem#nameProblem()}
 * set. A stream that ends inside an entry, a bad header checksum and corrupt compression are
 * reported as {@link TarFormatException} with a message that says so.
 *
 * <p>commons-compress decodes PAX values as UTF-8, so a {@code SCHILY.xattr} value that is not
 * UTF-8 cannot be recovered from it; the libarchive base64 copy ({@code LIBARCHIVE.xattr}, which
 * {@link ReproducibleTarWriter} writes for such values) is used when present, otherwise the
 * attribute is listed in {@link TarItem#xattrProblems()}.
 */
public final class SafeTarReader implements Closeable {
  private static final String SCHILY = "SCHILY.xattr.";
  private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  private final TarArchiveInputStream tar;
  private final boolean strict;
  private final byte[] skipBuffer = new byte[256 * 1024];
  private TarItem current;

  /** A strict reader over an uncompressed tar stream. */
  public SafeTarReader(InputStream in) {
    this(in, true);
  }

  public SafeTarReader(InputStream in, boolean strict) {
    this.tar = new TarArchiveInputStream(in, StandardCharsets.UTF_8.name());
    this.strict = strict;
  }

  /** The next entry, or null at the end of the archive. */
  public TarItem next() throws IOException {
    TarArchiveEntry e;
    try {
      if (current != null) {
        // skip unread content with one reused buffer (commons-compress would copy it through
        // a fresh small buffer per call)
        while (tar.read(skipBuffer, 0, skipBuffer.length) >= 0) {
          // discard
        }
      }
      e = tar.getNextEntry();
    } catch (EOFException | ZipException ex) {
      throw truncatedOrCorrupt(ex);
    } catch (IOException ex) {
      if (ex instanceof TarFormatException) {
        throw ex;
      }
      throw malformed(ex);
    } catch (IllegalArgumentException ex) {
      throw new TarFormatException("tar: malformed header: " + ex.getMessage(), ex);
    }
    if (e == null) {
      current = null;
      return null;
    }
    String raw = e.getName();
    TarNames.Problem problem = TarNames.problem(raw);
    if (problem != null && strict) {
      throw new TarFormatException("tar: entry \"" + raw + "\": " + problem.message());
    }
    String clean = problem == null ? TarNames.clean(raw) : raw;
    TarEntryType type = typeOf(e);
    Map<String, byte[]> xattrs = new TreeMap<>();
    List<String> xattrProblems = new ArrayList<>();
    Map<String, String> pax = e.getExtraPaxHeaders();
    for (Map.Entry<String, String> h : pax.entrySet()) {
      if (h.getKey().startsWith(SCHILY)) {
        String attr = h.getKey().substring(SCHILY.length());
        String libarchive = pax.get(LIBARCHIVE + TarNames.urlEncode(attr));
        if (libarchive != null) {
          xattrs.put(attr, Base64.getDecoder().decode(libarchive.trim()));
        } else {
          xattrs.put(attr, h.getValue().getBytes(StandardCharsets.UTF_8));
          if (h.getValue().indexOf('\uFFFD') >= 0) {
            xattrProblems.add(attr);
          }
        }
      }
    }
    current = new TarItem(raw, clean, problem, type, e.getMode() & 07777, e.getLongUserId(),
        e.getLongGroupId(), Math.floorDiv(e.getLastModifiedDate().getTime(), 1000L),
        type == TarEntryType.FILE ? e.getSize() : 0,
        e.isSymbolicLink() || e.isLink() ? e.getLinkName() : "", e.getDevMajor(),
        e.getDevMinor(), xattrs, xattrProblems);
    return current;
  }

  /**
   * The content of the current entry; reads are checked for truncation. Not closed by callers
   * (closing it does nothing).
   */
  public InputStream content() {
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
          return tar.read(b, off, len);
        } catch (IOException ex) {
          throw classified(ex);
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
      throw classified(ex);
    }
  }

  /** A read failure as the reader reports it: truncated/corrupt input, or a malformed archive. */
  private IOException classified(IOException ex) {
    if (ex instanceof TarFormatException) {
      return ex;
    }
    if (ex instanceof EOFException || ex instanceof ZipException) {
      return truncatedOrCorrupt(ex);
    }
    return malformed(ex);
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }

  private static TarFormatException truncatedOrCorrupt(IOException ex) {
    return TarFormatException.of(ex);
  }

  private static TarFormatException malformed(IOException ex) {
    return TarFormatException.of(ex);
  }

  private static TarEntryType typeOf(TarArchiveEntry e) {
    if (e.isDirectory()) {
      return TarEntryType.DIRECTORY;
    }
    if (e.isSymbolicLink()) {
      return TarEntryType.SYMLINK;
    }
    if (e.isLink()) {
      return TarEntryType.HARDLINK;
    }
    if (e.isCharacterDevice()) {
      return TarEntryType.CHAR_DEVICE;
    }
    if (e.isBlockDevice()) {
      return TarEntryType.BLOCK_DEVICE;
    }
    if (e.isFIFO()) {
      return TarEntryType.FIFO;
    }
    if (e.isFile() && !e.isSparse()) {
      return TarEntryType.FILE;
    }
    return TarEntryType.OTHER;
  }
}
