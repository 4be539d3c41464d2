package org.appctools.discovery;

import java.net.URI;
import java.util.List;

/** The {@code ac-discovery-pubkeys} of the first page (walking up the name) that had any, and the pages tried before it. */
public record PublicKeys(List<URI> keys, List<Attempt> attempts) {
  public PublicKeys {
    keys = List.copyOf(keys);
    attempts = List.copyOf(attempts);
  }
}
