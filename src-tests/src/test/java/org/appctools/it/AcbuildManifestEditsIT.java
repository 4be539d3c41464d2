package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest-only commands but label: each one's effect on cat-manifest, aliases and prefixes. */
class AcbuildManifestEditsIT {
  @TempDir Path tmp;
  Path work;

  @BeforeEach
  void begin() throws Exception {
    work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
  }

  private JsonNode manifest() throws Exception {
    return Tools.manifest(work);
  }

  @Test
  void environment_addRemove_andEnvPrefix() throws Exception {
    Tools.acbuild(work, "environment", "add", "PATH", "/bin:/usr/bin").expectOk();
    Tools.acbuild(work, "env", "add", "LANG", "C.UTF-8").expectOk();
    Tools.acbuild(work, "env", "rm", "PATH").expectOk();

    assertThat(manifest().at("/app/environment").toString()).isEqualTo("[{\"name\":\"LANG\",\"value\":\"C.UTF-8\"}]");
    assertThat(Tools.acbuild(work, "env", "remove", "PATH").code()).isEqualTo(2);
  }

  @Test
  void annotation_addRemove_andAnnoPrefix() throws Exception {
    Tools.acbuild(work, "--no-history", "annotation", "add", "authors", "Jane <j@example.com>").expectOk();
    Tools.acbuild(work, "--no-history", "anno", "add", "documentation", "https://example.com/doc").expectOk();
    Tools.acbuild(work, "--no-history", "anno", "remove", "authors").expectOk();

    assertThat(manifest().get("annotations").toString())
        .isEqualTo("[{\"name\":\"documentation\",\"value\":\"https://example.com/doc\"}]");
    assertThat(Tools.acbuild(work, "anno", "rm", "authors").code()).isEqualTo(2);
  }

  @Test
  void mount_andVolumeAlias_readOnly_removeByNameOrPath() throws Exception {
    Tools.acbuild(work, "mount", "add", "data", "/var/data", "--read-only").expectOk();
    Tools.acbuild(work, "volume", "add", "logs", "/var/log").expectOk();

    assertThat(manifest().at("/app/mountPoints").toString())
        .isEqualTo("[{\"name\":\"data\",\"path\":\"/var/data\",\"readOnly\":true},{\"name\":\"logs\",\"path\":\"/var/log\"}]");
    Tools.acbuild(work, "mount", "rm", "/var/log").expectOk();
    Tools.acbuild(work, "volume", "remove", "data").expectOk();
    assertThat(manifest().at("/app/mountPoints").isMissingNode()).isTrue();
    assertThat(Tools.acbuild(work, "mount", "remove", "data").code()).isEqualTo(2);
  }

  @Test
  void port_addWithCountAndSocketActivation_removeByNameOrNumber() throws Exception {
    Tools.acbuild(work, "port", "add", "http", "tcp", "80", "--count", "3", "--socket-activated").expectOk();
    Tools.acbuild(work, "port", "add", "dns", "udp", "53").expectOk();

    assertThat(manifest().at("/app/ports").toString()).isEqualTo(
        "[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":80,\"count\":3,\"socketActivated\":true},"
            + "{\"name\":\"dns\",\"protocol\":\"udp\",\"port\":53,\"count\":1,\"socketActivated\":false}]");
    Tools.acbuild(work, "port", "rm", "53").expectOk();
    Tools.acbuild(work, "port", "remove", "http").expectOk();
    assertThat(Tools.acbuild(work, "port", "remove", "http").code()).isEqualTo(2);
  }

  @Test
  void port_notANumber_exits1WithTheGoMessage() {
    Tools.Result r = Tools.acbuild(work, "port", "add", "http", "tcp", "eighty");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("port add: port must be a positive number between 0 and 65535\n");
  }

  @Test
  void isolator_fromFileAndFromStdin_andRemove() throws Exception {
    Path f = Files.writeString(tmp.resolve("mem.json"), "{\"limit\": \"1G\"}");
    Tools.acbuild(work, "isolator", "add", "resource/memory", f.toString()).expectOk();
    Tools.acbuildWithInput("{\"set\": [\"CAP_NET_BIND_SERVICE\"]}".getBytes(StandardCharsets.UTF_8), work,
        "isolator", "add", "os/linux/capabilities-retain-set", "-").expectOk();

    String isolators = manifest().at("/app/isolators").toString();
    assertThat(isolators).contains("resource/memory", "1G", "os/linux/capabilities-retain-set", "CAP_NET_BIND_SERVICE");
    Tools.acbuild(work, "isolator", "rm", "resource/memory").expectOk();
    assertThat(manifest().at("/app/isolators").toString()).doesNotContain("resource/memory");
    assertThat(Tools.acbuild(work, "isolator", "remove", "resource/memory").code()).isEqualTo(2);
  }

