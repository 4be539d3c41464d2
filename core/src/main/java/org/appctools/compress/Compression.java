package org.appctools.compress;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The compressions an ACI may use. gzip, bzip2 and xz are in the appc spec; zstd is an extension
 * ({@link #inSpec()} is false) that other appc tools cannot read.
 *
 * <p>Every compressor is deterministic: the same input and level give the same bytes whatever the
 * number of cores. gzip writes no mtime and no file name, at the default level 6 like Go's actool,
 * compressed on every core in fixed blocks: by libdeflate when the system has it ({@link
 * LibDeflateGzipOutputStream}, one gzip member per block), else by the JDK's zlib ({@link
 * ParallelGzipOutputStream}, one member as pigz). gzip's bytes are therefore the same on machines
 * with the same libdeflate version, or with the same zlib when zlib is forced: system property
 * {@code appctools.gzip=zlib} or environment variable {@code APPCTOOLS_GZIP=zlib} (the property
 * wins). An Image ID, the hash of the uncompressed tar, never depends on the compressor.
 *
 * <p>zstd runs libzstd's multi-threaded mode with one worker per core and never its single-thread
 * mode: with at least one worker, libzstd cuts the input into jobs whose size depends only on the
 * level, so its output is the same bytes for any number of workers (checked by {@code
 * CompressionTest}); the single-thread mode would give other bytes.
 */
public enum Compression {
  GZIP("gzip", true, 1, 9, 6),
  BZIP2("bzip2", true, 1, 9, 9),
  XZ("xz", true, 0, 9, 6),
  ZSTD("zstd", false, 1, 19, 3),
  NONE("none", true, 0, 0, 0);

  /** Buffer size used around every codec. */
  public static final int BUFFER_SIZE = 64 * 1024;

  /** How many leading bytes {@link #detect(byte[])} wants to see (plain tar needs 262). */
  public static final int DETECT_BYTES = 512;

  /** The system property that forces the JDK's zlib for gzip when it is {@code zlib}. */
  public static final String GZIP_PROPERTY = "appctools.gzip";

  /** The environment variable read as {@link #GZIP_PROPERTY} when the property is not set. */
  public static final String GZIP_ENV = "APPCTOOLS_GZIP";

  /** Set by {@link #prepareGzip()}: gzip reading may use libdeflate. */
  private static volatile boolean gzipPrepared;

  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final byte[] BZIP2_MAGIC = {0x42, 0x5a, 0x68};
  private static final byte[] XZ_MAGIC = {(byte) 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
  private static final byte[] USTAR_MAGIC = {'u', 's', 't', 'a', 'r'};
  private static final int USTAR_OFFSET = 257;

  private final String wireName;
  private final boolean inSpec;
  private final int minLevel;
  private final int maxLevel;
  private final int defaultLevel;

  Compression(String wireName, boolean inSpec, int minLevel, int maxLevel, int defaultLevel) {
    this.wireName = wireName;
    this.inSpec = inSpec;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
  }

  /**
   * The level {@link #compress(OutputStream)} uses: gzip 6 (as gzip and Go's actool), bzip2 9
   * (900 KiB blocks, as bzip2), xz 6 (as xz), zstd 3 (as zstd); 0 for none.
   */
  public int defaultLevel() {
    return defaultLevel;
  }

  /**
   * Checks a level for this compression: gzip and bzip2 1-9, xz 0-9, zstd 1-19 (as the zstd
   * command without {@code --ultra}: levels 20-22 take hundreds of MiB of memory); none takes no
   * level. Returns it.
   *
   * @throws IllegalArgumentException naming the level, the compression and the range
   */
  public int checkLevel(int level) {
    if (this == NONE) {
      throw new IllegalArgumentException("compression none takes no level (drop the level or "
          + "choose gzip, bzip2, xz or zstd)");
    }
    if (level < minLevel || level > maxLevel) {
      throw new IllegalArgumentException("compression level " + level + " is out of range for "
          + wireName + " (use " + minLevel + "-" + maxLevel + ")");
    }
    return level;
  }

  /** The name used on command lines and in messages: gzip, bzip2, xz, zstd or none. */
  public String wireName() {
    return wireName;
  }

  /** Whether the appc spec allows this compression (zstd is an extension). */
  public boolean inSpec() {
    return inSpec;
  }

  /**
   * Detects the compression from the first bytes of a file, like Go's {@code
   * aci.DetectFileType}. Returns {@link #NONE} for a plain tar ({@code ustar} at offset 257) and
   * {@code null} when the bytes are none of these.
   */
  public static Compression detect(byte[] head) {
    if (startsWith(head, 0, GZIP_MAGIC)) {
      return GZIP;
    }
    if (startsWith(head, 0, BZIP2_MAGIC)) {
      return BZIP2;
    }
    if (startsWith(head, 0, XZ_MAGIC)) {
      return XZ;
    }
    if (startsWith(head, 0, ZSTD_MAGIC)) {
      return ZSTD;
    }
    if (startsWith(head, USTAR_OFFSET, USTAR_MAGIC)) {
      return NONE;
    }
    return null;
  }

  /** Parses gzip, bzip2, xz, zstd or none (case-insensitive). */
  public static Compression fromName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      if (c.wireName.equals(n)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown compression \"" + name + "\" (use gzip, bzip2, xz, zstd or none)");
  }

