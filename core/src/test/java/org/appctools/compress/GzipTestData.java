package org.appctools.compress;

import java.util.Random;
import org.appctools.SystemLibraries;

/** What the gzip stream tests share: their input and the libdeflate precondition. */
final class GzipTestData {
  private GzipTestData() {}

  /** Half random, half repetitive, so both stored-like and well-compressed blocks occur. */
  static byte[] halfRandom(int size) {
    byte[] d = new byte[size];
    new Random(size).nextBytes(d);
    for (int i = size / 2; i < size; i++) {
      d[i] = (byte) ("appc ".charAt(i % 5));
    }
    return d;
  }

  /**
   * libdeflate0 is installed by .ci/fixtures.sh packages: missing, the calling tests are skipped
   * on a developer's machine and fail in CI.
   */
  static void requireLibDeflate() {
    SystemLibraries.require(LibDeflate.available(), "libdeflate.so.0");
  }
}
