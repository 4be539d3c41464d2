package org.appctools.discovery;

import java.net.URI;

/**
 * A discovery page that gave nothing, and why: {@code HTTP 404 Not Found}, {@code no matching
 * ac-discovery meta tag}, a TLS failure, a timeout.
 */
public record Attempt(URI url, String failure) {
  @Override
  public String toString() {
    return url + ": " + failure;
  }
}
