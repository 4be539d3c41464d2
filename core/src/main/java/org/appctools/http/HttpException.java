package org.appctools.http;

import java.net.URI;
import org.appctools.AppcException;

/**
 * A request that failed: no connection, a TLS failure, a timeout, a status other than 2xx, a body
 * over its size limit. The message is {@code GET URI: REASON[; FIX]}; callers that list several
 * attempts use {@link #reason()} and {@link #fix()} on their own.
 */
public final class HttpException extends AppcException {
  private final URI uri;
  private final String reason;
  private final String fix;
  private final int status;

  HttpException(URI uri, String reason, String fix, int status, Throwable cause) {
    super("GET " + uri + ": " + reason + (fix == null ? "" : "; " + fix), cause);
    this.uri = uri;
    this.reason = reason;
    this.fix = fix;
    this.status = status;
  }

  /** The URI of the request that failed (after redirects, the last one). */
  public URI uri() {
    return uri;
  }

  /** What went wrong, without the URI: {@code HTTP 404 Not Found}, {@code timed out after 60s reading}. */
  public String reason() {
    return reason;
  }

  /** What the user can do about it, or null. */
  public String fix() {
    return fix;
  }

  /** The HTTP status, or 0 when there was no response. */
  public int status() {
    return status;
  }
}
