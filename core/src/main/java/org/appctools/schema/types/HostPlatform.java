package org.appctools.schema.types;

/** An appc {@code os} and {@code arch} label pair: what discovery and fetch look for. */
public record HostPlatform(String os, String arch) {
  /** This JVM's platform in appc's terms ({@code linux}/{@code amd64}, not Java's {@code Linux}/{@code x86_64}). */
  public static HostPlatform current() {
    String os = Labels.appcOs(System.getProperty("os.name", ""));
    return new HostPlatform(os, Labels.appcArch(System.getProperty("os.arch", ""), os));
  }
}
