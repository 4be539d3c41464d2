package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool image ...} as a user runs it: every subcommand against a store in a temporary
 * directory, images built with {@code actool build}, exports checked by the reference Go actool,
 * two {@code bin/actool} processes working on one store at once, and an import killed with
 * SIGKILL.
 */
class ActoolImageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path store;
  String storeOpt;

  @BeforeEach
  void setUp() {
    store = tmp.resolve("store");
    storeOpt = "--store-dir=" + store;
  }

  /** Builds tmp/FILE.aci from a manifest (name + extra JSON fields) and rootfs files "path=content" or "dir/". */
  private Path aci(String file, String name, String extraJson, String... entries) throws IOException {
    Path layout = tmp.resolve("layout-" + file);
    Files.createDirectories(layout.resolve("rootfs"));
    for (String e : entries) {
      if (e.endsWith("/")) {
        Files.createDirectories(layout.resolve("rootfs").resolve(e));
      } else {
        String[] p = e.split("=", 2);
        Path f = layout.resolve("rootfs").resolve(p[0]);
        Files.createDirectories(f.getParent());
        Files.writeString(f, p[1]);
      }
    }
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name + "\""
        + (extraJson.isEmpty() ? "" : "," + extraJson) + "}");
    Path aci = tmp.resolve(file + ".aci");
    Tools.actool("build", "--overwrite", layout.toString(), aci.toString()).expectOk();
    return aci;
  }

  private static String version(String v) {
    return "\"labels\":[{\"name\":\"version\",\"value\":\"" + v + "\"}]";
  }

  private Tools.Result image(String... args) {
    List<String> all = new ArrayList<>(List.of("image"));
    all.add(args[0]);
    all.add(storeOpt);
    all.addAll(List.of(args).subList(1, args.length));
    return Tools.actool(all.toArray(String[]::new));
  }

  private String imported(Path aci) {
    return image("import", aci.toString()).expectOk().out().strip();
  }

  private JsonNode listJson() throws IOException {
    return JSON.readTree(image("list", "--json").expectOk().out());
  }

  private List<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      List<String> out = new ArrayList<>();
      for (Path p : s.sorted().toList()) {
        if (!p.equals(root)) {
          out.add(root.relativize(p) + (Files.isDirectory(p) ? "/" : "=" + Files.readString(p)));
        }
      }
      return out;
    }
  }

  private List<String> storeFiles() throws IOException {
    try (Stream<Path> s = Files.walk(store)) {
      return s.filter(Files::isRegularFile).map(p -> store.relativize(p).toString()).sorted().toList();
    }
  }

  // --- import, list, cat-manifest, export

  @Test
  void import_thenListCatManifestAndExport_showAndGiveBackTheImage() throws Exception {
    Path app = aci("app", "example.com/app", version("1.0"), "bin/app=hello");
    String expectedId = Tools.actool("image-id", app.toString()).expectOk().out().strip();

    String id = imported(app);

    assertThat(id).isEqualTo(expectedId);
    List<String> list = image("list").expectOk().out().lines().toList();
    assertThat(list).hasSize(2);
    String header = list.get(0);
    String row = list.get(1);
    assertThat(header).matches("ID +NAME +SIZE +IMPORT TIME +LAST USED");
    assertThat(row).startsWith(id.substring(0, 7 + 32) + "  example.com/app:1.0  ").endsWith("  never");
    assertThat(row.indexOf("example.com/app")).isEqualTo(header.indexOf("NAME"));
    assertThat(row.indexOf("never")).isEqualTo(header.indexOf("LAST USED"));
    assertThat(image("list", "--full", "--no-legend", "--fields", "id,size").expectOk().out())
        .isEqualTo(id + "  " + Files.size(app) + "\n");

    JsonNode j = listJson().get(0);
    assertThat(j.get("id").asText()).isEqualTo(id);
    assertThat(j.get("name").asText()).isEqualTo("example.com/app");
    assertThat(j.get("labels").get("version").asText()).isEqualTo("1.0");
    assertThat(j.get("size").asLong()).isEqualTo(Files.size(app));
    assertThat(j.get("lastUsed").isNull()).isTrue();
    assertThat(j.get("latest").asBoolean()).isTrue();
    assertThat(j.get("signed").asBoolean()).isFalse();
    assertThat(j.get("source").asText()).isEqualTo(app.toUri().toString());
    assertThat(j.get("importTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    assertThat(image("cat-manifest", "example.com/app:1.0").expectOk().out())
        .isEqualTo(Tools.actool("cat-manifest", "--pretty-print", app.toString()).expectOk().out());
    assertThat(image("cat-manifest", "--pretty-print=false", id.substring(0, 20)).expectOk().out())
        .isEqualTo(Tools.actool("cat-manifest", app.toString()).expectOk().out());

    Path out = tmp.resolve("exported.aci");
    image("export", "example.com/app", out.toString()).expectOk();
    assertThat(out).hasSameBinaryContentAs(app);
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", out.toString()).expectOk();
    Tools.Result again = image("export", "example.com/app", out.toString());
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("image export: " + out + " exists (use --overwrite to replace it)\n");
    image("export", "--overwrite", "example.com/app", out.toString()).expectOk();
  }

  @Test
  void import_signatureBesideTheAci_isStoredWithIt() throws Exception {
    Path app = aci("app", "example.com/app", "");
    Files.writeString(tmp.resolve("app.aci.asc"), "-----BEGIN PGP SIGNATURE-----\n");

    imported(app);

    assertThat(listJson().get(0).get("signed").asBoolean()).isTrue();
  }

  @Test
  void import_notAnAci_exits1AndStoresNothing() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.aci"), "not an archive");

    Tools.Result r = image("import", junk.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("image import: " + junk + ": not an ACI (no gzip, bzip2, xz, zstd or tar signature)\n");
    assertThat(storeFiles()).containsExactly("lock");
  }

  @Test
  void list_sortOrderAndFields_asAsked() throws Exception {
    imported(aci("b", "example.com/b", ""));
    imported(aci("a1", "example.com/a", version("1")));
    imported(aci("a2", "example.com/a", version("2")));

    assertThat(image("list", "--no-legend", "--fields", "name,latest").expectOk().out())
        .isEqualTo("example.com/b    true\nexample.com/a:1  false\nexample.com/a:2  true\n");
    assertThat(image("list", "--no-legend", "--fields=NAME", "--sort=name", "--order=desc").expectOk().out())
        .isEqualTo("example.com/b\nexample.com/a:2\nexample.com/a:1\n");
    assertThat(image("list", "--fields", "name,latest", "--sort", "name").expectOk().out())
        .isEqualTo("NAME             LATEST\nexample.com/a:1  false\nexample.com/a:2  true\nexample.com/b    true\n");

    Tools.Result badField = image("list", "--fields", "id,colour");
    assertThat(badField.code()).isEqualTo(2);
    assertThat(badField.err()).startsWith("actool: --fields: unknown field \"colour\" (one of id, importtime, lastused, latest, name, size)\n"
        + "Run 'actool image help list' for usage.");
    Tools.Result badOrder = image("list", "--order", "up");
    assertThat(badOrder.code()).isEqualTo(2);
    assertThat(badOrder.err()).startsWith("actool: --order: wrong sort order \"up\" (asc or desc)");
  }

  // --- rm and gc

  @Test
  void rm_nameRemovesEveryVersion_unknownRemovesNothing() throws Exception {
    String a1 = imported(aci("a1", "example.com/a", version("1")));
    String a2 = imported(aci("a2", "example.com/a", version("2")));
    String b = imported(aci("b", "example.com/b", ""));

    Tools.Result none = image("rm", b, "example.com/nope");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo("image rm: no image example.com/nope in the store (nothing was removed; "
        + "actool image list shows the images it holds)\n");
    assertThat(listJson()).hasSize(3);

    assertThat(image("rm", "example.com/a").expectOk().out())
        .isEqualTo("Removed " + a2 + " (example.com/a:2)\nRemoved " + a1 + " (example.com/a:1)\n");
    assertThat(image("rm", b.substring(0, 12)).expectOk().out()).isEqualTo("Removed " + b + " (example.com/b)\n");
    assertThat(storeFiles()).containsExactly("lock");
  }

  @Test
  void gc_gracePeriod_keepsRecentImagesAndRemovesOlderOnes() throws Exception {
    String id = imported(aci("app", "example.com/app", ""));

    assertThat(image("gc").expectOk().out()).isEmpty();
    assertThat(image("gc", "--grace-period", "1h30m").expectOk().out()).isEmpty();
    Thread.sleep(5); // a grace period of 1ms must lie after the import
    assertThat(image("gc", "--grace-period=1ms").expectOk().out()).isEqualTo("Removed " + id + " (example.com/app)\n");
    assertThat(storeFiles()).containsExactly("lock");

    Tools.Result bad = image("gc", "--grace-period", "1day");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("actool: Invalid value for option '--grace-period': invalid duration \"1day\": "
        + "write it like 24h, 30m or 1h30m (units ns, us, ms, s, m, h)");
  }

  // --- extract and render

  @Test
  void extract_imageAlone_asLayoutOrRootfs_replacingOnlyWithOverwrite() throws Exception {
    imported(aci("base", "example.com/base", "", "base=b"));
    imported(aci("app", "example.com/app", "\"dependencies\":[{\"imageName\":\"example.com/base\"}]", "bin/app=a"));
    Path dir = tmp.resolve("x");

    image("extract", "example.com/app", dir.toString()).expectOk();
    String manifest = Tools.actool("cat-manifest", tmp.resolve("app.aci").toString()).expectOk().out().strip();
    assertThat(tree(dir)).containsExactly("manifest=" + manifest, "rootfs/", "rootfs/bin/", "rootfs/bin/app=a");

    Tools.Result exists = image("extract", "--rootfs-only", "example.com/app", dir.toString());
    assertThat(exists.code()).isEqualTo(1);
    assertThat(exists.err()).isEqualTo("image extract: " + dir + " exists (use --overwrite to replace it)\n");
    image("extract", "--rootfs-only", "--overwrite", "example.com/app", dir.toString()).expectOk();
    assertThat(tree(dir)).containsExactly("bin/", "bin/app=a");
  }

  @Test
  void render_threeLevelChainWithWhitelists_asTheReferenceRenderer() throws Exception {
    imported(aci("c", "example.com/c", "", "etc/c1=c", "etc/c2=c", "etc/c3=c", "usr/", "usr/lib/", "usr/lib/libc=c", "shared=c"));
    imported(aci("b", "example.com/b", version("1") + ",\"dependencies\":[{\"imageName\":\"example.com/c\"}],"
        + "\"pathWhitelist\":[\"/b\",\"/etc/c1\",\"/shared\"]", "b=b", "b-unlisted=b", "shared=b", "bdir/"));
    imported(aci("a", "example.com/a", "\"dependencies\":[{\"imageName\":\"example.com/b\",\"labels\":"
        + "[{\"name\":\"version\",\"value\":\"1\"}]}],\"pathWhitelist\":[\"/a\",\"/b\",\"/etc/c1\",\"/etc/c2\",\"/shared\","
        + "\"/usr/lib/libc\",\"/etc\",\"/usr\",\"/usr/lib\"]", "a=a", "a-unlisted=a"));
    Path dir = tmp.resolve("rendered");

    image("render", "--rootfs-only", "example.com/a", dir.toString()).expectOk();

    // A's whitelist, the outermost, filters B and C (directories too: bdir/ goes); B's own whitelist drops b-unlisted
    assertThat(tree(dir)).containsExactly("a=a", "b=b", "etc/", "etc/c1=c", "etc/c2=c", "shared=b", "usr/", "usr/lib/",
        "usr/lib/libc=c");
  }

  @Test
  void render_busyboxBaseWithAnAppLayer_givesTheFixtureTreeEntryForEntry() throws Exception {
    assumeTrue(Tools.isRoot(), "owners are kept only as root");
    Path fixture = Tools.fixture("rootfs/busybox");
    Path base = Layouts.fromFixture(Files.createDirectories(tmp.resolve("busybox")), "rootfs/busybox",
        "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/busybox\"}");
    Path baseAci = tmp.resolve("busybox.aci");
    Tools.actool("build", base.toString(), baseAci.toString()).expectOk();
    imported(baseAci);
    String hello = "#!/bin/sh\necho hello\n";
    String passwd = "root:x:0:0:app:/root:/bin/sh\n";
    imported(aci("app", "example.com/app", "\"dependencies\":[{\"imageName\":\"example.com/busybox\"}]",
        "bin/hello=" + hello, "etc/passwd=" + passwd));
    Path dir = tmp.resolve("rendered");

    image("render", "--rootfs-only", "example.com/app", dir.toString()).expectOk();

    // every fixture entry with its type, mode, owner, link target and size, but the app's two files
    List<String> expected = new ArrayList<>(listing(fixture));
    expected.removeIf(l -> l.startsWith("etc/passwd\t"));
    expected.add("bin/hello\tf\t644\t0:0\t\t" + hello.length());
    expected.add("etc/passwd\tf\t644\t0:0\t\t" + passwd.length());
    assertThat(listing(dir)).containsExactlyInAnyOrderElementsOf(expected);
    Tools.Result diff = Tools.process(tmp, Map.of(), "diff", "-rq", "--no-dereference", fixture.toString(), dir.toString());
    assertThat(diff.out().lines().toList()).containsExactlyInAnyOrder("Only in " + dir.resolve("bin") + ": hello",
        "Files " + fixture.resolve("etc/passwd") + " and " + dir.resolve("etc/passwd") + " differ");
  }

  /** Path, type, mode, uid:gid, link target and size (not for directories) of every entry below {@code root}. */
  private List<String> listing(Path root) throws Exception {
    return Tools.process(tmp, Map.of(), "find", root.toString(), "-mindepth", "1", "-printf", "%P\t%y\t%m\t%U:%G\t%l\t%s\n")
        .expectOk().out().lines()
        .map(l -> l.split("\t", -1)[1].equals("d") ? l.substring(0, l.lastIndexOf('\t')) : l).toList();
  }

  @Test
  void render_missingDependency_exits1SayingHowToGetIt() throws Exception {
    imported(aci("app", "example.com/app", "\"dependencies\":[{\"imageName\":\"example.com/base\",\"labels\":"
        + "[{\"name\":\"version\",\"value\":\"2\"}]}]", "a=a"));

    Tools.Result r = image("render", "example.com/app", tmp.resolve("r").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("image render: example.com/app: dependency example.com/base,version=2 is not in the "
        + "store: get it with actool fetch example.com/base,version=2\n");
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  // --- verify

  @Test
  void verify_intactAndDamaged_reportsEachAndExits1IfAnyFailed() throws Exception {
    String good = imported(aci("good", "example.com/good", ""));
    String bad = imported(aci("bad", "example.com/bad", "", "f=1"));
    Path other = aci("other", "example.com/bad", "", "f=2");
    Files.copy(other, store.resolve("blobs/sha512/" + bad.substring(7)), StandardCopyOption.REPLACE_EXISTING);

    Tools.Result r = image("verify", "example.com/good", "example.com/bad");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEqualTo(good + " (example.com/good): ok\n");
    assertThat(r.err()).isEqualTo("image verify: image example.com/bad (" + bad + ") no longer hashes to its ID (its archive "
        + "hashes to " + Tools.actool("image-id", other.toString()).out().strip() + "): the stored copy is damaged; remove it "
        + "with actool image rm " + bad + " and fetch it again\n");
    assertThat(image("verify", good).expectOk().out()).isEqualTo(good + " (example.com/good): ok\n");
  }

  @Test
  void verify_json_oneObjectPerImageAndNothingOnStderr() throws Exception {
    String good = imported(aci("good", "example.com/good", ""));
    String bad = imported(aci("bad", "example.com/bad", "", "f=1"));
    Files.copy(aci("other", "example.com/bad", "", "f=2"), store.resolve("blobs/sha512/" + bad.substring(7)),
        StandardCopyOption.REPLACE_EXISTING);

    Tools.Result r = image("verify", "--json", "example.com/good", "example.com/bad", "example.com/none");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEmpty();
    JsonNode results = JSON.readTree(r.out());
    assertThat(results).hasSize(3);
    assertThat(results.get(0).toString()).isEqualTo("{\"image\":\"example.com/good\",\"id\":\"" + good
        + "\",\"name\":\"example.com/good\",\"ok\":true,\"error\":null}");
    assertThat(results.get(1).get("id").asText()).isEqualTo(bad);
    assertThat(results.get(1).get("ok").asBoolean()).isFalse();
    assertThat(results.get(1).get("error").asText()).contains("no longer hashes to its ID");
    assertThat(results.get(2).get("id").isNull()).isTrue();
    assertThat(results.get(2).get("name").isNull()).isTrue();
    assertThat(results.get(2).get("error").asText()).contains("example.com/none");
  }

  // --- usage and the store's location

  @Test
  void usage_missingOrUnknownSubcommand_exits2() {
    Tools.Result none = Tools.actool("image");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("actool: missing subcommand: one of import, list, cat-manifest, export, extract, render, "
        + "verify, rm, gc\nRun 'actool help image' for usage.\n");
    assertThat(Tools.actool("image", "frobnicate").code()).isEqualTo(2);
    assertThat(Tools.actool("image", "export", storeOpt, "only-one-arg").code()).isEqualTo(2);
    assertThat(Tools.actool("help").expectOk().out()).contains("image");
  }

  @Test
  void storeDir_fromTheEnvironment_usedWithoutTheOption() throws Exception {
    Path app = aci("app", "example.com/app", "");
    Path envStore = tmp.resolve("env-store");
    Map<String, String> env = Map.of("APPCTOOLS_STORE_DIR", envStore.toString());

    String id = Tools.process(tmp, env, Tools.bin("actool").toString(), "image", "import", app.toString()).expectOk().out().strip();

    assertThat(envStore.resolve("images/" + id.substring(7) + ".json")).isRegularFile();
    assertThat(Tools.process(tmp, env, Tools.bin("actool").toString(), "image", "list", "--no-legend", "--fields=name")
        .expectOk().out()).isEqualTo("example.com/app\n");
  }

  // --- processes at once, and killed

  @Test
  void twoProcesses_importingAndRemovingAtOnce_leaveAConsistentStore() throws Exception {
    Path a = aci("a", "example.com/a", "", "a=a");
    Path b = aci("b", "example.com/b", "", "b=b");
    String actool = Tools.bin("actool").toString();
    String loop = "set -e; for i in 1 2; do \"$0\" image import --store-dir=\"$1\" \"$2\" >/dev/null; "
        + "\"$0\" image list --store-dir=\"$1\" >/dev/null; \"$0\" image rm --store-dir=\"$1\" \"$3\" >/dev/null; done; "
        + "\"$0\" image import --store-dir=\"$1\" \"$2\"";
    Process pa = new ProcessBuilder("sh", "-c", loop, actool, store.toString(), a.toString(), "example.com/a")
        .redirectErrorStream(true).start();
    Process pb = new ProcessBuilder("sh", "-c", loop, actool, store.toString(), b.toString(), "example.com/b")
        .redirectErrorStream(true).start();
    try {
      String outA = new String(pa.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String outB = new String(pb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(pa.waitFor()).as(outA).isZero();
      assertThat(pb.waitFor()).as(outB).isZero();
    } finally {
      pa.destroyForcibly();
      pb.destroyForcibly();
    }

    assertThat(image("list", "--no-legend", "--fields=name", "--sort=name").expectOk().out()).isEqualTo("example.com/a\nexample.com/b\n");
    image("verify", "example.com/a", "example.com/b").expectOk();
    image("gc").expectOk();
    assertThat(storeFiles()).hasSize(1 + 2 * 3); // the lock, and each image's archive, manifest and record
  }

  @Test
  void importKilledMidway_leavesNoImage_andGcRemovesEveryTrace() throws Exception {
    // an uncompressed image large enough that the import is still copying when it is killed
    Path layout = Files.createDirectories(tmp.resolve("big/rootfs"));
    Random random = new Random(7);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(layout.resolve("data"))) {
      for (int i = 0; i < 384; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    Files.writeString(tmp.resolve("big/manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/big\"}");
    Path big = tmp.resolve("big.aci");
    Tools.actool("build", "--no-compression", tmp.resolve("big").toString(), big.toString()).expectOk();
    imported(aci("small", "example.com/small", "", "s=s"));
    Path storeTmp = store.resolve("tmp");

    Process p = new ProcessBuilder(Tools.bin("actool").toString(), "image", "import", storeOpt, big.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      boolean copying = false;
      while (!copying && p.isAlive()) {
        try (Stream<Path> s = Files.list(storeTmp)) {
          copying = s.anyMatch(f -> f.toFile().length() > (1 << 20));
        }
        if (!copying) {
          Thread.sleep(2);
        }
      }
      assertThat(copying).as("the import was still copying when checked").isTrue();
      p.destroyForcibly();
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    } finally {
      p.destroyForcibly();
    }

    assertThat(image("list", "--no-legend", "--fields=name").expectOk().out()).isEqualTo("example.com/small\n");
    try (Stream<Path> s = Files.list(storeTmp)) {
      assertThat(s).isNotEmpty(); // what the killed import left
    }
    image("gc").expectOk();
    assertThat(storeFiles()).hasSize(1 + 3); // the lock and the small image
    assertThat(storeTmp).isEmptyDirectory();
  }
}
