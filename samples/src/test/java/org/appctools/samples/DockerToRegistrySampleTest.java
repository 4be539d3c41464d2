package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * samples/docker-to-registry/build.sh: docker2aci, acbuild --modify, actool export and push to the
 * throwaway registry the script starts on 127.0.0.1 (and stops), read back by skopeo.
 */
class DockerToRegistrySampleTest {
  @TempDir Path tmp;

  @Test
  void build_convertModifyExportPush_theRegistryServesThePushedDigest() throws Exception {
    Samples.fixture("archives/busybox.docker.tar", "archives");
    Samples.requireTool("docker-registry", "registry");
    Samples.requireTool("skopeo", "ocitools");
    Samples.requireTool("jq", "samples");
    Samples.requireTool("python3", "samples");
    Path out = tmp.resolve("hello.aci");

    Samples.Result r = Samples.run(tmp, tmp, Map.of(), Samples.dir().resolve("docker-to-registry/build.sh").toString(), out.toString())
        .expectOk();

    String digest = r.value("digest");
    assertThat(digest).matches("sha256:[0-9a-f]{64}");
    assertThat(r.value("registry")).matches("a throwaway docker-registry on 127\\.0\\.0\\.1:\\d+");
    assertThat(r.output()).contains(out + ": valid app container image")
        .containsPattern("pushed: 127\\.0\\.0\\.1:\\d+/samples/docker-hello:1\\.0\\.0 " + digest + "\n")
        .contains("\"Digest\": \"" + digest + "\"");
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(Samples.run(tmp, tmp, Map.of(), Samples.dir().resolveSibling("bin/actool").toString(),
        "cat-manifest", out.toString()).expectOk().output());
    assertThat(manifest.get("name").asText()).isEqualTo("example.com/docker-hello");
    assertThat(manifest.get("app").get("exec").toString()).isEqualTo("[\"/app/hello.sh\"]");
    // the OCI layout holds the image the registry has: the same manifest digest, its config the app's
    Path layout = tmp.resolve("hello-oci");
    JsonNode index = json.readTree(layout.resolve("index.json").toFile());
    assertThat(index.get("manifests").get(0).get("digest").asText()).isEqualTo(digest);
    JsonNode ociManifest = json.readTree(layout.resolve("blobs/sha256/" + digest.substring(7)).toFile());
    JsonNode config = json.readTree(layout.resolve("blobs/sha256/" + ociManifest.get("config").get("digest").asText().substring(7)).toFile());
    assertThat(config.get("config").get("Entrypoint").toString()).isEqualTo("[\"/app/hello.sh\"]");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hello.aci", "hello-oci");
    }
  }
}
