package org.appctools;

import org.junit.jupiter.api.Assumptions;

/** The precondition of the tests of a system library that .ci/fixtures.sh packages installs. */
public final class SystemLibraries {
  private SystemLibraries() {}

  /**
   * Skips the calling test when {@code library} did not load ({@code loaded} false) on a
   * developer's machine, and fails it in CI (environment variable CI=true), where the fixtures
   * script installed it.
   */
  public static void require(boolean loaded, String library) {
    String message = library + " did not load: run .ci/fixtures.sh packages";
    if (!loaded && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.assumeTrue(loaded, message);
  }
}
