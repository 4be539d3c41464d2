package org.appctools.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.schema.types.AcIdentifier;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks a detached signature (armored or binary) over a file against the keys a {@link
 * TrustStore} trusts for an image name. Every failure is a {@link SignatureException} whose
 * message says what happened and what to do.
 */
public final class Verifier {
  private Verifier() {}

  public static Verified verify(Path file, Path signature, AcIdentifier imageName, TrustStore store)
      throws AppcException {
    if (!Files.exists(signature)) {
      throw new SignatureException(
          "unsigned image: " + signature + " not found (sign it with actool sign, or fetch its .asc)");
    }
    if (!Files.isRegularFile(file)) {
      throw new AppcException("verify: file not found: " + file);
    }
    List<PGPSignature> sigs = readSignatures(signature);
    SignatureException first = null;
    for (PGPSignature sig : sigs) {
      try {
        return verifyOne(file, signature, sig, imageName, store);
      } catch (SignatureException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    throw first;
  }

  private static List<PGPSignature> readSignatures(Path signature) throws AppcException {
    List<PGPSignature> sigs = new ArrayList<>();
    try {
      collect(Pgp.objects(Files.readAllBytes(signature)), sigs);
    } catch (IOException | PGPException | RuntimeException e) {
      throw new SignatureException(
          "not a signature: " + signature + " is not an OpenPGP signature (" + e.getMessage()
              + "); expected the .asc that actool sign or gpg --detach-sign writes", e);
    }
    if (sigs.isEmpty()) {
      throw new SignatureException(
          "not a signature: " + signature + " holds no OpenPGP signature; expected the .asc that actool sign or gpg --detach-sign writes");
    }
    return sigs;
  }

  private static void collect(List<Object> objects, List<PGPSignature> out) throws IOException, PGPException {
    for (Object o : objects) {
      if (o instanceof PGPSignatureList list) {
        for (PGPSignature s : list) {
          out.add(s);
        }
      } else if (o instanceof PGPCompressedData c) {
        List<Object> inner = new ArrayList<>();
        org.bouncycastle.openpgp.bc.BcPGPObjectFactory f = new org.bouncycastle.openpgp.bc.BcPGPObjectFactory(c.getDataStream());
        Object x;
        while ((x = f.nextObject()) != null) {
          inner.add(x);
        }
        collect(inner, out);
      }
    }
  }

  private static Verified verifyOne(
      Path file, Path signature, PGPSignature sig, AcIdentifier name, TrustStore store) throws AppcException {
    if (!Pgp.canSignByAlgorithm(sig.getKeyAlgorithm())) {
      throw new SignatureException(
          "unsupported algorithm: " + signature + " was made with public-key algorithm " + keyAlgorithmName(sig.getKeyAlgorithm())
              + ", which is not accepted; ask the publisher to sign with an RSA, Ed25519 or ECDSA key");
    }
    if (!acceptedHash(sig.getHashAlgorithm())) {
      throw new SignatureException(
          "unsupported algorithm: " + signature + " uses the digest " + hashName(sig.getHashAlgorithm())
              + ", which is not accepted; ask the publisher to sign again with SHA-256 or SHA-512");
    }
    if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT && sig.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
      throw new SignatureException(
          "not a signature: " + signature + " is a key signature (type " + sig.getSignatureType()
              + "), not a signature over a file; expected the .asc that actool sign or gpg --detach-sign writes");
    }
    long keyId = issuer(sig);
    TrustedKey trusted = null;
    for (TrustedKey k : store.keysFor(name)) {
      if (k.keyRing().getPublicKey(keyId) != null) {
        trusted = k;
        break;
      }
    }
    if (trusted == null) {
      throw notTrusted(signature, keyId, name, store);
    }
    PGPPublicKeyRing ring = trusted.keyRing();
    PGPPublicKey primary = ring.getPublicKey();
    PGPPublicKey signer = ring.getPublicKey(keyId);
    String who = Pgp.describe(primary);
    Pgp.Revocation rev = Pgp.revocation(primary, primary);
    if (rev == null && signer != primary) {
      rev = Pgp.revocation(primary, signer);
    }
    if (rev != null) {
      throw new SignatureException(
          "revoked key: " + signature + " was made by key " + who + ", which its owner revoked on " + rev.when()
              + (rev.reason().isEmpty() ? "" : " (" + rev.reason() + ")")
              + "; do not use this image; get the publisher's new key and remove this one: actool trust remove "
              + trusted.fingerprint() + (trusted.prefix() == null ? " --root" : " --prefix " + trusted.prefix()));
    }
    Instant now = Instant.now();
    Instant expiry = Pgp.expiry(primary, signer);
    if (expiry != null && !expiry.isAfter(now)) {
      throw new SignatureException(
          "expired key: " + signature + " was made by key " + who + ", which expired on " + expiry
              + "; ask the publisher for a renewed key (gpg --quick-set-expire) or a new signature, and trust the renewed key: actool trust --prefix "
              + name + " <keyfile>");
    }
    boolean good;
    try (InputStream in = Files.newInputStream(file)) {
      sig.init(new BcPGPContentVerifierBuilderProvider(), signer);
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        sig.update(buf, 0, n);
      }
      good = sig.verify();
    } catch (NoSuchFileException e) {
      throw new AppcException("verify: file not found: " + file);
    } catch (IOException e) {
      throw new AppcException("verify: cannot read " + file + ": " + e.getMessage(), e);
    } catch (PGPException | RuntimeException e) {
      good = false;
    }
    if (!good) {
      throw new SignatureException(
          "bad signature: " + signature + " does not match " + file
              + " (the file was changed after it was signed, or the signature is for another file); do not use it: fetch the image and its signature again");
    }
    return new Verified(trusted.fingerprint(), trusted.userIds(), sig.getCreationTime().toInstant(), trusted.path());
  }

