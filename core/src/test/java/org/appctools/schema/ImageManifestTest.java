package org.appctools.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcKind;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.IsolatorValue;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.ResourceQuantity;
import org.appctools.schema.types.SemVer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageManifestTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ImageManifestTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void toJson_fullManifest_equalsCompactGolden() throws Exception {
    ImageManifest m = ImageManifest.parse(resource("image-manifest-full.json"));

    assertThat(utf8(m.toJson())).isEqualTo(utf8(resource("image-manifest-full.compact.json")));
  }

  @Test
  void toPrettyJson_fullManifest_equalsGolden() throws Exception {
    ImageManifest m = ImageManifest.parse(resource("image-manifest-full.json"));

    assertThat(m.toPrettyJson()).isEqualTo(utf8(resource("image-manifest-full.json")));
  }

  @Test
  void parse_ownOutput_equalsRecordAndSameBytes() throws Exception {
    ImageManifest m = ImageManifest.parse(resource("image-manifest-full.json"));

    ImageManifest again = ImageManifest.parse(m.toJson());

    assertThat(again).isEqualTo(m);
    assertThat(again.toJson()).isEqualTo(m.toJson());
  }

  @Test
  void parse_fullManifest_typedValues() throws Exception {
    ImageManifest m = ImageManifest.parse(resource("image-manifest-full.json"));

    assertThat(m.labels().get("os")).contains("linux");
    assertThat(m.app().supplementaryGIDs()).containsExactly(400L, 500L);
    assertThat(m.app().ports().get(1).count()).isEqualTo(10);
    assertThat(m.app().isolators().get(0).value())
        .isEqualTo(new IsolatorValue.ResourceCpu(ResourceQuantity.parse("250m"), ResourceQuantity.parse("1")));
    Isolator custom = m.app().isolators().get(12);
    assertThat(custom.isKnown()).isFalse();
    assertThat(custom.value().toJson().toString()).isEqualTo("{\"b\":[1,2],\"a\":null}");
    assertThat(m.dependencies().get(0).size()).isEqualTo(1048576L);
    assertThat(m.dependencies().get(1).imageID()).isNull();
  }

  @Test
  void toPrettyJson_minimalManifest_equalsGolden() throws Exception {
    ImageManifest m = ImageManifest.empty(AcIdentifier.parse("example.com/empty"));

    assertThat(m.toPrettyJson()).isEqualTo(utf8(resource("image-manifest-minimal.json")));
    assertThat(ImageManifest.parse(resource("image-manifest-minimal.json"))).isEqualTo(m);
  }

  @Test
  void empty_name_onlyKindVersionName() {
    ImageManifest m = ImageManifest.empty(AcIdentifier.parse("a"));

    assertThat(m.acKind()).isEqualTo(AcKind.IMAGE_MANIFEST);
    assertThat(m.acVersion()).isEqualTo(SemVer.CURRENT);
    assertThat(m.labels().list()).isEmpty();
    assertThat(m.app()).isNull();
    assertThat(utf8(m.toJson())).isEqualTo("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\"}");
  }

  @Test
  void toJson_appWithoutExec_writesEmptyExec() {
    ImageManifest m = ImageManifest.empty(AcIdentifier.parse("a")).withApp(App.of(null, "0", "0"));

    assertThat(utf8(m.toJson())).isEqualTo(
        "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\",\"app\":{\"exec\":[],\"user\":\"0\",\"group\":\"0\"}}");
  }

  @Test
  void parse_caseInsensitiveKeysAndUnknownFields_readsLikeGo() throws Exception {
    String json = """
        {"ACKIND": "ImageManifest", "AcVersion": "0.8.11", "NAME": "example.com/x", "futureField": {"a": 1},
         "Labels": [{"Name": "os", "VALUE": "linux", "extra": true}],
         "app": {"Exec": ["/bin/sh"], "User": "0", "group": "0", "supplementaryGids": [7, 8],
                 "Isolators": [{"NAME": "os/linux/capabilities-remove-set", "Value": {"SET": ["CAP_KILL"]}}]}}
        """;

    ImageManifest m = ImageManifest.parse(json.getBytes(StandardCharsets.UTF_8));

    assertThat(m.name()).isEqualTo(AcIdentifier.parse("example.com/x"));
    assertThat(m.labels()).isEqualTo(Labels.of().with(AcIdentifier.parse("os"), "linux"));
    assertThat(m.app().exec()).containsExactly("/bin/sh");
    assertThat(m.app().supplementaryGIDs()).containsExactly(7L, 8L);
    assertThat(m.app().isolators().get(0).value()).isEqualTo(new IsolatorValue.CapabilitiesRemoveSet(List.of("CAP_KILL")));
    assertThat(utf8(m.toJson())).contains("\"supplementaryGIDs\":[7,8]").doesNotContain("futureField");
  }

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"Foo\"}", "reading image manifest: name: invalid AC Identifier \"Foo\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit (line 1, column 55)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\"}", "reading image manifest: invalid image manifest: name is required (line 1, column 47)"),
        Arguments.of("{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\"}", "reading image manifest: invalid image manifest: acKind must be ImageManifest, got PodManifest (line 1, column 56)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\",\n\"labels\":[{\"name\":\"os\",\"value\":\"plan9\"}]}", "reading image manifest: labels: invalid label os \"plan9\": must be one of darwin, freebsd, linux (line 2, column 40)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\",\"app\":{\"user\":\"0\",\"group\":\"0\",\"ports\":[{\"name\":\"p\",\"protocol\":\"tcp\",\"port\":70000}]}}", "reading image manifest: app.ports[0]: invalid port \"p\": port 70000 must be in 1..65535 (line 1, column 139)"),
        Arguments.of("{\"acKind\":\"ImageManifest\",\n  \"acVersion\":", "reading image manifest: invalid JSON: Unexpected end-of-input within/between Object entries (line 2, column 15)"));
  }

  @ParameterizedTest
  @MethodSource("invalidManifests")
  void parse_invalid_throwsWithFieldAndPosition(String json, String message) {
    assertThatThrownBy(() -> ImageManifest.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SchemaException.class)
        .hasMessage(message);
  }

  @Test
  void withMethods_replaceOneField() {
    ImageManifest m = ImageManifest.empty(AcIdentifier.parse("a"))
        .withName(AcIdentifier.parse("b"))
        .withLabels(Labels.of().with(AcIdentifier.parse("version"), "1"))
        .withPathWhitelist(List.of("/bin/sh"));

    assertThat(m.name().value()).isEqualTo("b");
    assertThat(m.labels().get("version")).contains("1");
    assertThat(m.pathWhitelist()).containsExactly("/bin/sh");
  }
}
