package org.appctools.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.appctools.compress.Compression;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

class CompressionLevelsTest {
  private final CommandSpec spec = CommandSpec.create().name("write");

  @Test
  void checked_none_isTheDefault() {
    assertThat(CompressionLevels.checked(spec, Compression.GZIP, null)).isEqualTo(6);
    assertThat(CompressionLevels.checked(spec, Compression.ZSTD, null)).isEqualTo(3);
  }

  @Test
  void checked_inRange_isKept() {
    assertThat(CompressionLevels.checked(spec, Compression.XZ, 0)).isZero();
  }

  @Test
  void checked_outOfRangeOrWithNone_isAUsageErrorNamingTheFlag() {
    new picocli.CommandLine(spec);
    assertThatThrownBy(() -> CompressionLevels.checked(spec, Compression.ZSTD, 20)).isInstanceOf(ParameterException.class)
        .hasMessage("--compression-level: compression level 20 is out of range for zstd (use 1-19)");
    assertThatThrownBy(() -> CompressionLevels.checked(spec, Compression.NONE, 1)).isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--compression-level: compression none takes no level");
  }
}
