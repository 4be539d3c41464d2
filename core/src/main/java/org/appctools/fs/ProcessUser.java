package org.appctools.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process runs as, for the defaults that differ for root (system-wide directories, ownership kept). */
public final class ProcessUser {
  private ProcessUser() {}

  /**
   * Whether this process runs as root: the owner of {@code /proc/self} is the process's UID; where
   * there is no {@code /proc} (or no unix attribute view), the {@code user.name} property decides.
   */
  public static boolean isRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue() == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
