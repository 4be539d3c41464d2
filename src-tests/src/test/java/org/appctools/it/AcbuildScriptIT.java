package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.aci.AciArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acbuild script: Go script syntax, its own build when none is in progress, the build in progress otherwise. */
class AcbuildScriptIT {
  @TempDir Path tmp;

  private Path script(String text) throws Exception {
    return Files.writeString(tmp.resolve("build.acb"), text);
  }

  @Test
  void script_noBuildInProgress_beginsWritesAndCleansUpItsOwn() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path aci = tmp.resolve("out.aci");
    Path s = script("""
        # a script written for the Go acbuild
        begin
        set-name example.com/scripted
        label add version "1.0 beta"   # trailing comment
        environment add GREETING 'hello world'
        annotation add quote "it's \\"quoted\\""
        set-exec /bin/sh -c \\
            'echo hi'
        write %s
        """.formatted(aci));

    Tools.Result r = Tools.acbuild(work, "script", s.toString()).expectOk();

    assertThat(r.out().strip()).isEqualTo(AciArchive.imageId(aci));
    assertThat(work.resolve(".acbuild")).doesNotExist();
    JsonNode m = new ObjectMapper().readTree(AciArchive.readManifest(aci));
    assertThat(m.get("name").asText()).isEqualTo("example.com/scripted");
    assertThat(m.get("labels").toString()).contains("{\"name\":\"version\",\"value\":\"1.0 beta\"}");
    assertThat(m.at("/app/environment").toString()).contains("hello world");
    assertThat(m.at("/app/exec").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"echo hi\"]");
    assertThat(m.get("annotations").toString()).contains("it's \\\"quoted\\\"", "acbuild label add \\\"version\\\" \\\"1.0 beta\\\"");
  }

  @Test
  void script_storeDir_isTheStoreOfEveryLine() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("base"));
    Tools.acbuild(base, "begin").expectOk();
    Tools.acbuild(base, "set-name", "example.com/stored").expectOk();
    Tools.acbuild(base, "write", tmp.resolve("base.aci").toString()).expectOk();
    Tools.acbuild(base, "end").expectOk();
    Path store = tmp.resolve("store");
    Tools.actool("image", "import", "--store-dir=" + store, tmp.resolve("base.aci").toString()).expectOk();
    Path aci = tmp.resolve("derived.aci");
    Path s = script("begin example.com/stored\nset-name example.com/derived\nwrite " + aci + "\n");
    Path work = Files.createDirectories(tmp.resolve("work"));

    Tools.acbuild(work, "--store-dir=" + store, "script", s.toString()).expectOk();

    JsonNode m = new ObjectMapper().readTree(AciArchive.readManifest(aci));
    assertThat(m.get("name").asText()).isEqualTo("example.com/derived");
  }

  @Test
  void script_buildInProgress_actsOnItAndLeavesItOpen() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
    Path s = script("""
        set-name example.com/existing
        port add http tcp 8080
        """);

    Tools.acbuild(work, "script", s.toString()).expectOk();

    JsonNode m = Tools.manifest(work);
    assertThat(m.get("name").asText()).isEqualTo("example.com/existing");
    assertThat(m.at("/app/ports/0/port").asInt()).isEqualTo(8080);
  }

  @Test
  void script_failingLine_stopsWithItsExitCode_andCleansUp() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path s = script("""
        begin
        label remove nothing-here
        set-name example.com/never
        """);

    Tools.Result r = Tools.acbuild(work, "script", s.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("label remove: ", "script: command 2 (label remove nothing-here) failed with exit code 2");
    assertThat(work.resolve(".acbuild")).doesNotExist();
  }

  @Test
  void script_withEnd_isRefusedBeforeRunningAnything() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path aci = tmp.resolve("never.aci");
    Path s = script("begin\nset-name example.com/e\nwrite " + aci + "\nend\n");

    Tools.Result r = Tools.acbuild(work, "script", s.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("calling end is unnecessary in a script, cleanup is done automatically");
    assertThat(aci).doesNotExist();
  }

  @Test
  void script_unterminatedQuote_exits1() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Path s = script("begin\nlabel add a \"oops\n");

    Tools.Result r = Tools.acbuild(work, "script", s.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("script: ").contains("unterminated double quote");
  }

  @Test
  void script_missingFile_exits1() {
    Tools.Result r = Tools.acbuild(tmp, "script", tmp.resolve("none.acb").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("script: ").contains("none.acb");
  }

  @Test
  void script_noHistory_isPassedToEveryLine() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
    Path s = script("label add a 1\n");

    Tools.acbuild(work, "--no-history", "script", s.toString()).expectOk();

    assertThat(Tools.manifest(work).get("annotations")).isNull();
  }
}
