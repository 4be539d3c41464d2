package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class YamlTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
    "nginx|nginx",
    "/usr/bin/env|/usr/bin/env",
    "500m|\"500m\"",
    "1000|\"1000\"",
    "yes|\"yes\"",
    "Off|\"Off\"",
    "null|\"null\"",
    "a: b|\"a: b\"",
    "-x|\"-x\"",
    "'say \"hi\"'|'\"say \\\"hi\\\"\"'",
    "key=value|key=value",
    "'#comment'|'\"#comment\"'",
  })
  void scalar_string_plainOnlyWhenItReadsBackTheSame(String value, String expected) {
    assertThat(Yaml.scalar(value)).isEqualTo(expected);
  }

  @Test
  void scalar_controlCharacters_escaped() {
    assertThat(Yaml.scalar("a\nb\tc\u0001")).isEqualTo("\"a\\nb\\tc\\u0001\"");
  }

  @Test
  void write_nestedMapsListsAndEmpties_blockStyle() {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("name", "a");
    item.put("args", List.of("x", 1));
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("list", List.of(item, "plain"));
    root.put("empty", Map.of());
    root.put("none", List.of());
    root.put("flag", true);

    assertThat(Yaml.write(root)).isEqualTo("""
        list:
        - name: a
          args:
          - x
          - 1
        - plain
        empty: {}
        none: []
        flag: true
        """);
  }
}
