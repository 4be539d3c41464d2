package org.appctools.hash;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * New SHA-512 digests: libcrypto's ({@link LibCryptoSha512}) when it loads, else the JDK's.
 * System property {@code appctools.sha512=java}, or environment variable {@code
 * APPCTOOLS_SHA512=java} when the property is not set, forces the JDK's.
 */
public final class Sha512 {
  /** The system property that forces the JDK's SHA-512 when it is {@code java}. */
  public static final String PROPERTY = "appctools.sha512";

  /** The environment variable read as {@link #PROPERTY} when the property is not set. */
  public static final String ENV = "APPCTOOLS_SHA512";

  private Sha512() {}

  /** A new SHA-512 digest. */
  public static MessageDigest newDigest() {
    if (nativeChosen()) {
      return new LibCryptoSha512();
    }
    return jdk();
  }

  /** The JDK's SHA-512, whatever the choice. */
  public static MessageDigest jdk() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required of every JRE", e);
    }
  }

  /** Whether {@link #newDigest()} gives libcrypto's: not forced to the JDK's, and it loads. */
  public static boolean nativeChosen() {
    String choice = System.getProperty(PROPERTY, System.getenv(ENV));
    boolean javaForced =
        choice != null && "java".equals(choice.trim().toLowerCase(Locale.ROOT));
    return !javaForced && LibCrypto.available();
  }
}
