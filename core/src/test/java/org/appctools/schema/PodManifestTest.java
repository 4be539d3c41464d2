package org.appctools.schema;

import static org.appctools.schema.ImageManifestTest.resource;
import static org.appctools.schema.ImageManifestTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.IsolatorValue;
import org.appctools.schema.types.Volume;
import org.junit.jupiter.api.Test;

class PodManifestTest {

  @Test
  void toPrettyJson_podManifest_equalsGolden() throws Exception {
    PodManifest p = PodManifest.parse(resource("pod-manifest.json"));

    assertThat(p.toPrettyJson()).isEqualTo(utf8(resource("pod-manifest.json")));
  }

  @Test
  void parse_ownOutput_equalsRecordAndSameBytes() throws Exception {
    PodManifest p = PodManifest.parse(resource("pod-manifest.json"));

    PodManifest again = PodManifest.parse(p.toJson());

    assertThat(again).isEqualTo(p);
    assertThat(again.toJson()).isEqualTo(p.toJson());
  }

  @Test
  void parse_podManifest_typedValues() throws Exception {
    PodManifest p = PodManifest.parse(resource("pod-manifest.json"));

    assertThat(p.apps()).hasSize(2);
    assertThat(p.apps().get(0).readOnlyRootFS()).isTrue();
    assertThat(p.apps().get(1).app()).isNull();
    assertThat(p.volumes().get(1)).isEqualTo(Volume.empty(AcName.parse("cache")));
    assertThat(p.isolators().get(0).value()).isInstanceOf(IsolatorValue.Sysctl.class);
    assertThat(p.ports().get(0).hostIP()).isEqualTo("127.0.0.1");
  }

  @Test
  void toJson_emptyPod_writesListsAlways() {
    assertThat(utf8(PodManifest.empty().toJson())).isEqualTo(
        "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[],\"volumes\":[],\"isolators\":[],"
            + "\"annotations\":[],\"ports\":[]}");
  }

  @Test
  void toPrettyJson_emptyPod_emptyListsLikeGo() {
    assertThat(PodManifest.empty().toPrettyJson()).isEqualTo("""
        {
            "acVersion": "0.8.11",
            "acKind": "PodManifest",
            "apps": [],
            "volumes": [],
            "isolators": [],
            "annotations": [],
            "ports": []
        }""");
  }

  @Test
  void parse_goNullLists_readAsEmpty() throws Exception {
    String json = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":null,\"volumes\":null,"
        + "\"isolators\":null,\"annotations\":null,\"ports\":null}";

    assertThat(PodManifest.parse(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(PodManifest.empty());
  }

  @Test
  void parse_duplicateAppNames_throws() {
    String json = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":["
        + "{\"name\":\"a\",\"image\":{\"id\":\"sha512-aa\"}},{\"name\":\"a\",\"image\":{\"id\":\"sha512-bb\"}}]}";

    assertThatThrownBy(() -> PodManifest.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SchemaException.class)
        .hasMessage("reading pod manifest: invalid pod manifest: duplicate app name \"a\" (line 1, column 134)");
  }

  @Test
  void parse_duplicateVolumeNames_throws() {
    String json = "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"volumes\":["
        + "{\"name\":\"v\",\"kind\":\"empty\"},{\"name\":\"v\",\"kind\":\"host\",\"source\":\"/x\"}]}";

    assertThatThrownBy(() -> PodManifest.parse(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SchemaException.class)
        .hasMessageStartingWith("reading pod manifest: invalid pod manifest: duplicate volume name \"v\"");
  }
}
