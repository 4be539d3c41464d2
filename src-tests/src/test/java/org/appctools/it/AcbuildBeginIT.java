package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acbuild begin and end: the start of a build and its end. */
class AcbuildBeginIT {
  @TempDir Path tmp;

  @Test
  void begin_noStart_emptyImageWithPlaceholderNameAndOsArch() throws Exception {
    Tools.acbuild(tmp, "begin").expectOk();

    JsonNode m = Tools.manifest(tmp);
    assertThat(m.get("acKind").asText()).isEqualTo("ImageManifest");
    assertThat(m.get("name").asText()).isEqualTo("acbuild-unnamed");
    assertThat(m.get("labels").toString()).contains("\"os\"", "\"arch\"");
  }

  @Test
  void begin_twice_exits1AndKeepsTheFirstBuild() throws Exception {
    Tools.acbuild(tmp, "begin").expectOk();
    Tools.acbuild(tmp, "set-name", "example.com/first").expectOk();

    Tools.Result r = Tools.acbuild(tmp, "begin");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("begin: ");
    assertThat(Tools.manifest(tmp).get("name").asText()).isEqualTo("example.com/first");
  }

  @Test
  void begin_localDirectory_isTheRootfs() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/etc"));
    Files.writeString(src.resolve("hello"), "hi\n");
    Path work = Files.createDirectories(tmp.resolve("work"));

    Tools.acbuild(work, "begin", tmp.resolve("src").toString()).expectOk();
    Tools.acbuild(work, "set-name", "example.com/dir").expectOk();

    assertThat(Tools.rootfs(work, tmp).resolve("etc/hello")).hasContent("hi");
  }

  @Test
  void begin_localAci_takesManifestAndRootfs() throws Exception {
    Path first = Files.createDirectories(tmp.resolve("first"));
    Path file = tmp.resolve("file.txt");
    Files.writeString(file, "data");
    Tools.acbuild(first, "begin").expectOk();
    Tools.acbuild(first, "set-name", "example.com/base").expectOk();
    Tools.acbuild(first, "copy", file.toString(), "/data/file.txt").expectOk();
    Tools.acbuild(first, "write", tmp.resolve("base.aci").toString()).expectOk();
    Tools.acbuild(first, "end").expectOk();

    Path second = Files.createDirectories(tmp.resolve("second"));
    Tools.acbuild(second, "begin", tmp.resolve("base.aci").toString()).expectOk();

    assertThat(Tools.manifest(second).get("name").asText()).isEqualTo("example.com/base");
    assertThat(Tools.rootfs(second, tmp).resolve("data/file.txt")).hasContent("data");
  }

  @Test
  void begin_missingLocalPath_exits1NamingIt() {
    Tools.Result r = Tools.acbuild(tmp, "begin", "./no-such-rootfs-here");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no-such-rootfs-here");
    assertThat(Tools.acbuild(tmp, "cat-manifest").code()).isEqualTo(1);
  }

  @Test
  void begin_appcNameNowhereToBeFound_exits1NamingTheAttemptsAndStartsNothing() {
    // nothing listens on 127.0.0.1:443 here: discovery fails at once
    Tools.Result r = Tools.acbuild(tmp, "--store-dir=" + tmp.resolve("store"), "begin", "127.0.0.1/org/none");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("begin: ").contains("127.0.0.1/org/none", "https://127.0.0.1/org/none?ac-discovery=1");
    assertThat(Tools.acbuild(tmp, "cat-manifest").code()).isEqualTo(1);
  }

  @Test
  void begin_dockerImageNowhereToBeFound_exits1AndStartsNothing() {
    // nothing listens on 127.0.0.1:1
    Tools.Result r = Tools.acbuild(tmp, "--store-dir=" + tmp.resolve("store"), "begin", "--insecure", "docker://127.0.0.1:1/none");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("begin: ").contains("127.0.0.1:1");
    assertThat(Tools.acbuild(tmp, "cat-manifest").code()).isEqualTo(1);
  }

  @Test
  void begin_insecureFlag_isAccepted() {
    Tools.acbuild(tmp, "begin", "--insecure").expectOk();
  }

  @Test
  void end_removesTheBuild_thenCommandsFailAndBeginWorksAgain() {
    Tools.acbuild(tmp, "begin").expectOk();

    Tools.acbuild(tmp, "end").expectOk();

    Tools.Result r = Tools.acbuild(tmp, "label", "add", "a", "b");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("label add: ");
    assertThat(Tools.acbuild(tmp, "end").code()).isEqualTo(1);
    Tools.acbuild(tmp, "begin").expectOk();
  }

  @Test
  void workPath_afterTheCommand_isHonouredLikeCobraPersistentFlags() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("late"));
    java.io.StringWriter err = new java.io.StringWriter();
    int code = org.appctools.cli.acbuild.Acbuild.run(new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(err), "begin", "--work-path", work.toString());

    assertThat(code).as(err.toString()).isZero();

    assertThat(Tools.manifest(work).get("name").asText()).isEqualTo("acbuild-unnamed");
  }
}
