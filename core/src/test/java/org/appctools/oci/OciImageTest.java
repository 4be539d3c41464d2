package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.NotFoundException;
import org.junit.jupiter.api.Test;

/** OciImage: the acbuild commands as edits of an OCI image config, as the Go acbuild's lib/oci made them. */
class OciImageTest {
  private static OciImage apply(BuildSession.StateEdit... edits) throws AppcException {
    byte[] s = OciImage.empty().toBytes();
    for (BuildSession.StateEdit e : edits) {
      s = e.apply(s);
    }
    return OciImage.parse(s);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> exec(OciImage i) {
    return (Map<String, Object>) i.config().get("config");
  }

  @Test
  void setExec_firstWordIsTheEntrypoint_theRestTheCmd() throws Exception {
    OciImage i = apply(OciImage.setExec(List.of("/bin/sh", "-c", "echo hi")));

    assertThat(exec(i)).containsEntry("Entrypoint", List.of("/bin/sh")).containsEntry("Cmd", List.of("-c", "echo hi"));
  }

  @Test
  void env_addTwiceReplaces_removeMissingIsNotFound() throws Exception {
    OciImage i = apply(OciImage.addEnv("A", "1"), OciImage.addEnv("B", "2"), OciImage.addEnv("A", "3"));

    assertThat(exec(i)).containsEntry("Env", List.of("B=2", "A=3"));
    assertThatThrownBy(() -> apply(OciImage.removeEnv("Z")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("element to be removed does not exist in this ACI: environment variable \"Z\"");
  }

  @Test
  void port_addedWithANamingAnnotation_removedByNameOrNumber() throws Exception {
    OciImage added = apply(OciImage.addPort("http", "tcp", 80, 1, false));
    OciImage byName = apply(OciImage.addPort("http", "tcp", 80, 1, false), OciImage.removePort("http"));
    OciImage byNumber = apply(OciImage.addPort("dns", "udp", 53, 1, false), OciImage.removePort("53"));

    assertThat(exec(added)).containsEntry("ExposedPorts", Map.of("80/tcp", Map.of()));
    assertThat(added.annotations()).containsEntry("coreos.com/acbuild/port/http", "number:80 protocol:tcp");
    assertThat(exec(byName).get("ExposedPorts")).isEqualTo(Map.of());
    assertThat(byName.annotations()).isEmpty();
    assertThat(byNumber.annotations()).isEmpty();
  }

  @Test
  void environment_isTheConfigsEnv() throws Exception {
    OciImage i = apply(OciImage.addEnv("A", "1"), OciImage.addEnv("B", "x=y"));

    assertThat(i.environment().get("A")).contains("1");
    assertThat(i.environment().get("B")).contains("x=y");
    assertThat(i.environment().list()).hasSize(2);
  }

  @Test
  void port_countsAndSocketActivation_refusedAsGo() {
    assertThatThrownBy(() -> apply(OciImage.addPort("p", "tcp", 80, 2, false)))
        .hasMessage("oci build mode does not support port counts");
    assertThatThrownBy(() -> apply(OciImage.addPort("p", "tcp", 80, 1, true)))
        .hasMessage("oci build mode does not support socket activated ports");
  }

  @Test
  void mount_volumeAndAnnotation_readOnlyRefused_removeByName() throws Exception {
    OciImage i = apply(OciImage.addMount("data", "/data", false));
    OciImage removed = apply(OciImage.addMount("data", "/data", false), OciImage.removeMount("data"));

    assertThat(exec(i)).containsEntry("Volumes", Map.of("/data", Map.of()));
    assertThat(i.annotations()).containsEntry("coreos.com/acbuild/mount/data", "path:/data");
    assertThat(exec(removed).get("Volumes")).isEqualTo(Map.of());
    assertThatThrownBy(() -> apply(OciImage.addMount("ro", "/ro", true)))
        .hasMessage("oci build mode does not support read only mounts");
  }

  @Test
  void userAndGroup_shareUser() throws Exception {
    assertThat(exec(apply(OciImage.setUser("app"))).get("User")).isEqualTo("app");
    assertThat(exec(apply(OciImage.setGroup("staff"))).get("User")).isEqualTo("root:staff");
    assertThat(exec(apply(OciImage.setGroup("staff"), OciImage.setUser("app"))).get("User")).isEqualTo("app:staff");
    assertThatThrownBy(() -> apply(OciImage.setUser("a:b"))).hasMessage("user cannot contain a ':' character");
  }

  @Test
  void labelsAnnotationsWorkingDirTagAndName() throws Exception {
    OciImage i = apply(OciImage.addLabel("tier", "web"), OciImage.addAnnotation("note", "n"),
        OciImage.setWorkingDirectory("/srv"), OciImage.setTag("1.0"), OciImage.setName("example.com/app"));

    assertThat(exec(i)).containsEntry("Labels", Map.of("tier", "web")).containsEntry("WorkingDir", "/srv");
    assertThat(i.annotations()).containsEntry("note", "n");
    assertThat(i.tag()).isEqualTo("1.0");
    assertThat(i.name()).isEqualTo("example.com/app");
    assertThatThrownBy(() -> apply(OciImage.setTag("-bad")))
        .hasMessage("set-tag: \"-bad\" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)");
  }

  @Test
  void replaceConfig_replacesAll_butTheRootfs() throws Exception {
    OciImage i = apply(OciImage.addEnv("A", "1"), OciImage.replaceConfig(
        "{\"os\":\"linux\",\"architecture\":\"arm64\",\"rootfs\":{\"type\":\"layers\"},\"config\":{\"User\":\"7\"}}"
            .getBytes(StandardCharsets.UTF_8)));

    assertThat(i.config()).doesNotContainKey("rootfs").containsEntry("architecture", "arm64");
    assertThat(exec(i)).isEqualTo(Map.of("User", "7"));
  }

  @Test
  void config_addsRootfsCreatedAndHistoryPerAddedLayer() throws Exception {
    OciImage i = new OciImage(null, null, Map.of(), List.of(),
        Map.of("os", "linux", "history", List.of(Map.of("created_by", "base"))));

    Map<String, Object> c = i.config(List.of("sha256:a", "sha256:b"), 1, 86400);

    assertThat(c).containsEntry("created", "1970-01-02T00:00:00Z")
        .containsEntry("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:a", "sha256:b")));
    assertThat((List<?>) c.get("history")).hasSize(2);
    assertThat(i.tag()).isEqualTo("latest");
  }
}
