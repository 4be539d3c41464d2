package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acbuild label add|remove, and the history annotations every change leaves. */
class AcbuildLabelIT {
  @TempDir Path work;

  @BeforeEach
  void begin() {
    Tools.acbuild(work, "begin").expectOk();
  }

  private String label(String name) throws Exception {
    for (JsonNode l : Tools.manifest(work).get("labels")) {
      if (l.get("name").asText().equals(name)) {
        return l.get("value").asText();
      }
    }
    return null;
  }

  @Test
  void add_thenAgain_changesTheValue() throws Exception {
    Tools.acbuild(work, "label", "add", "version", "1.0").expectOk();
    Tools.acbuild(work, "label", "add", "version", "2.0").expectOk();

    assertThat(label("version")).isEqualTo("2.0");
  }

  @Test
  void remove_and_rmAlias_removeTheLabel() throws Exception {
    Tools.acbuild(work, "label", "add", "a", "1").expectOk();
    Tools.acbuild(work, "label", "add", "b", "2").expectOk();

    Tools.acbuild(work, "label", "remove", "a").expectOk();
    Tools.acbuild(work, "label", "rm", "b").expectOk();

    assertThat(label("a")).isNull();
    assertThat(label("b")).isNull();
  }

  @Test
  void remove_missing_exits2() {
    Tools.Result r = Tools.acbuild(work, "label", "remove", "nope");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("label remove: ").contains("nope");
  }

  @Test
  void add_invalidName_exits1() {
    Tools.Result r = Tools.acbuild(work, "label", "add", "Not A Name!", "x");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("label add: ");
  }

  @Test
  void history_numbersCommandsAndQuotesArgumentsAsGo() throws Exception {
    Tools.acbuild(work, "label", "add", "version", "1.0").expectOk();
    Tools.acbuild(work, "label", "add", "desc", "say \"hi\"\tnow").expectOk();

    JsonNode annotations = Tools.manifest(work).get("annotations");
    assertThat(annotations.get(0).get("name").asText()).isEqualTo("appc.io/acbuild/command-1");
    assertThat(annotations.get(0).get("value").asText()).isEqualTo("acbuild label add \"version\" \"1.0\"");
    assertThat(annotations.get(1).get("name").asText()).isEqualTo("appc.io/acbuild/command-2");
    assertThat(annotations.get(1).get("value").asText()).isEqualTo("acbuild label add \"desc\" \"say \\\"hi\\\"\\tnow\"");
  }

  @Test
  void history_aliasAndPrefix_recordTheCanonicalName() throws Exception {
    Tools.acbuild(work, "lab", "rm", "os").expectOk();

    assertThat(Tools.manifest(work).get("annotations").get(0).get("value").asText()).isEqualTo("acbuild label remove \"os\"");
  }

  @Test
  void noHistory_addsNoAnnotation() throws Exception {
    Tools.acbuild(work, "--no-history", "label", "add", "a", "1").expectOk();
    Tools.acbuild(work, "label", "add", "b", "2", "--no-history").expectOk();

    assertThat(Tools.manifest(work).get("annotations")).isNull();
    assertThat(label("a")).isEqualTo("1");
  }

  @Test
  void failedCommand_addsNoHistory() throws Exception {
    Tools.acbuild(work, "label", "remove", "nope");

    assertThat(Tools.manifest(work).get("annotations")).isNull();
  }
}
