package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceQuantityTest {

  @ParameterizedTest
  @CsvSource({"1,1", "300m,0.3", "0.3,0.3", "1k,1000", "1M,1000000", "1G,1000000000", "1T,1000000000000",
      "1Ki,1024", "1Mi,1048576", "2Gi,2147483648", "1.5Gi,1610612736", "1e3,1000", "5E-3,0.005", "100n,0.0000001",
      "1u,0.000001", ".5,0.5", "1.,1"})
  void amount_units_exact(String s, String expected) {
    assertThat(ResourceQuantity.parse(s).amount()).isEqualByComparingTo(new BigDecimal(expected));
    assertThat(ResourceQuantity.parse(s).toString()).isEqualTo(s);
  }

  @ParameterizedTest
  @CsvSource({"500m,500,1", "1,1000,1", "0.3,300,1", "1.5,1500,2", "1m,1,1", "0.1m,1,1", "2,2000,2"})
  void milliValueAndLongValue_roundUpLikeGo(String s, long milli, long value) {
    ResourceQuantity q = ResourceQuantity.parse(s);

    assertThat(q.milliValue()).isEqualTo(milli);
    assertThat(q.longValue()).isEqualTo(value);
  }

  @Test
  void parse_upperCaseK_throwsWithHint() {
    assertThatThrownBy(() -> ResourceQuantity.parse("1K"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid resource quantity \"1K\": the decimal kilo suffix is lowercase k");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1KB", "1gi", "abc", "1 G", "1.2.3", "Gi"})
  void parse_invalid_throws(String s) {
    assertThatThrownBy(() -> ResourceQuantity.parse(s))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid resource quantity \"" + s
            + "\": must be a non-negative number with an optional suffix n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent like e3");
  }
}
