package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker2aci on the archives and layouts of .ci/fixtures.sh (written by skopeo and umoci): every
 * output passes the reference Go actool, and the converted rootfs is what umoci unpack makes of
 * the same image, entry by entry.
 */
class Docker2aciIT {
  /** What docker2aci adds, as the Go tool does, and umoci does not. */
  private static final List<String> STDIO_LINKS = List.of("dev/fd", "dev/stderr", "dev/stdin", "dev/stdout");

  @TempDir Path tmp;

  static Tools.Result validate(Path aci) throws Exception {
    return Tools.process(aci.getParent(), Map.of(), Tools.referenceActool().toString(), "validate", aci.toString());
  }

  /** Converts {@code input} into tmp/NAME and returns the one ACI written. */
  private Path convert(String input, String name, String... flags) throws Exception {
    Path out = tmp.resolve(name);
    String[] args = new String[flags.length + 3];
    System.arraycopy(flags, 0, args, 0, flags.length);
    args[flags.length] = "--output";
    args[flags.length + 1] = out.toString();
    args[flags.length + 2] = input;
    Tools.Result r = Tools.docker2aci(args).expectOk();
    assertThat(r.out()).contains("\nGenerated ACI(s):\n");
    try (var files = Files.list(out)) {
      List<Path> acis = files.toList();
      assertThat(acis).hasSize(1);
      return acis.get(0);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "oci/busybox, busybox-latest.aci",
    "oci/layered, layered-latest.aci",
    "oci/busybox-zstd, busybox-zstd-latest.aci",
    "archives/busybox.docker.tar, library-busybox-latest.aci",
    "archives/layered.docker.tar, library-layered-latest.aci",
    "archives/layered.legacy.tar, library-layered-latest.aci",
    "archives/layered.oci.tar, layered-latest.aci",
    "archives/busybox-zstd.oci.tar, busybox-zstd-latest.aci",
    "archives/debian.docker.tar, library-debian-latest.aci",
  })
  void convert_fixture_validAciByTheReferenceActool(String fixture, String fileName) throws Exception {
    Path aci = convert(Tools.fixture(fixture).toString(), "out");
    assertThat(aci.getFileName()).hasToString(fileName);
    Tools.Result v = validate(aci);
    assertThat(v.code()).as("reference actool validate: %s %s", v.out(), v.err()).isZero();
  }

  @Test
  void convert_busyboxLayout_manifestByTheConversionRules() throws Exception {
    Path aci = convert(Tools.fixture("oci/busybox").toString(), "out");
    JsonNode m = new ObjectMapper().readTree(Tools.actool("cat-manifest", aci.toString()).expectOk().out());
    assertThat(m.path("name").asText()).isEqualTo("busybox");
    assertThat(m.path("labels").toString()).isEqualTo(
        "[{\"name\":\"version\",\"value\":\"latest\"},{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}]");
    JsonNode app = m.path("app");
    assertThat(app.path("exec").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"echo hello\"]");
    assertThat(app.path("user").asText() + ":" + app.path("group").asText()).isEqualTo("1000:1000");
    assertThat(app.path("workingDirectory").asText()).isEqualTo("/tmp");
    assertThat(app.path("environment").toString()).isEqualTo("[{\"name\":\"FOO\",\"value\":\"bar\"}]");
    assertThat(app.path("mountPoints").toString()).isEqualTo("[{\"name\":\"volume-data\",\"path\":\"/data\"}]");
    assertThat(app.path("ports").toString()).contains("\"name\":\"8080-tcp\"", "\"name\":\"53-udp\"");
    assertThat(app.path("userLabels").path("org.opencontainers.image.title").asText()).isEqualTo("corpus-busybox");
    Map<String, String> annotations = new TreeMap<>();
    m.path("annotations").forEach(a -> annotations.put(a.path("name").asText(), a.path("value").asText()));
    assertThat(annotations).containsEntry("appc.io/docker/entrypoint", "[\"/bin/sh\",\"-c\"]")
        .containsEntry("appc.io/docker/cmd", "[\"echo hello\"]")
        .containsEntry("authors", "fixtures.sh")
        .containsEntry("created", "2023-11-14T22:13:20Z")
        .containsKeys("appc.io/docker/imageid", "appc.io/docker/manifesthash");
  }

  @ParameterizedTest
  @ValueSource(strings = {"oci/layered", "archives/layered.docker.tar", "archives/layered.legacy.tar", "archives/layered.oci.tar"})
  void convert_layeredImage_rootfsAsUmociUnpacksIt(String fixture) throws Exception {
    assumeTrue(Tools.isRoot(), "owners, devices and security.capability need root to extract");
    Path aci = convert(Tools.fixture(fixture).toString(), "out");
    assertSameRootfs(aci, Tools.fixture("oci/layered"));
  }

  @Test
  void convert_debianImage_rootfsAsUmociUnpacksIt() throws Exception {
    assumeTrue(Tools.isRoot(), "owners, devices and security.capability need root to extract");
    Path aci = convert(Tools.fixture("oci/debian").toString(), "out");
    assertSameRootfs(aci, Tools.fixture("oci/debian"));
  }

