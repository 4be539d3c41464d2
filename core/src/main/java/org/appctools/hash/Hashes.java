package org.appctools.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * New SHA-512 and SHA-256 digests: libcrypto's ({@link LibCryptoDigest}) when it loads, else the
 * JDK's. System property {@code appctools.hash=java}, or environment variable {@code
 * APPCTOOLS_HASH=java} when the property is not set, forces the JDK's.
 */
public final class Hashes {
  /** The system property that forces the JDK's digests when it is {@code java}. */
  public static final String PROPERTY = "appctools.hash";

  /** The environment variable read as {@link #PROPERTY} when the property is not set. */
  public static final String ENV = "APPCTOOLS_HASH";

  private Hashes() {}

  /** A new SHA-512 digest (Image IDs, tree checksums). */
  public static MessageDigest sha512() {
    return nativeChosen() ? LibCryptoDigest.sha512() : jdk("SHA-512");
  }

  /** A new SHA-256 digest (OCI and Docker blobs). */
  public static MessageDigest sha256() {
    return nativeChosen() ? LibCryptoDigest.sha256() : jdk("SHA-256");
  }

  /** The JDK's digest of {@code algorithm} (SHA-512 or SHA-256), whatever the choice. */
  public static MessageDigest jdk(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required of every JRE", e);
    }
  }

  /** Whether the digests are libcrypto's: not forced to the JDK's, and it loads. */
  public static boolean nativeChosen() {
    String choice = System.getProperty(PROPERTY, System.getenv(ENV));
    boolean javaForced =
        choice != null && "java".equals(choice.trim().toLowerCase(Locale.ROOT));
    return !javaForced && LibCrypto.available();
  }
}
