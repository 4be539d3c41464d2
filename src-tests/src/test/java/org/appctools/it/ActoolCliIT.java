package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The actool command line as scripts see it: launchers, exit codes, messages. */
class ActoolCliIT {
  @TempDir Path tmp;

  @Test
  void launcher_throughSymlinkFromOtherDirectory_runs() throws Exception {
    Path binDir = Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(binDir.resolve("actool"), Tools.bin("actool"));
    Files.createSymbolicLink(binDir.resolve("acbuild"), Tools.bin("acbuild"));
    Map<String, String> env = Map.of("PATH", binDir + ":/usr/bin:/bin");

    Tools.Result actool = Tools.process(Path.of("/"), env, "/bin/sh", "-c", "actool version").expectOk();
    Tools.Result acbuild = Tools.process(Path.of("/"), env, "/bin/sh", "-c", "acbuild version").expectOk();

    assertThat(actool.out()).startsWith("actool version ").contains("appc version 0.8.11");
    assertThat(acbuild.out()).startsWith("acbuild version ").contains("appc version 0.8.11");
  }

  @Test
  void launcher_byRelativePaths_runs() throws Exception {
    Path root = Tools.projectRoot();
    Path bin = Tools.bin("acbuild").getParent();
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin");

    for (String[] call : new String[][] {{root.toString(), "bin/acbuild"}, {bin.toString(), "./acbuild"},
        {bin.toString(), "bash acbuild"}, {bin.resolve("../docs").toString(), "../bin/acbuild"}}) {
      Tools.Result r = Tools.process(Path.of(call[0]), env, "/bin/sh", "-c", call[1] + " version").expectOk();
      assertThat(r.out()).as(call[1]).startsWith("acbuild version ");
    }
  }

  @Test
  void unknownCommand_exits2() {
    Tools.Result r = Tools.actool("frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("frobnicate");
  }

  @Test
  void unknownFlag_exits2() {
    Tools.Result r = Tools.actool("build", "--bogus", "a", "b.aci");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--bogus");
  }

  @Test
  void subcommandHelp_printsItsUsageAndExits0() {
    assertThat(Tools.actool("build", "--help").expectOk().out()).startsWith("Usage: actool build ");
    assertThat(Tools.actool("image", "list", "-h").expectOk().out()).startsWith("Usage: actool image list ");
    assertThat(Tools.actool("fetch", "--help").expectOk().out()).contains("--pull-policy");
  }

  @Test
  void help_listsOnlyBuiltCommands() {
    String help = Tools.actool("help").expectOk().out();
    assertThat(help).contains("build", "validate", "cat-manifest", "patch-manifest", "image-id", "discover", "trust", "fetch", "image", "version");
  }

  @Test
  void build_missingLayout_exits1NamingIt() {
    Tools.Result r = Tools.actool("build", tmp.resolve("nope").toString(), tmp.resolve("x.aci").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("nope");
    assertThat(tmp.resolve("x.aci")).doesNotExist();
  }

  @Test
  void build_wrongExtension_exits1() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Tools.Result r = Tools.actool("build", layout.toString(), tmp.resolve("x.tar").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("extension must be .aci (given .tar");
  }

  @Test
  void validate_manifestWithSeveralErrors_reportsEachAndOneVerdict() throws Exception {
    Path m = tmp.resolve("bad.json");
    Files.writeString(m, """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"Bad Name",
         "labels":[{"name":"os","value":"plan9"}],
         "app":{"exec":["/bin/sh"],"user":"0","group":"0","workingDirectory":"relative"}}
        """);
    Path good = tmp.resolve("good.json");
    Files.writeString(good, "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/ok\"}");

    Tools.Result r = Tools.actool("validate", m.toString(), good.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Bad Name").contains("plan9").contains("relative");
    assertThat(r.out()).isEqualTo(m + ": invalid ImageManifest (3 errors)\n" + good + ": valid ImageManifest\n");
  }

  @Test
  void validate_layoutDirectory_detected() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    assertThat(Tools.actool("validate", layout.toString()).expectOk().out()).isEqualTo(layout + ": valid image layout\n");
    Tools.Result wrong = Tools.actool("validate", "--type", "appimage", layout.toString());
    assertThat(wrong.code()).isEqualTo(1);
    assertThat(wrong.err()).contains("wrong --type?");
  }

  @Test
  void patchManifest_everyKindOfEdit_referenceAcceptsResult() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path in = tmp.resolve("in.aci");
    Path out = tmp.resolve("out.aci");
    Tools.actool("build", layout.toString(), in.toString()).expectOk();

    Tools.actool("patch-manifest", "--name=example.com/patched", "--exec=/bin/echo hi there", "--user=1000",
        "--group=1000", "--supplementary-groups=10,20", "--capability=CAP_NET_BIND_SERVICE,CAP_CHOWN",
        "--mounts=work,path=/work,readOnly=true:cache,path=/cache", "--ports=dns,protocol=udp,port=53",
        "--isolators=resource/cpu,request=50m,limit=100m:resource/memory,limit=1Gi:os/linux/no-new-privileges,true",
        "--seccomp-mode=retain,errno=EPERM", "--seccomp-set=read,write,exit",
        in.toString(), out.toString()).expectOk();

    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", out.toString()).expectOk();
    String m = Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "cat-manifest", "--pretty-print", out.toString())
        .expectOk().out();
    assertThat(m).contains("example.com/patched", "\"hi\"", "CAP_NET_BIND_SERVICE", "\"/cache\"", "\"udp\"",
        "\"100m\"", "os/linux/no-new-privileges", "EPERM", "os/linux/seccomp-retain-set");
    assertThat(m).containsPattern("\"supplementaryGIDs\": \\[\\s*10,\\s*20\\s*\\]");
  }

