package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostPlatformTest {
  @Test
  void current_onThisMachine_isAValidLabelPair() {
    HostPlatform host = HostPlatform.current();
    assertThat(Labels.VALID_OS_ARCH).containsKey(host.os());
    assertThat(Labels.VALID_OS_ARCH.get(host.os())).contains(host.arch());
  }
}