  @Test
  void isolator_missingFile_exits1NamingIt() {
    Tools.Result r = Tools.acbuild(work, "isolator", "add", "resource/memory", tmp.resolve("none.json").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("isolator add: ").contains("none.json");
  }

  @Test
  void dependency_addWithFlagsAndNameLabels_andDepPrefix() throws Exception {
    String id = "sha512-" + "a".repeat(64);
    Tools.acbuild(work, "dependency", "add", "example.com/base:1.0,os=linux", "--label", "arch=amd64",
        "--image-id", id, "--size", "22017258").expectOk();
    Tools.acbuild(work, "dep", "add", "example.com/other").expectOk();

    JsonNode deps = manifest().get("dependencies");
    assertThat(deps).hasSize(2);
    assertThat(deps.get(0).get("imageName").asText()).isEqualTo("example.com/base");
    assertThat(deps.get(0).get("imageID").asText()).isEqualTo(id);
    assertThat(deps.get(0).get("size").asLong()).isEqualTo(22017258L);
    assertThat(deps.get(0).get("labels").toString()).contains("arch", "amd64", "version", "1.0", "os", "linux");
    Tools.acbuild(work, "dep", "rm", "example.com/base").expectOk();
    assertThat(manifest().get("dependencies")).hasSize(1);
    assertThat(Tools.acbuild(work, "dependency", "remove", "example.com/base").code()).isEqualTo(2);
  }

  @Test
  void dependency_sameLabelTwice_exits1_labelWithoutEquals_exits3() {
    Tools.Result twice = Tools.acbuild(work, "dependency", "add", "example.com/base:1.0", "--label", "version=2.0");
    Tools.Result noEq = Tools.acbuild(work, "dependency", "add", "example.com/base", "--label", "arch");

    assertThat(twice.code()).isEqualTo(1);
    assertThat(twice.err()).contains("multiple version labels specified");
    assertThat(noEq.code()).isEqualTo(3);
    assertThat(noEq.err()).contains("no '=' character");
  }

  @Test
  void setExec_withDashDashAndWithoutIt_keepsTheArgv() throws Exception {
    Tools.acbuild(work, "set-exec", "--", "/bin/sh", "-c", "echo hi").expectOk();
    assertThat(manifest().at("/app/exec").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"echo hi\"]");

    Tools.acbuild(work, "set-exec", "/usr/sbin/nginx", "-g", "daemon off;").expectOk();
    assertThat(manifest().at("/app/exec").toString()).isEqualTo("[\"/usr/sbin/nginx\",\"-g\",\"daemon off;\"]");
    assertThat(manifest().at("/app/user").asText()).isEqualTo("0");
    assertThat(manifest().at("/app/group").asText()).isEqualTo("0");
  }

  @Test
  void setUserGroupSuppGroupsWorkingDirectory() throws Exception {
    Tools.acbuild(work, "set-user", "www-data").expectOk();
    Tools.acbuild(work, "set-group", "33").expectOk();
    Tools.acbuild(work, "set-supp-groups", "4", "27").expectOk();
    Tools.acbuild(work, "set-working-directory", "/srv").expectOk();

    JsonNode app = manifest().get("app");
    assertThat(app.get("user").asText()).isEqualTo("www-data");
    assertThat(app.get("group").asText()).isEqualTo("33");
    assertThat(app.get("supplementaryGIDs").toString()).isEqualTo("[4,27]");
    assertThat(app.get("workingDirectory").asText()).isEqualTo("/srv");
    Tools.acbuild(work, "set-wd", "/tmp").expectOk();
    assertThat(manifest().at("/app/workingDirectory").asText()).isEqualTo("/tmp");
  }

  @Test
  void setSuppGroups_notANumber_exits1() {
    Tools.Result r = Tools.acbuild(work, "set-supp-groups", "wheel");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("set-supp-groups: ").contains("wheel");
  }

  @Test
  void setEventHandler_andSetEhAlias() throws Exception {
    Tools.acbuild(work, "set-event-handler", "pre-start", "--", "/root/setup.sh", "-v").expectOk();
    Tools.acbuild(work, "set-eh", "post-stop", "/bin/report.sh", "--all").expectOk();

    assertThat(manifest().at("/app/eventHandlers").toString()).isEqualTo(
        "[{\"name\":\"pre-start\",\"exec\":[\"/root/setup.sh\",\"-v\"]},{\"name\":\"post-stop\",\"exec\":[\"/bin/report.sh\",\"--all\"]}]");
    assertThat(manifest().get("annotations").get(0).get("value").asText())
        .isEqualTo("acbuild set-event-handler pre-start \"/root/setup.sh\" \"-v\"");
  }

  @Test
  void setEventHandler_unknownEvent_isAUsageError() {
    assertThat(Tools.acbuild(work, "set-event-handler", "on-crash", "/bin/x").code()).isEqualTo(3);
  }

  @Test
  void setName_changesTheName_invalidExits1() throws Exception {
    Tools.acbuild(work, "set-name", "example.com/app").expectOk();
    assertThat(manifest().get("name").asText()).isEqualTo("example.com/app");

    Tools.Result r = Tools.acbuild(work, "set-name", "Bad Name");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("set-name: ");
  }

  @Test
  void catManifest_prettyPrint_isIndented() {
    String pretty = Tools.acbuild(work, "cat-manifest", "--pretty-print").expectOk().out();
    String compact = Tools.acbuild(work, "cat-manifest").expectOk().out();

    assertThat(pretty).contains("\n    \"acKind\"");
    assertThat(compact.strip()).doesNotContain("\n");
  }

  @Test
  void replaceManifest_validFile_replaces_invalidExits1AndKeeps() throws Exception {
    Path good = Files.writeString(tmp.resolve("good.json"),
        "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/replaced\"}");
    Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"acKind\":\"ImageManifest\"}");

    Tools.acbuild(work, "--no-history", "replace-manifest", good.toString()).expectOk();
    assertThat(manifest().get("name").asText()).isEqualTo("example.com/replaced");

    Tools.Result r = Tools.acbuild(work, "replace-manifest", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("replace-manifest: ");
    assertThat(manifest().get("name").asText()).isEqualTo("example.com/replaced");
  }
}