  @Test
  void patchManifest_invalidIsolator_exits1AndWritesNothing() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path in = tmp.resolve("in.aci");
    Tools.actool("build", layout.toString(), in.toString()).expectOk();
    byte[] before = Files.readAllBytes(in);

    Tools.Result r = Tools.actool("patch-manifest", "--replace", "--isolators=resource/cpu,limit=lots", in.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("lots");
    assertThat(Files.readAllBytes(in)).isEqualTo(before);
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layout", "in.aci");
    }
  }

  @Test
  void patchManifest_compressionLevel_chosenOrRefusedAsUsage() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path in = tmp.resolve("in.aci");
    Tools.actool("build", "--compression-level", "1", layout.toString(), in.toString()).expectOk();

    String id = Tools.actool("patch-manifest", "--compression-level", "9", "--name=example.com/small", in.toString(),
        tmp.resolve("small.aci").toString()).expectOk().out().strip();
    Tools.Result bad = Tools.actool("patch-manifest", "--compression", "xz", "--compression-level", "10", "--name=example.com/x",
        in.toString(), tmp.resolve("bad.aci").toString());

    assertThat(id).isEqualTo(Tools.actool("image-id", tmp.resolve("small.aci").toString()).expectOk().out().strip());
    assertThat(Files.size(tmp.resolve("small.aci"))).isLessThan(Files.size(in));
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).isEqualTo("actool: --compression-level: compression level 10 is out of range for xz (use 0-9)\n"
        + "Run 'actool help patch-manifest' for usage.\n");
    assertThat(tmp.resolve("bad.aci")).doesNotExist();
  }

  @Test
  void patchManifest_replaceAndOverwrite_conflict() throws Exception {
    Tools.Result r = Tools.actool("patch-manifest", "--replace", "--overwrite", "--name=a", tmp.resolve("in.aci").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--replace").contains("--overwrite");
  }

  @Test
  void imageId_matchesTheReferenceBuildsBytes() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("x.aci");
    Tools.actool("build", "--compression=xz", layout.toString(), aci.toString()).expectOk();
    String expected = Tools.process(tmp, Map.of(), "sh", "-c", "xz -dc " + aci + " | sha512sum").expectOk().out().split(" ")[0];
    assertThat(Tools.actool("image-id", aci.toString()).expectOk().out()).isEqualTo("sha512-" + expected + "\n");
  }

  @Test
  void goStyleSingleDashFlags_accepted() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("x.aci");
    Files.writeString(aci, "old");
    Tools.actool("build", "-overwrite", "-no-compression=true", layout.toString(), aci.toString()).expectOk();
    Tools.actool("validate", "-type=appimage", aci.toString()).expectOk();
  }

  @Test
  void build_unknownCompression_exits2NamingTheChoices() {
    Tools.Result r = Tools.actool("build", "--compression=lz4", tmp.toString(), tmp.resolve("x.aci").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("lz4").contains("gzip");
  }

  @Test
  void validate_missingFile_saysSoAndGoesOn() throws Exception {
    Path good = tmp.resolve("good.json");
    Files.writeString(good, "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/ok\"}");
    Path missing = tmp.resolve("missing.aci");

    Tools.Result r = Tools.actool("validate", missing.toString(), good.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo(missing + ": no such file or directory\n");
    assertThat(r.out()).isEqualTo(missing + ": invalid file (1 error)\n" + good + ": valid ImageManifest\n");
  }

  @Test
  void validate_json_oneObjectPerFileAndNothingOnStderr() throws Exception {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"Bad Name\"}");
    Path good = tmp.resolve("good.json");
    Files.writeString(good, "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/ok\"}");
    Path missing = tmp.resolve("missing.aci");

    Tools.Result r = Tools.actool("validate", "--json", bad.toString(), good.toString(), missing.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    JsonNode results = new ObjectMapper().readTree(r.out());
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("file").asText()).isEqualTo(bad.toString());
    assertThat(results.get(0).get("type").asText()).isEqualTo("ImageManifest");
    assertThat(results.get(0).get("valid").asBoolean()).isFalse();
    assertThat(results.get(0).get("errors")).hasSize(1);
    assertThat(results.get(0).get("errors").get(0).asText()).contains("Bad Name");
    assertThat(results.get(1).toString()).isEqualTo("{\"file\":\"" + good + "\",\"type\":\"ImageManifest\",\"valid\":true,"
        + "\"errors\":[],\"warnings\":[]}");
    assertThat(results.get(2).toString()).isEqualTo("{\"file\":\"" + missing + "\",\"type\":\"file\",\"valid\":false,"
        + "\"errors\":[\"no such file or directory\"],\"warnings\":[]}");
  }

  @Test
  void imageId_json_fileAndIdOfEach() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("x.aci");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();
    String id = Tools.actool("image-id", aci.toString()).expectOk().out().strip();

    Tools.Result r = Tools.actool("image-id", "--json", aci.toString());

    assertThat(r.out()).isEqualTo("[{\"file\":\"" + aci + "\",\"id\":\"" + id + "\"}]\n");
  }
}
