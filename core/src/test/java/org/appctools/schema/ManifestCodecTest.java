package org.appctools.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming codec against the record binding it replaces on the hot path: for every document,
 * both must read the same manifest and write the same bytes, and both must refuse the same bad
 * documents.
 */
class ManifestCodecTest {
  private static final ObjectMapper BINDING = ManifestJson.mapper();

  private static final String HEAD = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/app\"";

  static Stream<Arguments> imageManifests() throws Exception {
    return Stream.of(
        Arguments.of("full golden file", ImageManifestTest.utf8(ImageManifestTest.resource("image-manifest-full.json"))),
        Arguments.of("minimal golden file",
            ImageManifestTest.utf8(ImageManifestTest.resource("image-manifest-minimal.json"))),
        Arguments.of("names in other cases, unknown fields", "{\"ACKIND\":\"ImageManifest\",\"acversion\":\"0.8.11\","
            + "\"Name\":\"a\",\"extra\":{\"x\":[1,2,{}]},\"app\":{\"Exec\":[\"/x\"],\"USER\":\"0\",\"group\":\"0\","
            + "\"supplementaryGids\":[1,2],\"unknown\":null}}"),
        Arguments.of("nulls for optional fields", HEAD + ",\"labels\":null,\"app\":null,\"annotations\":null,"
            + "\"dependencies\":null,\"pathWhitelist\":null}"),
        Arguments.of("empty lists and app parts", HEAD + ",\"labels\":[],\"app\":{\"exec\":[],\"user\":\"u\","
            + "\"group\":\"g\",\"workingDirectory\":\"\",\"environment\":[],\"ports\":[],\"userLabels\":{}}}"),
        Arguments.of("a last duplicate field wins", HEAD + ",\"name\":\"second\"}"),
        Arguments.of("every app part", HEAD + ",\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"x\"],\"user\":\"1000\","
            + "\"group\":\"1000\",\"eventHandlers\":[{\"name\":\"pre-start\",\"exec\":[\"/p\"]},{\"name\":\"post-stop\"}],"
            + "\"workingDirectory\":\"/w\",\"environment\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\"}],"
            + "\"mountPoints\":[{\"name\":\"data\",\"path\":\"/d\",\"readOnly\":true},{\"name\":\"c\",\"path\":\"/c\"}],"
            + "\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":80,\"count\":2,\"socketActivated\":true},"
            + "{\"name\":\"dns\",\"protocol\":\"udp\",\"port\":\"53\"}],"
            + "\"isolators\":[{\"name\":\"resource/memory\",\"value\":{\"limit\":\"1G\",\"request\":\"512M\"}},"
            + "{\"name\":\"os/linux/capabilities-retain-set\",\"value\":{\"set\":[\"CAP_NET_BIND_SERVICE\"]}},"
            + "{\"name\":\"vendor.com/custom\",\"value\":{\"n\":1.5,\"big\":12345678901,\"l\":[true,null]}}],"
            + "\"userAnnotations\":{\"z\":\"1\",\"a\":\"2\"},\"userLabels\":{\"k\":\"v\"}}}"),
        Arguments.of("dependencies and whitelist", HEAD + ",\"dependencies\":[{\"imageName\":\"base\","
            + "\"imageID\":\"sha512-" + "a".repeat(64) + "\",\"labels\":[{\"name\":\"version\",\"value\":\"1\"}],"
            + "\"size\":10},{\"imageName\":\"other\",\"size\":0}],\"pathWhitelist\":[\"/a\",\"/b\"],"
            + "\"annotations\":[{\"name\":\"created\",\"value\":\"2016-01-02T15:04:05Z\"},{\"name\":\"x\"}]}"),
        Arguments.of("scalars where strings are expected", HEAD + ",\"labels\":[{\"name\":\"version\",\"value\":1}],"
            + "\"app\":{\"exec\":[\"/x\"],\"user\":0,\"group\":true}}"),
        Arguments.of("unicode and escapes", HEAD + ",\"annotations\":[{\"name\":\"d\",\"value\":\"\\u00e9\\n\\\"<&>\"}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("imageManifests")
  void readImageManifest_validDocuments_sameAsBindingInBothDirections(String what, String json) throws Exception {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

    ImageManifest ours = ManifestCodec.readImageManifest(bytes);
    ImageManifest bound = BINDING.readValue(bytes, ImageManifest.class);

    assertThat(ours).isEqualTo(bound);
    assertThat(ManifestCodec.write(ours)).isEqualTo(BINDING.writeValueAsBytes(bound));
    assertThat(ours.toPrettyJson()).isEqualTo(BINDING.writer(ManifestJson.prettyPrinter()).writeValueAsString(bound));
  }

  @Test
  void readPodManifest_goldenFile_sameAsBindingInBothDirections() throws Exception {
    byte[] bytes = ImageManifestTest.resource("pod-manifest.json");

    PodManifest ours = ManifestCodec.readPodManifest(bytes);
    PodManifest bound = BINDING.readValue(bytes, PodManifest.class);

    assertThat(ours).isEqualTo(bound);
    assertThat(ManifestCodec.write(ours)).isEqualTo(BINDING.writeValueAsBytes(bound));
  }

  @Test
  void readPodManifest_everyPart_sameAsBindingInBothDirections() throws Exception {
    String id = "sha512-" + "b".repeat(64);
    byte[] bytes = ("{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"web\",\"image\":{"
        + "\"name\":\"example.com/web\",\"id\":\"" + id + "\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"}]},"
        + "\"app\":{\"exec\":[\"/w\"],\"user\":\"0\",\"group\":\"0\"},\"readOnlyRootFS\":true,"
        + "\"mounts\":[{\"volume\":\"v\",\"path\":\"/v\",\"appVolume\":{\"name\":\"v\",\"kind\":\"empty\",\"mode\":\"0700\","
        + "\"uid\":1,\"gid\":2}}],\"annotations\":[{\"name\":\"a\",\"value\":\"b\"}]},{\"name\":\"db\",\"image\":{\"id\":\""
        + id + "\"}}],\"volumes\":[{\"name\":\"v\",\"kind\":\"host\",\"source\":\"/srv\",\"readOnly\":false,"
        + "\"recursive\":true}],\"isolators\":[{\"name\":\"resource/cpu\",\"value\":{\"limit\":\"500m\"}}],"
        + "\"ports\":[{\"name\":\"http\",\"hostPort\":8080,\"hostIP\":\"127.0.0.1\",\"podPort\":{\"name\":\"http\","
        + "\"protocol\":\"tcp\",\"port\":80}}],\"userAnnotations\":{\"b\":\"1\",\"a\":\"2\"},\"userLabels\":{\"x\":\"y\"}}")
        .getBytes(StandardCharsets.UTF_8);

    PodManifest ours = ManifestCodec.readPodManifest(bytes);
    PodManifest bound = BINDING.readValue(bytes, PodManifest.class);

    assertThat(ours).isEqualTo(bound);
    assertThat(ManifestCodec.write(ours)).isEqualTo(BINDING.writeValueAsBytes(bound));
    assertThat(ours.toPrettyJson()).isEqualTo(BINDING.writer(ManifestJson.prettyPrinter()).writeValueAsString(bound));
  }

