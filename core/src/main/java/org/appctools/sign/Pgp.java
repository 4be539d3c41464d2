package org.appctools.sign;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.appctools.AppcException;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RevocationReason;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.util.encoders.Hex;

/** Shared OpenPGP helpers: parsing key material, naming keys, writing files atomically. */
final class Pgp {
  private Pgp() {}

  /** Every object at the top level of armored or binary OpenPGP data (all armor blocks). */
  static List<Object> objects(byte[] data) throws IOException {
    List<Object> out = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(data);
    // Armored input may hold several blocks one after the other; binary input is one stream.
    while (true) {
      in.mark(1);
      if (in.read() < 0) {
        break;
      }
      in.reset();
      InputStream decoded = PGPUtil.getDecoderStream(in);
      BcPGPObjectFactory factory = new BcPGPObjectFactory(decoded);
      int before = out.size();
      Object o;
      while ((o = factory.nextObject()) != null) {
        out.add(o);
      }
      if (decoded == in || out.size() == before) {
        break;
      }
    }
    return out;
  }

  static List<PGPPublicKeyRing> publicRings(byte[] data) throws IOException {
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    for (Object o : objects(data)) {
      if (o instanceof PGPPublicKeyRing r) {
        rings.add(r);
      }
    }
    return rings;
  }

  static List<PGPSecretKeyRing> secretRings(byte[] data) throws IOException {
    List<PGPSecretKeyRing> rings = new ArrayList<>();
    for (Object o : objects(data)) {
      if (o instanceof PGPSecretKeyRing r) {
        rings.add(r);
      }
    }
    return rings;
  }

  static String fingerprint(PGPPublicKey key) {
    return Hex.toHexString(key.getFingerprint()).toLowerCase(Locale.ROOT);
  }

  /** The 16-hex-digit key id, uppercase, as gpg shows it. */
  static String keyId(long id) {
    return String.format(Locale.ROOT, "%016X", id);
  }

  /** Fingerprint or key id as typed by a user: hex, any case, optional 0x and spaces. */
  static String normalizeHex(String s) {
    String n = s.replace(" ", "").toLowerCase(Locale.ROOT);
    return n.startsWith("0x") ? n.substring(2) : n;
  }

  static List<String> userIds(PGPPublicKey primary) {
    List<String> ids = new ArrayList<>();
    for (Iterator<String> it = primary.getUserIDs(); it.hasNext(); ) {
      ids.add(it.next());
    }
    return ids;
  }

  static String describe(PGPPublicKey primary) {
    List<String> ids = userIds(primary);
    return fingerprint(primary) + (ids.isEmpty() ? "" : " (" + String.join(", ", ids) + ")");
  }

  static boolean canSignByAlgorithm(int algorithm) {
    return switch (algorithm) {
      case PublicKeyAlgorithmTags.RSA_GENERAL,
          PublicKeyAlgorithmTags.RSA_SIGN,
          PublicKeyAlgorithmTags.DSA,
          PublicKeyAlgorithmTags.ECDSA,
          PublicKeyAlgorithmTags.EDDSA_LEGACY,
          PublicKeyAlgorithmTags.Ed25519,
          PublicKeyAlgorithmTags.Ed448 -> true;
      default -> false;
    };
  }

