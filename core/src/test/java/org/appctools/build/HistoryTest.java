package org.appctools.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.junit.jupiter.api.Test;

class HistoryTest {
  @Test
  void entry_arguments_quotedAsGo() {
    assertThat(History.entry("label add", List.of("version", "0.0.1")))
        .isEqualTo("acbuild label add \"version\" \"0.0.1\"");
    assertThat(History.entry("set-exec", List.of("a\"b\\c", "x\ny\t\u0001", "é")))
        .isEqualTo("acbuild set-exec \"a\\\"b\\\\c\" \"x\\ny\\t\\x01\" \"é\"");
  }

  @Test
  void append_existingNumbers_nextAfterLargest() {
    ImageManifest m = ImageManifest.empty(AcIdentifier.parse("x"));
    m = m.withAnnotations(m.annotations().with(AcIdentifier.parse(History.PREFIX + "7"), "a")
        .with(AcIdentifier.parse("other"), "b"));
    m = History.append(m, "acbuild end");
    assertThat(m.annotations().get(History.PREFIX + "8")).hasValue("acbuild end");
    assertThat(History.number(History.PREFIX + "12abc")).isEqualTo(12);
    assertThat(History.number(History.PREFIX + "x")).isEqualTo(-1);
  }
}