  /**
   * Wraps {@code in} (compressed) in a buffered decompressor; closing it closes {@code in}. gzip
   * reads every member of a multi-member file (as this class writes with libdeflate), from any
   * stream.
   */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        if (gzipPrepared && !zlibForced() && LibDeflate.available()) {
          return new LibDeflateGzipInputStream(in);
        }
        // every member of a multi-member file, also from a pipe (see PeekingBufferedInputStream)
        return new GZIPInputStream(new PeekingBufferedInputStream(in, BUFFER_SIZE), BUFFER_SIZE);
      case BZIP2:
        return new BufferedInputStream(new BZip2CompressorInputStream(buffered(in), true), BUFFER_SIZE);
      case XZ:
        return new BufferedInputStream(new XZInputStream(buffered(in)), BUFFER_SIZE);
      case ZSTD:
        return new BufferedInputStream(new ZstdInputStream(buffered(in)), BUFFER_SIZE);
      case NONE:
        return buffered(in);
      default:
        throw new IllegalStateException(name());
    }
  }

  /**
   * Wraps {@code out} in a buffered compressor at the {@link #defaultLevel()}; closing the result
   * finishes the compressed stream and closes {@code out}.
   */
  public OutputStream compress(OutputStream out) throws IOException {
    return compress(out, defaultLevel);
  }

  /**
   * Wraps {@code out} in a buffered compressor at {@code level} (see {@link #checkLevel}; none
   * ignores it); closing the result finishes the compressed stream and closes {@code out}. gzip
   * and zstd compress on every core.
   */
  public OutputStream compress(OutputStream out, int level) throws IOException {
    if (this != NONE) {
      checkLevel(level);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    switch (this) {
      case GZIP:
        return new BufferedOutputStream(gzip(out, level, cores), BUFFER_SIZE);
      case BZIP2:
        return new BufferedOutputStream(new BZip2CompressorOutputStream(out, level), BUFFER_SIZE);
      case XZ:
        return new BufferedOutputStream(new XZOutputStream(out, new LZMA2Options(level)), BUFFER_SIZE);
      case ZSTD:
        return new BufferedOutputStream(zstd(out, level, cores), BUFFER_SIZE);
      case NONE:
        return new BufferedOutputStream(out, BUFFER_SIZE);
      default:
        throw new IllegalStateException(name());
    }
  }

  /**
   * gzip on {@code threads} threads: libdeflate when it loads and zlib is not forced ({@code
   * appctools.gzip} or {@code APPCTOOLS_GZIP} = {@code zlib}), else the JDK's zlib. Levels 1-9
   * mean the same to both.
   */
  static OutputStream gzip(OutputStream out, int level, int threads) throws IOException {
    if (!zlibForced() && LibDeflate.available()) {
      return new LibDeflateGzipOutputStream(out, level, threads);
    }
    return new ParallelGzipOutputStream(out, level, threads);
  }

  /**
   * Loads libdeflate (through JNA, some 0.1 s at start-up) unless zlib is forced, so that a
   * command that will write or read much gzip can do it on another thread while it starts. Gzip
   * writing loads it anyway on its first stream; gzip reading uses it only after this was called
   * (a stream opened while the load runs waits for it): {@link LibDeflateGzipInputStream}, which
   * decompresses files of small members (ours) several times faster than zlib, is worth the load
   * only for large files, and commands that read a few entries (cat-manifest) never pay it.
   * ISA-L, which reads files of one large member, is loaded (and checked) too. Never fails: when
   * nothing loads, gzip uses the JDK's zlib.
   */
  public static void prepareGzip() {
    if (!zlibForced()) {
      gzipPrepared = true;
      LibDeflate.available();
      IsaL.available();
    }
  }

  /** Whether the system property {@code appctools.gzip}, else {@code APPCTOOLS_GZIP}, is zlib. */
  static boolean zlibForced() {
    String choice = System.getProperty(GZIP_PROPERTY, System.getenv(GZIP_ENV));
    return "zlib".equalsIgnoreCase(choice == null ? null : choice.trim());
  }

  /** libzstd in its multi-threaded mode with {@code workers} (at least one) worker threads. */
  static OutputStream zstd(OutputStream out, int level, int workers) throws IOException {
    return new ZstdOutputStream(out, level).setWorkers(Math.max(1, workers));
  }

  @Override
  public String toString() {
    return wireName;
  }

  private static InputStream buffered(InputStream in) {
    return new BufferedInputStream(in, BUFFER_SIZE);
  }

  private static boolean startsWith(byte[] head, int offset, byte[] magic) {
    if (head == null || head.length < offset + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[offset + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }
}