  /** The ACI's rootfs, extracted by GNU tar, against {@code umoci unpack} of the layout. */
  private void assertSameRootfs(Path aci, Path layout) throws Exception {
    Tools.requireTool(Path.of("/usr/bin/umoci"), "umoci");
    Path bundle = tmp.resolve("bundle");
    Tools.process(tmp, Map.of(), "/usr/bin/umoci", "unpack", "--image", layout + ":latest", bundle.toString()).expectOk();
    Path ours = Files.createDirectories(tmp.resolve("ours"));
    Tools.process(tmp, Map.of(), "tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf",
        aci.toString(), "-C", ours.toString()).expectOk();
    Map<String, String> expected = Trees.describe(bundle.resolve("rootfs"));
    Map<String, String> actual = Trees.describe(ours.resolve("rootfs"));
    for (String link : STDIO_LINKS) {
      if (!expected.containsKey(link)) {
        assertThat(actual.remove(link)).as(link).startsWith("symlink 777 0:0 -> ");
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void convert_layeredImage_whiteoutsOpaqueAndHardLinksApplied() throws Exception {
    Path aci = convert(Tools.fixture("oci/layered").toString(), "out");
    String list = Tools.process(tmp, Map.of(), "tar", "-tvf", aci.toString()).expectOk().out();
    assertThat(list).doesNotContain("rootfs/bin/vi", "usr/share/corpus/a.txt", ".wh.", "opt/h/a-target.txt",
        "rootfs/home/app/");
    assertThat(list).contains("rootfs/usr/share/corpus/new.txt", "rootfs/opt/h/b-link.txt",
        "rootfs/app/data.txt link to rootfs/app/data-hardlink.txt");
  }

  @Test
  void convert_noSquash_oneValidAciPerLayer() throws Exception {
    Path out = tmp.resolve("layers");
    Tools.Result r = Tools.docker2aci("--nosquash", "--output", out.toString(),
        Tools.fixture("oci/layered").toString()).expectOk();
    assertThat(r.out()).contains("layered-latest-linux-amd64-0.aci", "layered-latest-linux-amd64-3.aci");
    for (int i = 0; i < 4; i++) {
      Path aci = out.resolve("layered-latest-linux-amd64-" + i + ".aci");
      assertThat(validate(aci).code()).as("layer %d", i).isZero();
    }
  }

  @Test
  void convert_archiveWithSeveralImages_needsImageAndListsThem() throws Exception {
    Path multi = Tools.fixture("archives/multi.docker.tar");
    Tools.Result none = Tools.docker2aci("--output", tmp.toString(), multi.toString());
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo("docker2aci: " + multi + ": several images found, use --image with one of: "
        + "docker.io/library/busybox:latest, docker.io/library/layered:latest\n");
    Path aci = convert(multi.toString(), "chosen", "--image", "layered");
    assertThat(aci.getFileName()).hasToString("library-layered-latest.aci");
    Tools.Result missing = Tools.docker2aci("--image", "nginx", "--output", tmp.toString(), multi.toString());
    assertThat(missing.err()).isEqualTo("docker2aci: " + multi + ": no image nginx in the archive (it has "
        + "docker.io/library/busybox:latest, docker.io/library/layered:latest)\n");
  }

  @Test
  void convert_compressionLevel_smallerAtNineThanAtOne() throws Exception {
    Path fast = convert(Tools.fixture("oci/busybox").toString(), "fast", "--compression-level", "1");
    Path best = convert(Tools.fixture("oci/busybox").toString(), "best", "--compression-level", "9");
    assertThat(Tools.actool("validate", best.toString()).code()).isZero();
    assertThat(Tools.actool("image-id", best.toString()).expectOk().out()).isEqualTo(Tools.actool("image-id", fast.toString()).expectOk().out());
    assertThat(Files.size(best)).isLessThan(Files.size(fast));
  }

  @Test
  void convert_compressions_eachReadBack() throws Exception {
    for (String c : List.of("none", "xz", "zstd")) {
      Path aci = convert(Tools.fixture("oci/busybox").toString(), c, "--compression", c);
      assertThat(Tools.actool("validate", aci.toString()).code()).as(c).isZero();
    }
  }

  @Test
  void run_usageErrors_exit2() {
    assertThat(Tools.docker2aci().code()).isEqualTo(2);
    assertThat(Tools.docker2aci("--bogus", "x").code()).isEqualTo(2);
    Tools.Result c = Tools.docker2aci("--compression", "lz4", "x");
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).startsWith("docker2aci: unknown compression \"lz4\" (use gzip, none, xz or zstd)");
    Tools.Result level = Tools.docker2aci("--compression-level", "20", "--compression", "zstd", "x");
    assertThat(level.code()).isEqualTo(2);
    assertThat(level.err()).startsWith("docker2aci: --compression-level: compression level 20 is out of range for zstd (use 1-19)");
    assertThat(Tools.docker2aci("-nosquash", "-compression=none", "/nonexistent").code())
        .as("Go-style single-dash flags are flags").isEqualTo(1);
  }

  @Test
  void run_missingInput_exit1WithWhatToGive() {
    Tools.Result r = Tools.docker2aci("--output", tmp.toString(), tmp.resolve("nope.tar").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("docker2aci: " + tmp.resolve("nope.tar") + ": no such file or directory "
        + "(give a docker save archive, an OCI archive or layout, or docker://NAME)\n");
  }

  @Test
  void run_version_goToolsLines() {
    assertThat(Tools.docker2aci("--version").expectOk().out()).matches("docker2aci version \\S+\nappc version 0.8.11\n");
  }

  @Test
  void launcher_convertsLikeTheInProcessRun() throws Exception {
    Tools.Result r = Tools.process(tmp, Map.of(), Tools.bin("docker2aci").toString(),
        Tools.fixture("archives/busybox.oci.tar").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("\nGenerated ACI(s):\nbusybox-latest.aci\n");
    assertThat(validate(tmp.resolve("busybox-latest.aci")).code()).isZero();
  }
}
