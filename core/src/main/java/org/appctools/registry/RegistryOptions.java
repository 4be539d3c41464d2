package org.appctools.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RegistryClient} reaches registries.
 *
 * @param insecureSkipVerify accept any TLS certificate (self-signed, expired, wrong host)
 * @param insecureAllowHttp talk plain HTTP to registries that have no HTTPS (never otherwise)
 * @param dockerConfigDir the directory of Docker's {@code config.json} (credentials and
 *     credential helpers), usually {@code ~/.docker}; null for none
 * @param timeout connect and per-request timeout
 * @param parallelDownloads how many blobs are downloaded at once
 * @param progress told how downloads advance (never null)
 */
public record RegistryOptions(
    boolean insecureSkipVerify,
    boolean insecureAllowHttp,
    Path dockerConfigDir,
    Duration timeout,
    int parallelDownloads,
    DownloadProgress progress) {
  public RegistryOptions {
    Objects.requireNonNull(timeout, "timeout");
    parallelDownloads = Math.max(1, parallelDownloads);
    progress = progress == null ? DownloadProgress.NONE : progress;
  }

  /** Verified TLS, no plain HTTP, no credentials, 60 s timeout, 4 parallel downloads. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(false, false, null, Duration.ofSeconds(60), 4, DownloadProgress.NONE);
  }
}
