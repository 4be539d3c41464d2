package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool push} to Debian's docker-registry on 127.0.0.1, read back by skopeo (inspect and
 * copy: the digests match) and by our docker2aci (the same manifest fields and rootfs): blobs the
 * registry has are skipped, large blobs go up in chunks, and a registry behind Basic auth gets the
 * login of Docker's config.json.
 */
class ActoolPushIT {
  private static final String USER = "pusher";
  private static final String PASSWORD = "pa55 word";

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Registry open;
  private static Registry locked;
  private static Path aci;

  @BeforeAll
  static void setUp() throws Exception {
    open = Registry.start(shared.resolve("open"));
    locked = Registry.start(shared.resolve("locked"), USER, PASSWORD);
    Path layout = Layouts.fromFixture(Files.createDirectories(shared.resolve("build")), "rootfs/busybox",
        Layouts.BUSYBOX_MANIFEST.replace("\"user\":\"0\",\"group\":\"0\"",
            "\"user\":\"1000\",\"group\":\"1000\",\"workingDirectory\":\"/home/app\""));
    aci = shared.resolve("busybox.aci");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (open != null) {
      open.close();
    }
    if (locked != null) {
      locked.close();
    }
  }

  private static Tools.Result push(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "push";
    all[1] = "--insecure-allow-http";
    System.arraycopy(args, 0, all, 2, args.length);
    return Tools.actool(all);
  }

  private JsonNode skopeoInspect(String reference, String... flags) throws Exception {
    Tools.requireTool(Path.of("/usr/bin/skopeo"), "skopeo");
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/skopeo", "inspect", "--tls-verify=false"));
    cmd.addAll(List.of(flags));
    cmd.add("docker://" + reference);
    return new ObjectMapper().readTree(Tools.process(tmp, Map.of(), cmd.toArray(String[]::new)).expectOk().out());
  }

  @Test
  void push_toRegistry_skopeoInspectAndCopyGiveTheSameDigest() throws Exception {
    String ref = open.address() + "/team/busybox:1.0.0";

    Tools.Result r = push(aci.toString(), "docker://" + ref).expectOk();

    String digest = r.out().strip();
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(r.err()).contains("push: " + ref + ": 2 blobs uploaded, 0 already there");
    JsonNode inspect = skopeoInspect(ref);
    assertThat(inspect.path("Digest").asText()).isEqualTo(digest);
    assertThat(inspect.path("Os").asText() + "/" + inspect.path("Architecture").asText()).isEqualTo("linux/amd64");
    Path copy = tmp.resolve("copy");
    Tools.process(tmp, Map.of(), "/usr/bin/skopeo", "copy", "-q", "--src-tls-verify=false", "docker://" + ref,
        "oci:" + copy + ":1.0.0").expectOk();
    JsonNode index = new ObjectMapper().readTree(copy.resolve("index.json").toFile());
    assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(digest);
  }

  @Test
  void push_again_everyBlobSkippedAndTheSameDigest() throws Exception {
    String ref = open.address() + "/team/again:1";
    String first = push(aci.toString(), "docker://" + ref).expectOk().out();

    Tools.Result second = push(aci.toString(), "docker://" + ref).expectOk();

    assertThat(second.out()).isEqualTo(first);
    assertThat(second.err()).contains("0 blobs uploaded, 2 already there");
  }

  @Test
  void push_chunked_sameDigestAsMonolithic() throws Exception {
    String whole = push(aci.toString(), "docker://" + open.address() + "/team/whole:1").expectOk().out();

    Tools.Result chunked = push("--chunk-size", "65536", aci.toString(),
        "docker://" + open.address() + "/team/chunked:1").expectOk();

    assertThat(chunked.out()).isEqualTo(whole);
    assertThat(skopeoInspect(open.address() + "/team/chunked:1").path("Digest").asText()).isEqualTo(whole.strip());
  }

  @Test
  void push_thenDocker2aci_sameManifestFieldsAndRootfs() throws Exception {
    assumeTrue(Tools.isRoot(), "owners need root to extract");
    String ref = open.address() + "/team/roundtrip:1.0.0";
    push(aci.toString(), "docker://" + ref).expectOk();
    Path out = tmp.resolve("back");

    Tools.docker2aci("--insecure-allow-http", "--output", out.toString(), "docker://" + ref).expectOk();

    Path back = out.resolve("team-roundtrip-1.0.0.aci");
    ObjectMapper json = new ObjectMapper();
    JsonNode before = json.readTree(Tools.actool("cat-manifest", aci.toString()).expectOk().out());
    JsonNode after = json.readTree(Tools.actool("cat-manifest", back.toString()).expectOk().out());
    assertThat(after.path("labels")).isEqualTo(before.path("labels"));
    for (String field : List.of("exec", "user", "group", "workingDirectory", "environment")) {
      assertThat(after.path("app").path(field)).as(field).isEqualTo(before.path("app").path(field));
    }
    assertThat(after.path("app").path("mountPoints").get(0).path("path").asText()).isEqualTo("/data");
    assertThat(after.path("app").path("ports").get(0).path("port").asInt()).isEqualTo(8080);
    assertThat(annotations(after)).containsEntry("authors", "appctools tests");
    Map<String, String> ours = rootfs(aci, "ours");
    Map<String, String> theirs = rootfs(back, "theirs");
    for (String link : List.of("dev/fd", "dev/stderr", "dev/stdin", "dev/stdout")) {
      if (!ours.containsKey(link)) {
        assertThat(theirs.remove(link)).as(link).startsWith("symlink 777 0:0 -> ");
      }
    }
    assertThat(theirs).isEqualTo(ours);
  }

  @Test
  void push_registryWithBasicAuth_loginFromDockerConfig() throws Exception {
    String ref = locked.address() + "/private/busybox:1.0.0";
    Path docker = Files.createDirectories(tmp.resolve("docker"));
    String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"" + locked.address() + "\":{\"auth\":\"" + auth + "\"}}}");

    Tools.Result refused = Tools.process(tmp, Map.of("DOCKER_CONFIG", tmp.resolve("none").toString()),
        Tools.bin("actool").toString(), "push", "--insecure-allow-http", aci.toString(), "docker://" + ref);
    Tools.Result r = Tools.process(tmp, Map.of("DOCKER_CONFIG", docker.toString()),
        Tools.bin("actool").toString(), "push", "--insecure-allow-http", aci.toString(), "docker://" + ref);

    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("asks for a login (Basic auth)");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(skopeoInspect(ref, "--creds", USER + ":" + PASSWORD).path("Digest").asText()).isEqualTo(r.out().strip());
  }

  @Test
  void push_plainHttpRegistryWithoutTheFlag_refused() {
    Tools.Result r = Tools.actool("push", "--timeout", "5s", aci.toString(), "docker://" + open.address() + "/team/x:1");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("push: ").contains("--insecure-allow-http");
  }

  private static Map<String, String> annotations(JsonNode manifest) {
    Map<String, String> out = new TreeMap<>();
    manifest.path("annotations").forEach(a -> out.put(a.path("name").asText(), a.path("value").asText()));
    return out;
  }

  private Map<String, String> rootfs(Path aciFile, String name) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Tools.process(tmp, Map.of(), "tar", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpf",
        aciFile.toString(), "-C", dir.toString()).expectOk();
    return Trees.describe(dir.resolve("rootfs"));
  }
}
