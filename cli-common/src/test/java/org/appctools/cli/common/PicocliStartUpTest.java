package org.appctools.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

class PicocliStartUpTest {
  @Command(name = "tool", subcommands = Tool.Sub.class)
  static final class Tool {
    @Option(names = "--timeout", converter = Seconds.class) Duration timeout;
    @Option(names = "--file") Path file;

    @Command(name = "sub")
    static final class Sub {
      @Option(names = "--grace") Duration grace;
      @Parameters(paramLabel = "WHEN", arity = "0..1") Instant when;
    }
  }

  static final class Seconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
  }

  @Test
  void optionsNeedingExcludedConverters_javaTimeTypesWithoutConverter_areListed() {
    assertThat(PicocliStartUp.optionsNeedingExcludedConverters(new CommandLine(new Tool())))
        .containsExactly("tool sub --grace (java.time.Duration)", "tool sub WHEN (java.time.Instant)");
  }

  @Test
  void excludedConverters_matchJavaSqlAndJavaTimeOnly() {
    assertThat("java.time.Duration").matches(PicocliStartUp.EXCLUDED_CONVERTERS);
    assertThat("java.sql.Timestamp").matches(PicocliStartUp.EXCLUDED_CONVERTERS);
    assertThat("java.nio.file.Path").doesNotMatch(PicocliStartUp.EXCLUDED_CONVERTERS);
  }
}
