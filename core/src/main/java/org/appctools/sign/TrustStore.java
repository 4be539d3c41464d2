package org.appctools.sign;

import org.appctools.fs.ProcessUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.schema.types.AcIdentifier;
import org.bouncycastle.openpgp.PGPPublicKeyRing;

/**
 * rkt's trust store: {@code <dir>/trustedkeys/prefix.d/<prefix>/<fingerprint>} and {@code
 * <dir>/trustedkeys/root.d/<fingerprint>}, each file an armored public key named by the lowercase
 * hex fingerprint of its primary key. Two directories: the system's (read only here, may be
 * absent) and the local one, where keys are added; a local file overrides the system file of the
 * same scope and name, and an empty local file masks it. Prefixes match image names as strings,
 * as in rkt ({@code example.com/foo} also covers {@code example.com/foobar}).
 */
public final class TrustStore {
  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  private final Path systemDir;
  private final Path localDir;
  private final Consumer<String> warnings;

  /** A store whose warnings (ignored files) are dropped. */
  public TrustStore(Path systemDir, Path localDir) {
    this(systemDir, localDir, w -> {});
  }

  /** rkt's system directory, read under the local one: {@code /usr/lib/appctools}. */
  public static final Path SYSTEM_DIR = Path.of("/usr/lib/appctools");

  /**
   * The store every command uses unless told otherwise: {@code $APPCTOOLS_TRUST_DIR} if set, else
   * {@code /etc/appctools} for root and {@code ~/.config/appctools} for others, each read over
   * {@link #SYSTEM_DIR} (the local one masking the system's, as rkt's {@code /etc/rkt} over {@code /usr/lib/rkt}).
   */
  public static TrustStore userDefault() {
    String env = System.getenv("APPCTOOLS_TRUST_DIR");
    Path local = env != null && !env.isEmpty() ? Path.of(env)
        : ProcessUser.isRoot() ? Path.of("/etc/appctools") : Path.of(System.getProperty("user.home"), ".config", "appctools");
    return new TrustStore(SYSTEM_DIR, local);
  }

  /**
   * @param systemDir the system directory (rkt: {@code /usr/lib/rkt}) or null
   * @param localDir the local directory (rkt: {@code /etc/rkt}), where keys are added
   * @param warnings receives one message per file that is ignored, and why
   */
  public TrustStore(Path systemDir, Path localDir, Consumer<String> warnings) {
    this.systemDir = systemDir;
    this.localDir = Objects.requireNonNull(localDir, "localDir");
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /**
   * Trusts a public key (armored or binary) for names starting with {@code prefix}, or for every
   * name when prefix is null, writing it armored into the local directory.
   */
  public TrustedKey trust(AcIdentifier prefix, byte[] publicKey) throws AppcException {
    PGPPublicKeyRing ring = parseOne(publicKey);
    String fpr = Pgp.fingerprint(ring.getPublicKey());
    Path file = scopeDir(localDir, prefix).resolve(fpr);
    byte[] armored;
    try {
      armored = Pgp.armor(ring);
    } catch (IOException e) {
      throw new AppcException("trust: cannot encode key " + fpr + ": " + e.getMessage(), e);
    }
    Pgp.writeAtomically(file, "trust", out -> out.write(armored));
    return new TrustedKey(fpr, Pgp.userIds(ring.getPublicKey()), prefix, TrustedKey.Where.LOCAL, file, ring);
  }

  /** Reads the one public key a trust command is given, without storing it (for review). */
  public static TrustedKey inspect(byte[] publicKey) throws AppcException {
    PGPPublicKeyRing ring = parseOne(publicKey);
    return new TrustedKey(
        Pgp.fingerprint(ring.getPublicKey()), Pgp.userIds(ring.getPublicKey()), null, TrustedKey.Where.LOCAL, null, ring);
  }

  private static PGPPublicKeyRing parseOne(byte[] publicKey) throws AppcException {
    List<Object> objects;
    try {
      objects = Pgp.objects(publicKey);
    } catch (IOException | RuntimeException e) {
      throw new AppcException("trust: not an OpenPGP public key: " + e.getMessage(), e);
    }
    List<PGPPublicKeyRing> rings = new ArrayList<>();
    boolean secret = false;
    for (Object o : objects) {
      if (o instanceof PGPPublicKeyRing r) {
        rings.add(r);
      } else if (o instanceof org.bouncycastle.openpgp.PGPSecretKeyRing) {
        secret = true;
      }
    }
    if (rings.isEmpty()) {
      throw new AppcException(
          secret
              ? "trust: this is a secret key; give the public key (gpg --armor --export KEYID)"
              : "trust: not an OpenPGP public key (expected the output of gpg --armor --export KEYID)");
    }
    if (rings.size() > 1) {
      List<String> names = rings.stream().map(r -> Pgp.describe(r.getPublicKey())).toList();
      throw new AppcException(
          "trust: the file holds " + rings.size() + " keys (" + String.join("; ", names) + "); trust one at a time");
    }
    return rings.get(0);
  }

  private static Path scopeDir(Path base, AcIdentifier prefix) throws AppcException {
    Path keys = base.resolve("trustedkeys");
    if (prefix == null) {
      return keys.resolve("root.d");
    }
    for (String seg : prefix.value().split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
        throw new AppcException("trust: prefix " + prefix + " has an empty, . or .. path segment");
      }
    }
    return keys.resolve("prefix.d").resolve(prefix.value());
  }

