package org.appctools.docker;

import java.util.Locale;
import org.appctools.AppcException;
import org.appctools.docker.json.PlatformTemplate;

/**
 * The platform to take from a multi-platform image (an OCI image index or a Docker manifest
 * list), in Docker's terms: {@code os}, {@code architecture} and an optional variant.
 */
public record Platform(String os, String architecture, String variant) {
  public Platform {
    os = os == null ? "" : os;
    architecture = architecture == null ? "" : architecture;
    variant = variant == null ? "" : variant;
  }

  /**
   * The platform of {@code --os} and {@code --arch}: Docker's names ({@code amd64}, {@code
   * arm64}, {@code arm/v7}, {@code 386}) or appc's ({@code aarch64}, {@code armv7l}, {@code
   * i386}, {@code x86_64}). A null os or arch is this machine's.
   */
  public static Platform of(String os, String arch) throws AppcException {
    String o = os == null || os.isEmpty() ? "linux" : os.toLowerCase(Locale.ROOT);
    String a = arch == null || arch.isEmpty() ? hostArchitecture()
        : arch.toLowerCase(Locale.ROOT);
    String variant = "";
    int slash = a.indexOf('/');
    if (slash >= 0) {
      variant = a.substring(slash + 1);
      a = a.substring(0, slash);
    }
    switch (a) {
      case "x86_64" -> a = "amd64";
      case "aarch64" -> a = "arm64";
      case "i386", "i686" -> a = "386";
      case "armv7l" -> {
        a = "arm";
        variant = "v7";
      }
      case "armv6l" -> {
        a = "arm";
        variant = "v6";
      }
      default -> { }
    }
    if (a.isEmpty() || o.contains("/")) {
      throw new AppcException("invalid platform " + o + "/" + a + " (give --os like linux and "
          + "--arch like amd64, arm64 or arm/v7)");
    }
    return new Platform(o, a, variant);
  }

  private static String hostArchitecture() {
    String a = System.getProperty("os.arch", "amd64");
    return a.equals("x86_64") ? "amd64" : a;
  }

  /** Whether an index entry's platform is this one (no variant asked: any variant). */
  boolean matches(PlatformTemplate p) {
    return p != null && os.equals(p.os()) && architecture.equals(p.architecture())
        && (variant.isEmpty() || variant.equals(p.variant() == null ? "" : p.variant())
            || (architecture.equals("arm64") && variant.equals("v8")
                && (p.variant() == null || p.variant().isEmpty())));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
