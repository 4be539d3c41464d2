package org.appctools.cli.actool;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations written as Go's {@code time.ParseDuration} reads them, as rkt's flags take them:
 * a sequence of decimal numbers with units {@code ns}, {@code us} ({@code µs}), {@code ms},
 * {@code s}, {@code m}, {@code h}, e.g. {@code 24h}, {@code 1h30m}, {@code 1.5h}; a bare {@code
 * 0} is zero. Negative durations are refused.
 */
final class GoDuration implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
      "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    if (value.equals("0") || value.equals("+0")) {
      return Duration.ZERO;
    }
    String s = value.startsWith("+") ? value.substring(1) : value;
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      at = m.end();
    }
    if (s.isEmpty() || at != s.length()) {
      throw new TypeConversionException("invalid duration \"" + value + "\": write it like 24h, 30m or 1h30m "
          + "(units ns, us, ms, s, m, h)");
    }
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new TypeConversionException("invalid duration \"" + value + "\": too long (at most about 292 years)");
    }
  }
}
