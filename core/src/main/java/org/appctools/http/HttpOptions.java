package org.appctools.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to talk HTTP(S): TLS trust, plain-HTTP permission, timeouts, credentials.
 *
 * @param insecureSkipTlsVerify accept any server certificate, for any host name
 * @param allowHttp allow plain {@code http://} requests (and redirects to them); credentials are
 *     then sent over plain HTTP too
 * @param caFile PEM certificates trusted in addition to the JDK's, or null
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout how long to wait for the response headers, and for each further piece of the
 *     body: a stalled read fails after this
 * @param authDirs {@code auth.d} directories in rkt's format, later ones overriding earlier ones
 *     per domain; missing directories are skipped
 */
public record HttpOptions(
    boolean insecureSkipTlsVerify, boolean allowHttp, Path caFile, Duration connectTimeout, Duration readTimeout, List<Path> authDirs) {
  public HttpOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive (connect " + connectTimeout + ", read " + readTimeout + ")");
    }
    authDirs = List.copyOf(authDirs);
  }

  /**
   * 10 s to connect, 60 s for a stalled read, the JDK's trust, HTTPS only, and the credentials of
   * {@code /etc/appctools/auth.d} overridden by {@code $XDG_CONFIG_HOME/appctools/auth.d}
   * ({@code ~/.config/appctools/auth.d} when the variable is unset).
   */
  public static HttpOptions defaults() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path config = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".config");
    return new HttpOptions(false, false, null, Duration.ofSeconds(10), Duration.ofSeconds(60),
        List.of(Path.of("/etc/appctools/auth.d"), config.resolve("appctools").resolve("auth.d")));
  }

  public HttpOptions withInsecureSkipTlsVerify(boolean value) {
    return new HttpOptions(value, allowHttp, caFile, connectTimeout, readTimeout, authDirs);
  }

  public HttpOptions withAllowHttp(boolean value) {
    return new HttpOptions(insecureSkipTlsVerify, value, caFile, connectTimeout, readTimeout, authDirs);
  }

  public HttpOptions withCaFile(Path value) {
    return new HttpOptions(insecureSkipTlsVerify, allowHttp, value, connectTimeout, readTimeout, authDirs);
  }

  public HttpOptions withConnectTimeout(Duration value) {
    return new HttpOptions(insecureSkipTlsVerify, allowHttp, caFile, value, readTimeout, authDirs);
  }

  public HttpOptions withReadTimeout(Duration value) {
    return new HttpOptions(insecureSkipTlsVerify, allowHttp, caFile, connectTimeout, value, authDirs);
  }

  public HttpOptions withAuthDirs(List<Path> value) {
    return new HttpOptions(insecureSkipTlsVerify, allowHttp, caFile, connectTimeout, readTimeout, value);
  }
}
