package org.appctools.cli.actool;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** rkt's {@code --insecure-options} of fetch and run: which security checks to skip when getting images. */
final class InsecureOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--insecure-options", paramLabel = "OPTS", split = ",",
      description = "Security checks to skip, comma-separated: none, http (allow plain HTTP), tls (skip TLS verification), "
          + "image (store without a trusted signature), all-fetch, all")
  List<String> values = new ArrayList<>();

  /** The checks skipped, among http, tls, image and pubkey. */
  Set<String> skipped() {
    Set<String> out = new LinkedHashSet<>();
    for (String o : values) {
      String v = o.trim().toLowerCase(Locale.ROOT);
      switch (v) {
        case "none", "" -> { }
        case "http", "tls", "image", "pubkey" -> out.add(v);
        case "all-fetch", "all" -> out.addAll(List.of("http", "tls", "image", "pubkey"));
        default -> throw new ParameterException(spec.commandLine(), "invalid value \"" + o
            + "\" for --insecure-options (use none, http, tls, image, pubkey, all-fetch or all)");
      }
    }
    return out;
  }

  /**
   * The skipped checks, with {@code http} and {@code tls} also set on the HTTP flags (they are the
   * same switches as --insecure-allow-http and --insecure-skip-tls-verify).
   */
  Set<String> applyTo(HttpFlags http) {
    Set<String> skipped = skipped();
    http.allowHttp |= skipped.contains("http");
    http.skipTlsVerify |= skipped.contains("tls");
    return skipped;
  }
}
