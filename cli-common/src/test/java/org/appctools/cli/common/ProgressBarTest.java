package org.appctools.cli.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressBarTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 | 1048576 | Writing app.aci [                        ] 0 B / 1.0 MiB   0%",
      "524288 | 1048576 | Writing app.aci [============            ] 512.0 KiB / 1.0 MiB  50%",
      "1048576 | 1048576 | Writing app.aci [========================] 1.0 MiB / 1.0 MiB 100%",
      "2097152 | 1048576 | Writing app.aci [========================] 1.0 MiB / 1.0 MiB 100%",
      "1536 | -1 | 'Writing app.aci: 1.5 KiB'",
      "512 | 0 | 'Writing app.aci: 512 B'",
  })
  void line_doneAndTotal_barSizesAndPercent(long done, long total, String expected) {
    assertThat(ProgressBar.line("Writing app.aci", done, total)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 0 B", "1023, 1023 B", "1024, 1.0 KiB", "1572864, 1.5 MiB", "3221225472, 3.0 GiB"})
  void size_bytes_readableUnits(long bytes, String expected) {
    assertThat(ProgressBar.size(bytes)).isEqualTo(expected);
  }

  @Test
  void on_quiet_drawsNothing() {
    StringWriter err = new StringWriter();
    ProgressBar bar = ProgressBar.on(new PrintWriter(err), "Writing app.aci", true);

    bar.progress(10, 100);
    bar.started("sha256:a", 100);
    bar.finished("sha256:a");
    bar.end();

    assertThat(bar.drawing()).isFalse();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void on_stderrNotATerminal_drawsNothing() {
    // the tests' stderr is a pipe to the build, never a terminal
    StringWriter err = new StringWriter();
    ProgressBar bar = ProgressBar.on(new PrintWriter(err), "Writing app.aci", false);

    bar.progress(100, 100);
    bar.end();

    assertThat(bar.drawing()).isFalse();
    assertThat(err.toString()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "100 | Downloading https://example.com/app.aci [============            ] 512.0 KiB / 1.0 MiB  50%",
      "80 | Downloading ....com/app.aci [============            ] 512.0 KiB / 1.0 MiB  50%",
      "70 | Downloa...app.aci [============            ] 512.0 KiB / 1.0 MiB  50%",
      "50 | Downloading https://example.com/app.aci [========",
  })
  void fit_lineWiderThanTheTerminal_labelLosesItsMiddle(int columns, String expected) {
    String label = "Downloading https://example.com/app.aci";

    String line = ProgressBar.fit(ProgressBar.line(label, 524288, 1048576), label, columns);

    assertThat(line).isEqualTo(expected).hasSizeLessThan(columns);
  }
}
