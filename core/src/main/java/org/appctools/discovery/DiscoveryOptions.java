package org.appctools.discovery;

/**
 * How discovery looks pages up.
 *
 * @param insecure when the HTTPS page fails or is not 200, try plain HTTP too (Go's {@code
 *     InsecureHTTP}); the {@link org.appctools.http.Http} given must then allow plain HTTP
 * @param port the port to connect to instead of 443 (and 80), or null (Go's {@code --port})
 */
public record DiscoveryOptions(boolean insecure, Integer port) {
  public DiscoveryOptions {
    if (port != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("port must be 1 to 65535 (given " + port + ")");
    }
  }

  /** HTTPS only, default ports. */
  public static DiscoveryOptions defaults() {
    return new DiscoveryOptions(false, null);
  }
}
