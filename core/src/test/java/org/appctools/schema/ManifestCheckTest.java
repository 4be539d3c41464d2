package org.appctools.schema;

import static org.appctools.schema.ImageManifestTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestCheckTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void check_goldenImage_okWithUnknownIsolatorWarning() throws Exception {
    ManifestCheck.Findings f = ManifestCheck.check(resource("image-manifest-full.json"));

    assertThat(f.kind()).isEqualTo("ImageManifest");
    assertThat(f.ok()).isTrue();
    assertThat(f.errors()).isEmpty();
    assertThat(f.warnings()).containsExactly(
        "app.isolators[12]: unknown isolator \"example.com/custom-isolator\", an executor may ignore it");
  }

  @Test
  void check_goldenPod_ok() throws Exception {
    ManifestCheck.Findings f = ManifestCheck.check(resource("pod-manifest.json"));

    assertThat(f.kind()).isEqualTo("PodManifest");
    assertThat(f.errors()).isEmpty();
    assertThat(f.warnings()).isEmpty();
  }

  @Test
  void check_severalProblems_reportsEveryOne() {
    String json = """
        {"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "Example.com/App",
         "labels": [{"name": "version", "value": "1"}, {"name": "os", "value": "linux"}, {"name": "X", "value": "y"}],
         "app": {"exec": ["/bin/app"], "group": "0", "workingDirectory": "relative",
                 "environment": [{"name": "1BAD", "value": "x"}],
                 "ports": [{"name": "http", "protocol": "tcp", "port": 0}],
                 "isolators": [{"name": "resource/cpu", "value": {"default": true, "limit": "1K"}},
                               {"name": "vendor/thing", "value": 3}]},
         "annotations": [{"name": "created", "value": "yesterday"}],
         "dependencies": [{"imageName": "example.com/base", "imageID": "sha256-abc"}],
         "surprise": 1}
        """;

    ManifestCheck.Findings f = ManifestCheck.check(bytes(json));

    assertThat(f.ok()).isFalse();
    assertThat(f.errors()).containsExactly(
        "name: invalid AC Identifier \"Example.com/App\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
        "labels[2].name: invalid AC Identifier \"X\": must be lowercase letters, digits and the separators -._~/ , starting and ending with a letter or digit",
        "app.user: is required",
        "app.workingDirectory: \"relative\" must be an absolute path",
        "app.environment[0]: invalid environment variable name \"1BAD\": must be letters, digits, _ . and -, not starting with a digit, . or -",
        "app.isolators[0]: invalid isolator \"resource/cpu\": default must be false",
        "app.ports[0]: invalid port \"http\": port 0 must be in 1..65535",
        "annotations[0]: invalid annotation created \"yesterday\": must be an RFC 3339 date-time such as 2016-01-02T15:04:05Z",
        "dependencies[0].imageID: invalid Image ID \"sha256-abc\": must be sha512- followed by 1 to 128 lowercase hex digits");
    assertThat(f.warnings()).containsExactly(
        "surprise: unknown field, ignored",
        "app.isolators[1]: unknown isolator \"vendor/thing\", an executor may ignore it");
  }

  @Test
  void check_looserThanSpec_warns() {
    String json = """
        {"acKind": "ImageManifest", "acVersion": "1.2.0", "name": "example.com/~user/app",
         "app": {"user": "0", "group": "0", "mountPoints": [{"name": "data", "path": "data"}],
                 "isolators": [{"name": "os/linux/capabilities-retain-set", "value": {"set": ["NET_ADMIN"]}},
                               {"name": "os/linux/capabilities-remove-set", "value": {"set": ["CAP_KILL"]}}]},
         "dependencies": [{"imageName": "example.com/base", "imageID": "sha512-abcd"}]}
        """;

    ManifestCheck.Findings f = ManifestCheck.check(bytes(json));

    assertThat(f.errors()).isEmpty();
    assertThat(f.warnings()).containsExactly(
        "acVersion: 1.2.0 is newer than 0.8.11, the spec version this tool implements",
        "name: \"example.com/~user/app\" has consecutive separators; the spec regex rejects them",
        "app.isolators[0]: capability \"NET_ADMIN\" is not in the canonical form CAP_XXX",
        "app.isolators: os/linux/capabilities-retain-set and os/linux/capabilities-remove-set must not be combined (the spec forbids it; the Go reference lets it pass)",
        "app.mountPoints[0].path: \"data\" should be absolute",
        "dependencies[0].imageID: \"sha512-abcd\" is not a full 128-digit SHA-512");
  }

  @Test
  void check_crossFieldProblem_reportedByWholeParse() {
    String json = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\",\"app\":{\"user\":\"0\",\"group\":\"0\","
        + "\"eventHandlers\":[{\"name\":\"pre-start\",\"exec\":[\"/a\"]},{\"name\":\"pre-start\",\"exec\":[\"/b\"]}]}}";

    ManifestCheck.Findings f = ManifestCheck.check(bytes(json));

    assertThat(f.errors()).containsExactly(
        "app: invalid app: only one event handler of name \"pre-start\" allowed");
  }

  @Test
  void check_unreadableJson_oneErrorWithPosition() {
    ManifestCheck.Findings f = ManifestCheck.check(bytes("{\"acKind\": \"ImageManifest\",\n \"name\" \"x\"}"));

    assertThat(f.kind()).isNull();
    assertThat(f.errors()).containsExactly(
        "invalid JSON: Unexpected character ('\"' (code 34)): was expecting a colon to separate field name and value (line 2, column 9)");
  }

  @Test
  void check_unknownKind_error() {
    ManifestCheck.Findings f = ManifestCheck.check(bytes("{\"acKind\": \"Thing\"}"));

    assertThat(f.kind()).isNull();
    assertThat(f.errors()).containsExactly("acKind: invalid AC Kind \"Thing\": must be ImageManifest or PodManifest");
  }

  @Test
  void check_caseInsensitiveKindKey_dispatches() {
    ManifestCheck.Findings f = ManifestCheck.check(bytes("{\"ACKIND\": \"PodManifest\", \"acversion\": \"0.8.11\", \"apps\": []}"));

    assertThat(f.kind()).isEqualTo("PodManifest");
    assertThat(f.errors()).isEmpty();
  }

  @Test
  void checkPodManifest_badVolumeAndApp_reportsBoth() {
    String json = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"A\",\"image\":{\"id\":\"sha512-xyz\"}}],"
        + "\"volumes\":[{\"name\":\"v\",\"kind\":\"host\",\"source\":\"rel\"}]}";

    ManifestCheck.Findings f = ManifestCheck.checkPodManifest(bytes(json));

    assertThat(f.errors()).containsExactly(
        "apps[0].name: invalid AC Name \"A\": must be lowercase letters, digits and -, starting and ending with a letter or digit",
        "apps[0].image.id: invalid Image ID \"sha512-xyz\": must be sha512- followed by 1 to 128 lowercase hex digits",
        "volumes[0]: invalid volume \"v\": source \"rel\" of a host volume must be an absolute path");
  }

  @Test
  void checkImageManifest_podDocument_kindError() {
    ManifestCheck.Findings f = ManifestCheck.checkImageManifest(bytes("{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\"}"));

    assertThat(f.errors()).containsExactly("acKind: must be ImageManifest, got \"PodManifest\"");
  }
}
