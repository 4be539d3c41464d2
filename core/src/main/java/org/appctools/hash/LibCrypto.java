package org.appctools.hash;

import com.sun.jna.Pointer;
import org.appctools.jna.DirectMapping;

/**
 * The few functions of OpenSSL's libcrypto (the system's {@code libcrypto.so.3}, Debian package
 * {@code libssl3}) that SHA-512 and SHA-256 need, bound through JNA's direct mapping. Loaded once,
 * when the class is first used; the functions may be called only after {@link #available()}
 * returned true.
 */
final class LibCrypto {
  /** OpenSSL 3's soname first, then 1.1's (same EVP functions), then JNA's own lookup. */
  private static final String[] NAMES = {"libcrypto.so.3", "libcrypto.so.1.1", "crypto"};

  private static final boolean AVAILABLE = load();

  private LibCrypto() {}

  /**
   * Whether libcrypto and JNA's native part loaded on a 64-bit machine ({@code size_t} is bound
   * as {@code long}) and gave the SHA-512 and SHA-256 methods. Tried once; any failure means false.
   */
  static boolean available() {
    return AVAILABLE;
  }

  private static boolean load() {
    if (!DirectMapping.register(LibCrypto.class, NAMES)) {
      return false;
    }
    try {
      return EVP_sha512() != null && EVP_sha256() != null;
    } catch (UnsatisfiedLinkError missingSymbol) {
      return false;
    }
  }

  /** The SHA-512 method; static, never freed. */
  static native Pointer EVP_sha512();

  /** The SHA-256 method; static, never freed. */
  static native Pointer EVP_sha256();

  /** A new digest context, or null when out of memory. */
  static native Pointer EVP_MD_CTX_new();

  /** Frees a context from {@link #EVP_MD_CTX_new()}. */
  static native void EVP_MD_CTX_free(Pointer ctx);

  /** (Re)starts {@code ctx} on {@code type}; {@code impl} null. Returns 1 on success. */
  static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer impl);

  /** Hashes {@code count} bytes at {@code data}. Returns 1 on success. */
  static native int EVP_DigestUpdate(Pointer ctx, Pointer data, long count);

  /**
   * Writes the digest to {@code md} (64 bytes for SHA-512, 32 for SHA-256); {@code size} may be
   * null.
   */
  static native int EVP_DigestFinal_ex(Pointer ctx, Pointer md, Pointer size);
}
