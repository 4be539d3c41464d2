package org.appctools.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The real gpg with a throwaway home: make keys, export them, sign files the way publishers do. */
final class Gpg {
  private final Path home;
  private final Path workDir;

  private Gpg(Path home, Path workDir) {
    this.home = home;
    this.workDir = workDir;
  }

  /** A new, empty GnuPG home under {@code dir}. */
  static Gpg in(Path dir) throws Exception {
    Path home = Files.createDirectory(dir.resolve("gnupg"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return new Gpg(home, dir);
  }

  Path home() {
    return home;
  }

  /** A new Ed25519 signing key without passphrase; its fingerprint. */
  String genKey(String uid) throws Exception {
    run("--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never").expectOk();
    return fingerprint(uid);
  }

  /** A new RSA key that can encrypt (and sign), without passphrase; its fingerprint. */
  String genEncryptionKey(String uid) throws Exception {
    run("--passphrase", "", "--quick-gen-key", uid, "rsa2048", "sign,encrypt", "never").expectOk();
    return fingerprint(uid);
  }

  private String fingerprint(String uid) throws Exception {
    for (String line : run("--with-colons", "--list-keys", uid).expectOk().out().split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":", -1)[9];
      }
    }
    throw new AssertionError("no fingerprint for " + uid);
  }

  /** The armored public key. */
  String exportPublic(String fpr) throws Exception {
    return run("--armor", "--export", fpr).expectOk().out();
  }

  /** Writes FILE.asc, an armored detached signature of FILE by the key. */
  Path sign(Path file, String fpr) throws Exception {
    Path asc = Path.of(file + ".asc");
    run("--local-user", fpr, "--armor", "--output", asc.toString(), "--detach-sign", file.toString()).expectOk();
    return asc;
  }

  Tools.Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--pinentry-mode", "loopback"));
    cmd.addAll(Arrays.asList(args));
    return Tools.process(workDir, Map.of("GNUPGHOME", home.toString()), cmd.toArray(String[]::new));
  }

  /** Stops the agent this home started. */
  void stop() throws Exception {
    Tools.process(workDir, Map.of("GNUPGHOME", home.toString()), "gpgconf", "--kill", "all");
  }
}
