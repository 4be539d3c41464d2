package org.appctools.tar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Streams the entries of an uncompressed tar (ustar, GNU and PAX) with the values of PAX records
 * kept as raw bytes, so an xattr such as {@code security.capability}, whose value is binary and
 * which Docker, umoci and Go's archive/tar write as a raw {@code SCHILY.xattr} record, is read
 * exactly. Used for container image layers, which come from untrusted registries and archives,
 * and under {@link SafeTarReader} for ACIs.
 *
 * <p>Entry contents are passed over with {@link InputStream#skip}, so a stream that can skip
 * without copying (a file, the read-ahead of a decompressed archive) is not copied; headers are
 * read into one reused block, so reading allocates per entry only what the entry's values need.
 *
 * <p>An absolute name, a {@code ..} component, a NUL byte or an empty name is a {@link
 * TarFormatException} (in lenient mode the entry is returned with {@link TarItem#nameProblem()}
 * set instead). So are a bad header checksum, a
 * stream that ends inside a header or an entry, and malformed numbers or PAX records. GNU sparse
 * files, multi-volume parts and unknown entry types are returned as {@link TarEntryType#OTHER}
 * for the caller to refuse. The archive ends at the first zero block or at the end of the stream
 * on a block boundary (Docker writes empty layers as empty files).
 */
public final class TarStreamReader {
  private static final int BLOCK = 512;
  private static final int MAX_META_BYTES = 1 << 20;
  private static final String SCHILY = "SCHILY.xattr.";
  private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  private final InputStream in;
  private final boolean lenient;
  private final byte[] header = new byte[BLOCK];
  private final byte[] skipBuffer = new byte[64 * 1024];
  private final Map<String, byte[]> globalPax = new HashMap<>();
  private long remaining;
  private long padding;
  private long offset;
  private boolean ended;

  /** Reads from {@code in}, which the caller buffers and closes; an unsafe name fails. */
  public TarStreamReader(InputStream in) {
    this(in, false);
  }

  /**
   * Reads from {@code in}, which the caller buffers and closes. When {@code lenient}, an unsafe
   * name does not fail: the entry carries {@link TarItem#nameProblem()} and its raw name.
   */
  TarStreamReader(InputStream in, boolean lenient) {
    this.in = in;
    this.lenient = lenient;
  }

  /** Bytes consumed from the stream so far. */
  public long offset() {
    return offset;
  }

  /** The next entry, or null at the end of the archive. */
  public TarItem next() throws IOException {
    if (ended) {
      return null;
    }
    skipFully(remaining + padding);
    remaining = 0;
    padding = 0;
    Map<String, byte[]> pax = new HashMap<>();
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      if (!readHeader()) {
        ended = true;
        return null;
      }
      char type = (char) header[156];
      long size = number(header, 124, 12, "size");
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        if (size > MAX_META_BYTES) {
          throw new TarFormatException("tar: extended header of " + size + " bytes is too large");
        }
        byte[] data = readExactly((int) size);
        skipFully(pad(size));
        switch (type) {
          case 'x' -> pax.putAll(paxRecords(data));
          case 'g' -> globalPax.putAll(paxRecords(data));
          case 'L' -> longName = cString(data);
          default -> longLink = cString(data);
        }
        continue;
      }
      return entry(type, size, pax, longName, longLink);
    }
  }

  /**
   * The content of the current entry (its size in bytes); reading past it returns end of stream.
   * Closing it does nothing.
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
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new TarFormatException("truncated archive: unexpected end of data in an entry");
        }
        remaining -= n;
        offset += n;
        return n;
      }
    };
  }

  private TarItem entry(char type, long size, Map<String, byte[]> localPax, byte[] longName,
      byte[] longLink) throws IOException {
    Map<String, byte[]> pax = new HashMap<>(globalPax);
    pax.putAll(localPax);
    boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't'
        && header[260] == 'a' && header[261] == 'r' && header[262] == 0;
    String raw;
    if (pax.containsKey("path")) {
      raw = utf8(pax.get("path"));
    } else if (longName != null) {
      raw = utf8(longName);
    } else {
      byte[] name = cString(slice(header, 0, 100));
      byte[] prefix = posix ? cString(slice(header, 345, 155)) : new byte[0];
      raw = prefix.length == 0 ? utf8(name) : utf8(prefix) + "/" + utf8(name);
    }
    String link = pax.containsKey("linkpath") ? utf8(pax.get("linkpath"))
        : longLink != null ? utf8(longLink) : utf8(cString(slice(header, 157, 100)));
    TarNames.Problem problem = TarNames.problem(raw);
    if (problem != null && !lenient) {
      throw new TarFormatException("tar: entry \"" + raw + "\": " + problem.message());
    }
    TarEntryType kind = typeOf(type, raw, pax);
    if (pax.containsKey("size")) {
      size = paxNumber(pax, "size");
    }
    int mode = (int) (number(header, 100, 8, "mode") & 07777);
    long uid = pax.containsKey("uid") ? paxNumber(pax, "uid") : number(header, 108, 8, "uid");
    long gid = pax.containsKey("gid") ? paxNumber(pax, "gid") : number(header, 116, 8, "gid");
    long mtime = pax.containsKey("mtime") ? paxSeconds(pax.get("mtime"))
        : number(header, 136, 12, "mtime");
    int major = 0;
    int minor = 0;
    if (kind == TarEntryType.CHAR_DEVICE || kind == TarEntryType.BLOCK_DEVICE) {
      major = (int) number(header, 329, 8, "devmajor");
      minor = (int) number(header, 337, 8, "devminor");
    }
    Map<String, byte[]> xattrs = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      if (e.getKey().startsWith(SCHILY)) {
        String attr = e.getKey().substring(SCHILY.length());
        byte[] libarchive = pax.get(LIBARCHIVE + TarNames.urlEncode(attr));
        xattrs.put(attr, libarchive != null ? base64(libarchive, attr) : e.getValue());
      }
    }
    // content of hard links, directories, devices, FIFOs and symlinks is not stored
    boolean hasContent = kind == TarEntryType.FILE || kind == TarEntryType.OTHER;
    remaining = hasContent ? size : 0;
    padding = hasContent ? pad(size) : 0;
    if (size < 0) {
      throw new TarFormatException("tar: entry \"" + raw + "\": negative size");
    }
    String clean = problem == null ? TarNames.clean(raw) : raw;
    return new TarItem(raw, clean, problem, kind, mode, uid, gid, mtime,
        kind == TarEntryType.FILE ? size : 0,
        kind == TarEntryType.SYMLINK || kind == TarEntryType.HARDLINK ? link : "", major, minor,
        xattrs);
  }

  private static TarEntryType typeOf(char type, String raw, Map<String, byte[]> pax) {
    if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
      return TarEntryType.OTHER;
    }
    return switch (type) {
      case '0', '7' -> TarEntryType.FILE;
      case '\0' -> raw.endsWith("/") ? TarEntryType.DIRECTORY : TarEntryType.FILE;
      case '1' -> TarEntryType.HARDLINK;
      case '2' -> TarEntryType.SYMLINK;
      case '3' -> TarEntryType.CHAR_DEVICE;
      case '4' -> TarEntryType.BLOCK_DEVICE;
      case '5' -> TarEntryType.DIRECTORY;
      case '6' -> TarEntryType.FIFO;
      default -> TarEntryType.OTHER;
    };
  }

  /** Reads the next header block; false at the end of the archive. */
  private boolean readHeader() throws IOException {
    int n = readUpTo(header, BLOCK);
    if (n == 0) {
      return false; // end of stream on a block boundary
    }
    if (n < BLOCK) {
      throw new TarFormatException("truncated archive: unexpected end of data in a header");
    }
    boolean zero = true;
    for (byte b : header) {
      if (b != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      return false;
    }
    long stored = number(header, 148, 8, "checksum");
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = i >= 148 && i < 156 ? ' ' : header[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    if (stored != unsigned && stored != signed) {
      throw new TarFormatException("corrupt archive: header checksum mismatch at offset "
          + (offset - BLOCK));
    }
    return true;
  }

  /** A numeric header field: octal (spaces and NULs around it) or GNU base-256. */
  private static long number(byte[] h, int off, int len, String field) throws TarFormatException {
    if ((h[off] & 0x80) != 0) {
      if ((h[off] & 0x40) != 0) {
        throw new TarFormatException("tar: negative " + field + " in a header");
      }
      long v = h[off] & 0x3f;
      for (int i = 1; i < len; i++) {
        if ((v >>> 55) != 0) {
          throw new TarFormatException("tar: " + field + " in a header is too large");
        }
        v = (v << 8) | (h[off + i] & 0xff);
      }
      return v;
    }
    int i = off;
    int end = off + len;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
    }
    long v = 0;
    for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
      if (h[i] < '0' || h[i] > '7') {
        throw new TarFormatException("tar: malformed " + field + " in a header");
      }
      v = (v << 3) | (h[i] - '0');
    }
    return v;
  }

  private static Map<String, byte[]> paxRecords(byte[] data) throws TarFormatException {
    Map<String, byte[]> m = new HashMap<>();
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // NUL padding after the records
      }
      int space = pos;
      long len = 0;
      while (space < data.length && data[space] != ' ') {
        if (data[space] < '0' || data[space] > '9' || len > data.length) {
          throw new TarFormatException("tar: malformed PAX record length");
        }
        len = len * 10 + (data[space] - '0');
        space++;
      }
      if (space >= data.length || len <= space - pos || pos + len > data.length
          || data[(int) (pos + len - 1)] != '\n') {
        throw new TarFormatException("tar: malformed PAX record");
      }
      int end = (int) (pos + len - 1);
      int eq = space + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw new TarFormatException("tar: malformed PAX record (no '=')");
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      m.put(key, slice(data, eq + 1, end - eq - 1));
      pos = (int) (pos + len);
    }
    return m;
  }

  private static long paxNumber(Map<String, byte[]> pax, String key) throws TarFormatException {
    String s = utf8(pax.get(key));
    try {
      long v = Long.parseLong(s);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new TarFormatException("tar: malformed PAX " + key + " \"" + s + "\"");
    }
  }

  private static long paxSeconds(byte[] value) throws TarFormatException {
    String s = utf8(value);
    int dot = s.indexOf('.');
    try {
      return Long.parseLong(dot < 0 ? s : s.substring(0, dot));
    } catch (NumberFormatException e) {
      throw new TarFormatException("tar: malformed PAX mtime \"" + s + "\"");
    }
  }

  private static byte[] base64(byte[] value, String attr) throws TarFormatException {
    try {
      return Base64.getDecoder().decode(new String(value, StandardCharsets.US_ASCII).trim());
    } catch (IllegalArgumentException e) {
      throw new TarFormatException("tar: malformed base64 value of xattr " + attr);
    }
  }

  private byte[] readExactly(int size) throws IOException {
    byte[] b = new byte[size];
    if (readUpTo(b, size) < size) {
      throw new TarFormatException("truncated archive: unexpected end of data in an extended header");
    }
    return b;
  }

  private int readUpTo(byte[] b, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, n, len - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    offset += n;
    return n;
  }

  /** Skips {@code n} bytes: by seeking where the stream can (files), else by reading. */
  private void skipFully(long n) throws IOException {
    while (n > 0) {
      long s = in.skip(n);
      if (s > 0) {
        n -= s;
        offset += s;
        continue;
      }
      int r = in.read(skipBuffer, 0, (int) Math.min(skipBuffer.length, n));
      if (r < 0) {
        throw new TarFormatException("truncated archive: unexpected end of data");
      }
      n -= r;
      offset += r;
    }
  }

  private static long pad(long size) {
    long rem = size % BLOCK;
    return rem == 0 ? 0 : BLOCK - rem;
  }

  private static byte[] cString(byte[] b) {
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return n == b.length ? b : slice(b, 0, n);
  }

  private static byte[] slice(byte[] b, int off, int len) {
    byte[] r = new byte[len];
    System.arraycopy(b, off, r, 0, len);
    return r;
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
