package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.appctools.aci.AciArchive;
import org.appctools.compress.Compression;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acbuild --modify ACI: one command on an existing ACI, written back in place. */
class AcbuildModifyIT {
  @TempDir Path tmp;
  Path aci;
  Path work;

  @BeforeEach
  void makeAci() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build"));
    work = Files.createDirectories(tmp.resolve("work"));
    aci = tmp.resolve("app.aci");
    Tools.acbuild(build, "begin").expectOk();
    Tools.acbuild(build, "set-name", "example.com/app").expectOk();
    Tools.acbuild(build, "set-exec", "/bin/true").expectOk();
    Tools.acbuild(build, "write", aci.toString()).expectOk();
    Tools.acbuild(build, "end").expectOk();
  }

  private JsonNode manifest() throws Exception {
    return new ObjectMapper().readTree(AciArchive.readManifest(aci));
  }

  @Test
  void modify_labelAdd_rewritesTheAciWithHistory_andNoBuildIsLeft() throws Exception {
    Tools.acbuild(work, "--modify", aci.toString(), "label", "add", "version", "2.0").expectOk();

    JsonNode m = manifest();
    assertThat(m.get("labels").toString()).contains("{\"name\":\"version\",\"value\":\"2.0\"}");
    assertThat(m.get("annotations").toString()).contains("acbuild label add \\\"version\\\" \\\"2.0\\\"");
    assertThat(work.resolve(".acbuild")).doesNotExist();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
  }

  @Test
  void modify_keepsTheCompressionOfTheAci() throws Exception {
    Path build = Files.createDirectories(tmp.resolve("build-xz"));
    Path xz = tmp.resolve("app-xz.aci");
    Tools.acbuild(build, "begin").expectOk();
    Tools.acbuild(build, "set-name", "example.com/app").expectOk();
    Tools.acbuild(build, "write", "--compression", "xz", xz.toString()).expectOk();
    Tools.acbuild(build, "end").expectOk();

    Tools.acbuild(work, "--modify", xz.toString(), "label", "add", "version", "3").expectOk();

    assertThat(AciArchive.compression(xz)).isEqualTo(Compression.XZ);
    assertThat(new String(AciArchive.readManifest(xz), java.nio.charset.StandardCharsets.UTF_8)).contains("\"3\"");
  }

  @Test
  void modifyAppc_laterSpelling_works() throws Exception {
    Tools.acbuild(work, "--modify-appc", aci.toString(), "env", "add", "A", "1").expectOk();

    assertThat(manifest().at("/app/environment").toString()).isEqualTo("[{\"name\":\"A\",\"value\":\"1\"}]");
  }

  @Test
  void modify_catManifest_readsTheAci() throws Exception {
    Tools.Result r = Tools.acbuild(work, "--modify", aci.toString(), "cat-manifest", "--pretty-print").expectOk();

    assertThat(r.out()).contains("\"example.com/app\"");
  }

  @Test
  void modify_removeMissing_exits2AndLeavesTheAci() throws Exception {
    byte[] before = Files.readAllBytes(aci);

    Tools.Result r = Tools.acbuild(work, "--modify", aci.toString(), "label", "remove", "nope");

    assertThat(r.code()).isEqualTo(2);
    assertThat(Files.readAllBytes(aci)).isEqualTo(before);
  }

  @Test
  void modify_withBeginWriteEndScriptVersion_isRefused() {
    for (String[] cmd : new String[][] {{"begin"}, {"write", "x.aci"}, {"end"}, {"script", "s.acb"}, {"version"}}) {
      String[] args = new String[cmd.length + 2];
      args[0] = "--modify";
      args[1] = aci.toString();
      System.arraycopy(cmd, 0, args, 2, cmd.length);

      Tools.Result r = Tools.acbuild(work, args);

      assertThat(r.code()).as(cmd[0]).isEqualTo(1);
      assertThat(r.err()).as(cmd[0]).contains("Can't use the --modify flag with " + cmd[0] + ".");
    }
  }

  @Test
  void modify_missingAci_exits1() {
    Tools.Result r = Tools.acbuild(work, "--modify", tmp.resolve("absent.aci").toString(), "label", "add", "a", "b");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("ACI doesn't appear to exist");
  }
}
