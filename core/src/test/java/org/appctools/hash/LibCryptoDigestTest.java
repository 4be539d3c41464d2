package org.appctools.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibCryptoSha512Test {
  /**
   * libssl3 is installed by .ci/fixtures.sh packages: missing, these tests are skipped on a
   * developer's machine and fail in CI.
   */
  @BeforeAll
  static void requireLibCrypto() {
    if (!LibCrypto.available() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("libcrypto did not load: run .ci/fixtures.sh packages");
    }
    assumeTrue(LibCrypto.available(), "libcrypto did not load: run .ci/fixtures.sh packages");
  }

  @Test
  void digest_emptyInput_isTheKnownValue() {
    assertThat(HexFormat.of().formatHex(new LibCryptoSha512().digest())).isEqualTo(
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  }

  /** Pieces of each size, so updates straddle the native buffer's end in every way. */
  @ParameterizedTest
  @ValueSource(ints = {1, 511, 512, 4096, LibCryptoSha512.BUFFER - 1, LibCryptoSha512.BUFFER,
      LibCryptoSha512.BUFFER + 1, 3 * LibCryptoSha512.BUFFER})
  void update_inPiecesOfEachSize_matchesTheJdk(int piece) {
    byte[] data = new byte[LibCryptoSha512.BUFFER * 3 + 777];
    new Random(piece).nextBytes(data);
    MessageDigest ours = new LibCryptoSha512();
    for (int off = 0; off < data.length; off += piece) {
      ours.update(data, off, Math.min(piece, data.length - off));
    }
    assertThat(ours.digest()).isEqualTo(Sha512.jdk().digest(data));
  }

  @Test
  void update_singleBytesAcrossTheBuffer_matchesTheJdk() {
    byte[] data = new byte[LibCryptoSha512.BUFFER + 5];
    new Random(7).nextBytes(data);
    MessageDigest ours = new LibCryptoSha512();
    for (byte b : data) {
      ours.update(b);
    }
    assertThat(ours.digest()).isEqualTo(Sha512.jdk().digest(data));
  }

  @Test
  void digest_twice_startsAfreshAfterTheFirst() {
    MessageDigest ours = new LibCryptoSha512();
    ours.update("first".getBytes());
    ours.digest();
    ours.update("abc".getBytes());
    assertThat(ours.digest()).isEqualTo(Sha512.jdk().digest("abc".getBytes()));
  }

  @Test
  void reset_dropsWhatWasBuffered() {
    MessageDigest ours = new LibCryptoSha512();
    ours.update(new byte[1000]);
    ours.reset();
    ours.update("abc".getBytes());
    assertThat(ours.digest()).isEqualTo(Sha512.jdk().digest("abc".getBytes()));
  }

  @Test
  void newDigest_javaForced_givesTheJdks() {
    String before = System.getProperty(Sha512.PROPERTY);
    System.setProperty(Sha512.PROPERTY, " Java ");
    try {
      assertThat(Sha512.newDigest()).isNotInstanceOf(LibCryptoSha512.class);
      assertThat(Sha512.nativeChosen()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty(Sha512.PROPERTY);
      } else {
        System.setProperty(Sha512.PROPERTY, before);
      }
    }
    assertThat(Sha512.newDigest()).isInstanceOf(LibCryptoSha512.class);
  }
}