  static Stream<Arguments> badImageManifests() {
    return Stream.of(
        Arguments.of(HEAD + ",\"labels\":[{\"name\":\"name\",\"value\":\"x\"}]}",
            "reading image manifest: labels[0]: invalid label name \"name\": reserved, the image name is a separate"
                + " field (line 1, column 109)"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[\"/x\"],\"user\":\"0\",\"group\":\"0\",\"ports\":[{\"name\":\"Bad\"}]}}",
            "reading image manifest: app.ports[0].name: invalid AC Name \"Bad\": must be lowercase letters, digits"
                + " and -, starting and ending with a letter or digit (line 1, column 134)"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[\"/x\",null],\"user\":\"0\",\"group\":\"0\"}}",
            "reading image manifest: app: invalid app: exec must not contain null (line 1, column 121)"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":\"/x\",\"user\":\"0\",\"group\":\"0\"}}",
            "reading image manifest: app.exec: expected an array, got a string (line 1, column 87)"),
        Arguments.of(HEAD + ",\"labels\":{\"os\":\"linux\"}}",
            "reading image manifest: labels: expected an array, got an object (line 1, column 82)"),
        Arguments.of(HEAD + ",\"dependencies\":[{\"imageName\":\"b\",\"size\":-1}]}",
            "reading image manifest: dependencies[0]: invalid dependency \"b\": size -1 must not be negative"
                + " (line 1, column 115)"),
        Arguments.of(HEAD + ",\"app\":{\"exec\":[],\"user\":\"0\",\"group\":\"0\",\"supplementaryGIDs\":[\"x\"]}}",
            "reading image manifest: app.supplementaryGIDs[0]: \"x\" is not an integer (line 1, column 134)"),
        Arguments.of("[]", "reading image manifest: expected an object, got an array (line 1, column 1)"),
        Arguments.of("null", "reading image manifest: the document is empty or null"),
        Arguments.of("", "reading image manifest: the document is empty or null"));
  }

  @ParameterizedTest
  @MethodSource("badImageManifests")
  void parse_badDocument_namesPathRuleAndPosition(String json, String message) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ImageManifest.parse(bytes)).isInstanceOf(SchemaException.class).hasMessage(message);
  }
}
