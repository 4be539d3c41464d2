package org.appctools.jna;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectMappingTest {
  /** libc's getpid, bound by the first name that loads. */
  static final class LibC {
    static native int getpid();
  }

  /** Bound to a library no system has. */
  static final class Missing {
    static native int nothing();
  }

  @Test
  void register_firstNameThatLoads_bindsTheNativeMethods() {
    assertThat(DirectMapping.register(LibC.class, "libappctools-none.so.9", "libc.so.6")).isTrue();

    assertThat((long) LibC.getpid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void setLibraryPath_keepsTheUsersAndSetsTheUsualOtherwise() {
    String before = System.getProperty(DirectMapping.PLATFORM_PATH);
    try {
      System.setProperty(DirectMapping.PLATFORM_PATH, "/opt/mine");
      DirectMapping.setLibraryPath();
      assertThat(System.getProperty(DirectMapping.PLATFORM_PATH)).isEqualTo("/opt/mine");
      System.clearProperty(DirectMapping.PLATFORM_PATH);
      DirectMapping.setLibraryPath();
      assertThat(System.getProperty(DirectMapping.PLATFORM_PATH)).contains("/usr/lib:/lib");
    } finally {
      if (before == null) {
        System.clearProperty(DirectMapping.PLATFORM_PATH);
      } else {
        System.setProperty(DirectMapping.PLATFORM_PATH, before);
      }
    }
  }

  @Test
  void register_noNameLoads_false() {
    assertThat(DirectMapping.register(Missing.class, "libappctools-none.so.9", "appctools-none")).isFalse();
  }
}
