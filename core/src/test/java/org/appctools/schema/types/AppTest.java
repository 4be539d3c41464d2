package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppTest {

  private static final App BASE = App.of(List.of("/bin/app"), "0", "0");

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|0|invalid app: user is required",
      "0|''|invalid app: group is required",
  })
  void of_missingUserOrGroup_throws(String user, String group, String message) {
    assertThatThrownBy(() -> App.of(List.of(), user, group)).isInstanceOf(InvalidValueException.class).hasMessage(message);
  }

  @Test
  void withWorkingDirectory_relative_throws() {
    assertThatThrownBy(() -> BASE.withWorkingDirectory("opt"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid app: workingDirectory \"opt\" must be an absolute path");
  }

  @Test
  void withEventHandlers_twoPreStart_throws() {
    EventHandler h = new EventHandler(EventHandler.PRE_START, List.of("/a"));

    assertThatThrownBy(() -> BASE.withEventHandlers(List.of(h, h)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid app: only one event handler of name \"pre-start\" allowed");
  }

  @Test
  void eventHandler_unknownName_throws() {
    assertThatThrownBy(() -> new EventHandler("post-start", List.of("/a")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid event handler name \"post-start\": must be pre-start or post-stop");
  }

  @Test
  void withIsolators_twoSeccompSets_throws() {
    List<Isolator> both = List.of(Isolators.seccompRemoveSet(List.of("reboot"), null),
        Isolators.seccompRetainSet(List.of("read"), null));

    assertThatThrownBy(() -> BASE.withIsolators(both))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid isolators: os/linux/seccomp-remove-set and os/linux/seccomp-retain-set cannot be combined");
  }

  @Test
  void withIsolators_singleInstanceTwice_throws() {
    assertThatThrownBy(() -> BASE.withIsolators(List.of(Isolators.cpuShares(2), Isolators.cpuShares(4))))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid isolators: \"os/linux/cpu-shares\" may appear only once");
  }

  @Test
  void withIsolators_bothCapabilitySetsAndRepeatedResources_acceptedLikeGo() {
    App a = BASE.withIsolators(List.of(Isolators.capabilitiesRetainSet(List.of("CAP_CHOWN")),
        Isolators.capabilitiesRemoveSet(List.of("CAP_KILL")), Isolators.resourceCpu(null, "1"),
        Isolators.resourceCpu(null, "2")));

    assertThat(a.isolators()).hasSize(4);
  }

  @Test
  void withSupplementaryGIDs_negative_throws() {
    assertThatThrownBy(() -> BASE.withSupplementaryGIDs(List.of(-1L)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid app: supplementary GID -1 must be in 0..4294967295");
  }

  @Test
  void withMethods_replaceOneFieldEach() {
    MountPoint mp = new MountPoint(AcName.parse("data"), "/data", true);
    Port port = Port.of(AcName.parse("http"), "tcp", 80);
    App a = BASE.withExec(List.of("/bin/other")).withUser("daemon").withGroup("daemon")
        .withSupplementaryGIDs(List.of(10L)).withWorkingDirectory("/srv")
        .withEnvironment(EnvironmentVariables.of().with("A", "1")).withMountPoints(List.of(mp))
        .withPorts(List.of(port));

    assertThat(a.exec()).containsExactly("/bin/other");
    assertThat(a.user()).isEqualTo("daemon");
    assertThat(a.group()).isEqualTo("daemon");
    assertThat(a.supplementaryGIDs()).containsExactly(10L);
    assertThat(a.workingDirectory()).isEqualTo("/srv");
    assertThat(a.environment().get("A")).contains("1");
    assertThat(a.mountPoints()).containsExactly(mp);
    assertThat(a.ports()).containsExactly(port);
  }

  @Test
  void mountPoint_emptyPath_throws() {
    assertThatThrownBy(() -> new MountPoint(AcName.parse("data"), "", false))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid mount point \"data\": path is required");
  }

  @Test
  void dependency_negativeSize_throws() {
    assertThatThrownBy(() -> new Dependency(AcIdentifier.parse("a"), null, null, -1L))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid dependency \"a\": size -1 must not be negative");
  }
}