  /** Key flags from the key's self-signatures or binding signatures, or -1 if none say. */
  static int keyFlags(PGPPublicKey key) {
    int flags = -1;
    for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext(); ) {
      PGPSignature sig = it.next();
      if (sig.getHashedSubPackets() != null
          && sig.getHashedSubPackets().hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)) {
        flags = Math.max(flags, 0) | sig.getHashedSubPackets().getKeyFlags();
      }
    }
    return flags;
  }

  static boolean canSign(PGPPublicKey key) {
    if (!canSignByAlgorithm(key.getAlgorithm())) {
      return false;
    }
    int flags = keyFlags(key);
    return flags < 0 || (flags & KeyFlags.SIGN_DATA) != 0;
  }

  static boolean canEncrypt(PGPPublicKey key) {
    if (!key.isEncryptionKey()) {
      return false;
    }
    int flags = keyFlags(key);
    return flags < 0 || (flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0;
  }

  static byte[] armor(PGPPublicKeyRing ring) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(bytes)) {
      ring.encode(armored, true);
    }
    return bytes.toByteArray();
  }

  /** Carries an {@link AppcException} out of a {@link Writer}, which may throw only IO or PGP exceptions. */
  static final class Abort extends IOException {
    final AppcException reason;

    Abort(AppcException reason) {
      super(reason.getMessage(), reason);
      this.reason = reason;
    }
  }

  /** Writes a file by way of a temporary file beside it and a rename. */
  interface Writer {
    void write(OutputStream out) throws IOException, PGPException;
  }

  static void writeAtomically(Path target, String operation, Writer writer) throws AppcException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (Abort e) {
      throw e.reason;
    } catch (IOException | PGPException e) {
      throw new AppcException(operation + ": cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file is left behind; the target is untouched
        }
      }
    }
  }

  record Revocation(Instant when, String reason) {}

  /** A valid revocation of {@code key} (the primary itself or one of its subkeys), or null. */
  static Revocation revocation(PGPPublicKey primary, PGPPublicKey key) {
    int type = key == primary ? PGPSignature.KEY_REVOCATION : PGPSignature.SUBKEY_REVOCATION;
    for (Iterator<PGPSignature> it = key.getSignaturesOfType(type); it.hasNext(); ) {
      PGPSignature s = it.next();
      try {
        s.init(new BcPGPContentVerifierBuilderProvider(), primary);
        boolean ok = key == primary ? s.verifyCertification(primary) : s.verifyCertification(primary, key);
        if (ok) {
          String reason = "";
          PGPSignatureSubpacketVector h = s.getHashedSubPackets();
          if (h != null && h.getSubpacket(org.bouncycastle.bcpg.SignatureSubpacketTags.REVOCATION_REASON) instanceof RevocationReason r) {
            reason = r.getRevocationDescription() == null ? "" : r.getRevocationDescription().trim();
          }
          return new Revocation(s.getCreationTime().toInstant(), reason);
        }
      } catch (PGPException | RuntimeException e) {
        // an invalid revocation revokes nothing
      }
    }
    return null;
  }

  /** When the key expires according to its newest valid self or binding signature, or null if never. */
  private static Instant expiryOf(PGPPublicKey primary, PGPPublicKey key) {
    PGPSignature newest = null;
    for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext(); ) {
      PGPSignature s = it.next();
      if (s.getKeyID() != primary.getKeyID() || !selfSignatureType(key == primary, s.getSignatureType())) {
        continue;
      }
      if (newest != null && !s.getCreationTime().after(newest.getCreationTime())) {
        continue;
      }
      if (validSelfSignature(primary, key, s)) {
        newest = s;
      }
    }
    if (newest == null || newest.getHashedSubPackets() == null) {
      return null;
    }
    long seconds = newest.getHashedSubPackets().getKeyExpirationTime();
    if (seconds == 0) {
      return null;
    }
    return new Date(key.getCreationTime().getTime() + seconds * 1000).toInstant();
  }

  private static boolean selfSignatureType(boolean isPrimary, int type) {
    if (!isPrimary) {
      return type == PGPSignature.SUBKEY_BINDING;
    }
    return type == PGPSignature.DEFAULT_CERTIFICATION || type == PGPSignature.NO_CERTIFICATION
        || type == PGPSignature.CASUAL_CERTIFICATION || type == PGPSignature.POSITIVE_CERTIFICATION
        || type == PGPSignature.DIRECT_KEY;
  }

  private static boolean validSelfSignature(PGPPublicKey primary, PGPPublicKey key, PGPSignature s) {
    try {
      s.init(new BcPGPContentVerifierBuilderProvider(), primary);
      if (key != primary) {
        return s.verifyCertification(primary, key);
      }
      if (s.getSignatureType() == PGPSignature.DIRECT_KEY) {
        return s.verifyCertification(primary);
      }
      for (Iterator<String> ids = primary.getUserIDs(); ids.hasNext(); ) {
        String id = ids.next();
        for (Iterator<PGPSignature> sigs = primary.getSignaturesForID(id); sigs != null && sigs.hasNext(); ) {
          if (sigs.next() == s) {
            s.init(new BcPGPContentVerifierBuilderProvider(), primary);
            return s.verifyCertification(id, primary);
          }
        }
      }
      return false;
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }

  /** When a signing key stops being valid: the earlier of its primary's and its own expiry; null if never. */
  static Instant expiry(PGPPublicKey primary, PGPPublicKey key) {
    return earliest(expiryOf(primary, primary), key == primary ? null : expiryOf(primary, key));
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }
}
