package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.junit.jupiter.api.Test;

class KubernetesPodTest {
  private static final String ID = "sha512-" + "1".repeat(128);
  private static final String OTHER = "sha512-" + "2".repeat(128);

  private static PodManifest pod(String json) throws Exception {
    return PodManifest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The image of {@link #ID}: a web server with two ports, a mount point and resource limits. */
  private static KubernetesPod.ImageLookup store() throws Exception {
    ImageManifest web = ImageManifest.parse(("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/web\",\"labels\":[{\"name\":\"version\",\"value\":\"1.2\"}],"
        + "\"app\":{\"exec\":[\"/bin/web\"],\"user\":\"www\",\"group\":\"www\","
        + "\"mountPoints\":[{\"name\":\"html\",\"path\":\"/srv/html\",\"readOnly\":true},"
        + "{\"name\":\"cache\",\"path\":\"/var/cache/web\"}],"
        + "\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":8080},{\"name\":\"metrics\",\"protocol\":\"tcp\",\"port\":9100}],"
        + "\"isolators\":[{\"name\":\"resource/memory\",\"value\":{\"request\":\"64Mi\",\"limit\":\"128Mi\"}},"
        + "{\"name\":\"resource/cpu\",\"value\":{\"limit\":\"500m\"}},"
        + "{\"name\":\"os/linux/capabilities-retain-set\",\"value\":{\"set\":[\"CAP_NET_BIND_SERVICE\"]}},"
        + "{\"name\":\"os/linux/no-new-privileges\",\"value\":true},"
        + "{\"name\":\"os/linux/oom-score-adj\",\"value\":100}]}}").getBytes(StandardCharsets.UTF_8));
    return id -> id.value().equals(ID) ? Optional.of(web) : Optional.empty();
  }

  @Test
  void convert_podWithStoredImageAndOverride_goldenYamlAndWarnings() throws Exception {
    PodManifest pod = pod("{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\","
        + "\"apps\":[{\"name\":\"web\",\"image\":{\"name\":\"example.com/web\",\"id\":\"" + ID + "\"},"
        + "\"mounts\":[{\"volume\":\"logs\",\"path\":\"/var/log/web\"}]},"
        + "{\"name\":\"sidecar\",\"image\":{\"id\":\"" + OTHER + "\"},\"readOnlyRootFS\":true,"
        + "\"app\":{\"exec\":[\"/bin/tail\",\"-F\",\"/logs/access.log\"],\"user\":\"1000\",\"group\":\"1000\","
        + "\"workingDirectory\":\"/logs\",\"environment\":[{\"name\":\"MODE\",\"value\":\"yes\"}],"
        + "\"mountPoints\":[{\"name\":\"logs\",\"path\":\"/logs\",\"readOnly\":true}]}}],"
        + "\"volumes\":[{\"name\":\"html\",\"kind\":\"host\",\"source\":\"/srv/www\",\"readOnly\":true},"
        + "{\"name\":\"logs\",\"kind\":\"empty\"}],"
        + "\"ports\":[{\"name\":\"http\",\"hostPort\":80}],"
        + "\"annotations\":[{\"name\":\"created\",\"value\":\"2024-01-02T03:04:05Z\"}],"
        + "\"userLabels\":{\"tier\":\"front\"}}");

    KubernetesPod.Result r = KubernetesPod.convert(pod, new KubernetesPod.Options("web-pod",
        Map.of("sidecar", "registry.example.com/tools/tail:2"), store()));

    assertThat(r.warnings()).containsExactly(
        "app web: isolator os/linux/oom-score-adj has no Pod equivalent",
        "app web: mount point cache (/var/cache/web) has no pod volume of that name; the container keeps the "
            + "image's directory");
    assertThat(r.yaml()).isEqualTo("""
        # warning: app web: isolator os/linux/oom-score-adj has no Pod equivalent
        # warning: app web: mount point cache (/var/cache/web) has no pod volume of that name; the container keeps \
        the image's directory
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-pod
          labels:
            tier: front
          annotations:
            created: "2024-01-02T03:04:05Z"
        spec:
          containers:
          - name: web
            image: "example.com/web:1.2"
            ports:
            - name: http
              containerPort: 8080
              protocol: TCP
              hostPort: 80
            - name: metrics
              containerPort: 9100
              protocol: TCP
            resources:
              limits:
                cpu: "500m"
                memory: "128Mi"
              requests:
                memory: "64Mi"
            volumeMounts:
            - name: logs
              mountPath: /var/log/web
            - name: html
              mountPath: /srv/html
              readOnly: true
            securityContext:
              allowPrivilegeEscalation: false
              capabilities:
                drop:
                - ALL
                add:
                - NET_BIND_SERVICE
          - name: sidecar
            image: "registry.example.com/tools/tail:2"
            command:
            - /bin/tail
            - "-F"
            - /logs/access.log
            env:
            - name: MODE
              value: "yes"
            workingDir: /logs
            volumeMounts:
            - name: logs
              mountPath: /logs
              readOnly: true
            securityContext:
              runAsUser: 1000
              runAsGroup: 1000
              readOnlyRootFilesystem: true
          volumes:
          - name: html
            hostPath:
              path: /srv/www
          - name: logs
            emptyDir: {}
        """);
  }

  @Test
  void convert_imageNotStoredAndNoName_failsAskingForImageRef() throws Exception {
    PodManifest pod = pod("{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\","
        + "\"apps\":[{\"name\":\"x\",\"image\":{\"id\":\"" + OTHER + "\"}}]}");

    assertThatThrownBy(() -> KubernetesPod.convert(pod, new KubernetesPod.Options("p", null, null)))
        .isInstanceOf(AppcException.class)
        .hasMessage("pod k8s: app x: its image " + OTHER + " has no name in the pod manifest and is not in the "
            + "store; give its reference with --image-ref x=REGISTRY/REPOSITORY:TAG");
  }

  @Test
  void convert_unknownImageHostPortsAndVolumeSettings_warned() throws Exception {
    PodManifest pod = pod("{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\","
        + "\"apps\":[{\"name\":\"x\",\"image\":{\"name\":\"example.com/x\",\"id\":\"" + OTHER + "\"}}],"
        + "\"volumes\":[{\"name\":\"scratch\",\"kind\":\"empty\",\"mode\":\"0700\",\"uid\":5,\"gid\":5}],"
        + "\"ports\":[{\"name\":\"dns\",\"hostPort\":53}],"
        + "\"userLabels\":{\"note\":\"has spaces\"}}");

    KubernetesPod.Result r = KubernetesPod.convert(pod, new KubernetesPod.Options("p", null, null));

    assertThat(r.warnings()).containsExactly(
        "app x: image " + OTHER + " is not in the store, so its ports, mount points and isolators are not known "
            + "(fetch it first)",
        "pod port dns (host port 53) names no port of an app; not exposed",
        "user label note=has spaces is not a valid Kubernetes label; kept as an annotation",
        "volume scratch: mode 0700 and owner 5:5 of the empty volume have no emptyDir equivalent (use an init "
            + "container or fsGroup)");
    assertThat(r.yaml()).contains("    image: \"example.com/x:latest\"\n", "    note: \"has spaces\"\n");
  }

  @Test
  void convert_podNameNotADnsLabel_fails() throws Exception {
    PodManifest pod = pod("{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\"}");

    assertThatThrownBy(() -> KubernetesPod.convert(pod, new KubernetesPod.Options("My_Pod", null, null)))
        .isInstanceOf(AppcException.class)
        .hasMessage("pod k8s: pod name \"My_Pod\" is not a DNS label (lowercase letters, digits and -, at most 63); "
            + "give one with --name");
  }
}
