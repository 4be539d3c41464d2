package org.appctools.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;

/** Detached OpenPGP signatures over files, as {@code gpg --detach-sign --armor} makes them. */
public final class Signer {
  private Signer() {}

  /**
   * Writes an ASCII-armored detached signature (SHA-512) of the file's bytes to {@code
   * signatureOut}, by way of a temporary file and a rename.
   */
  public static void signDetached(Path file, Path signatureOut, SigningKey key) throws AppcException {
    PGPSignature signature;
    try (InputStream in = Files.newInputStream(file)) {
      PGPSignatureGenerator gen =
          new PGPSignatureGenerator(
              new BcPGPContentSignerBuilder(key.publicKey().getAlgorithm(), HashAlgorithmTags.SHA512),
              key.publicKey());
      gen.init(PGPSignature.BINARY_DOCUMENT, key.privateKey());
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(false, new java.util.Date());
      hashed.setIssuerFingerprint(false, key.publicKey());
      gen.setHashedSubpackets(hashed.generate());
      PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
      unhashed.setIssuerKeyID(false, key.publicKey().getKeyID());
      gen.setUnhashedSubpackets(unhashed.generate());
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        gen.update(buf, 0, n);
      }
      signature = gen.generate();
    } catch (NoSuchFileException e) {
      throw new AppcException("sign: file not found: " + file);
    } catch (IOException e) {
      throw new AppcException("sign: cannot read " + file + ": " + e.getMessage(), e);
    } catch (PGPException e) {
      throw new AppcException("sign: cannot sign " + file + " with key " + key.keyId() + ": " + e.getMessage(), e);
    }
    Pgp.writeAtomically(
        signatureOut,
        "sign",
        out -> {
          try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders().build(out)) {
            signature.encode(armored);
          }
        });
  }
}
