package org.appctools.docker;

import java.io.IOException;
import java.io.InputStream;

/**
 * One layer of an image: a tar, gzip-, zstd- or uncompressed (told by its first bytes), that can
 * be opened more than once.
 *
 * @param digest the digest of the bytes {@link #opener} gives ({@code sha256:...}), verified as
 *     they are read; empty when the source gives none (docker save archives)
 * @param diffId the digest of the uncompressed tar, verified as it is read; empty when not
 *     checked (registries and OCI layouts, whose blob digest covers the bytes already, and the old
 *     docker save layout, which has none)
 * @param size the size of the bytes (checked as they are read), or -1 when unknown
 * @param opener opens the bytes from the start
 */
public record LayerBlob(String digest, String diffId, long size, Opener opener) {
  /** Opens a blob's bytes. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  public LayerBlob {
    digest = digest == null ? "" : digest;
    diffId = diffId == null ? "" : diffId;
  }

  /** The layer in messages: its digest, else its diff ID, else "(no digest)". */
  public String describe() {
    return !digest.isEmpty() ? digest : !diffId.isEmpty() ? diffId : "(no digest)";
  }
}
