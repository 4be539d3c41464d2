package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.appctools.aci.AciArchive;
import org.appctools.aci.ReadLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker2aci pulling from real registries (Debian's docker-registry on 127.0.0.1, images pushed
 * by skopeo): OCI and Docker schema 2 manifests, a zstd layer, an image index with platform
 * selection, pulls by digest, and a registry behind Basic auth with credentials from a Docker
 * config file and from a credential helper.
 */
class Docker2aciRegistryIT {
  private static final String USER = "tester";
  private static final String PASSWORD = "s3cret pass";

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Registry open;
  private static Registry locked;

  @BeforeAll
  static void registries() throws Exception {
    Path layouts = Tools.fixture("oci");
    open = Registry.start(shared.resolve("open"));
    open.push("oci:" + layouts.resolve("busybox") + ":latest", "library/busybox:latest");
    open.push("oci:" + layouts.resolve("layered") + ":latest", "library/layered:v2s2", "--format=v2s2");
    open.push("oci:" + layouts.resolve("busybox-zstd") + ":latest", "library/busybox-zstd:latest");
    open.push("oci:" + layouts.resolve("multiarch") + ":latest", "library/multiarch:latest", "--all");
    locked = Registry.start(shared.resolve("locked"), USER, PASSWORD);
    locked.push("oci:" + layouts.resolve("busybox") + ":latest", "private/busybox:1.0");
  }

  @AfterAll
  static void stop() throws Exception {
    if (open != null) {
      open.close();
    }
    if (locked != null) {
      locked.close();
    }
  }

  private Path pull(String reference, String... flags) throws Exception {
    Path out = tmp.resolve("out");
    String[] args = new String[flags.length + 4];
    args[0] = "--insecure-allow-http";
    System.arraycopy(flags, 0, args, 1, flags.length);
    args[flags.length + 1] = "--output";
    args[flags.length + 2] = out.toString();
    args[flags.length + 3] = "docker://" + reference;
    Tools.Result r = Tools.docker2aci(args);
    assertThat(r.code()).as(r.err()).isZero();
    try (var files = Files.list(out)) {
      Path aci = files.filter(p -> p.toString().endsWith(".aci")).findFirst().orElseThrow();
      Tools.Result v = Docker2aciIT.validate(aci);
      assertThat(v.code()).as("reference actool validate: %s %s", v.out(), v.err()).isZero();
      return aci;
    }
  }

  private static JsonNode manifest(Path aci) throws Exception {
    return new ObjectMapper().readTree(AciArchive.readManifest(aci));
  }

