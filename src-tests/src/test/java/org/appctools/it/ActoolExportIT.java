package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool export} read back by the real tools: umoci unpacks an exported layout into the
 * tree {@code actool image render} makes of the same image and its dependency, skopeo reads the
 * OCI and docker archives, and the same image exported twice gives the same bytes.
 */
class ActoolExportIT {
  static final String APP_MANIFEST = """
      {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app",\
      "labels":[{"name":"version","value":"1.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],\
      "app":{"exec":["/bin/hello","--loud"],"user":"1000","group":"1000","workingDirectory":"/home/app",\
      "environment":[{"name":"GREETING","value":"hi there"}],\
      "mountPoints":[{"name":"data","path":"/data"}],\
      "ports":[{"name":"http","protocol":"tcp","port":8080}]},\
      "dependencies":[{"imageName":"example.com/busybox","labels":[{"name":"version","value":"1.0.0"}]}],\
      "annotations":[{"name":"authors","value":"appctools tests"},{"name":"created","value":"2024-01-02T03:04:05Z"}]}
      """;

  @TempDir Path tmp;
  Path store;
  Path appAci;

  @BeforeEach
  void setUp() throws Exception {
    store = tmp.resolve("store");
    Path base = Layouts.fromFixture(Files.createDirectories(tmp.resolve("base")), "rootfs/busybox",
        Layouts.BUSYBOX_MANIFEST);
    Path baseAci = tmp.resolve("busybox.aci");
    Tools.actool("build", base.toString(), baseAci.toString()).expectOk();
    Tools.actool("image", "import", "--store-dir", store.toString(), baseAci.toString()).expectOk();
    Path app = Files.createDirectories(tmp.resolve("app/layout/rootfs"));
    Files.createDirectories(app.resolve("bin"));
    Files.writeString(app.resolve("bin/hello"), "#!/bin/sh\necho \"$GREETING\"\n");
    Files.createDirectories(app.resolve("home/app"));
    Files.createDirectories(app.resolve("etc"));
    Files.writeString(app.resolve("etc/motd"), "from the app layer\n");
    Files.writeString(app.getParent().resolve("manifest"), APP_MANIFEST);
    appAci = tmp.resolve("app.aci");
    Tools.actool("build", app.getParent().toString(), appAci.toString()).expectOk();
  }

  private Tools.Result export(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "export";
    all[1] = "--store-dir";
    all[2] = store.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return Tools.actool(all);
  }

  @Test
  void export_imageWithDependency_umociUnpackEqualsTheRenderedRootfs() throws Exception {
    assumeTrue(Tools.isRoot(), "owners need root to unpack");
    Tools.requireTool(Path.of("/usr/bin/umoci"), "umoci");
    Tools.actool("image", "import", "--store-dir", store.toString(), appAci.toString()).expectOk();
    Path layout = tmp.resolve("layout");

    Tools.Result r = export("example.com/app:1.0", layout.toString()).expectOk();

    assertThat(r.out()).matches("example.com/app:1.0 sha256:[0-9a-f]{64}\n");
    Path bundle = tmp.resolve("bundle");
    Tools.process(tmp, Map.of(), "/usr/bin/umoci", "unpack", "--image", layout + ":1.0", bundle.toString()).expectOk();
    Path rendered = tmp.resolve("rendered");
    Tools.actool("image", "render", "--store-dir", store.toString(), "--rootfs-only", "example.com/app:1.0",
        rendered.toString()).expectOk();
    assertThat(Trees.describe(bundle.resolve("rootfs"))).isEqualTo(Trees.describe(rendered));
    JsonNode config = new ObjectMapper().readTree(bundle.resolve("config.json").toFile());
    assertThat(config.path("process").path("args").toString()).isEqualTo("[\"/bin/hello\",\"--loud\"]");
    assertThat(config.path("process").path("cwd").asText()).isEqualTo("/home/app");
    assertThat(config.path("process").path("env").toString()).contains("GREETING=hi there");
    assertThat(config.path("process").path("user").toString()).isEqualTo("{\"uid\":1000,\"gid\":1000}");
  }

  @Test
  void export_sameImageTwice_sameBytesInEveryFormat() throws Exception {
    for (String format : new String[] {"oci-archive", "docker-archive"}) {
      Path first = tmp.resolve("first-" + format + ".tar");
      Path second = tmp.resolve("second-" + format + ".tar");
      export("--format", format, appAci.toString(), first.toString()).expectOk();
      export("--format", format, appAci.toString(), second.toString()).expectOk();
      assertThat(Files.mismatch(first, second)).as(format).isEqualTo(-1L);
    }
  }

  @Test
  void export_ociArchive_skopeoInspectsItsConfig() throws Exception {
    Tools.requireTool(Path.of("/usr/bin/skopeo"), "skopeo");
    Path archive = tmp.resolve("app.oci.tar");
    String digest = export("--format", "oci-archive", appAci.toString(), archive.toString()).expectOk().out()
        .strip().split(" ")[1];

    JsonNode inspect = new ObjectMapper().readTree(Tools.process(tmp, Map.of(), "/usr/bin/skopeo", "inspect",
        "oci-archive:" + archive + ":1.0").expectOk().out());

    assertThat(inspect.path("Digest").asText()).isEqualTo(digest);
    assertThat(inspect.path("Architecture").asText()).isEqualTo("amd64");
    assertThat(inspect.path("Created").asText()).isEqualTo("2024-01-02T03:04:05Z");
    assertThat(inspect.path("Layers")).hasSize(2);
    assertThat(inspect.path("Labels").isNull() || inspect.path("Labels").isEmpty()).isTrue();
  }

  @Test
  void export_dockerArchive_skopeoCopiesItAndDocker2aciConvertsItBack() throws Exception {
    Tools.requireTool(Path.of("/usr/bin/skopeo"), "skopeo");
    Path archive = tmp.resolve("app.docker.tar");
    export("--format", "docker-archive", "--tag", "example.com/app:1.0", appAci.toString(), archive.toString())
        .expectOk();

    Tools.process(tmp, Map.of(), "/usr/bin/skopeo", "copy", "-q", "docker-archive:" + archive,
        "oci:" + tmp.resolve("copied") + ":1.0").expectOk();
    Tools.Result back = Tools.docker2aci("--output", tmp.resolve("back").toString(), archive.toString()).expectOk();

    assertThat(back.out()).endsWith("Generated ACI(s):\n" + tmp.resolve("back/app-1.0.aci") + "\n");
    JsonNode m = new ObjectMapper().readTree(Tools.actool("cat-manifest",
        tmp.resolve("back/app-1.0.aci").toString()).expectOk().out());
    assertThat(m.path("name").asText()).isEqualTo("example.com/app");
    assertThat(m.path("app").path("exec").toString()).isEqualTo("[\"/bin/hello\",\"--loud\"]");
  }

  @Test
  void export_unknownFormat_exit1NamingTheFormats() {
    Tools.Result r = export("--format", "tarball", appAci.toString(), tmp.resolve("x").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("export: unknown format \"tarball\" (use oci, oci-archive or docker-archive)\n");
  }
}
