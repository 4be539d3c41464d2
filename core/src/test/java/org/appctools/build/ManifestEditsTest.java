package org.appctools.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.App;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestEditsTest {
  private static final ImageManifest EMPTY = ImageManifest.empty(AcIdentifier.parse("x.com/a"));

  private static ImageManifest apply(ImageManifest m, ManifestEdit... edits) throws AppcException {
    for (ManifestEdit e : edits) {
      m = e.apply(m);
    }
    return m;
  }

  private static String json(ImageManifest m) {
    return new String(m.toJson(), StandardCharsets.UTF_8);
  }

  static List<ManifestEdit> removals() {
    return List.of(ManifestEdits.removeLabel("a"), ManifestEdits.removeAnnotation("a"),
        ManifestEdits.removeEnvironment("a"), ManifestEdits.removeMount("a"),
        ManifestEdits.removePort("a"), ManifestEdits.removeIsolator("resource/memory"),
        ManifestEdits.removeDependency("a.com/b"));
  }

  static List<Arguments> removalsWithMessages() {
    String go = "element to be removed does not exist in this ACI: ";
    return List.of(
        Arguments.of(ManifestEdits.removeLabel("a"), go + "label \"a\""),
        Arguments.of(ManifestEdits.removeAnnotation("a"), go + "annotation \"a\""),
        Arguments.of(ManifestEdits.removeEnvironment("a"), go + "environment variable \"a\" (the image has no app)"),
        Arguments.of(ManifestEdits.removeMount("a"), go + "mount point \"a\" (the image has no app)"),
        Arguments.of(ManifestEdits.removePort("a"), go + "port \"a\" (the image has no app)"),
        Arguments.of(ManifestEdits.removeIsolator("resource/memory"), go + "isolator \"resource/memory\" (the image has no app)"),
        Arguments.of(ManifestEdits.removeDependency("a.com/b"), go + "dependency \"a.com/b\""));
  }

  @ParameterizedTest
  @MethodSource("removalsWithMessages")
  void remove_absent_notFoundNamingTheElement(ManifestEdit edit, String message) {
    assertThatThrownBy(() -> edit.apply(EMPTY)).isInstanceOf(NotFoundException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @MethodSource("removals")
  void remove_absentWithApp_notFound(ManifestEdit edit) {
    ImageManifest m = EMPTY.withApp(App.of(List.of("/x"), "0", "0"));
    assertThatThrownBy(() -> edit.apply(m)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void addLabel_existing_movedToEndWithNewValue() throws AppcException {
    ImageManifest m = apply(EMPTY, ManifestEdits.addLabel("version", "1"),
        ManifestEdits.addLabel("os", "linux"), ManifestEdits.addLabel("version", "2"));
    assertThat(json(m)).contains(
        "\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"version\",\"value\":\"2\"}]");
    assertThat(json(ManifestEdits.removeLabel("os").apply(m)))
        .contains("\"labels\":[{\"name\":\"version\",\"value\":\"2\"}]");
  }

  @Test
  void addLabel_invalidName_valueMessage() {
    assertThatThrownBy(() -> ManifestEdits.addLabel("Bad Name", "1").apply(EMPTY))
        .isInstanceOf(AppcException.class).isNotInstanceOf(NotFoundException.class)
        .hasMessageStartingWith("invalid AC Identifier");
  }

  @Test
  void addAnnotation_existing_replacedInPlace() throws AppcException {
    ImageManifest m = apply(EMPTY, ManifestEdits.addAnnotation("a", "1"),
        ManifestEdits.addAnnotation("b", "2"), ManifestEdits.addAnnotation("a", "3"));
    assertThat(json(m)).contains("\"annotations\":[{\"name\":\"a\",\"value\":\"3\"},"
        + "{\"name\":\"b\",\"value\":\"2\"}]");
    assertThat(ManifestEdits.removeAnnotation("a").apply(m).annotations().get("a")).isEmpty();
  }

  @Test
  void addEnvironment_noApp_minimalAppCreated() throws AppcException {
    ImageManifest m = apply(EMPTY, ManifestEdits.addEnvironment("PATH", "/bin"),
        ManifestEdits.addEnvironment("A", "1"), ManifestEdits.addEnvironment("PATH", "/usr/bin"));
    assertThat(json(m)).contains("\"app\":{\"exec\":[],\"user\":\"0\",\"group\":\"0\","
        + "\"environment\":[{\"name\":\"PATH\",\"value\":\"/usr/bin\"},{\"name\":\"A\",\"value\":\"1\"}]}");
    assertThat(ManifestEdits.removeEnvironment("PATH").apply(m).app().environment().get("PATH"))
        .isEmpty();
  }

  @Test
  void addMount_sameNameOrPath_replaced() throws AppcException {
    ImageManifest m = apply(EMPTY, ManifestEdits.addMount("data", "/data", false),
        ManifestEdits.addMount("logs", "/var/log", true),
        ManifestEdits.addMount("other", "/data", true));
    assertThat(m.app().mountPoints()).extracting(x -> x.name().value() + ":" + x.path() + ":"
        + x.readOnly()).containsExactly("logs:/var/log:true", "other:/data:true");
    assertThat(ManifestEdits.removeMount("/var/log").apply(m).app().mountPoints()).hasSize(1);
    assertThat(ManifestEdits.removeMount("other").apply(m).app().mountPoints()).hasSize(1);
  }

  @Test
  void addPort_sameName_replacedAndRemovableByNumber() throws AppcException {
    ImageManifest m = apply(EMPTY, ManifestEdits.addPort("www", "tcp", 80, 1, false),
        ManifestEdits.addPort("dns", "udp", 53, 2, true),
        ManifestEdits.addPort("www", "tcp", 8080, 0, false));
    assertThat(m.app().ports()).extracting(p -> p.name() + ":" + p.protocol() + ":" + p.port()
        + ":" + p.count() + ":" + p.socketActivated())
        .containsExactly("dns:udp:53:2:true", "www:tcp:8080:1:false");
    assertThat(ManifestEdits.removePort("53").apply(m).app().ports()).extracting(p -> p.port())
        .containsExactly(8080);
    assertThat(ManifestEdits.removePort("www").apply(m).app().ports()).extracting(p -> p.port())
        .containsExactly(53);
  }

  @Test
  void addIsolator_known_replaced() throws AppcException {
    ImageManifest m = apply(EMPTY,
        ManifestEdits.addIsolator("resource/memory", "{\"limit\":\"1G\"}".getBytes()),
        ManifestEdits.addIsolator("resource/memory", "{\"limit\":\"2G\"}".getBytes()));
    assertThat(m.app().isolators()).hasSize(1);
    assertThat(json(m)).contains("2G");
    assertThat(ManifestEdits.removeIsolator("resource/memory").apply(m).app().isolators())
        .isEmpty();
  }

  @Test
  void addIsolator_unknown_goMessage() {
    assertThatThrownBy(() -> ManifestEdits.addIsolator("x.com/iso", "{}".getBytes()).apply(EMPTY))
        .isInstanceOf(AppcException.class).hasMessage("unknown isolator name: x.com/iso");
  }

  @Test
  void addDependency_nameVersionLabelsIdSize_allKept() throws AppcException {
    String id = "sha512-" + "a".repeat(32);
    ImageManifest m = apply(EMPTY,
        ManifestEdits.addDependency(ManifestEdits.dependency("quay.io/alpine:3.2,os=linux", id, List.of("arch=amd64"), 100L)),
        ManifestEdits.addDependency(ManifestEdits.dependency("b.com/c", null, List.of(), null)));
    assertThat(json(m)).contains("\"dependencies\":[{\"imageName\":\"quay.io/alpine\",\"imageID\":\""
        + id + "\",\"labels\":[{\"name\":\"version\",\"value\":\"3.2\"},{\"name\":\"os\",\"value\":"
        + "\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],\"size\":100},{\"imageName\":\"b.com/c\"}]");
    m = ManifestEdits.addDependency(ManifestEdits.dependency("quay.io/alpine", null, List.of(), null)).apply(m);
    assertThat(m.dependencies()).extracting(d -> d.imageName().value())
        .containsExactly("b.com/c", "quay.io/alpine");
    assertThat(ManifestEdits.removeDependency("b.com/c").apply(m).dependencies()).hasSize(1);
  }

  @Test
  void addDependency_badLabel_message() {
    assertThatThrownBy(() -> ManifestEdits.dependency("a.com/b", null, List.of("novalue"), null)).hasMessage("invalid label \"novalue\": must be key=value");
  }

  @Test
  void setters_noApp_setOnMinimalApp() throws AppcException {
    ImageManifest m = apply(EMPTY, ManifestEdits.setExec(List.of("/bin/sh", "-c", "x")),
        ManifestEdits.setUser("1000"), ManifestEdits.setGroup("100"),
        ManifestEdits.setSupplementaryGroups(List.of(5L, 6L)),
        ManifestEdits.setWorkingDirectory("/srv"),
        ManifestEdits.setEventHandler("pre-start", List.of("/a")),
        ManifestEdits.setEventHandler("post-stop", List.of("/b")),
        ManifestEdits.setEventHandler("pre-start", List.of("/c")),
        ManifestEdits.setName("example.com/new"));
    assertThat(json(m)).isEqualTo("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/new\",\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"x\"],"
        + "\"eventHandlers\":[{\"name\":\"post-stop\",\"exec\":[\"/b\"]},{\"name\":\"pre-start\","
        + "\"exec\":[\"/c\"]}],\"user\":\"1000\",\"group\":\"100\",\"supplementaryGIDs\":[5,6],"
        + "\"workingDirectory\":\"/srv\"}}");
  }

  @Test
  void setEventHandler_badName_message() {
    assertThatThrownBy(() -> ManifestEdits.setEventHandler("post-start", List.of()).apply(EMPTY))
        .isInstanceOf(AppcException.class).hasMessageContaining("must be pre-start or post-stop");
  }

  @Test
  void setWorkingDirectory_relative_message() {
    assertThatThrownBy(() -> ManifestEdits.setWorkingDirectory("srv").apply(EMPTY))
        .hasMessage("invalid app: workingDirectory \"srv\" must be an absolute path");
  }
}
