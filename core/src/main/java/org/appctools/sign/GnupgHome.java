package org.appctools.sign;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.gpg.SExprParser;
import org.bouncycastle.gpg.keybox.KeyBlob;
import org.bouncycastle.gpg.keybox.PublicKeyRingBlob;
import org.bouncycastle.gpg.keybox.bc.BcKeyBox;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBEProtectionRemoverFactory;

/**
 * A GnuPG 2.1+ home directory read directly, without gpg or its agent: public keys from {@code
 * pubring.kbx} (or the older {@code pubring.gpg}), secret keys from {@code private-keys-v1.d}.
 */
public final class GnupgHome {
  private static final Provider BC = new BouncyCastleProvider();

  private final Path dir;

  public GnupgHome(Path dir) {
    this.dir = dir;
  }

  /** {@code $GNUPGHOME} if set, else {@code ~/.gnupg}. */
  public static Path defaultDir() {
    String env = System.getenv("GNUPGHOME");
    return env != null && !env.isEmpty() ? Paths.get(env) : Paths.get(System.getProperty("user.home"), ".gnupg");
  }

  public Path dir() {
    return dir;
  }

  /** The public keys, in keyring order. */
  public List<PGPPublicKeyRing> publicKeys() throws AppcException {
    Path kbx = dir.resolve("pubring.kbx");
    Path gpg = dir.resolve("pubring.gpg");
    try {
      if (Files.isRegularFile(kbx)) {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        for (KeyBlob blob : new BcKeyBox(Files.readAllBytes(kbx)).getKeyBlobs()) {
          if (blob instanceof PublicKeyRingBlob p) {
            rings.add(p.getPGPPublicKeyRing());
          }
        }
        return rings;
      }
      if (Files.isRegularFile(gpg)) {
        return Pgp.publicRings(Files.readAllBytes(gpg));
      }
    } catch (IOException | RuntimeException e) {
      throw new AppcException("cannot read the GnuPG keyring in " + dir + ": " + e.getMessage(), e);
    }
    throw new AppcException("no GnuPG keyring in " + dir + " (neither pubring.kbx nor pubring.gpg)");
  }

  /**
   * The first signing key whose secret part is in {@code private-keys-v1.d}, or the one matching
   * a key id or fingerprint (suffix), unlocked with the passphrase if the agent protected it.
   */
  public SigningKey signingKey(String keyIdOrFingerprint, char[] passphrase) throws AppcException {
    String want = keyIdOrFingerprint == null ? null : Pgp.normalizeHex(keyIdOrFingerprint);
    List<PGPPublicKeyRing> rings = publicKeys();
    List<Path> secretFiles = secretKeyFiles();
    List<String> held = new ArrayList<>();
    boolean matched = false;
    for (PGPPublicKeyRing ring : rings) {
      held.add(Pgp.describe(ring.getPublicKey()));
      boolean ringMatches = want == null;
      for (PGPPublicKey k : ring) {
        if (want != null && !want.isEmpty() && Pgp.fingerprint(k).endsWith(want)) {
          ringMatches = true;
        }
      }
      if (!ringMatches) {
        continue;
      }
      matched = true;
      for (PGPPublicKey k : ring) {
        if (!Pgp.canSign(k) || k.hasRevocation()) {
          continue;
        }
        PGPPrivateKey priv = findPrivate(k, secretFiles, passphrase);
        if (priv != null) {
          SigningKey.checkValid(ring.getPublicKey(), k);
          return SigningKey.of(priv, k, ring.getPublicKey());
        }
      }
      if (want != null) {
        throw new AppcException(
            "key " + keyIdOrFingerprint + " has no secret signing key in " + dir.resolve("private-keys-v1.d"));
      }
    }
    if (want != null && !matched) {
      throw new AppcException("key " + keyIdOrFingerprint + " not found in " + dir + " (it holds: " + String.join("; ", held) + ")");
    }
    throw new AppcException("no secret key in " + dir);
  }

  private List<Path> secretKeyFiles() throws AppcException {
    Path d = dir.resolve("private-keys-v1.d");
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".key")).sorted().toList();
    } catch (IOException e) {
      throw new AppcException("cannot read " + d + ": " + e.getMessage(), e);
    }
  }

  /**
   * The private key for {@code key} among the agent's files. The files are named by keygrip,
   * which BouncyCastle does not compute, so each file is read on its own (its public part
   * rebuilt from the S-expression) and a private key is taken for {@code key} only if a probe
   * signature made with it verifies with {@code key}.
   */
  private static PGPPrivateKey findPrivate(PGPPublicKey key, List<Path> files, char[] passphrase) throws AppcException {
    PGPDigestCalculatorProvider digests;
    try {
      digests = new JcaPGPDigestCalculatorProviderBuilder().setProvider(BC).build();
    } catch (PGPException e) {
      throw new AppcException("cannot set up digests: " + e.getMessage(), e);
    }
    boolean sawProtected = false;
    for (Path f : files) {
      byte[] data;
      try {
        data = Files.readAllBytes(f);
      } catch (IOException e) {
        continue;
      }
      boolean isProtected = new String(data, StandardCharsets.ISO_8859_1).contains("protected-private-key");
      PGPPrivateKey priv = null;
      try {
        // both the extended key format (GnuPG 2.2.20+) and the older canonical S-expression
        byte[] canonical = GnupgKeyFile.canonicalKey(data);
        PGPSecretKey secret = new SExprParser(digests)
            .parseSecretKey(
                new ByteArrayInputStream(canonical),
                new JcePBEProtectionRemoverFactory(passphrase == null ? new char[0] : passphrase, digests).setProvider(BC),
                new BcKeyFingerprintCalculator());
        PGPPrivateKey parsed = secret == null ? null : secret.extractPrivateKey(null);
        if (parsed != null) {
          priv = new PGPPrivateKey(key.getKeyID(), key.getPublicKeyPacket(), parsed.getPrivateKeyDataPacket());
        }
      } catch (IOException | PGPException | RuntimeException e) {
        // unreadable, or protected and the passphrase does not open it
      }
      if (priv != null && matches(key, priv)) {
        return priv;
      }
      sawProtected |= isProtected && priv == null;
    }
    if (sawProtected) {
      String id = Pgp.keyId(key.getKeyID());
      throw new AppcException(
          passphrase == null
              ? "the secret key " + id + " is protected: give --passphrase-file"
              : "wrong passphrase for " + id + " (or its secret key is not in the GnuPG home)");
    }
    return null;
  }

  private static boolean matches(PGPPublicKey key, PGPPrivateKey priv) {
    try {
      byte[] probe = "appctools key probe".getBytes(StandardCharsets.UTF_8);
      PGPSignatureGenerator gen =
          new PGPSignatureGenerator(new BcPGPContentSignerBuilder(key.getAlgorithm(), HashAlgorithmTags.SHA256), key);
      gen.init(PGPSignature.BINARY_DOCUMENT, priv);
      gen.update(probe);
      PGPSignature sig = gen.generate();
      sig.init(new BcPGPContentVerifierBuilderProvider(), key);
      sig.update(probe);
      return sig.verify();
    } catch (PGPException | RuntimeException e) {
      return false;
    }
  }
}
