package org.appctools.discovery;

import java.net.URI;
import java.util.List;

/**
 * What image discovery found: the image endpoints of the first page (walking up the name) that
 * had any, the {@code ac-discovery-pubkeys} of that same page, and the pages tried before it.
 */
public record Endpoints(List<ImageEndpoint> images, List<URI> publicKeys, List<Attempt> attempts) {
  public Endpoints {
    images = List.copyOf(images);
    publicKeys = List.copyOf(publicKeys);
    attempts = List.copyOf(attempts);
  }
}
