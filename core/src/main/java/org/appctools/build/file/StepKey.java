package org.appctools.build.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The cache key of a build step: SHA-256 (64 hex digits) of the parent step's key and the step's
 * parts (the instruction after substitution, its flags, the values it depends on, the digest of
 * its input files), each length-prefixed so that no two lists of parts hash alike.
 */
public final class StepKey {
  /** Changes whenever the meaning of a saved state changes, so old entries are never reused. */
  static final String VERSION = "appctools-build-cache-1";

  private StepKey() {}

  /** The key of a step with these parts under {@code parent} (null for the first). */
  public static String of(String parent, List<String> parts) {
    MessageDigest d = sha256();
    update(d, VERSION);
    update(d, parent == null ? "" : parent);
    for (String p : parts) {
      update(d, p);
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static void update(MessageDigest d, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
    d.update(b);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JRE", e);
    }
  }
}
