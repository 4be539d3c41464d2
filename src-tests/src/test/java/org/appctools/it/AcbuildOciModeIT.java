package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * acbuild's OCI build mode ({@code begin --build-mode oci}), its images read back by umoci and
 * skopeo: layers with whiteouts, the config as the commands set it, the start image's layers kept,
 * the refusals of appc-only commands, {@code --modify-oci}, scripts.
 */
class AcbuildOciModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path work;
  Path files;

  @BeforeEach
  void setUp() throws Exception {
    Tools.requireTool(Path.of("/usr/bin/umoci"), "umoci");
    Tools.requireTool(Path.of("/usr/bin/skopeo"), "skopeo");
    work = Files.createDirectories(tmp.resolve("work"));
    files = Files.createDirectories(tmp.resolve("files"));
    Files.writeString(files.resolve("a"), "first layer\n");
    Files.createDirectories(files.resolve("d"));
    Files.writeString(files.resolve("d").resolve("b"), "also first\n");
    Files.writeString(files.resolve("c"), "second layer\n");
  }

  private Tools.Result acbuild(String... args) {
    return Tools.acbuild(work, args);
  }

  private Tools.Result tool(String... command) throws Exception {
    return Tools.process(tmp, Map.of(), command);
  }

  /** umoci unpack of a layout directory's tag into a new bundle; its rootfs. */
  private Path unpack(Path layout, String tag) throws Exception {
    Path bundle = tmp.resolve("bundle-" + layout.getFileName() + "-" + tag);
    tool("/usr/bin/umoci", "unpack", "--image", layout + ":" + tag, bundle.toString()).expectOk();
    return bundle.resolve("rootfs");
  }

  /** The entry names of the layer blob {@code digest} of a layout. */
  private static List<String> layerEntries(Path layout, String digest) throws Exception {
    List<String> names = new ArrayList<>();
    try (InputStream in = Files.newInputStream(layout.resolve("blobs/sha256").resolve(digest.substring(7)));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      for (TarArchiveEntry e = tar.getNextTarEntry(); e != null; e = tar.getNextTarEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  private static JsonNode manifestOf(Path layout) throws Exception {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String digest = index.at("/manifests/0/digest").asText();
    return JSON.readTree(layout.resolve("blobs/sha256").resolve(digest.substring(7)).toFile());
  }

  @Test
  void ociMode_copyLayerCopyAndEdits_skopeoAndUmociReadTheArchive() throws Exception {
    acbuild("begin", "--build-mode", "oci").expectOk();
    acbuild("copy", files.resolve("a").toString(), "/a").expectOk();
    acbuild("copy-to-dir", files.resolve("d").toString(), "/").expectOk();
    acbuild("layer").expectOk();
    acbuild("copy", files.resolve("c").toString(), "/c").expectOk();
    acbuild("set-exec", "/bin/app", "--flag", "x").expectOk();
    acbuild("environment", "add", "MODE", "prod").expectOk();
    acbuild("label", "add", "tier", "web").expectOk();
    acbuild("annotation", "add", "org.example.note", "hello").expectOk();
    acbuild("port", "add", "http", "tcp", "8080").expectOk();
    acbuild("mount", "add", "data", "/data").expectOk();
    acbuild("set-user", "1000").expectOk();
    acbuild("set-group", "100").expectOk();
    acbuild("set-working-directory", "/srv").expectOk();
    acbuild("set-tag", "1.0").expectOk();
    acbuild("set-name", "example.com/app").expectOk();
    Path archive = tmp.resolve("app.oci.tar");

    Tools.Result written = acbuild("write", archive.toString()).expectOk();
    acbuild("end").expectOk();

    JsonNode config = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci-archive:" + archive).expectOk().out());
    JsonNode c = config.get("config");
    assertThat(c.get("Entrypoint").toString()).isEqualTo("[\"/bin/app\"]");
    assertThat(c.get("Cmd").toString()).isEqualTo("[\"--flag\",\"x\"]");
    assertThat(c.get("Env").toString()).isEqualTo("[\"MODE=prod\"]");
    assertThat(c.get("Labels").toString()).isEqualTo("{\"tier\":\"web\"}");
    assertThat(c.get("ExposedPorts").toString()).isEqualTo("{\"8080/tcp\":{}}");
    assertThat(c.get("Volumes").toString()).isEqualTo("{\"/data\":{}}");
    assertThat(c.get("User").asText()).isEqualTo("1000:100");
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/srv");
    assertThat(config.at("/rootfs/diff_ids").size()).isEqualTo(2);

    Path layout = Files.createDirectories(tmp.resolve("layout"));
    tool("tar", "-C", layout.toString(), "-xf", archive.toString()).expectOk();
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.at("/manifests/0/annotations/org.opencontainers.image.ref.name").asText()).isEqualTo("1.0");
    assertThat(index.at("/manifests/0/annotations/io.containerd.image.name").asText()).isEqualTo("example.com/app:1.0");
    assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(written.out().strip());
    assertThat(index.at("/manifests/0/platform/os").asText()).isEqualTo("linux");
    assertThat(index.at("/manifests/0/platform/architecture").asText()).isEqualTo(config.get("architecture").asText());
    JsonNode manifest = manifestOf(layout);
    assertThat(manifest.at("/annotations/org.example.note").asText()).isEqualTo("hello");
    assertThat(manifest.at("/annotations/coreos.com~1acbuild~1port~1http").asText()).isEqualTo("number:8080 protocol:tcp");
    assertThat(manifest.at("/annotations/appc.io~1acbuild~1command-1").asText())
        .isEqualTo("acbuild copy \"" + files.resolve("a") + "\" \"/a\"");
    assertThat(layerEntries(layout, manifest.at("/layers/0/digest").asText())).containsExactly("a", "d/", "d/b");
    assertThat(layerEntries(layout, manifest.at("/layers/1/digest").asText())).containsExactly("c");

    Path rootfs = unpack(layout, "1.0");
    assertThat(rootfs.resolve("a")).hasContent("first layer");
    assertThat(rootfs.resolve("d/b")).hasContent("also first");
    assertThat(rootfs.resolve("c")).hasContent("second layer");
  }

  @Test
  void ociMode_fromBusyboxLayout_keepsItsLayer_andWhitesOutWhatLayerTwoDeletes() throws Exception {
    assumeTrue(Tools.isRoot(), "acbuild run needs root");
    Path busybox = Tools.fixture("oci/busybox");
    String baseLayer = manifestOf(busybox).at("/layers/0/digest").asText();
    acbuild("begin", "--build-mode", "oci", busybox.toString()).expectOk();
    acbuild("copy", files.resolve("a").toString(), "/added").expectOk();
    acbuild("layer").expectOk();
    acbuild("run", "--", "/bin/rm", "/added").expectOk();
    // the config's Env (FOO=bar in the fixture) is the command's environment, as Go's getEnvVarsOCI
    acbuild("run", "--", "/bin/sh", "-c", "test \"$FOO\" = bar").expectOk();
    Path out = tmp.resolve("out");

    acbuild("write", out + "/").expectOk();
    acbuild("end").expectOk();

    JsonNode manifest = manifestOf(out);
    assertThat(manifest.get("layers").size()).isEqualTo(3);
    assertThat(manifest.at("/layers/0/digest").asText()).isEqualTo(baseLayer);
    assertThat(layerEntries(out, manifest.at("/layers/1/digest").asText())).containsExactly("added");
    assertThat(layerEntries(out, manifest.at("/layers/2/digest").asText())).containsExactly(".wh.added");
    Path rootfs = unpack(out, "latest");
    assertThat(rootfs.resolve("bin/busybox")).exists();
    assertThat(rootfs.resolve("added")).doesNotExist();
    JsonNode config = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci:" + out + ":latest").expectOk().out());
    assertThat(config.at("/config/Entrypoint").toString()).isEqualTo(
        JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci:" + busybox + ":latest").expectOk().out())
            .at("/config/Entrypoint").toString());
  }

  @Test
  void ociMode_appcOnlyCommands_failWithTheGoMessagesAndExitOne() {
    acbuild("begin", "--build-mode", "oci").expectOk();

    Tools.Result dep = acbuild("dependency", "add", "example.com/base");
    Tools.Result iso = acbuild("isolator", "add", "os/linux/no-new-privileges", "-");
    Tools.Result eh = acbuild("set-event-handler", "pre-start", "/bin/true");
    Tools.Result supp = acbuild("set-supp-groups", "10");
    Tools.Result missing = acbuild("label", "remove", "nothing");

    assertThat(dep.code()).isEqualTo(1);
    assertThat(dep.err()).isEqualTo("dependency add: dependencies only supported in appc builds\n");
    assertThat(iso.code()).isEqualTo(1);
    assertThat(iso.err()).isEqualTo("isolator add: isolators only supported in appc builds\n");
    assertThat(eh.code()).isEqualTo(1);
    assertThat(eh.err()).isEqualTo("set-event-handler pre-start: event handlers only supported in appc builds\n");
    assertThat(supp.code()).isEqualTo(1);
    assertThat(supp.err()).isEqualTo("set-supp-groups: supplementary groups only supported in appc builds\n");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("label remove: element to be removed does not exist in this ACI: label \"nothing\"\n");
  }

  @Test
  void appcMode_ociOnlyCommands_failWithExitOne() {
    acbuild("begin").expectOk();

    Tools.Result layer = acbuild("layer");
    Tools.Result tag = acbuild("set-tag", "v1");

    assertThat(layer.code()).isEqualTo(1);
    assertThat(layer.err()).isEqualTo("layer: adding layers is currently only supported in OCI builds\n");
    assertThat(tag.code()).isEqualTo(1);
    assertThat(tag.err()).startsWith("set-tag: tags only supported in OCI builds");
  }

  @Test
  void ociMode_remoteStart_isRefusedAndNoBuildIsLeft() {
    Tools.Result r = acbuild("begin", "--build-mode", "oci", "docker://busybox");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("begin: cannot start from remote OCI images currently");
    assertThat(work.resolve(".acbuild")).doesNotExist();
  }

  @Test
  void begin_layoutWithALayerEscapingTheRootfs_isRefusedAndNoBuildIsLeft() throws Exception {
    Path layout = Files.createDirectories(tmp.resolve("hostile/blobs/sha256"));
    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    try (var gz = new java.util.zip.GZIPOutputStream(raw);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gz)) {
      TarArchiveEntry e = new TarArchiveEntry("../escaped", true);
      e.setSize(3);
      tar.putArchiveEntry(e);
      tar.write("bad".getBytes());
      tar.closeArchiveEntry();
    }
    byte[] layer = raw.toByteArray();
    String layerDigest = blob(layout, layer);
    byte[] plain = new GZIPInputStream(new java.io.ByteArrayInputStream(layer)).readAllBytes();
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + sha256(plain) + "\"]}}").getBytes();
    String configDigest = blob(layout, config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
        + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest
        + "\",\"size\":" + layer.length + "}]}").getBytes();
    String manifestDigest = blob(layout, manifest);
    Path root = layout.getParent().getParent();
    Files.writeString(root.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(root.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length + "}]}");

    Tools.Result r = acbuild("begin", "--build-mode", "oci", root.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("../escaped");
    assertThat(work.resolve(".acbuild")).doesNotExist();
    assertThat(tmp.resolve("escaped")).doesNotExist();
  }

  private static String blob(Path blobs, byte[] bytes) throws Exception {
    String digest = sha256(bytes);
    Files.write(blobs.resolve(digest.substring(7)), bytes);
    return digest;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void begin_unknownMode_andWrite_overExistingOutput_areRefused() throws Exception {
    Tools.Result mode = acbuild("begin", "--build-mode", "docker");
    acbuild("begin", "--build-mode", "oci").expectOk();
    Path out = Files.writeString(tmp.resolve("taken.tar"), "mine");
    Tools.Result write = acbuild("write", out.toString());

    assertThat(mode.code()).isEqualTo(1);
    assertThat(mode.err()).isEqualTo("begin: unknown build mode: docker (use appc or oci)\n");
    assertThat(write.code()).isEqualTo(1);
    assertThat(write.err()).isEqualTo("write: image already exists: " + out + " (use --overwrite)\n");
    assertThat(out).hasContent("mine");
  }

  @Test
  void modifyOci_archiveAndDirectory_rewrittenInPlaceWithHistory() throws Exception {
    acbuild("begin", "--build-mode", "oci").expectOk();
    acbuild("copy", files.resolve("a").toString(), "/a").expectOk();
    Path archive = tmp.resolve("img.tar");
    Path dir = tmp.resolve("img");
    acbuild("write", archive.toString()).expectOk();
    acbuild("write", dir + "/").expectOk();
    acbuild("end").expectOk();
    Path other = Files.createDirectories(tmp.resolve("other"));

    Tools.acbuild(other, "--modify-oci", archive.toString(), "label", "add", "version", "2").expectOk();
    Tools.acbuild(other, "--modify-oci", dir.toString(), "environment", "add", "A", "1").expectOk();
    Tools.Result refused = Tools.acbuild(other, "--modify-oci", archive.toString(), "write", "x.tar");

    JsonNode fromArchive = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci-archive:" + archive).expectOk().out());
    assertThat(fromArchive.at("/config/Labels/version").asText()).isEqualTo("2");
    JsonNode fromDir = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci:" + dir + ":latest").expectOk().out());
    assertThat(fromDir.at("/config/Env").toString()).isEqualTo("[\"A=1\"]");
    assertThat(manifestOf(dir).at("/annotations/appc.io~1acbuild~1command-2").asText()).isEqualTo("acbuild environment add \"A\" \"1\"");
    assertThat(unpack(dir, "latest").resolve("a")).hasContent("first layer");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("write: Can't use --modify flags with write.\n");
    assertThat(other.resolve(".acbuild")).doesNotExist();
    try (var names = Files.list(tmp)) {
      assertThat(names.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".img"));
    }
  }

  @Test
  void script_inOciMode_buildsAndWritesTheImage() throws Exception {
    Path archive = tmp.resolve("scripted.tar");
    Path script = Files.writeString(tmp.resolve("build.acb"), """
        begin --build-mode oci
        copy %s /a
        layer
        copy %s /c
        set-exec /bin/sh -c 'echo hi'
        set-tag scripted
        write %s
        """.formatted(files.resolve("a"), files.resolve("c"), archive));

    acbuild("script", script.toString()).expectOk();

    assertThat(work.resolve(".acbuild")).doesNotExist();
    JsonNode inspect = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "oci-archive:" + archive).expectOk().out());
    assertThat(inspect.get("Layers").size()).isEqualTo(2);
    JsonNode config = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci-archive:" + archive).expectOk().out());
    assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"-c\",\"echo hi\"]");
  }

  @Test
  void write_withSourceDateEpoch_sameBuildTwice_sameBytes() throws Exception {
    Path acbuild = Tools.bin("acbuild");
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000", "APPCTOOLS_NO_CDS", "1");
    List<String> digests = new ArrayList<>();
    for (String name : List.of("one", "two")) {
      Path w = Files.createDirectories(tmp.resolve("w-" + name));
      Tools.process(w, env, acbuild.toString(), "begin", "--build-mode", "oci").expectOk();
      Tools.process(w, env, acbuild.toString(), "copy", files.resolve("d").toString(), "/d").expectOk();
      Tools.process(w, env, acbuild.toString(), "set-exec", "/bin/true").expectOk();
      digests.add(Tools.process(w, env, acbuild.toString(), "write", tmp.resolve(name + ".tar").toString()).expectOk().out());
      Tools.process(w, env, acbuild.toString(), "end").expectOk();
    }

    assertThat(digests.get(0)).isEqualTo(digests.get(1));
    assertThat(Files.mismatch(tmp.resolve("one.tar"), tmp.resolve("two.tar"))).isEqualTo(-1L);
    JsonNode config = JSON.readTree(tool("/usr/bin/skopeo", "inspect", "--config", "oci-archive:" + tmp.resolve("one.tar")).expectOk().out());
    assertThat(config.get("created").asText()).isEqualTo("2023-11-14T22:13:20Z");
  }

  @Test
  void catManifest_fileConfig_printsTheConfigWriteWouldWrite() throws Exception {
    acbuild("begin", "--build-mode", "oci").expectOk();
    acbuild("environment", "add", "A", "1").expectOk();

    JsonNode config = JSON.readTree(acbuild("cat-manifest", "--file", "config").expectOk().out());
    JsonNode manifest = JSON.readTree(acbuild("cat-manifest").expectOk().out());

    assertThat(config.at("/config/Env").toString()).isEqualTo("[\"A=1\"]");
    assertThat(config.get("os").asText()).isEqualTo("linux");
    assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.get("layers").size()).isEqualTo(1);
  }

  @Test
  void replaceManifest_inOciMode_replacesTheConfig() throws Exception {
    acbuild("begin", "--build-mode", "oci").expectOk();
    acbuild("environment", "add", "A", "1").expectOk();
    Path file = Files.writeString(tmp.resolve("config.json"),
        "{\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{\"User\":\"7\"}}");

    acbuild("replace-manifest", file.toString()).expectOk();

    String pretty = acbuild("cat-manifest", "--file", "config", "--pretty-print").expectOk().out();
    JsonNode config = JSON.readTree(pretty);
    assertThat(config.get("architecture").asText()).isEqualTo("arm64");
    assertThat(config.get("config").toString()).isEqualTo("{\"User\":\"7\"}");
    assertThat(pretty).contains("\n  \"config\" : {");
  }

  /**
   * SIGKILL at moments drawn from a seeded Random during {@code layer}, {@code copy} and {@code
   * write} of an OCI build: the next command works, the context keeps no leftover (no sealed layer
   * its state does not list), and the image has the layers of before or after the command.
   */
  @Test
  void sigkillDuringLayerCopyAndWrite_leavesTheBuildAsBeforeOrAfter() throws Exception {
    Path debian = Tools.fixture("rootfs/debian");
    acbuild("begin", "--build-mode", "oci").expectOk();
    acbuild("copy", debian.resolve("usr/share/zoneinfo").toString(), "/zoneinfo").expectOk();
    java.util.Random random = new java.util.Random(20261128L);
    long t0 = System.nanoTime();
    runAndKill(List.of("set-tag", "t0"), 600_000);
    int jvmMs = (int) ((System.nanoTime() - t0) / 1_000_000);

    for (int round = 0; round < 9; round++) {
      List<String> args = switch (round % 3) {
        case 0 -> List.of("layer");
        case 1 -> List.of("copy", debian.resolve("usr/share/man").toString(), "/man-" + round);
        default -> List.of("write", "--overwrite", tmp.resolve("out.tar").toString());
      };
      int layersBefore = JSON.readTree(acbuild("cat-manifest").expectOk().out()).get("layers").size();
      long delay = jvmMs / 2 + random.nextInt(jvmMs + 2000);

      boolean finished = runAndKill(args, delay);

      String at = "round " + round + " " + args.get(0) + " killed after " + delay + " ms (finished: " + finished + ")";
      Tools.Result next = acbuild("cat-manifest");
      assertThat(next.code()).as(at + "; stderr: %s", next.err()).isZero();
      int layersNow = JSON.readTree(next.out()).get("layers").size();
      if (args.get(0).equals("write")) {
        assertThat(layersNow).as(at).isEqualTo(layersBefore);
      } else {
        // layer seals the top one; a copy into the empty top layer a finished layer left (which
        // the manifest leaves out) makes it appear
        assertThat(layersNow).as(at).isIn(layersBefore, layersBefore + 1);
      }
      try (var sealed = Files.list(work.resolve(".acbuild/sealed"))) {
        assertThat(sealed.map(p -> p.getFileName().toString())).as(at).noneMatch(n -> n.endsWith(".tmp"));
      }
      if (args.get(0).equals("write")) {
        // writing again succeeds and removes what the killed write left next to its target
        acbuild("write", "--overwrite", tmp.resolve("out.tar").toString()).expectOk();
        try (var names = Files.list(tmp)) {
          assertThat(names.map(p -> p.getFileName().toString())).as(at).noneMatch(n -> n.startsWith(".out.tar"));
        }
      }
    }
    acbuild("write", "--overwrite", tmp.resolve("out.tar").toString()).expectOk();
    tool("/usr/bin/skopeo", "inspect", "oci-archive:" + tmp.resolve("out.tar")).expectOk();
  }

  /**
   * Starts bin/acbuild ARGS on the work path and sends it SIGKILL after {@code delayMs} unless it
   * has finished; true when it finished on its own (with exit 0).
   */
  private boolean runAndKill(List<String> args, long delayMs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Tools.bin("acbuild").toString(), "--work-path=" + work));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("APPCTOOLS_NO_CDS", "1");
    Path err = tmp.resolve("kill-stderr.txt");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    Process p = pb.start();
    if (p.waitFor(delayMs, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      assertThat(p.exitValue()).as("%s finished on its own; stderr: %s", args, Files.readString(err)).isZero();
      return true;
    }
    p.destroyForcibly();
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return false;
  }
}
