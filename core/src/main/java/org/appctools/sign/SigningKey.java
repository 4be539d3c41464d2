package org.appctools.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.bouncycastle.bcpg.SecretKeyPacket;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.operator.PBESecretKeyDecryptor;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An unlocked OpenPGP secret key that can sign: the private key, its public key and the primary
 * key it belongs to (whose fingerprint and user IDs name the signer).
 */
public final class SigningKey {
  private final PGPPrivateKey privateKey;
  private final PGPPublicKey publicKey;
  private final PGPPublicKey primaryKey;

  private SigningKey(PGPPrivateKey privateKey, PGPPublicKey publicKey, PGPPublicKey primaryKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.primaryKey = primaryKey;
  }

  /**
   * Loads a signing key from an armored or binary secret key file or keyring.
   *
   * @param keyFile the file ({@code gpg --export-secret-keys}, armored or not), or null for the
   *     user's GnuPG home read directly ({@code $GNUPGHOME} or {@code ~/.gnupg})
   * @param keyIdOrFingerprint null for the first signing-capable key, else a key id or
   *     fingerprint (or a suffix of one), any case, spaces and {@code 0x} allowed; a primary key
   *     that cannot sign selects the first signing subkey of its ring
   * @param passphrase null when the key is not protected
   */
  public static SigningKey load(Path keyFile, String keyIdOrFingerprint, char[] passphrase)
      throws AppcException {
    if (keyFile == null) {
      return new GnupgHome(GnupgHome.defaultDir()).signingKey(keyIdOrFingerprint, passphrase);
    }
    List<PGPSecretKeyRing> rings = readSecretRings(keyFile);
    if (rings.isEmpty()) {
      throw new AppcException("no secret key in " + keyFile);
    }
    PGPSecretKey chosen = null;
    PGPSecretKey primary = null;
    if (keyIdOrFingerprint == null) {
      outer:
      for (PGPSecretKeyRing ring : rings) {
        for (PGPSecretKey k : ring) {
          if (usable(k)) {
            chosen = k;
            primary = ring.getSecretKey();
            break outer;
          }
        }
      }
      if (chosen == null) {
        throw new AppcException("no secret key that can sign in " + keyFile + " (it holds: " + holds(rings) + ")");
      }
    } else {
      String want = Pgp.normalizeHex(keyIdOrFingerprint);
      outer:
      for (PGPSecretKeyRing ring : rings) {
        for (PGPSecretKey k : ring) {
          if (!want.isEmpty() && Pgp.fingerprint(k.getPublicKey()).endsWith(want)) {
            primary = ring.getSecretKey();
            chosen = usable(k) ? k : firstUsable(ring);
            if (chosen == null) {
              throw new AppcException(
                  "key " + keyIdOrFingerprint + " in " + keyFile + " cannot sign (no signing key with its secret part in that ring)");
            }
            break outer;
          }
        }
      }
      if (chosen == null) {
        throw new AppcException(
            "key " + keyIdOrFingerprint + " not found in " + keyFile + " (it holds: " + holds(rings) + ")");
      }
    }
    checkValid(primary.getPublicKey(), chosen.getPublicKey());
    return new SigningKey(unlock(chosen, passphrase), chosen.getPublicKey(), primary.getPublicKey());
  }

  /** Refuses a revoked or expired key: what it signed would not verify. */
  static void checkValid(PGPPublicKey primary, PGPPublicKey key) throws AppcException {
    String who = Pgp.describe(primary);
    Pgp.Revocation rev = Pgp.revocation(primary, primary);
    if (rev == null && key != primary) {
      rev = Pgp.revocation(primary, key);
    }
    if (rev != null) {
      throw new AppcException("the key " + who + " was revoked on " + rev.when() + ": sign with another key");
    }
    Instant expiry = Pgp.expiry(primary, key);
    if (expiry != null && !expiry.isAfter(Instant.now())) {
      throw new AppcException(
          "the key " + who + " expired on " + expiry + ": renew it (gpg --quick-set-expire " + Pgp.fingerprint(primary)
              + " 1y), export it again and publish the renewed public key");
    }
  }

  static SigningKey of(PGPPrivateKey privateKey, PGPPublicKey publicKey, PGPPublicKey primaryKey) {
    return new SigningKey(privateKey, publicKey, primaryKey);
  }

  static List<PGPSecretKeyRing> readSecretRings(Path keyFile) throws AppcException {
    try {
      return Pgp.secretRings(Files.readAllBytes(keyFile));
    } catch (NoSuchFileException e) {
      throw new AppcException("key file not found: " + keyFile);
    } catch (IOException e) {
      throw new AppcException("cannot read the key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** The private part of a secret key, unlocked with the passphrase if it is protected. */
  static PGPPrivateKey unlock(PGPSecretKey key, char[] passphrase) throws AppcException {
    String id = Pgp.keyId(key.getKeyID());
    boolean protectedKey = key.getS2KUsage() != SecretKeyPacket.USAGE_NONE;
    if (protectedKey && passphrase == null) {
      throw new AppcException("the secret key " + id + " is protected: give --passphrase-file");
    }
    try {
      PBESecretKeyDecryptor decryptor =
          protectedKey
              ? new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase)
              : null;
      PGPPrivateKey priv = key.extractPrivateKey(decryptor);
      if (priv == null) {
        throw new AppcException("the secret key " + id + " has no private part (a stub: the key lives on a card or elsewhere)");
      }
      return priv;
    } catch (PGPException e) {
      throw new AppcException("wrong passphrase for " + id, e);
    }
  }

  private static boolean usable(PGPSecretKey k) {
    return !k.isPrivateKeyEmpty() && Pgp.canSign(k.getPublicKey());
  }

  private static PGPSecretKey firstUsable(PGPSecretKeyRing ring) {
    for (PGPSecretKey k : ring) {
      if (usable(k)) {
        return k;
      }
    }
    return null;
  }

  private static String holds(List<PGPSecretKeyRing> rings) {
    List<String> names = new ArrayList<>();
    for (PGPSecretKeyRing ring : rings) {
      names.add(Pgp.describe(ring.getPublicKey()));
    }
    return String.join("; ", names);
  }

  PGPPrivateKey privateKey() {
    return privateKey;
  }

  PGPPublicKey publicKey() {
    return publicKey;
  }

  /**
   * The public key to publish, ASCII-armored: the primary key with its user IDs and, when
   * another key signs, that signing subkey with its binding, as {@code gpg --armor --export}
   * gives them; what {@link TrustStore#trust} and {@code gpg --import} read.
   */
  public byte[] armoredPublicKey() throws AppcException {
    List<PGPPublicKey> keys = new ArrayList<>(List.of(primaryKey));
    if (publicKey.getKeyID() != primaryKey.getKeyID()) {
      keys.add(publicKey);
    }
    try {
      return Pgp.armor(new org.bouncycastle.openpgp.PGPPublicKeyRing(keys));
    } catch (IOException e) {
      throw new AppcException("cannot encode the public key " + fingerprint() + ": "
          + e.getMessage(), e);
    }
  }

  /** The primary key's fingerprint, lowercase hex: the name under which the key is trusted. */
  public String fingerprint() {
    return Pgp.fingerprint(primaryKey);
  }

  /** The id of the (sub)key that signs, 16 uppercase hex digits. */
  public String keyId() {
    return Pgp.keyId(publicKey.getKeyID());
  }

  public List<String> userIds() {
    return Pgp.userIds(primaryKey);
  }

  @Override
  public String toString() {
    return Pgp.describe(primaryKey);
  }
}
