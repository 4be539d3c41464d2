package org.appctools.executor.metadata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import org.appctools.schema.PodManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Annotations;
import org.junit.jupiter.api.Test;

class PodRegistrationTest {
  private static final UUID UUID_1 = UUID.fromString("6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b");
  private static final String ID = "sha512-" + "a1".repeat(64);
  private static final String IMAGE = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/web\"}";
  private static final String POD = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"web\","
      + "\"image\":{\"id\":\"" + ID + "\"},\"annotations\":[{\"name\":\"p\",\"value\":\"1\"}]}],"
      + "\"annotations\":[{\"name\":\"q\",\"value\":\"2\"}]}";

  private static PodManifest pod() throws Exception {
    return PodManifest.parse(POD.getBytes(UTF_8));
  }

  private static Annotations annotation(String name, String value) {
    return Annotations.of().with(new AcIdentifier(name), value);
  }

  @Test
  void new_agreeingWithTheManifest_keepsEverything() throws Exception {
    AppInfo web = MetadataServiceTest.app(IMAGE, ID, annotation("p", "1"));

    PodRegistration r = new PodRegistration(UUID_1, pod(), Map.of("web", web), annotation("q", "2"));

    assertThat(r.apps()).containsOnlyKeys("web");
    assertThat(r.podAnnotations()).isEqualTo(pod().annotations());
  }

  @Test
  void new_appNotInTheManifest_fails() throws Exception {
    AppInfo web = MetadataServiceTest.app(IMAGE, ID, annotation("p", "1"));

    assertThatThrownBy(() -> new PodRegistration(UUID_1, pod(), Map.of("web", web, "extra", web), annotation("q", "2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: app \"extra\" is not in the pod manifest");
  }

  @Test
  void new_manifestAppWithoutInfo_fails() {
    assertThatThrownBy(() -> new PodRegistration(UUID_1, pod(), Map.of(), annotation("q", "2")))
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: the pod manifest's app \"web\" has no AppInfo");
  }

  @Test
  void new_otherImageId_failsNamingBoth() throws Exception {
    String other = "sha512-" + "b2".repeat(64);
    AppInfo web = MetadataServiceTest.app(IMAGE, other, annotation("p", "1"));

    assertThatThrownBy(() -> new PodRegistration(UUID_1, pod(), Map.of("web", web), annotation("q", "2")))
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: app \"web\": imageId " + other
            + " differs from the pod manifest's " + ID + " (write the same ID in both)");
  }

  @Test
  void new_otherAppAnnotations_fails() throws Exception {
    AppInfo web = MetadataServiceTest.app(IMAGE, ID, annotation("p", "changed"));

    assertThatThrownBy(() -> new PodRegistration(UUID_1, pod(), Map.of("web", web), annotation("q", "2")))
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: app \"web\": appAnnotations differ from the pod"
            + " manifest's annotations for it");
  }

  @Test
  void new_otherPodAnnotations_fails() throws Exception {
    AppInfo web = MetadataServiceTest.app(IMAGE, ID, annotation("p", "1"));

    assertThatThrownBy(() -> new PodRegistration(UUID_1, pod(), Map.of("web", web), Annotations.of()))
        .hasMessage("register pod 6f2e8a4c-1b3d-4e5f-8a7b-9c0d1e2f3a4b: podAnnotations differ from the pod manifest's"
            + " annotations");
  }

  @Test
  void appInfo_bytes_areCopied() throws Exception {
    byte[] bytes = IMAGE.getBytes(UTF_8);
    AppInfo info = new AppInfo(org.appctools.schema.ImageManifest.parse(bytes), bytes,
        org.appctools.schema.types.ImageId.parse(ID), null);
    bytes[0] = 'X';

    assertThat(new String(info.imageManifestBytes(), UTF_8)).isEqualTo(IMAGE);
    assertThat(info.appAnnotations()).isEqualTo(Annotations.of());
  }
}
