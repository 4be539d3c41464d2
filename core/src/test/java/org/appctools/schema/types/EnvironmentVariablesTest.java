package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentVariablesTest {

  @ParameterizedTest
  @ValueSource(strings = {"PATH", "_", "a", "JAVA_HOME", "my.var", "my-var", "X1"})
  void new_validName_accepted(String name) {
    assertThat(new EnvironmentVariable(name, "v").name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1A", ".a", "-a", "A B", "A=B", "Ä"})
  void new_invalidName_throws(String name) {
    assertThatThrownBy(() -> new EnvironmentVariable(name, "v"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid environment variable name \"" + name
            + "\": must be letters, digits, _ . and -, not starting with a digit, . or -");
  }

  @Test
  void new_duplicateName_throws() {
    EnvironmentVariable e = new EnvironmentVariable("A", "1");

    assertThatThrownBy(() -> EnvironmentVariables.of(List.of(e, new EnvironmentVariable("A", "2"))))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid environment: duplicate name \"A\"");
  }

  @Test
  void with_newAndExisting_appendsOrReplaces() {
    EnvironmentVariables env = EnvironmentVariables.of().with("A", "1").with("B", "2").with("A", "3");

    assertThat(env.list()).containsExactly(new EnvironmentVariable("A", "3"), new EnvironmentVariable("B", "2"));
    assertThat(env.without("A").get("A")).isEmpty();
  }
}