  private static SignatureException notTrusted(Path signature, long keyId, AcIdentifier name, TrustStore store)
      throws AppcException {
    List<String> scopes = new ArrayList<>();
    String who = null;
    for (TrustedKey k : store.list()) {
      if (k.keyRing().getPublicKey(keyId) != null) {
        scopes.add(k.scope());
        who = Pgp.describe(k.keyRing().getPublicKey());
      }
    }
    if (who != null) {
      return new SignatureException(
          "key not trusted for " + name + ": " + signature + " was made by key " + who + ", which is trusted only for "
              + String.join(", ", scopes) + "; if this publisher may sign " + name + ", trust the key for it: actool trust --prefix "
              + name + " <keyfile>");
    }
    return new SignatureException(
        "unknown key: " + signature + " was made by key ID " + Pgp.keyId(keyId)
            + ", which is not in the trust store; get the publisher's public key, check its fingerprint with them, then trust it: actool trust --prefix "
            + name + " <keyfile>");
  }

  private static long issuer(PGPSignature sig) {
    long id = sig.getKeyID();
    if (id == 0 && sig.getHashedSubPackets() != null && sig.getHashedSubPackets().getIssuerFingerprint() != null) {
      byte[] fp = sig.getHashedSubPackets().getIssuerFingerprint().getFingerprint();
      for (int i = fp.length - 8; i < fp.length; i++) {
        id = (id << 8) | (fp[i] & 0xff);
      }
    }
    return id;
  }

  private static boolean acceptedHash(int hash) {
    return switch (hash) {
      case HashAlgorithmTags.SHA1,
          HashAlgorithmTags.SHA224,
          HashAlgorithmTags.SHA256,
          HashAlgorithmTags.SHA384,
          HashAlgorithmTags.SHA512,
          HashAlgorithmTags.SHA3_256,
          HashAlgorithmTags.SHA3_512 -> true;
      default -> false;
    };
  }

  private static String hashName(int hash) {
    return switch (hash) {
      case HashAlgorithmTags.MD5 -> "MD5";
      case HashAlgorithmTags.MD2 -> "MD2";
      case HashAlgorithmTags.RIPEMD160 -> "RIPEMD-160";
      default -> "number " + hash;
    };
  }

  private static String keyAlgorithmName(int alg) {
    return switch (alg) {
      case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, PublicKeyAlgorithmTags.ELGAMAL_GENERAL -> "Elgamal (" + alg + ")";
      case PublicKeyAlgorithmTags.RSA_ENCRYPT -> "RSA encrypt-only (2)";
      case PublicKeyAlgorithmTags.ECDH -> "ECDH (18)";
      case PublicKeyAlgorithmTags.X25519 -> "X25519 (25)";
      case PublicKeyAlgorithmTags.X448 -> "X448 (26)";
      default -> "number " + alg;
    };
  }
}
