package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code actool pod k8s} on a pod manifest whose image is in the store, its YAML read by a real
 * YAML parser (python3's yaml module): containers, volumes, mounts, ports and resources as a
 * Kubernetes Pod has them, and the warnings on stderr.
 */
class ActoolPodK8sIT {
  @TempDir Path tmp;

  @Test
  void podK8s_storedImage_yamlParsesAsThePod() throws Exception {
    Tools.requireTool(Path.of("/usr/bin/python3"), "python3-yaml");
    Path store = tmp.resolve("store");
    Path layout = Layouts.fromFixture(Files.createDirectories(tmp.resolve("build")), "rootfs/busybox",
        Layouts.BUSYBOX_MANIFEST.replace("\"ports\"", "\"isolators\":[{\"name\":\"resource/memory\",\"value\":{\"limit\":\"256Mi\"}}],\"ports\""));
    Path aci = tmp.resolve("busybox.aci");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();
    String id = Tools.actool("image", "import", "--store-dir", store.toString(), aci.toString()).expectOk().out().strip();
    Path manifest = tmp.resolve("web.json");
    Files.writeString(manifest, "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"busybox\","
        + "\"image\":{\"name\":\"example.com/busybox\",\"id\":\"" + id + "\"}}],"
        + "\"volumes\":[{\"name\":\"data\",\"kind\":\"host\",\"source\":\"/srv/data\"}],"
        + "\"ports\":[{\"name\":\"http\",\"hostPort\":8080}]}");

    Tools.Result r = Tools.actool("pod", "k8s", "--store-dir", store.toString(), "--image-ref",
        "busybox=registry.example.com/busybox:1.0.0", manifest.toString()).expectOk();

    assertThat(r.err()).isEmpty();
    Path yaml = tmp.resolve("pod.yaml");
    Files.writeString(yaml, r.out());
    JsonNode pod = new ObjectMapper().readTree(Tools.process(tmp, Map.of(), "/usr/bin/python3", "-c",
        "import sys, yaml, json; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", yaml.toString()).expectOk().out());
    assertThat(pod.path("kind").asText()).isEqualTo("Pod");
    assertThat(pod.path("metadata").path("name").asText()).isEqualTo("web");
    JsonNode c = pod.path("spec").path("containers").get(0);
    assertThat(c.path("image").asText()).isEqualTo("registry.example.com/busybox:1.0.0");
    assertThat(c.path("ports").toString()).isEqualTo(
        "[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\",\"hostPort\":8080}]");
    assertThat(c.path("resources").toString()).isEqualTo("{\"limits\":{\"memory\":\"256Mi\"}}");
    assertThat(c.path("volumeMounts").toString()).isEqualTo("[{\"name\":\"data\",\"mountPath\":\"/data\"}]");
    assertThat(pod.path("spec").path("volumes").toString()).isEqualTo(
        "[{\"name\":\"data\",\"hostPath\":{\"path\":\"/srv/data\"}}]");
  }

  @Test
  void podK8s_unknownImage_warnedOnStderrAndInTheYaml() throws Exception {
    Path manifest = tmp.resolve("pod.json");
    Files.writeString(manifest, "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"x\","
        + "\"image\":{\"name\":\"example.com/x\",\"id\":\"sha512-" + "3".repeat(128) + "\"}}]}");

    Tools.Result r = Tools.actool("pod", "k8s", "--store-dir", tmp.resolve("empty-store").toString(), manifest.toString())
        .expectOk();

    String warning = "app x: image sha512-" + "3".repeat(128) + " is not in the store, so its ports, mount points and "
        + "isolators are not known (fetch it first)";
    assertThat(r.err()).isEqualTo("pod k8s: warning: " + warning + "\n");
    assertThat(r.out()).startsWith("# warning: " + warning + "\napiVersion: v1\n");
  }
}
