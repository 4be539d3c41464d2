package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.Mount;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodAssemblerTest {
  private static final ImageId ID = ImageId.parse("sha512-" + "ab".repeat(64));

  private static ImageManifest image(String json) throws Exception {
    return ImageManifest.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static final String BUSYBOX = "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/tools/busy_box\","
      + "\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"true\"],\"user\":\"0\",\"group\":\"0\",\"environment\":[{\"name\":\"A\",\"value\":\"image\"},"
      + "{\"name\":\"B\",\"value\":\"image\"}],\"isolators\":[{\"name\":\"resource/memory\",\"value\":{\"limit\":\"1G\"}},"
      + "{\"name\":\"os/linux/capabilities-remove-set\",\"value\":{\"set\":[\"CAP_KILL\"]}}]}}";

  @ParameterizedTest
  @CsvSource({"example.com/app,app", "example.com/tools/busy_box,busy-box", "coreos.com/etcd-v3.0,etcd-v3-0", "Quay.io/Nginx,nginx"})
  void appName_asRktNamesApps(String image, String app) throws Exception {
    assertThat(PodAssembler.appName(image)).isEqualTo(AcName.parse(app));
  }

  @Test
  void assemble_noOverrides_theImagesAppByImageId() throws Exception {
    PodManifest pod = PodAssembler.assemble(List.of(new PodAssembler.Input(ID, image(BUSYBOX), AppOverrides.none())),
        List.of(), List.of());
    RuntimeApp a = pod.apps().get(0);
    assertThat(a.name()).isEqualTo(AcName.parse("busy-box"));
    assertThat(a.image().id()).isEqualTo(ID);
    assertThat(a.image().name().value()).isEqualTo("example.com/tools/busy_box");
    assertThat(a.app()).isEqualTo(image(BUSYBOX).app());
  }

  @Test
  void assemble_execReplacesTheCommand_argsAreAppended() throws Exception {
    ImageManifest m = image(BUSYBOX);
    assertThat(PodAssembler.assemble(List.of(new PodAssembler.Input(ID, m, new AppOverrides(null, "/bin/echo",
        List.of("a", "b"), null, null, null, null, null, null, null, false))), List.of(), List.of()).apps().get(0).app().exec())
        .containsExactly("/bin/echo", "a", "b");
    assertThat(PodAssembler.assemble(List.of(new PodAssembler.Input(ID, m, new AppOverrides(null, null,
        List.of("extra"), null, null, null, null, null, null, null, false))), List.of(), List.of()).apps().get(0).app().exec())
        .containsExactly("/bin/sh", "-c", "true", "extra");
  }

  @Test
  void assemble_environment_imageThenAppOptionThenSetEnv() throws Exception {
    AppOverrides o = new AppOverrides(null, null, null, "app", "1000", List.of(5L, 6L), "/home", List.of(
        new EnvironmentVariable("A", "app"), new EnvironmentVariable("C", "app")), null, null, false);
    RuntimeApp a = PodAssembler.assemble(List.of(new PodAssembler.Input(ID, image(BUSYBOX), o)), List.of(),
        List.of(new EnvironmentVariable("B", "pod"), new EnvironmentVariable("C", "pod"))).apps().get(0);
    assertThat(a.app().environment().list()).containsExactly(new EnvironmentVariable("A", "app"),
        new EnvironmentVariable("B", "pod"), new EnvironmentVariable("C", "pod"));
    assertThat(a.app().user()).isEqualTo("app");
    assertThat(a.app().group()).isEqualTo("1000");
    assertThat(a.app().supplementaryGIDs()).containsExactly(5L, 6L);
    assertThat(a.app().workingDirectory()).isEqualTo("/home");
  }

  @Test
  void assemble_isolatorOptions_replaceTheImagesOfTheSameName_capabilitySetsTogether() throws Exception {
    AppOverrides o = new AppOverrides(null, null, null, null, null, null, null, null, null,
        List.of(Isolators.resourceMemory(null, "64Mi"), Isolators.capabilitiesRetainSet(List.of("CAP_CHOWN"))), false);
    RuntimeApp a = PodAssembler.assemble(List.of(new PodAssembler.Input(ID, image(BUSYBOX), o)), List.of(), List.of()).apps().get(0);
    assertThat(a.app().isolators()).containsExactly(Isolators.resourceMemory(null, "64Mi"),
        Isolators.capabilitiesRetainSet(List.of("CAP_CHOWN")));
  }

  @Test
  void assemble_mountsVolumesAndReadOnly_areThePodManifests() throws Exception {
    Mount m = new Mount(AcName.parse("data"), "/data", null);
    Volume v = Volume.empty(AcName.parse("data"));
    PodManifest pod = PodAssembler.assemble(List.of(new PodAssembler.Input(ID, image(BUSYBOX),
        new AppOverrides("one", null, null, null, null, null, null, null, List.of(m), null, true))), List.of(v), List.of());
    assertThat(pod.volumes()).containsExactly(v);
    assertThat(pod.apps().get(0).mounts()).containsExactly(m);
    assertThat(pod.apps().get(0).readOnlyRootFS()).isTrue();
    assertThat(pod.apps().get(0).name().value()).isEqualTo("one");
  }

  @Test
  void assemble_twoAppsOfOneName_failsSayingHowToName() throws Exception {
    PodAssembler.Input in = new PodAssembler.Input(ID, image(BUSYBOX), AppOverrides.none());
    assertThatThrownBy(() -> PodAssembler.assemble(List.of(in, in), List.of(), List.of()))
        .hasMessage("two apps are named \"busy-box\" (give one another name with --name)");
  }

  @Test
  void assemble_imageWithoutApp_getsRootAndNoCommand() throws Exception {
    ImageManifest m = image("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/base\"}");
    RuntimeApp a = PodAssembler.assemble(List.of(new PodAssembler.Input(ID, m, new AppOverrides(null, "/bin/sh", null,
        null, null, null, null, null, null, null, false))), List.of(), List.of()).apps().get(0);
    assertThat(a.app().exec()).containsExactly("/bin/sh");
    assertThat(a.app().user()).isEqualTo("0");
  }
}
