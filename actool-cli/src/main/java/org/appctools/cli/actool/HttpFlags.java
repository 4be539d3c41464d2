package org.appctools.cli.actool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.http.Http;
import org.appctools.http.HttpOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The HTTP flags of every command that talks to servers (discover, trust, fetch): plain HTTP,
 * TLS trust, the timeout and where credentials are read from.
 */
final class HttpFlags {
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = {"--insecure", "--insecure-allow-http"}, arity = "0..1", paramLabel = "true|false",
      description = "Allow plain HTTP: discovery tries http:// when https:// fails, http:// URLs may be fetched, "
          + "and credentials are then sent over plain HTTP too. TLS certificates are still checked")
  boolean allowHttp;

  @Option(names = "--insecure-skip-tls-verify", arity = "0..1", paramLabel = "true|false",
      description = "Accept any TLS certificate, for any host name")
  boolean skipTlsVerify;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "Also trust the CA certificates in this PEM file")
  Path caFile;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Give up connecting, or waiting for data, after DURATION (30s, 2m, 1m30s, 500ms, or seconds; "
          + "default 10s to connect and 60s for data)")
  String timeout;

  @Option(names = "--auth-dir", paramLabel = "DIR",
      description = "Read credentials (rkt's auth.d *.json files) from DIR alone (default: /etc/appctools/auth.d, "
          + "overridden per domain by $XDG_CONFIG_HOME/appctools/auth.d, else ~/.config/appctools/auth.d)")
  Path authDir;

  HttpOptions options() {
    HttpOptions o = HttpOptions.defaults()
        .withAllowHttp(allowHttp)
        .withInsecureSkipTlsVerify(skipTlsVerify)
        .withCaFile(caFile);
    if (timeout != null) {
      Duration d = parseDuration(timeout);
      if (d == null || d.isZero()) {
        throw new ParameterException(spec.commandLine(),
            "--timeout: \"" + timeout + "\" is not a positive duration (e.g. 30s, 2m, 1m30s, 500ms)");
      }
      o = o.withConnectTimeout(d).withReadTimeout(d);
    }
    return authDir == null ? o : o.withAuthDirs(List.of(authDir));
  }

  Http http() throws AppcException {
    return new Http(options());
  }

  /** Go's duration syntax with h, m, s and ms (1m30s, 1.5s), or a number of seconds; null if neither. */
  static Duration parseDuration(String s) {
    if (s.matches("\\d+")) {
      return Duration.ofSeconds(Long.parseLong(s));
    }
    Matcher m = DURATION_PART.matcher(s);
    long millis = 0;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      millis += Math.round(n * unit);
      at = m.end();
    }
    return at == s.length() && at > 0 ? Duration.ofMillis(millis) : null;
  }
}
