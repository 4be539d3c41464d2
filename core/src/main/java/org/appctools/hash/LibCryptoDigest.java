package org.appctools.hash;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.security.MessageDigest;
import java.security.ProviderException;

/**
 * SHA-512 or SHA-256 by libcrypto. Input is gathered in a native buffer and handed to OpenSSL a
 * buffer at a time, so the many small updates of a tar reader (512-byte headers) cost a copy each,
 * not a native call each. Not thread-safe, like every {@link MessageDigest}; not cloneable.
 */
final class LibCryptoDigest extends MessageDigest {
  static final int BUFFER = 128 * 1024;
  private static final Cleaner CLEANER = Cleaner.create();

  private final Pointer method;
  private final int length;
  private final Pointer ctx;
  private final Memory buffer = new Memory(BUFFER);
  private int fill;

  private LibCryptoDigest(String algorithm, Pointer method, int length) {
    super(algorithm);
    this.method = method;
    this.length = length;
    Pointer c = LibCrypto.EVP_MD_CTX_new();
    if (c == null) {
      throw new OutOfMemoryError("EVP_MD_CTX_new failed");
    }
    ctx = c;
    CLEANER.register(this, () -> LibCrypto.EVP_MD_CTX_free(c));
    init();
  }

  /** SHA-512; only after {@link LibCrypto#available()} returned true. */
  static LibCryptoDigest sha512() {
    return new LibCryptoDigest("SHA-512", LibCrypto.EVP_sha512(), 64);
  }

  /** SHA-256; only after {@link LibCrypto#available()} returned true. */
  static LibCryptoDigest sha256() {
    return new LibCryptoDigest("SHA-256", LibCrypto.EVP_sha256(), 32);
  }

  private void init() {
    check(LibCrypto.EVP_DigestInit_ex(ctx, method, null), "EVP_DigestInit_ex");
    fill = 0;
  }

  @Override
  protected int engineGetDigestLength() {
    return length;
  }

  @Override
  protected void engineUpdate(byte input) {
    if (fill == BUFFER) {
      drain();
    }
    buffer.setByte(fill++, input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    while (len > 0) {
      if (fill == BUFFER) {
        drain();
      }
      int n = Math.min(len, BUFFER - fill);
      buffer.write(fill, input, offset, n);
      fill += n;
      offset += n;
      len -= n;
    }
  }

  private void drain() {
    check(LibCrypto.EVP_DigestUpdate(ctx, buffer, fill), "EVP_DigestUpdate");
    fill = 0;
  }

  @Override
  protected byte[] engineDigest() {
    if (fill > 0) {
      drain();
    }
    Memory md = new Memory(length);
    check(LibCrypto.EVP_DigestFinal_ex(ctx, md, null), "EVP_DigestFinal_ex");
    byte[] out = md.getByteArray(0, length);
    init();
    return out;
  }

  @Override
  protected void engineReset() {
    init();
  }

  private static void check(int rc, String function) {
    if (rc != 1) {
      throw new ProviderException("libcrypto " + function + " failed");
    }
  }
}
