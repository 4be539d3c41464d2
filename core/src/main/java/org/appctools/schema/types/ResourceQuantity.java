package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource quantity as the Go reference (Kubernetes {@code resource.Quantity}) reads it: a
 * non-negative decimal number with an optional suffix, decimal {@code n u m k M G T P E}, binary
 * {@code Ki Mi Gi Ti Pi Ei}, or an exponent {@code e3}. Upper-case {@code K} is rejected as the
 * reference rejects it, although the spec prose lists it. The string is kept as given.
 */
public record ResourceQuantity(String value) {
  private static final Pattern PATTERN =
      Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?");
  static final String RULE =
      "must be a non-negative number with an optional suffix n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent like e3";

  public ResourceQuantity {
    if (value == null || value.isEmpty()) {
      throw InvalidValueException.of("resource quantity", "", "must not be empty");
    }
    Matcher m = PATTERN.matcher(value);
    if (!m.matches()) {
      if (value.endsWith("K") && PATTERN.matcher(value.substring(0, value.length() - 1) + "k").matches()) {
        throw InvalidValueException.of("resource quantity", value, "the decimal kilo suffix is lowercase k");
      }
      throw InvalidValueException.of("resource quantity", value, RULE);
    }
  }

  @JsonCreator
  public static ResourceQuantity parse(String value) {
    return new ResourceQuantity(value);
  }

  /** The exact amount in base units (bytes, cores, operations). */
  public BigDecimal amount() {
    Matcher m = PATTERN.matcher(value);
    m.matches();
    BigDecimal n = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
    String s = m.group(2);
    if (s == null) {
      return n;
    }
    return switch (s) {
      case "n" -> n.scaleByPowerOfTen(-9);
      case "u" -> n.scaleByPowerOfTen(-6);
      case "m" -> n.scaleByPowerOfTen(-3);
      case "k" -> n.scaleByPowerOfTen(3);
      case "M" -> n.scaleByPowerOfTen(6);
      case "G" -> n.scaleByPowerOfTen(9);
      case "T" -> n.scaleByPowerOfTen(12);
      case "P" -> n.scaleByPowerOfTen(15);
      case "E" -> n.scaleByPowerOfTen(18);
      case "Ki" -> n.multiply(BigDecimal.valueOf(1L << 10));
      case "Mi" -> n.multiply(BigDecimal.valueOf(1L << 20));
      case "Gi" -> n.multiply(BigDecimal.valueOf(1L << 30));
      case "Ti" -> n.multiply(BigDecimal.valueOf(1L << 40));
      case "Pi" -> n.multiply(BigDecimal.valueOf(1L << 50));
      case "Ei" -> n.multiply(BigDecimal.valueOf(1L << 60));
      default -> n.scaleByPowerOfTen(Integer.parseInt(s.substring(1)));
    };
  }

  /** The amount in base units rounded up, like Go's {@code Value()}; saturates at Long.MAX_VALUE. */
  public long longValue() {
    return saturate(amount().setScale(0, RoundingMode.CEILING));
  }

  /** The amount in thousandths rounded up, like Go's {@code MilliValue()}: use this for CPU. */
  public long milliValue() {
    return saturate(amount().scaleByPowerOfTen(3).setScale(0, RoundingMode.CEILING));
  }

  private static long saturate(BigDecimal d) {
    return d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : d.longValueExact();
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
