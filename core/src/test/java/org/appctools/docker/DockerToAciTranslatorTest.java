package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.docker.json.ConfigTemplate;
import org.appctools.docker.json.DockerJson;
import org.appctools.schema.ImageManifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DockerToAciTranslatorTest {
  private static final String FULL = """
      {"created":"2023-11-14T22:13:20.123456789Z","author":"Jane <jane@example.com>",
       "comment":"made by hand","architecture":"amd64","os":"linux",
       "config":{"User":"1000:50","Entrypoint":["/bin/sh","-c"],"Cmd":["echo hello"],
         "Env":["PATH=/usr/bin:/bin","FOO=a=b","MALFORMED","1BAD=x"],"WorkingDir":"/srv",
         "ExposedPorts":{"8080/tcp":{},"53/udp":{}},"Volumes":{"/data":{},"/var/lib/x":{},"/data/":{}},
         "Labels":{"org.opencontainers.image.title":"t"}}}""";

  private static DockerToAciTranslator.Translation translate(String config, String reference)
      throws IOException, AppcException {
    ConfigTemplate c = DockerJson.read(config.getBytes(StandardCharsets.UTF_8), ConfigTemplate.class, "config");
    ImageReference ref = ImageReference.parse(reference);
    return DockerToAciTranslator.translate(new SourceImage(ref, reference, "sha256:" + "a".repeat(64),
        "sha256:" + "b".repeat(64), c, List.of()));
  }

  private static String config(String user) {
    return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"" + user + "\"}}";
  }

  @Test
  void translate_fullConfig_goldenManifest() throws Exception {
    DockerToAciTranslator.Translation t = translate(FULL, "quay.io/org/app:1.0");
    String golden;
    try (InputStream in = getClass().getResourceAsStream("translated.json")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    assertThat(t.manifest().toPrettyJson().trim()).isEqualTo(golden);
    assertThat(t.created()).isEqualTo(1_700_000_000L);
    assertThat(t.warnings()).containsExactly(
        "skipped environment entry \"MALFORMED\" (not KEY=VALUE)",
        "skipped environment entry \"1BAD=x\": invalid environment variable name \"1BAD\": must be "
            + "letters, digits, _ . and -, not starting with a digit, . or -");
  }

  @ParameterizedTest
  @CsvSource({"'',0,0", "app,app,app", "1000:50,1000,50", "1000:,1000,1000", "app:staff,app,staff"})
  void translate_user_userAndGroupAsTheGoTool(String user, String expectedUser, String expectedGroup)
      throws Exception {
    ImageManifest m = translate(config(user), "busybox").manifest();
    assertThat(m.app().user()).isEqualTo(expectedUser);
    assertThat(m.app().group()).isEqualTo(expectedGroup);
  }

  @ParameterizedTest
  @CsvSource({"linux,amd64,'',linux,amd64", "linux,386,'',linux,i386", "linux,arm64,v8,linux,aarch64",
      "linux,arm,'',linux,armv6l", "linux,arm,v7,linux,armv7l", "linux,s390x,'',linux,s390x",
      "darwin,amd64,'',darwin,x86_64"})
  void translate_platform_appcOsArchLabels(String os, String arch, String variant, String appcOs,
      String appcArch) throws Exception {
    ImageManifest m = translate("{\"os\":\"" + os + "\",\"architecture\":\"" + arch + "\",\"variant\":\""
        + variant + "\"}", "busybox").manifest();
    assertThat(m.labels().get("os")).hasValue(appcOs);
    assertThat(m.labels().get("arch")).hasValue(appcArch);
  }

  @Test
  void translate_platformAppcHasNoNameFor_fails() {
    assertThatThrownBy(() -> translate("{\"os\":\"linux\",\"architecture\":\"mips64le\"}", "busybox"))
        .isInstanceOf(AppcException.class)
        .hasMessageStartingWith("image platform linux/mips64le has no appc os/arch labels (appc knows linux/amd64, linux/386,");
  }

  @Test
  void translate_noConfigSectionEpochCreatedNoTag_noAppNoCreatedNoVersion() throws Exception {
    ImageManifest m = translate("{\"created\":\"1970-01-01T00:00:00Z\"}",
        "busybox@sha256:" + "c".repeat(64)).manifest();
    assertThat(m.app()).isNull();
    assertThat(m.annotations().get("created")).isEmpty();
    assertThat(m.labels().get("version")).isEmpty();
    assertThat(m.name().value()).isEqualTo("registry-1.docker.io/library/busybox");
  }

  @Test
  void translate_portSpecsWithoutExposedPorts_usedAsPorts() throws Exception {
    ImageManifest m = translate("{\"config\":{\"PortSpecs\":[\"80\",\"9000/udp\"]}}", "x").manifest();
    assertThat(m.app().ports()).extracting(p -> p.name().value() + " " + p.protocol() + " " + p.port())
        .containsExactly("80 tcp 80", "9000-udp udp 9000");
  }

  @Test
  void translate_exposedPortNotANumber_fails() {
    assertThatThrownBy(() -> translate("{\"config\":{\"ExposedPorts\":{\"http/tcp\":{}}}}", "x"))
        .hasMessage("exposed port \"http/tcp\" is not PORT[/PROTOCOL]");
  }

  @Test
  void translate_registryWithPort_nameSanitizedAsGo() throws Exception {
    assertThat(translate("{}", "127.0.0.1:5000/team/app:v1").manifest().name().value())
        .isEqualTo("127.0.0.1_5000/team/app");
  }
}
