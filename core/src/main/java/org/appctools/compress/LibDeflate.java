package org.appctools.compress;

import com.sun.jna.Pointer;
import org.appctools.jna.DirectMapping;

/**
 * The few functions of libdeflate (the system's {@code libdeflate.so.0}, Debian package {@code
 * libdeflate0}) that gzip compression needs, bound through JNA's direct mapping: no C build step.
 * The library is loaded once, when this class is first used, so commands that never write gzip
 * never load JNA. The functions may be called only after {@link #available()} returned
 * true. A compressor is not thread-safe: one thread uses it at a time.
 */
final class LibDeflate {
  /** The names tried in order: Debian's (and most systems') soname, then JNA's own lookup. */
  private static final String[] NAMES = {"libdeflate.so.0", "deflate"};

  /** Loaded when the class is first used: by {@link #available()} or a function's first call. */
  private static final boolean AVAILABLE = load();

  private LibDeflate() {}

  /**
   * Whether libdeflate and JNA's native part loaded, on a 64-bit machine (the bindings map {@code
   * size_t} to {@code long}). Tried once; any failure means false, and gzip falls back to the
   * JDK's zlib.
   */
  static boolean available() {
    return AVAILABLE;
  }

  private static boolean load() {
    return DirectMapping.register(LibDeflate.class, NAMES);
  }

  /** A compressor at {@code level} (0-12; ours pass 1-9), or null when out of memory. */
  static native Pointer libdeflate_alloc_compressor(int level);

  /**
   * Compresses {@code in} into one complete gzip member (header without mtime or name, CRC-32 and
   * size trailer) in {@code out}; returns the member's size, or 0 when it does not fit.
   */
  static native long libdeflate_gzip_compress(Pointer compressor, Pointer in, long inBytes,
      Pointer out, long outBytesAvailable);

  /** The largest member {@link #libdeflate_gzip_compress} can make of {@code inBytes}. */
  static native long libdeflate_gzip_compress_bound(Pointer compressor, long inBytes);

  /** Frees a compressor from {@link #libdeflate_alloc_compressor}. */
  static native void libdeflate_free_compressor(Pointer compressor);

  /** {@link #libdeflate_gzip_decompress_ex}: the member was decompressed. */
  static final int SUCCESS = 0;
  /** {@link #libdeflate_gzip_decompress_ex}: the output buffer was too small for the member. */
  static final int INSUFFICIENT_SPACE = 3;

  /** A decompressor, or null when out of memory. */
  static native Pointer libdeflate_alloc_decompressor();

  /**
   * Decompresses the one gzip member at the start of {@code in} into {@code out}, checking its
   * CRC-32 and size; writes the bytes of input it used to {@code actualIn} and of output it made
   * to {@code actualOut}. Returns {@link #SUCCESS}, 1 (bad or incomplete data), 2 (short output) or
   * {@link #INSUFFICIENT_SPACE}.
   */
  static native int libdeflate_gzip_decompress_ex(Pointer decompressor, Pointer in, long inBytes,
      Pointer out, long outBytesAvailable, Pointer actualIn, Pointer actualOut);

  /** Frees a decompressor from {@link #libdeflate_alloc_decompressor}. */
  static native void libdeflate_free_decompressor(Pointer decompressor);
}
