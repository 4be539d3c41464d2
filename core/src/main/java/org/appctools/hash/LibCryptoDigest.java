package org.appctools.hash;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.security.MessageDigest;
import java.security.ProviderException;

/**
 * SHA-512 by libcrypto. Input is gathered in a native buffer and handed to OpenSSL a buffer at a
 * time, so the many small updates of a tar reader (512-byte headers) cost a copy each, not a
 * native call each. Not thread-safe, like every {@link MessageDigest}; not cloneable.
 */
final class LibCryptoSha512 extends MessageDigest {
  static final int BUFFER = 128 * 1024;
  private static final Cleaner CLEANER = Cleaner.create();

  private final Pointer ctx;
  private final Memory buffer = new Memory(BUFFER);
  private int fill;

  LibCryptoSha512() {
    super("SHA-512");
    Pointer c = LibCrypto.EVP_MD_CTX_new();
    if (c == null) {
      throw new OutOfMemoryError("EVP_MD_CTX_new failed");
    }
    ctx = c;
    CLEANER.register(this, () -> LibCrypto.EVP_MD_CTX_free(c));
    init();
  }

  private void init() {
    check(LibCrypto.EVP_DigestInit_ex(ctx, LibCrypto.EVP_sha512(), null), "EVP_DigestInit_ex");
    fill = 0;
  }

  @Override
  protected int engineGetDigestLength() {
    return 64;
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
    Memory md = new Memory(64);
    check(LibCrypto.EVP_DigestFinal_ex(ctx, md, null), "EVP_DigestFinal_ex");
    byte[] out = md.getByteArray(0, 64);
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
