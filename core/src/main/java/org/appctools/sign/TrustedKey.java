package org.appctools.sign;

import java.nio.file.Path;
import java.util.List;
import org.appctools.schema.types.AcIdentifier;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * A public key in the trust store.
 *
 * @param fingerprint the primary key's fingerprint, lowercase hex (also the file name)
 * @param userIds the primary key's user IDs
 * @param prefix the image-name prefix it is trusted for, or null for a root key (trusted for
 *     every name)
 * @param where the system or the local (user's) directory
 * @param path the file holding the armored key
 * @param keyRing the key itself
 */
public record TrustedKey(
    String fingerprint,
    List<String> userIds,
    AcIdentifier prefix,
    Where where,
    Path path,
    PGPPublicKeyRing keyRing) {
  /** Which of the store's two directories holds the key. */
  public enum Where {
    SYSTEM,
    LOCAL
  }

  public TrustedKey {
    userIds = List.copyOf(userIds);
  }

  public boolean isRoot() {
    return prefix == null;
  }

  /** {@code prefix example.com/app} or {@code root}. */
  public String scope() {
    return prefix == null ? "root" : "prefix " + prefix;
  }
}
