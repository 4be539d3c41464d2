package org.appctools.cli.actool;

import org.appctools.discovery.DiscoveryOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The discovery flags of the commands that discover (discover, trust, fetch): the port, as Go's actool discover. */
final class DiscoveryFlags {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port to connect to when performing discovery (default 443, and 80 for plain HTTP)")
  Integer port;

  /** Insecure (plain-HTTP fallback) exactly when the HTTP flags allow plain HTTP. */
  DiscoveryOptions options(HttpFlags http) {
    if (port != null && (port < 1 || port > 65535)) {
      throw new ParameterException(spec.commandLine(), "--port must be 1 to 65535 (given " + port + ")");
    }
    return new DiscoveryOptions(http.allowHttp, port);
  }
}