  /** The rootfs entries of an ACI: name to type, mode, owner, link and content digest. */
  private static Map<String, String> rootfs(Path aci) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    AciArchive.visit(aci, ReadLimits.defaults(), true, (item, content) -> {
      if (item.name().startsWith("rootfs")) {
        out.put(item.name(), item.type() + " " + Integer.toOctalString(item.mode()) + " " + item.uid() + ":"
            + item.gid() + " " + item.linkName() + " " + java.util.HexFormat.of().formatHex(
                digest(content.readAllBytes())));
      }
      return true;
    });
    return out;
  }

  private static byte[] digest(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void actoolFetch_dockerReference_convertedAndStoredOnce() throws Exception {
    Path store = tmp.resolve("store");
    String ref = "docker://" + open.address() + "/library/busybox";

    Tools.Result refused = Tools.actool("fetch", "--store-dir", store.toString(), "--insecure-options=http", ref);
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("Docker images have no appc signature", "--insecure-options=image");

    String id = Tools.actool("fetch", "--store-dir", store.toString(), "--insecure-options=image,http", ref).expectOk().out();
    String again = Tools.actool("fetch", "--store-dir", store.toString(), "--pull-policy", "new", ref).expectOk().out();

    assertThat(again).isEqualTo(id);
    String list = Tools.actool("image", "list", "--store-dir", store.toString(), "--no-legend").expectOk().out();
    assertThat(list.strip().split("\n")).hasSize(1);
    assertThat(list).contains(open.address().replace(':', '_') + "/library/busybox");
  }

  @Test
  void acbuildBegin_dockerReference_startsFromTheConvertedImage() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));

    Tools.acbuild(work, "--store-dir=" + tmp.resolve("store"), "begin", "--insecure", "docker://" + open.address() + "/library/busybox")
        .expectOk();

    assertThat(Tools.manifest(work).path("name").asText()).isEqualTo(open.address().replace(':', '_') + "/library/busybox");
    assertThat(Tools.rootfs(work, tmp).resolve("bin/busybox")).exists();
    Tools.acbuild(work, "end").expectOk();
  }

  @Test
  void pull_ociManifest_convertedWithRegistryName() throws Exception {
    Path aci = pull(open.address() + "/library/busybox");
    assertThat(aci.getFileName()).hasToString("library-busybox-latest.aci");
    JsonNode m = manifest(aci);
    assertThat(m.path("name").asText()).isEqualTo(open.address().replace(':', '_') + "/library/busybox");
    assertThat(m.path("annotations").toString()).contains("\"appc.io/docker/registryurl\",\"value\":\""
        + open.address() + "\"");
  }

  @Test
  void pull_dockerSchema2_sameRootfsAsTheLayout() throws Exception {
    Path pulled = pull(open.address() + "/library/layered:v2s2");
    Path fromLayout = tmp.resolve("layout");
    Tools.docker2aci("--output", fromLayout.toString(), Tools.fixture("oci/layered").toString()).expectOk();
    assertThat(rootfs(pulled)).isEqualTo(rootfs(fromLayout.resolve("layered-latest.aci")));
  }

  @Test
  void pull_zstdLayer_converted() throws Exception {
    Path aci = pull(open.address() + "/library/busybox-zstd");
    assertThat(rootfs(aci)).containsKey("rootfs/bin/busybox");
  }

  @Test
  void pull_byDigest_noTagInNameOrLabels() throws Exception {
    JsonNode index = new ObjectMapper().readTree(Files.readString(Tools.fixture("oci/busybox/index.json")));
    String digest = index.path("manifests").get(0).path("digest").asText();
    Path aci = pull(open.address() + "/library/busybox@" + digest);
    assertThat(aci.getFileName()).hasToString("library-busybox.aci");
    assertThat(manifest(aci).path("annotations").toString()).contains(digest);
  }

  @Test
  void pull_imageIndex_platformChosenByArch() throws Exception {
    Path amd64 = pull(open.address() + "/library/multiarch", "--os", "linux", "--arch", "amd64");
    assertThat(manifest(amd64).path("labels").toString()).contains("{\"name\":\"arch\",\"value\":\"amd64\"}");
    Files.delete(amd64);
    Path arm64 = pull(open.address() + "/library/multiarch", "--arch", "arm64");
    assertThat(manifest(arm64).path("labels").toString()).contains("{\"name\":\"arch\",\"value\":\"aarch64\"}");
  }

  @Test
  void pull_platformTheIndexLacks_listsWhatItHas() {
    Tools.Result r = Tools.docker2aci("--insecure-allow-http", "--arch", "s390x", "--output", tmp.toString(),
        "docker://" + open.address() + "/library/multiarch");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("docker2aci: " + open.address() + "/library/multiarch:latest has no image "
        + "for linux/s390x (it has linux/amd64, linux/arm64/v8); choose one with --os and --arch\n");
  }

  @Test
  void pull_plainHttpWithoutFlag_refusedWithTheFlagToUse() {
    Tools.Result r = Tools.docker2aci("--output", tmp.toString(), "docker://" + open.address() + "/library/busybox");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("docker2aci: " + open.address() + "/library/busybox:latest: TLS with "
        + open.address() + " failed: ").contains("(a registry without TLS needs --insecure-allow-http;");
    assertThat(tmp.toFile().list()).isEmpty();
  }

  @Test
  void pull_unknownTag_notFound() {
    Tools.Result r = Tools.docker2aci("--insecure-allow-http", "--output", tmp.toString(),
        "docker://" + open.address() + "/library/busybox:nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("docker2aci: " + open.address() + "/library/busybox:nope: not found (404)");
  }

  @Test
  void pull_basicAuthWithoutCredentials_asksForALogin() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("empty-docker-config"));
    Tools.Result r = Tools.process(tmp, Map.of("DOCKER_CONFIG", config.toString()), Tools.bin("docker2aci").toString(),
        "--insecure-allow-http", "docker://" + locked.address() + "/private/busybox:1.0");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("docker2aci: " + locked.address() + "/private/busybox:1.0: the registry asks "
        + "for a login (Basic auth) and there is none for " + locked.address() + " in the Docker config (docker login "
        + locked.address() + ", or an auths entry in ~/.docker/config.json)\n");
  }

  @Test
  void pull_basicAuthWithDockerConfigAuths_converted() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("docker-config"));
    String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(config.resolve("config.json"),
        "{\"auths\":{\"" + locked.address() + "\":{\"auth\":\"" + auth + "\"}}}");
    Tools.Result r = Tools.process(tmp, Map.of("DOCKER_CONFIG", config.toString()), Tools.bin("docker2aci").toString(),
        "--insecure-allow-http", "docker://" + locked.address() + "/private/busybox:1.0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Docker2aciIT.validate(tmp.resolve("private-busybox-1.0.aci")).code()).isZero();
  }

  @Test
  void pull_basicAuthWithCredentialHelper_converted() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-appctools-test");
    Files.writeString(helper, "#!/bin/sh\nread server\n[ \"$1\" = get ] && [ \"$server\" = \"" + locked.address()
        + "\" ] || exit 1\necho '{\"ServerURL\":\"'\"$server\"'\",\"Username\":\"" + USER + "\",\"Secret\":\""
        + PASSWORD + "\"}'\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = Files.createDirectories(tmp.resolve("docker-config"));
    Files.writeString(config.resolve("config.json"),
        "{\"credHelpers\":{\"" + locked.address() + "\":\"appctools-test\"}}");
    Tools.Result r = Tools.process(tmp, Map.of("DOCKER_CONFIG", config.toString(),
        "PATH", bin + ":" + System.getenv("PATH")), Tools.bin("docker2aci").toString(),
        "--insecure-allow-http", "docker://" + locked.address() + "/private/busybox:1.0");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Docker2aciIT.validate(tmp.resolve("private-busybox-1.0.aci")).code()).isZero();
  }
}
