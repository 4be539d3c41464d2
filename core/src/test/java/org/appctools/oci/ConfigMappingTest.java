package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.docker.json.DockerJson;
import org.appctools.schema.ImageManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigMappingTest {
  private static final String DIFF = "sha256:" + "a".repeat(64);

  static ImageManifest manifest(String labels, String app, String annotations) throws Exception {
    return ImageManifest.parse(("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/app\",\"labels\":[" + labels + "]"
        + (app.isEmpty() ? "" : ",\"app\":" + app)
        + (annotations.isEmpty() ? "" : ",\"annotations\":[" + annotations + "]") + "}")
        .getBytes(StandardCharsets.UTF_8));
  }

  static String platform(String os, String arch) {
    return "{\"name\":\"os\",\"value\":\"" + os + "\"},{\"name\":\"arch\",\"value\":\"" + arch + "\"}";
  }

  static ConfigMapping.Mapped map(ImageManifest m) throws AppcException {
    return ConfigMapping.map(m, List.of(DIFF), List.of("example.com/app:1.0 sha512-x"));
  }

  @Test
  void map_fullManifest_goldenConfigAnnotationsAndWarnings() throws Exception {
    ImageManifest m = manifest("{\"name\":\"version\",\"value\":\"1.0\"}," + platform("linux", "armv7l")
        + ",{\"name\":\"libc\",\"value\":\"musl\"}",
        "{\"exec\":[\"/bin/server\",\"--port\",\"80\"],\"user\":\"1000\",\"group\":\"100\","
            + "\"supplementaryGIDs\":[5],\"workingDirectory\":\"/srv\","
            + "\"environment\":[{\"name\":\"PATH\",\"value\":\"/bin\"},{\"name\":\"MODE\",\"value\":\"a=b\"}],"
            + "\"mountPoints\":[{\"name\":\"data\",\"path\":\"/data\"},{\"name\":\"conf\",\"path\":\"/etc/app\",\"readOnly\":true}],"
            + "\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":80},"
            + "{\"name\":\"dns\",\"protocol\":\"udp\",\"port\":53,\"count\":2,\"socketActivated\":true}],"
            + "\"isolators\":[{\"name\":\"resource/memory\",\"value\":{\"limit\":\"1G\"}}],"
            + "\"userLabels\":{\"team\":\"core\"},\"userAnnotations\":{\"note\":\"hi\"}}",
        "{\"name\":\"created\",\"value\":\"2023-11-14T22:13:20Z\"},{\"name\":\"authors\",\"value\":\"Ann\"},"
            + "{\"name\":\"homepage\",\"value\":\"https://example.com\"}");

    ConfigMapping.Mapped mapped = map(m);

    assertThat(new String(DockerJson.canonical(mapped.config()), StandardCharsets.UTF_8)).isEqualTo(
        "{\"created\":\"2023-11-14T22:13:20Z\",\"author\":\"Ann\",\"architecture\":\"arm\",\"os\":\"linux\","
            + "\"variant\":\"v7\",\"config\":{\"User\":\"1000:100\",\"ExposedPorts\":{\"53/udp\":{},\"54/udp\":{},"
            + "\"80/tcp\":{}},\"Env\":[\"PATH=/bin\",\"MODE=a=b\"],\"Entrypoint\":[\"/bin/server\",\"--port\",\"80\"],"
            + "\"Volumes\":{\"/data\":{},\"/etc/app\":{}},\"WorkingDir\":\"/srv\",\"Labels\":{\"team\":\"core\"}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + DIFF + "\"]},"
            + "\"history\":[{\"created\":\"2023-11-14T22:13:20Z\",\"created_by\":\"appc image example.com/app:1.0 sha512-x\"}]}");
    assertThat(mapped.annotations()).containsExactly(
        java.util.Map.entry("appc.io/label/libc", "musl"),
        java.util.Map.entry("appc.io/user-annotation/note", "hi"),
        java.util.Map.entry("authors", "Ann"),
        java.util.Map.entry("created", "2023-11-14T22:13:20Z"),
        java.util.Map.entry("homepage", "https://example.com"),
        java.util.Map.entry("org.opencontainers.image.authors", "Ann"),
        java.util.Map.entry("org.opencontainers.image.created", "2023-11-14T22:13:20Z"),
        java.util.Map.entry("org.opencontainers.image.title", "example.com/app"),
        java.util.Map.entry("org.opencontainers.image.url", "https://example.com"),
        java.util.Map.entry("org.opencontainers.image.version", "1.0"));
    assertThat(mapped.created()).isEqualTo(1_700_000_000L);
    assertThat(mapped.warnings()).containsExactly(
        "port dns (53-54/udp) is exposed as 2 ports",
        "port dns is socket-activated, which an image config cannot say; it is exposed as a plain port",
        "mount point conf (/etc/app) is read-only, which an image config cannot say; it is a plain volume",
        "isolator resource/memory is not part of an image config (a runtime setting; actool pod k8s maps "
            + "resources and capabilities)",
        "supplementary GIDs [5] have no image config equivalent");
  }

  @Test
  void map_noApp_configWithoutExecutionSection() throws Exception {
    ConfigMapping.Mapped mapped = map(manifest(platform("linux", "amd64"), "", ""));

    assertThat(new String(DockerJson.canonical(mapped.config()), StandardCharsets.UTF_8)).isEqualTo(
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + DIFF
            + "\"]},\"history\":[{\"created_by\":\"appc image example.com/app:1.0 sha512-x\"}]}");
    assertThat(mapped.created()).isZero();
    assertThat(mapped.warnings()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "0|0|",
    "1000|1000|1000:1000",
    "app|staff|app:staff",
    "0|100|0:100",
  })
  void map_userAndGroup_dockerUser(String user, String group, String expected) throws Exception {
    ConfigMapping.Mapped mapped = map(manifest(platform("linux", "amd64"),
        "{\"exec\":[\"/x\"],\"user\":\"" + user + "\",\"group\":\"" + group + "\"}", ""));

    assertThat(mapped.config().config().user()).isEqualTo(expected);
  }

  @Test
  void map_userAsFilePath_omittedWithWarning() throws Exception {
    ConfigMapping.Mapped mapped = map(manifest(platform("linux", "amd64"),
        "{\"exec\":[\"/x\"],\"user\":\"/etc/owner\",\"group\":\"0\"}", ""));

    assertThat(mapped.config().config().user()).isNull();
    assertThat(mapped.warnings()).containsExactly("user /etc/owner and group 0: an image config cannot name the "
        + "owner of a file; the image runs as root unless the runtime says");
  }

  @Test
  void map_docker2aciAnnotationsMatchingExec_entrypointAndCmdRestored() throws Exception {
    ImageManifest m = manifest(platform("linux", "amd64"),
        "{\"exec\":[\"/bin/sh\",\"-c\",\"echo hello\"],\"user\":\"0\",\"group\":\"0\"}",
        "{\"name\":\"appc.io/docker/entrypoint\",\"value\":\"[\\\"/bin/sh\\\",\\\"-c\\\"]\"},"
            + "{\"name\":\"appc.io/docker/cmd\",\"value\":\"[\\\"echo hello\\\"]\"}");

    ConfigMapping.Mapped mapped = map(m);

    assertThat(mapped.config().config().entrypoint()).containsExactly("/bin/sh", "-c");
    assertThat(mapped.config().config().cmd()).containsExactly("echo hello");
  }

  @Test
  void map_docker2aciAnnotationsNotMatchingExec_execIsTheEntrypoint() throws Exception {
    ImageManifest m = manifest(platform("linux", "amd64"),
        "{\"exec\":[\"/bin/other\"],\"user\":\"0\",\"group\":\"0\"}",
        "{\"name\":\"appc.io/docker/entrypoint\",\"value\":\"[\\\"/bin/sh\\\",\\\"-c\\\"]\"}");

    ConfigMapping.Mapped mapped = map(m);

    assertThat(mapped.config().config().entrypoint()).containsExactly("/bin/other");
    assertThat(mapped.config().config().cmd()).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "linux, amd64, amd64, ",
    "linux, i386, 386, ",
    "linux, aarch64, arm64, ",
    "linux, armv6l, arm, v6",
    "linux, armv7l, arm, v7",
    "linux, ppc64le, ppc64le, ",
    "linux, s390x, s390x, ",
    "darwin, x86_64, amd64, ",
  })
  void map_appcPlatform_dockerArchitectureAndVariant(String os, String arch, String dockerArch, String variant)
      throws Exception {
    ConfigMapping.Mapped mapped = map(manifest(platform(os, arch), "", ""));

    assertThat(mapped.config().architecture()).isEqualTo(dockerArch);
    assertThat(mapped.config().variant()).isEqualTo(variant);
    assertThat(mapped.config().os()).isEqualTo(os);
  }

  @Test
  void map_noArchLabel_failsSayingHowToAddIt() throws Exception {
    ImageManifest m = manifest("{\"name\":\"os\",\"value\":\"linux\"}", "", "");

    assertThatThrownBy(() -> map(m)).isInstanceOf(AppcException.class).hasMessage(
        "the manifest of example.com/app has no arch label, which an OCI image config requires (add it: "
            + "acbuild --modify IMAGE.aci label add arch amd64)");
  }
}
