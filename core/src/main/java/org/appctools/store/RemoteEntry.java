package org.appctools.store;

import java.time.Instant;
import java.util.Objects;
import org.appctools.schema.types.ImageId;

/**
 * What was downloaded from a URL, for HTTP caching by fetch.
 *
 * @param url the URL the image was downloaded from
 * @param imageId the image it gave
 * @param etag the response's {@code ETag}, or null
 * @param downloaded when it was downloaded
 * @param expires until when it may be used without asking again ({@code Cache-Control:
 *     max-age}), or null
 */
public record RemoteEntry(String url, ImageId imageId, String etag, Instant downloaded,
    Instant expires) {
  public RemoteEntry {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(downloaded, "downloaded");
  }
}