  /** Every key in effect (local over system, masked keys left out), root keys first. */
  public List<TrustedKey> list() throws AppcException {
    Map<String, TrustedKey> effective = new LinkedHashMap<>();
    if (systemDir != null) {
      scan(systemDir, TrustedKey.Where.SYSTEM, effective);
    }
    scan(localDir, TrustedKey.Where.LOCAL, effective);
    List<TrustedKey> keys = new ArrayList<>(effective.values());
    keys.sort(
        Comparator.comparing((TrustedKey k) -> k.prefix() == null ? "" : "/" + k.prefix().value())
            .thenComparing(TrustedKey::fingerprint));
    return keys;
  }

  /** The keys that may sign an image of this name: root keys and those of every matching prefix. */
  public List<TrustedKey> keysFor(AcIdentifier imageName) throws AppcException {
    return list().stream()
        .filter(k -> k.prefix() == null || imageName.value().startsWith(k.prefix().value()))
        .toList();
  }

  /**
   * Stops trusting a key for a prefix (or as a root key, prefix null): deletes the local file, and
   * masks a system key with an empty local file.
   */
  public TrustedKey remove(String fingerprint, AcIdentifier prefix) throws AppcException {
    String fpr = Pgp.normalizeHex(fingerprint);
    TrustedKey found = null;
    List<String> elsewhere = new ArrayList<>();
    for (TrustedKey k : list()) {
      if (k.fingerprint().equals(fpr)) {
        if (Objects.equals(k.prefix(), prefix)) {
          found = k;
        } else {
          elsewhere.add(k.scope());
        }
      }
    }
    String scope = prefix == null ? "root" : "prefix " + prefix;
    if (found == null) {
      throw new AppcException(
          "trust remove: key " + fpr + " is not trusted as " + scope
              + (elsewhere.isEmpty() ? " (nor for anything else)" : " (it is trusted as: " + String.join(", ", elsewhere) + ")"));
    }
    Path local = scopeDir(localDir, prefix).resolve(fpr);
    boolean inSystem = systemDir != null && Files.isRegularFile(scopeDir(systemDir, prefix).resolve(fpr));
    try {
      if (inSystem) {
        Files.createDirectories(local.getParent());
        Files.write(local, new byte[0]);
      } else {
        Files.deleteIfExists(local);
      }
    } catch (IOException e) {
      throw new AppcException("trust remove: cannot change " + local + ": " + e.getMessage(), e);
    }
    return found;
  }

  private void scan(Path base, TrustedKey.Where where, Map<String, TrustedKey> effective)
      throws AppcException {
    Path keys = base.resolve("trustedkeys");
    scanDir(keys.resolve("root.d"), null, where, effective);
    Path prefixes = keys.resolve("prefix.d");
    if (!Files.isDirectory(prefixes)) {
      return;
    }
    try (Stream<Path> dirs = Files.walk(prefixes)) {
      for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
        if (d.equals(prefixes)) {
          continue;
        }
        String name = prefixes.relativize(d).toString().replace(d.getFileSystem().getSeparator(), "/");
        AcIdentifier prefix;
        try {
          prefix = new AcIdentifier(name);
        } catch (RuntimeException e) {
          warnings.accept("trust store: ignoring " + d + ": " + name + " is not an AC identifier prefix");
          continue;
        }
        scanDir(d, prefix, where, effective);
      }
    } catch (IOException e) {
      throw new AppcException("trust store: cannot read " + prefixes + ": " + e.getMessage(), e);
    }
  }

  private void scanDir(
      Path dir, AcIdentifier prefix, TrustedKey.Where where, Map<String, TrustedKey> effective)
      throws AppcException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new AppcException("trust store: cannot read " + dir + ": " + e.getMessage(), e);
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      String key = (prefix == null ? "" : prefix.value()) + "\0" + name;
      byte[] data;
      try {
        data = Files.readAllBytes(f);
      } catch (IOException e) {
        warnings.accept("trust store: ignoring " + f + ": " + e.getMessage());
        continue;
      }
      if (data.length == 0) {
        if (where == TrustedKey.Where.LOCAL) {
          effective.remove(key); // an empty local file masks the system's key
        }
        continue;
      }
      if (!FINGERPRINT.matcher(name).matches()) {
        warnings.accept("trust store: ignoring " + f + ": the file name is not a lowercase hex fingerprint");
        continue;
      }
      List<PGPPublicKeyRing> rings;
      try {
        rings = Pgp.publicRings(data);
      } catch (IOException | RuntimeException e) {
        warnings.accept("trust store: ignoring " + f + ": not an OpenPGP public key (" + e.getMessage() + ")");
        continue;
      }
      if (rings.size() != 1) {
        warnings.accept("trust store: ignoring " + f + ": it holds " + rings.size() + " public keys, not 1");
        continue;
      }
      PGPPublicKeyRing ring = rings.get(0);
      String fpr = Pgp.fingerprint(ring.getPublicKey());
      if (!fpr.equals(name)) {
        warnings.accept("trust store: ignoring " + f + ": it holds key " + fpr + ", not the one its name says");
        continue;
      }
      effective.put(key, new TrustedKey(fpr, Pgp.userIds(ring.getPublicKey()), prefix, where, f, ring));
    }
  }
}
