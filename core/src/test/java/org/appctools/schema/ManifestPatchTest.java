package org.appctools.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.appctools.schema.types.App;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestPatchTest {
  private static final ImageManifest WITH_APP = parse("""
      {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/a",
       "app":{"exec":["/bin/sh"],"user":"0","group":"0",
              "isolators":[{"name":"os/linux/capabilities-remove-set","value":{"set":["CAP_MKNOD"]}}]}}""");
  private static final ImageManifest NO_APP = parse("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/a\"}");

  private static ImageManifest parse(String json) {
    try {
      return ImageManifest.parse(json.getBytes(StandardCharsets.UTF_8));
    } catch (SchemaException e) {
      throw new AssertionError(e);
    }
  }

  private static ManifestPatch patch(String field, String value) {
    String[] v = new String[12];
    int i = List.of("name", "exec", "user", "group", "supplementaryGroups", "capability", "revokeCapability",
        "mounts", "ports", "isolators", "seccompMode", "seccompSet").indexOf(field);
    v[i] = value;
    return new ManifestPatch(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
  }

  private static String json(ImageManifest m) {
    return new String(m.toJson(), StandardCharsets.UTF_8);
  }

  @Test
  void apply_execOnImageWithoutApp_createsAppAsRoot() throws Exception {
    App app = patch("exec", "/bin/echo hi  there").apply(NO_APP).app();
    assertThat(app.exec()).containsExactly("/bin/echo", "hi", "", "there");
    assertThat(app.user()).isEqualTo("0");
    assertThat(app.group()).isEqualTo("0");
  }

  @Test
  void apply_userWithoutApp_failsNamingTheFix() {
    assertThatThrownBy(() -> patch("user", "1000").apply(NO_APP))
        .isInstanceOf(SchemaException.class)
        .hasMessage("patch-manifest: the manifest has no app and no --exec was given to create one");
  }

  @Test
  void apply_capability_replacesTheRemoveSet() throws Exception {
    String out = json(patch("capability", "CAP_CHOWN,CAP_KILL").apply(WITH_APP));
    assertThat(out).contains("\"os/linux/capabilities-retain-set\"", "CAP_CHOWN", "CAP_KILL").doesNotContain("CAP_MKNOD");
  }

  @Test
  void apply_mountsAndPorts_appended() throws Exception {
    ImageManifest m = patch("mounts", "work,path=/work,readOnly=true:cache,path=/cache").apply(WITH_APP);
    m = patch("ports", "http,protocol=tcp,port=80,count=2,socketActivated=true").apply(m);
    assertThat(m.app().mountPoints()).extracting(mp -> mp.name() + ":" + mp.path() + ":" + mp.readOnly())
        .containsExactly("work:/work:true", "cache:/cache:false");
    assertThat(m.app().ports()).singleElement()
        .satisfies(p -> assertThat(p.port() + "/" + p.count() + "/" + p.socketActivated()).isEqualTo("80/2/true"));
  }

  @Test
  void apply_isolatorsOfEveryPatchableKind_written() throws Exception {
    String out = json(patch("isolators", "resource/cpu,request=50m,limit=100m:resource/memory,limit=1Gi"
        + ":resource/block-iops,limit=1000:os/linux/no-new-privileges,true:os/linux/oom-score-adj,-500").apply(WITH_APP));
    assertThat(out).contains("\"resource/cpu\"", "\"50m\"", "\"1Gi\"", "\"resource/block-iops\"",
        "\"os/linux/no-new-privileges\",\"value\":true", "\"os/linux/oom-score-adj\",\"value\":-500");
  }

  @Test
  void apply_seccompRetainWithErrno_written() throws Exception {
    ManifestPatch p = new ManifestPatch(null, null, null, null, null, null, null, null, null, null, "retain,errno=EPERM", "read,write");
    assertThat(json(p.apply(WITH_APP))).contains("\"os/linux/seccomp-retain-set\"", "\"errno\":\"EPERM\"", "\"read\"");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '¦', value = {
      "supplementaryGroups ¦ 10,x ¦ patch-manifest: invalid supplementary group \"x\": must be a numeric GID",
      "mounts ¦ work ¦ patch-manifest: cannot parse mount point \"work\": path=... is required",
      "mounts ¦ work,path=/w,mode=1 ¦ patch-manifest: cannot parse mount point \"work,path=/w,mode=1\": unknown parameter \"mode=1\" (expected path=..., readOnly=...)",
      "mounts ¦ work,path=/w,readOnly=maybe ¦ patch-manifest: cannot parse mount point \"work,path=/w,readOnly=maybe\": \"maybe\" is not true or false",
      "ports ¦ http,protocol=tcp ¦ patch-manifest: cannot parse port \"http,protocol=tcp\": protocol=... and port=... are required",
      "ports ¦ http,protocol=tcp,port=x ¦ patch-manifest: cannot parse port \"http,protocol=tcp,port=x\": \"x\" is not an integer",
      "isolators ¦ os/linux/no-new-privileges ¦ patch-manifest: cannot parse isolator \"os/linux/no-new-privileges\": expected os/linux/no-new-privileges,VALUE",
      "isolators ¦ os/linux/seccomp-remove-set,x ¦ patch-manifest: isolator os/linux/seccomp-remove-set is not supported for patching (resource/*, os/linux/no-new-privileges and os/linux/oom-score-adj are; use --capability, --revoke-capability or --seccomp-mode for the others, or --manifest)",
      "seccompSet ¦ read ¦ patch-manifest: --seccomp-set needs --seccomp-mode=remove|retain",
      "seccompMode ¦ block ¦ patch-manifest: --seccomp-mode needs --seccomp-set=syscall1,syscall2,...",
  })
  void apply_badFlagValue_failsWithExactMessage(String field, String value, String message) {
    assertThatThrownBy(() -> patch(field, value).apply(WITH_APP)).isInstanceOf(SchemaException.class).hasMessage(message);
  }

  @Test
  void apply_badQuantity_failsNamingTheValue() {
    assertThatThrownBy(() -> patch("isolators", "resource/cpu,limit=lots").apply(WITH_APP))
        .isInstanceOf(SchemaException.class).hasMessageStartingWith("patch-manifest: ").hasMessageContaining("lots");
  }

  @Test
  void isEmpty_noFields_true() {
    assertThat(new ManifestPatch(null, null, null, null, null, null, null, null, null, null, null, null).isEmpty()).isTrue();
    assertThat(patch("name", "x").isEmpty()).isFalse();
  }
}
