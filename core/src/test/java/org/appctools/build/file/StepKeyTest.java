package org.appctools.build.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepKeyTest {
  @Test
  void of_partsLengthPrefixed_differentSplitsDiffer() {
    assertThat(StepKey.of(null, List.of("ab", "c"))).isNotEqualTo(StepKey.of(null, List.of("a", "bc")));
    assertThat(StepKey.of("p", List.of("a"))).isNotEqualTo(StepKey.of("q", List.of("a")));
  }

  @Test
  void of_sameInput_sameKey_64HexDigits() {
    assertThat(StepKey.of("p", List.of("RUN x"))).isEqualTo(StepKey.of("p", List.of("RUN x"))).matches("[0-9a-f]{64}");
  }
}
