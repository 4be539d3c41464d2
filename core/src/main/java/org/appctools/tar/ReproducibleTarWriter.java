package org.appctools.tar;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one writer of tar bytes. Output depends only on the entries given, so the same entries
 * always give the same bytes:
 *
 * <ul>
 *   <li>ustar headers with numeric uid/gid and empty user/group names;
 *   <li>one PAX extended header, with records sorted by key, when a name or link target does not
 *       fit (longer than 100 bytes or not ASCII), a number does not fit its octal field, or the
 *       entry has xattrs ({@code SCHILY.xattr.NAME} with the raw value, plus libarchive's
 *       lossless {@code LIBARCHIVE.xattr.NAME} base64 copy for values that are not UTF-8);
 *   <li>no atime or ctime records, mtime in whole seconds;
 *   <li>explicit parent directories: an entry whose parent was not written yet gets one (mode
 *       0755, owner 0:0, the entry's mtime) first;
 *   <li>names are cleaned; absolute names, {@code ..} components, NUL bytes and duplicate names
 *       are refused with {@link IllegalArgumentException}.
 * </ul>
 *
 * The writer streams: entries are written in the order given (callers sort) and memory grows
 * only with the set of names written. The stream ends with two zero blocks like Go's writer.
 */
public final class ReproducibleTarWriter implements Closeable {
  private static final int BLOCK = 512;
  private static final long MAX_OCTAL_7 = 07777777L;
  private static final long MAX_OCTAL_11 = 077777777777L;
  private static final byte[] ZERO_BLOCK = new byte[BLOCK];

  private final OutputStream out;
  private final Set<String> written = new HashSet<>();
  private final byte[] copyBuffer = new byte[64 * 1024];
  private long entries;
  private long bytes;
  private boolean finished;

  /** Writes to {@code out}, which the caller should buffer; {@link #close()} closes it. */
  public ReproducibleTarWriter(OutputStream out) {
    this.out = out;
  }

  /** Number of entries written so far, including implicit parent directories. */
  public long entries() {
    return entries;
  }

  /** Number of tar bytes written so far. */
  public long bytesWritten() {
    return bytes;
  }

  public void directory(String name, TarMeta meta) throws IOException {
    header(name, '5', meta, 0, "", 0, 0);
  }

  /** A regular file of {@code size} bytes read from {@code content}, which must hold them all. */
  public void file(String name, TarMeta meta, long size, InputStream content) throws IOException {
    header(name, '0', meta, size, "", 0, 0);
    long left = size;
    while (left > 0) {
      int n = content.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, left));
      if (n < 0) {
        throw new EOFException(
            "tar: file \"" + name + "\" ended after " + (size - left) + " of " + size
                + " bytes (did it shrink while being archived?)");
      }
      write(copyBuffer, 0, n);
      left -= n;
    }
    pad(size);
  }

  public void file(String name, TarMeta meta, byte[] content) throws IOException {
    header(name, '0', meta, content.length, "", 0, 0);
    write(content, 0, content.length);
    pad(content.length);
  }

  public void symlink(String name, TarMeta meta, String target) throws IOException {
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("tar: symlink \"" + name + "\" has an invalid target");
    }
    header(name, '2', meta, 0, target, 0, 0);
  }

  /** A hard link to {@code target}, an entry name written earlier. */
  public void hardlink(String name, TarMeta meta, String target) throws IOException {
    String cleanTarget = checkedName(target);
    if (!written.contains(cleanTarget)) {
      throw new IllegalArgumentException(
          "tar: hard link \"" + name + "\" points to \"" + target + "\", which was not written");
    }
    header(name, '1', meta, 0, cleanTarget, 0, 0);
  }

  public void charDevice(String name, TarMeta meta, int major, int minor) throws IOException {
    header(name, '3', meta, 0, "", major, minor);
  }

  public void blockDevice(String name, TarMeta meta, int major, int minor) throws IOException {
    header(name, '4', meta, 0, "", major, minor);
  }

  public void fifo(String name, TarMeta meta) throws IOException {
    header(name, '6', meta, 0, "", 0, 0);
  }

  /** Writes the end-of-archive marker (two zero blocks) and flushes; does not close. */
  public void finish() throws IOException {
    if (!finished) {
      finished = true;
      write(ZERO_BLOCK, 0, BLOCK);
      write(ZERO_BLOCK, 0, BLOCK);
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      out.close();
    }
  }

  private static String checkedName(String raw) {
    TarNames.Problem problem = TarNames.problem(raw);
    if (problem != null) {
      throw new IllegalArgumentException("tar: entry \"" + raw + "\": " + problem.message());
    }
    String clean = TarNames.clean(raw);
    if (clean.equals(".")) {
      throw new IllegalArgumentException("tar: entry \"" + raw + "\": empty name");
    }
    return clean;
  }

  private void header(String rawName, char type, TarMeta meta, long size, String link, int major,
      int minor) throws IOException {
    if (finished) {
      throw new IllegalStateException("tar: writer already finished");
    }
    String name = checkedName(rawName);
    if (!written.add(name)) {
      throw new IllegalArgumentException("tar: duplicate entry \"" + name + "\"");
    }
    String parent = TarNames.parent(name);
    if (parent != null && !written.contains(parent)) {
      written.remove(name);
      directory(parent, TarMeta.of(0755, 0, 0, meta.mtime()));
      written.add(name);
    }
    String headerName = type == '5' ? name + "/" : name;
    byte[] nameBytes = headerName.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);

    TreeMap<String, byte[]> pax = new TreeMap<>();
    if (nameBytes.length > 100 || !isAscii(nameBytes)) {
      pax.put("path", nameBytes);
    }
    if (linkBytes.length > 100 || !isAscii(linkBytes)) {
      pax.put("linkpath", linkBytes);
    }
    if (meta.uid() > MAX_OCTAL_7) {
      pax.put("uid", ascii(Long.toString(meta.uid())));
    }
    if (meta.gid() > MAX_OCTAL_7) {
      pax.put("gid", ascii(Long.toString(meta.gid())));
    }
    if (size > MAX_OCTAL_11) {
      pax.put("size", ascii(Long.toString(size)));
    }
    if (meta.mtime() < 0 || meta.mtime() > MAX_OCTAL_11) {
      pax.put("mtime", ascii(Long.toString(meta.mtime())));
    }
    for (Map.Entry<String, byte[]> x : meta.xattrs().entrySet()) {
      pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
      if (!isUtf8(x.getValue())) {
        pax.put("LIBARCHIVE.xattr." + TarNames.urlEncode(x.getKey()),
            ascii(Base64.getEncoder().withoutPadding().encodeToString(x.getValue())));
      }
    }
    if (!pax.isEmpty()) {
      byte[] records = paxRecords(pax);
      String paxName = paxHeaderName(name);
      byte[] block = ustar(paxName.getBytes(StandardCharsets.UTF_8), 'x', 0644, 0, 0,
          records.length, 0, new byte[0], 0, 0);
      write(block, 0, BLOCK);
      write(records, 0, records.length);
      pad(records.length);
    }
    byte[] block = ustar(nameBytes, type, meta.mode(), Math.min(meta.uid(), MAX_OCTAL_7),
        Math.min(meta.gid(), MAX_OCTAL_7), size > MAX_OCTAL_11 ? 0 : size,
        meta.mtime() < 0 || meta.mtime() > MAX_OCTAL_11 ? 0 : meta.mtime(), linkBytes, major,
        minor);
    write(block, 0, BLOCK);
    entries++;
  }

  private static String paxHeaderName(String name) {
    String parent = TarNames.parent(name);
    String base = parent == null ? name : name.substring(parent.length() + 1);
    String full = (parent == null ? "" : parent + "/") + "PaxHeaders.0/" + base;
    byte[] b = full.getBytes(StandardCharsets.UTF_8);
    if (b.length <= 100 && isAscii(b)) {
      return full;
    }
    return "PaxHeaders.0/entry";
  }

  private static byte[] ustar(byte[] name, char type, int mode, long uid, long gid, long size,
      long mtime, byte[] link, int major, int minor) {
    byte[] h = new byte[BLOCK];
    System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
    System.arraycopy(ascii("ustar"), 0, h, 257, 5);
    h[263] = '0';
    h[264] = '0';
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  /** Zero-padded octal of width-1 digits followed by NUL. */
  private static void octal(byte[] h, int offset, int width, long value) {
    String s = Long.toOctalString(value);
    int digits = width - 1;
    if (s.length() > digits) {
      throw new IllegalArgumentException("tar: value " + value + " does not fit in the header");
    }
    for (int i = 0; i < digits - s.length(); i++) {
      h[offset + i] = '0';
    }
    for (int i = 0; i < s.length(); i++) {
      h[offset + digits - s.length() + i] = (byte) s.charAt(i);
    }
    h[offset + digits] = 0;
  }

  private static byte[] paxRecords(TreeMap<String, byte[]> pax) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue();
      int body = 1 + key.length + 1 + value.length + 1; // " key=value\n"
      int len = body + Integer.toString(body).length();
      if (Integer.toString(len).length() != Integer.toString(body).length()) {
        len = body + Integer.toString(len).length();
      }
      buf.writeBytes(ascii(Integer.toString(len)));
      buf.write(' ');
      buf.writeBytes(key);
      buf.write('=');
      buf.writeBytes(value);
      buf.write('\n');
    }
    return buf.toByteArray();
  }

  private static boolean isAscii(byte[] b) {
    for (byte x : b) {
      if (x < 0x20) { // also every byte >= 0x80, as Java bytes are signed
        return false;
      }
    }
    return true;
  }

  private static boolean isUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private void pad(long size) throws IOException {
    int rem = (int) (size % BLOCK);
    if (rem != 0) {
      write(ZERO_BLOCK, 0, BLOCK - rem);
    }
  }

  private void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    bytes += len;
  }
}
