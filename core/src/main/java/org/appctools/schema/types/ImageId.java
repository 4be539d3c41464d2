package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * An Image ID: {@code sha512-} followed by lowercase hex. A full ID has 128 hex digits; shorter
 * ones are accepted because rkt writes IDs truncated to 64 digits into pod manifests and accepts
 * prefixes for look-up ({@link #isFull()} tells them apart). Non-hex values, which the Go reference
 * lets through, are rejected: they can never match an image.
 */
public record ImageId(String value) {
  static final String RULE = "must be sha512- followed by 1 to 128 lowercase hex digits";
  private static final Pattern PATTERN = Pattern.compile("sha512-[0-9a-f]{1,128}");

  public ImageId {
    if (value == null || !PATTERN.matcher(value).matches()) {
      throw InvalidValueException.of("Image ID", String.valueOf(value), RULE);
    }
  }

  @JsonCreator
  public static ImageId parse(String value) {
    return new ImageId(value);
  }

  /** The ID of a SHA-512 digest given as 64 bytes. */
  public static ImageId ofDigest(byte[] sha512) {
    if (sha512.length != 64) {
      throw new IllegalArgumentException("a SHA-512 digest has 64 bytes, got " + sha512.length);
    }
    return new ImageId("sha512-" + java.util.HexFormat.of().formatHex(sha512));
  }

  /** The hex digits after {@code sha512-}. */
  public String hex() {
    return value.substring("sha512-".length());
  }

  /** Whether this is a complete 128-digit SHA-512 rather than a prefix. */
  public boolean isFull() {
    return hex().length() == 128;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  // Written out rather than generated: a record's generated equals and hashCode are bootstrapped
  // through method handles on first use, which costs a short-lived command milliseconds.
  @Override
  public boolean equals(Object o) {
    return o instanceof ImageId other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
