package org.appctools.docker;

import java.util.LinkedHashMap;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.docker.json.PlatformTemplate;

/**
 * Docker/OCI platforms (Go's GOOS, GOARCH and the variant) in appc's terms, as appc's {@code
 * types.ToAppcOSArch} translates them ({@code 386} is {@code i386}, {@code arm64} is {@code
 * aarch64}, {@code arm} is {@code armv6l} or, with variant {@code v7}, {@code armv7l}). The Go
 * docker2aci ignores the variant and so makes every 32-bit ARM image {@code armv6l}.
 */
public final class Platforms {
  /** An appc {@code os} and {@code arch} label pair. */
  public record AppcPlatform(String os, String arch) {}

  private static final Map<String, AppcPlatform> TABLE = table();
  /** appc {@code os/arch} to the Docker platform export writes: the inverse of {@link #TABLE}. */
  private static final Map<String, String> INVERSE = Map.ofEntries(
      Map.entry("linux/amd64", "linux/amd64"),
      Map.entry("linux/i386", "linux/386"),
      Map.entry("linux/aarch64", "linux/arm64"),
      Map.entry("linux/armv6l", "linux/arm/v6"),
      Map.entry("linux/armv7l", "linux/arm/v7"),
      Map.entry("linux/ppc64", "linux/ppc64"),
      Map.entry("linux/ppc64le", "linux/ppc64le"),
      Map.entry("linux/s390x", "linux/s390x"),
      Map.entry("freebsd/amd64", "freebsd/amd64"),
      Map.entry("freebsd/i386", "freebsd/386"),
      Map.entry("freebsd/arm", "freebsd/arm"),
      Map.entry("darwin/x86_64", "darwin/amd64"),
      Map.entry("darwin/i386", "darwin/386"));

  private Platforms() {}

  private static Map<String, AppcPlatform> table() {
    Map<String, AppcPlatform> m = new LinkedHashMap<>();
    put(m, "linux/amd64", "linux", "amd64");
    put(m, "linux/386", "linux", "i386");
    put(m, "linux/arm64", "linux", "aarch64");
    put(m, "linux/arm64/v8", "linux", "aarch64");
    put(m, "linux/arm", "linux", "armv6l");
    put(m, "linux/arm/v6", "linux", "armv6l");
    put(m, "linux/arm/v7", "linux", "armv7l");
    put(m, "linux/ppc64", "linux", "ppc64");
    put(m, "linux/ppc64le", "linux", "ppc64le");
    put(m, "linux/s390x", "linux", "s390x");
    put(m, "freebsd/amd64", "freebsd", "amd64");
    put(m, "freebsd/386", "freebsd", "i386");
    put(m, "freebsd/arm", "freebsd", "arm");
    put(m, "freebsd/arm/v5", "freebsd", "arm");
    put(m, "freebsd/arm/v6", "freebsd", "arm");
    put(m, "freebsd/arm/v7", "freebsd", "arm");
    put(m, "darwin/amd64", "darwin", "x86_64");
    put(m, "darwin/386", "darwin", "i386");
    return m;
  }

  private static void put(Map<String, AppcPlatform> m, String key, String os, String arch) {
    m.put(key, new AppcPlatform(os, arch));
  }

  /**
   * The appc labels of a Docker platform. {@code variant} may be null or empty. A platform appc
   * has no name for fails, listing the ones it has.
   */
  public static AppcPlatform toAppc(String os, String arch, String variant) throws AppcException {
    String base = os + "/" + arch;
    AppcPlatform p = variant == null || variant.isEmpty() ? TABLE.get(base)
        : TABLE.getOrDefault(base + "/" + variant, TABLE.get(base));
    if (p == null) {
      throw new AppcException("image platform " + base
          + (variant == null || variant.isEmpty() ? "" : "/" + variant)
          + " has no appc os/arch labels (appc knows " + String.join(", ", TABLE.keySet()) + ")");
    }
    return p;
  }

  /**
   * The Docker/OCI platform of appc {@code os} and {@code arch} labels, the inverse of {@link
   * #toAppc}: {@code aarch64} is {@code arm64}, {@code armv7l} is {@code arm} variant {@code v7},
   * {@code i386} is {@code 386}. A pair appc's table does not have fails, listing the ones it has.
   */
  public static PlatformTemplate toDocker(String os, String arch) throws AppcException {
    String docker = INVERSE.get(os + "/" + arch);
    if (docker == null) {
      throw new AppcException("appc platform os " + os + ", arch " + arch + " has no Docker "
          + "platform (known: " + String.join(", ", new java.util.TreeSet<>(INVERSE.keySet())) + ")");
    }
    String[] p = docker.split("/");
    return new PlatformTemplate(p[1], p[0], p.length > 2 ? p[2] : null, null);
  }
}
