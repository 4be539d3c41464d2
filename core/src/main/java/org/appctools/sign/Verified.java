package org.appctools.sign;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A good signature by a trusted key.
 *
 * @param fingerprint the signer's primary key fingerprint, lowercase hex
 * @param userIds the signer's user IDs
 * @param signedAt the signature's creation time
 * @param keyPath the trust store file holding the key
 */
public record Verified(String fingerprint, List<String> userIds, Instant signedAt, Path keyPath) {
  public Verified {
    userIds = List.copyOf(userIds);
  }
}
