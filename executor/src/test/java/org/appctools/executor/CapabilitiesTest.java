package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.appctools.AppcException;
import org.appctools.schema.types.Isolators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapabilitiesTest {
  @Test
  void boundingSet_noIsolators_isTheSpecsDefaultInKernelOrder() throws Exception {
    assertThat(Capabilities.boundingSet(List.of())).containsExactly("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER",
        "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW",
        "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP");
  }

  @Test
  void mask_defaultSet_isWhatProcStatusShows() throws Exception {
    // the same default as Docker's, as /proc/self/status prints it
    assertThat(Long.toHexString(Capabilities.mask(Capabilities.boundingSet(List.of())))).isEqualTo("a80425fb");
  }

  @Test
  void boundingSet_retainSet_isExactlyIt() throws Exception {
    assertThat(Capabilities.boundingSet(List.of(Isolators.capabilitiesRetainSet(List.of("CAP_NET_ADMIN", "cap_kill")))))
        .containsExactly("CAP_KILL", "CAP_NET_ADMIN");
  }

  @Test
  void boundingSet_removeSet_takesFromTheDefault_andIgnoresCapabilitiesOutsideIt() throws Exception {
    List<String> set = Capabilities.boundingSet(List.of(Isolators.capabilitiesRemoveSet(List.of("CAP_NET_RAW", "SYS_ADMIN"))));
    assertThat(set).hasSize(13).doesNotContain("CAP_NET_RAW", "CAP_SYS_ADMIN");
  }

  @Test
  void boundingSet_retainThenRemove_bothApply() throws Exception {
    assertThat(Capabilities.boundingSet(List.of(Isolators.capabilitiesRetainSet(List.of("CAP_KILL", "CAP_CHOWN")),
        Isolators.capabilitiesRemoveSet(List.of("CAP_KILL"))))).containsExactly("CAP_CHOWN");
  }

  @ParameterizedTest
  @CsvSource({"CAP_NET_ADMIN,CAP_NET_ADMIN", "net_admin,CAP_NET_ADMIN", "NET_ADMIN,CAP_NET_ADMIN", "cap_bpf,CAP_BPF"})
  void canonical_spellingsTheGoReferenceAccepts_areOneName(String given, String expected) throws Exception {
    assertThat(Capabilities.canonical(given)).isEqualTo(expected);
  }

  @Test
  void canonical_unknown_failsNamingIt() {
    assertThatThrownBy(() -> Capabilities.canonical("CAP_FLY"))
        .isInstanceOf(AppcException.class)
        .hasMessage("capabilities: unknown capability \"CAP_FLY\" (Linux capabilities are CAP_CHOWN, CAP_NET_ADMIN, "
            + "CAP_SYS_ADMIN...; see capabilities(7))");
  }

  @Test
  void setprivList_dropsAllThenAddsEach() {
    assertThat(Capabilities.setprivList(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE"))).isEqualTo("-all,+chown,+net_bind_service");
    assertThat(Capabilities.setprivList(List.of())).isEqualTo("-all");
  }
}
