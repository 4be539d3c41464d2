package org.appctools.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.appctools.SystemLibraries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibCryptoDigestTest {
  /**
   * libssl3 is installed by .ci/fixtures.sh packages: missing, these tests are skipped on a
   * developer's machine and fail in CI.
   */
  @BeforeAll
  static void requireLibCrypto() {
    SystemLibraries.require(LibCrypto.available(), "libcrypto");
  }

  @Test
  void digest_emptyInput_isTheKnownValue() {
    assertThat(HexFormat.of().formatHex(LibCryptoDigest.sha512().digest())).isEqualTo(
        "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    assertThat(HexFormat.of().formatHex(LibCryptoDigest.sha256().digest())).isEqualTo(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void sha256_inPieces_matchesTheJdk() {
    byte[] data = new byte[LibCryptoDigest.BUFFER * 2 + 333];
    new Random(256).nextBytes(data);
    MessageDigest ours = LibCryptoDigest.sha256();
    for (int off = 0; off < data.length; off += 1000) {
      ours.update(data, off, Math.min(1000, data.length - off));
    }
    assertThat(ours.getDigestLength()).isEqualTo(32);
    assertThat(ours.getAlgorithm()).isEqualTo("SHA-256");
    assertThat(ours.digest()).isEqualTo(Hashes.jdk("SHA-256").digest(data));
  }

  /** Pieces of each size, so updates straddle the native buffer's end in every way. */
  @ParameterizedTest
  @ValueSource(ints = {1, 511, 512, 4096, LibCryptoDigest.BUFFER - 1, LibCryptoDigest.BUFFER,
      LibCryptoDigest.BUFFER + 1, 3 * LibCryptoDigest.BUFFER})
  void update_inPiecesOfEachSize_matchesTheJdk(int piece) {
    byte[] data = new byte[LibCryptoDigest.BUFFER * 3 + 777];
    new Random(piece).nextBytes(data);
    MessageDigest ours = LibCryptoDigest.sha512();
    for (int off = 0; off < data.length; off += piece) {
      ours.update(data, off, Math.min(piece, data.length - off));
    }
    assertThat(ours.digest()).isEqualTo(Hashes.jdk("SHA-512").digest(data));
  }

  @Test
  void update_singleBytesAcrossTheBuffer_matchesTheJdk() {
    byte[] data = new byte[LibCryptoDigest.BUFFER + 5];
    new Random(7).nextBytes(data);
    MessageDigest ours = LibCryptoDigest.sha512();
    for (byte b : data) {
      ours.update(b);
    }
    assertThat(ours.digest()).isEqualTo(Hashes.jdk("SHA-512").digest(data));
  }

  @Test
  void digest_twice_startsAfreshAfterTheFirst() {
    MessageDigest ours = LibCryptoDigest.sha512();
    ours.update("first".getBytes());
    ours.digest();
    ours.update("abc".getBytes());
    assertThat(ours.digest()).isEqualTo(Hashes.jdk("SHA-512").digest("abc".getBytes()));
  }

  @Test
  void reset_dropsWhatWasBuffered() {
    MessageDigest ours = LibCryptoDigest.sha512();
    ours.update(new byte[1000]);
    ours.reset();
    ours.update("abc".getBytes());
    assertThat(ours.digest()).isEqualTo(Hashes.jdk("SHA-512").digest("abc".getBytes()));
  }

  @Test
  void hashes_javaForced_givesTheJdks() {
    String before = System.getProperty(Hashes.PROPERTY);
    System.setProperty(Hashes.PROPERTY, " Java ");
    try {
      assertThat(Hashes.sha512()).isNotInstanceOf(LibCryptoDigest.class);
      assertThat(Hashes.sha256()).isNotInstanceOf(LibCryptoDigest.class);
      assertThat(Hashes.nativeChosen()).isFalse();
    } finally {
      if (before == null) {
        System.clearProperty(Hashes.PROPERTY);
      } else {
        System.setProperty(Hashes.PROPERTY, before);
      }
    }
    assertThat(Hashes.sha512()).isInstanceOf(LibCryptoDigest.class);
    assertThat(Hashes.sha256()).isInstanceOf(LibCryptoDigest.class);
  }

}
