package org.appctools.sign;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.appctools.AppcException;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPBEEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBEKeyEncryptionMethodGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyDataDecryptorFactory;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * OpenPGP encryption of whole files, as {@code gpg --encrypt} / {@code gpg --symmetric} make and
 * read them: AES-256 with integrity protection (MDC), to recipients' public keys and/or a
 * passphrase. Output is binary OpenPGP.
 */
public final class Encryption {
  private static final int BUFFER = 64 * 1024;

  private Encryption() {}

  /**
   * The encryption keys of the public keys in a file (armored or binary): per key, its first
   * subkey (or primary key) that may encrypt.
   */
  public static List<PGPPublicKey> recipients(Path publicKeyFile) throws AppcException {
    List<PGPPublicKeyRing> rings;
    try {
      rings = Pgp.publicRings(Files.readAllBytes(publicKeyFile));
    } catch (NoSuchFileException e) {
      throw new AppcException("encrypt: key file not found: " + publicKeyFile);
    } catch (IOException | RuntimeException e) {
      throw new AppcException("encrypt: " + publicKeyFile + " is not an OpenPGP public key: " + e.getMessage(), e);
    }
    if (rings.isEmpty()) {
      throw new AppcException("encrypt: no public key in " + publicKeyFile + " (expected the output of gpg --armor --export KEYID)");
    }
    List<PGPPublicKey> keys = new ArrayList<>();
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey chosen = null;
      for (PGPPublicKey k : ring) {
        if (Pgp.canEncrypt(k) && !k.hasRevocation()) {
          chosen = k;
          if (!k.isMasterKey()) {
            break;
          }
        }
      }
      if (chosen == null) {
        String fpr = Pgp.fingerprint(ring.getPublicKey());
        throw new AppcException(
            "encrypt: key " + Pgp.describe(ring.getPublicKey()) + " in " + publicKeyFile
                + " has no encryption key (add one: gpg --quick-add-key " + fpr + " cv25519 encr)");
      }
      keys.add(chosen);
    }
    return keys;
  }

  /**
   * Whether {@code file} is an OpenPGP encrypted message (armored, or binary starting with a
   * public-key or symmetric-key encrypted session key packet) rather than an ACI (a tar, plain or
   * compressed). Reads the first bytes only.
   */
  public static boolean isEncrypted(Path file) throws AppcException {
    byte[] head = new byte[27];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new AppcException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (n == 0) {
      return false;
    }
    if (new String(head, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("-----BEGIN PGP MESSAGE-----")) {
      return true;
    }
    int b = head[0] & 0xff;
    // old-format packet headers of tags 1 (PKESK) and 3 (SKESK), new-format headers of the same tags
    return (b & 0xfc) == 0x84 || (b & 0xfc) == 0x8c || b == 0xc1 || b == 0xc3;
  }

  /** Encrypts {@code in} to every recipient and, if given, the passphrase; writes {@code out} atomically. */
  public static void encrypt(Path in, Path out, List<PGPPublicKey> recipients, char[] passphrase) throws AppcException {
    if (recipients.isEmpty() && passphrase == null) {
      throw new AppcException("encrypt: give a recipient's public key or a passphrase");
    }
    if (!Files.isRegularFile(in)) {
      throw new AppcException("encrypt: file not found: " + in);
    }
    Pgp.writeAtomically(
        out,
        "encrypt",
        os -> {
          PGPEncryptedDataGenerator gen =
              new PGPEncryptedDataGenerator(
                  new BcPGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                      .setWithIntegrityPacket(true)
                      .setSecureRandom(new SecureRandom()));
          for (PGPPublicKey k : recipients) {
            gen.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(k));
          }
          if (passphrase != null) {
            gen.addMethod(new BcPBEKeyEncryptionMethodGenerator(passphrase));
          }
          try (InputStream src = Files.newInputStream(in);
              OutputStream enc = gen.open(os, new byte[BUFFER])) {
            PGPLiteralDataGenerator lit = new PGPLiteralDataGenerator();
            try (OutputStream l =
                lit.open(enc, PGPLiteralData.BINARY, in.getFileName().toString(), new Date(Files.getLastModifiedTime(in).toMillis()), new byte[BUFFER])) {
              src.transferTo(l);
            }
          }
        });
  }

  /**
   * Decrypts {@code in} into {@code out} (written only once the integrity check passed), with a
   * secret key from {@code secretKeyFile} (its passphrase, if protected, is {@code passphrase}) or,
   * with no key file, with the passphrase the file was encrypted with.
   */
  public static void decrypt(Path in, Path out, Path secretKeyFile, char[] passphrase) throws AppcException {
    List<PGPSecretKeyRing> rings = secretKeyFile == null ? List.of() : SigningKey.readSecretRings(secretKeyFile);
    if (secretKeyFile != null && rings.isEmpty()) {
      throw new AppcException("no secret key in " + secretKeyFile);
    }
    if (!Files.isRegularFile(in)) {
      throw new AppcException("decrypt: file not found: " + in);
    }
    Pgp.writeAtomically(out, "decrypt", os -> {
      try (InputStream raw = Files.newInputStream(in)) {
        PGPEncryptedDataList list = encryptedDataList(in, raw);
        Opened opened = open(in, list, rings, secretKeyFile, passphrase);
        copyLiteral(in, opened.clear, os);
        if (!opened.data.isIntegrityProtected()) {
          throw new Pgp.Abort(new AppcException("decrypt: " + in + " has no integrity protection (MDC); refusing it, as it may have been altered"));
        }
        if (!opened.data.verify()) {
          throw new Pgp.Abort(new AppcException("decrypt: integrity check failed: " + in + " was altered after it was encrypted"));
        }
      } catch (AppcException e) {
        throw new Pgp.Abort(e);
      }
    });
  }

  private record Opened(PGPEncryptedData data, InputStream clear) {}

  private static PGPEncryptedDataList encryptedDataList(Path in, InputStream raw) throws IOException, AppcException {
    BcPGPObjectFactory f = new BcPGPObjectFactory(PGPUtil.getDecoderStream(raw));
    Object o;
    while ((o = f.nextObject()) != null) {
      if (o instanceof PGPEncryptedDataList l) {
        return l;
      }
    }
    throw new AppcException("decrypt: " + in + " is not OpenPGP-encrypted data");
  }

  private static Opened open(Path in, PGPEncryptedDataList list, List<PGPSecretKeyRing> rings, Path keyFile, char[] passphrase)
      throws AppcException, PGPException {
    List<String> ids = new ArrayList<>();
    boolean pbe = false;
    for (PGPEncryptedData d : list) {
      if (d instanceof PGPPublicKeyEncryptedData pk) {
        ids.add(Pgp.keyId(pk.getKeyID()));
        for (PGPSecretKeyRing ring : rings) {
          for (PGPSecretKey k : ring) {
            if ((pk.getKeyID() == 0 || k.getKeyID() == pk.getKeyID()) && !k.isPrivateKeyEmpty() && k.getPublicKey().isEncryptionKey()) {
              BcPublicKeyDataDecryptorFactory f = new BcPublicKeyDataDecryptorFactory(SigningKey.unlock(k, passphrase));
              try {
                return new Opened(pk, pk.getDataStream(f));
              } catch (PGPException e) {
                if (pk.getKeyID() != 0) {
                  throw e;
                }
                // a hidden recipient: try the next key
              }
            }
          }
        }
      } else if (d instanceof PGPPBEEncryptedData) {
        pbe = true;
      }
    }
    if (pbe && keyFile == null) {
      if (passphrase == null) {
        throw new AppcException("decrypt: " + in + " is encrypted with a passphrase: give --passphrase-file");
      }
      for (PGPEncryptedData d : list) {
        if (d instanceof PGPPBEEncryptedData p) {
          BcPBEDataDecryptorFactory f = new BcPBEDataDecryptorFactory(passphrase, new BcPGPDigestCalculatorProvider());
          try {
            return new Opened(p, p.getDataStream(f));
          } catch (PGPException e) {
            // the next packet may hold the same session key under another passphrase
          }
        }
      }
      throw new AppcException("decrypt: wrong passphrase for " + in);
    }
    if (keyFile == null) {
      throw new AppcException(
          "decrypt: " + in + " is encrypted to key IDs " + String.join(", ", ids) + "; give the secret key (--key FILE)");
    }
    List<String> held = new ArrayList<>();
    for (PGPSecretKeyRing r : rings) {
      held.add(Pgp.describe(r.getPublicKey()));
    }
    throw new AppcException(
        "decrypt: " + in + " is encrypted to key IDs " + String.join(", ", ids) + (pbe ? " and a passphrase" : "")
            + "; none is in " + keyFile + " (it holds: " + String.join("; ", held) + ")"
            + (pbe ? "; to use the passphrase, give no key file" : ""));
  }

  private static void copyLiteral(Path in, InputStream clear, OutputStream os) throws IOException, PGPException, AppcException {
    BcPGPObjectFactory f = new BcPGPObjectFactory(clear);
    Object o;
    while ((o = f.nextObject()) != null) {
      if (o instanceof PGPCompressedData c) {
        copyLiteral(in, c.getDataStream(), os);
        return;
      }
      if (o instanceof PGPLiteralData l) {
        l.getInputStream().transferTo(os);
        // drain what follows (a signature list of a signed message) so the MDC is read
        while (f.nextObject() != null) {
          // nothing to keep
        }
        return;
      }
    }
    throw new AppcException("decrypt: " + in + " holds no data after decryption");
  }
}
