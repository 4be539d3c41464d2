package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the image in OCI layouts: tags, several images, image indexes, tampered blobs. */
class OciLayoutsTest {
  @TempDir Path tmp;

  private Path layout() throws Exception {
    Path layer = TestImages.layer(tmp, "l1", t -> t.file("f", "x"));
    return TestImages.layout(tmp.resolve("img.d"), TestImages.CONFIG, layer);
  }

  /** Adds a second tag to the layout's index.json, for the same manifest. */
  private static void addTag(Path layout, String name) throws Exception {
    String index = Files.readString(layout.resolve("index.json"));
    int start = index.indexOf('[') + 1;
    int end = index.lastIndexOf(']');
    String entry = index.substring(start, end);
    Files.writeString(layout.resolve("index.json"), index.substring(0, end) + ","
        + entry.replace("\"latest\"", "\"" + name + "\"") + index.substring(end));
  }

  @Test
  void read_tagOnly_namedAfterTheDirectory() throws Exception {
    SourceImage image = OciLayouts.read(new LayoutDirectory(layout()), null, "img", Platform.of("linux", "amd64"));
    assertThat(image.reference()).isEqualTo(new ImageReference("", "img", "latest", ""));
    assertThat(image.originalName()).isEqualTo("img:latest");
    assertThat(image.layers()).hasSize(1);
    assertThat(image.manifestDigest()).startsWith("sha256:");
  }

  @Test
  void read_severalTags_imageChoosesOneElseAllAreListed() throws Exception {
    Path layout = layout();
    addTag(layout, "example.com/team/app:2.0");
    LayoutDirectory files = new LayoutDirectory(layout);
    Platform p = Platform.of("linux", "amd64");
    assertThatThrownBy(() -> OciLayouts.read(files, null, "img", p)).isInstanceOf(AppcException.class)
        .hasMessage(layout + ": several images found, use --image with one of: latest, example.com/team/app:2.0");
    assertThat(OciLayouts.read(files, "example.com/team/app:2.0", "img", p).reference())
        .isEqualTo(new ImageReference("example.com", "team/app", "2.0", ""));
    assertThat(OciLayouts.read(files, "latest", "img", p).reference().tag()).isEqualTo("latest");
    assertThat(OciLayouts.read(files, "img:latest", "img", p).reference().repository()).isEqualTo("img");
    assertThatThrownBy(() -> OciLayouts.read(files, "nope", "img", p))
        .hasMessage(layout + ": no image nope (it has latest, example.com/team/app:2.0)");
  }

  @Test
  void read_manifestBlobTampered_refused() throws Exception {
    Path layout = layout();
    String index = Files.readString(layout.resolve("index.json"));
    int at = index.indexOf("sha256:") + 7;
    Path manifest = layout.resolve("blobs/sha256/" + index.substring(at, at + 64));
    Files.writeString(manifest, Files.readString(manifest).replace("\"schemaVersion\":2", "\"schemaVersion\": 2"));
    assertThatThrownBy(() -> OciLayouts.read(new LayoutDirectory(layout), null, "img", Platform.of("linux", "amd64")))
        .hasMessageStartingWith(layout + ": blob sha256:" + index.substring(at, at + 64)
            + " does not match its digest: expected sha256:");
  }

  @Test
  void read_imageIndex_platformsManifest() throws Exception {
    Path layout = layout();
    String index = Files.readString(layout.resolve("index.json"));
    String manifests = index.substring(index.indexOf('[') + 1, index.lastIndexOf(']'))
        .replace(",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}",
            ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}");
    byte[] inner = ("{\"schemaVersion\":2,\"mediaType\":\"" + Manifests.OCI_INDEX + "\",\"manifests\":["
        + manifests + "]}").getBytes(StandardCharsets.UTF_8);
    String digest = TestImages.put(layout, inner);
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
        + Manifests.OCI_INDEX + "\",\"digest\":\"" + digest + "\",\"size\":" + inner.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
    LayoutDirectory files = new LayoutDirectory(layout);
    assertThat(OciLayouts.read(files, null, "img", Platform.of("linux", "amd64")).layers()).hasSize(1);
    assertThatThrownBy(() -> OciLayouts.read(files, null, "img", Platform.of("linux", "arm64")))
        .hasMessage(layout + " (latest) has no image for linux/arm64 (it has linux/amd64); choose one with --os and --arch");
  }
}
