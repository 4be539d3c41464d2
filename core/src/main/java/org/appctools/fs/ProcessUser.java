package org.appctools.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Who this process runs as, for the defaults that differ for root (system-wide directories, ownership kept). */
public final class ProcessUser {
  private ProcessUser() {}

  /**
   * This process's UID: the owner of {@code /proc/self}; empty where there is no {@code /proc} or
   * no unix attribute view (the JDK has no other way to ask).
   */
  public static OptionalLong uid() {
    try {
      return OptionalLong.of(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * Whether this process runs as root ({@link #uid()} 0); where the UID cannot be read, the {@code
   * user.name} property decides.
   */
  public static boolean isRoot() {
    OptionalLong uid = uid();
    return uid.isPresent() ? uid.getAsLong() == 0 : "root".equals(System.getProperty("user.name"));
  }
}
