package org.appctools.sign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away GnuPG home with a real {@code /usr/bin/gpg}: makes keys, exports them, and runs gpg
 * to sign, verify, encrypt and decrypt. Other modules use it through core's test-jar. Close it to
 * stop the gpg-agent it started.
 */
public final class GpgFixture implements AutoCloseable {
  public static final Path GPG = Paths.get("/usr/bin/gpg");

  /** The outcome of one gpg run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result ok() {
      if (exitCode != 0) {
        throw new IllegalStateException("gpg failed (" + exitCode + "): " + stderr);
      }
      return this;
    }
  }

  private final Path home;

  private GpgFixture(Path home) {
    this.home = home;
  }

  /** Skips the calling test (JUnit assumption) when gpg is not installed. */
  public static void assumeGpg() {
    Assumptions.assumeTrue(Files.isExecutable(GPG), "gpg is not installed at " + GPG);
  }

  /** A fresh GnuPG home in {@code dir} (which should be short: gpg-agent's socket lives there). */
  public static GpgFixture create(Path dir) {
    assumeGpg();
    try {
      Path home = Files.createDirectories(dir.resolve("gnupg"));
      Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
      return new GpgFixture(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path home() {
    return home;
  }

  /** Runs gpg in batch mode with loopback pinentry (arguments follow). */
  public Result gpg(String... args) {
    List<String> cmd = new ArrayList<>(List.of(GPG.toString(), "--batch", "--no-tty", "--pinentry-mode", "loopback"));
    cmd.addAll(Arrays.asList(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("GNUPGHOME", home.toString());
    try {
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("gpg timed out: " + cmd);
      }
      Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes a key with {@code --quick-gen-key} and returns its fingerprint (lowercase). Algo is
   * gpg's ({@code ed25519}, {@code rsa2048}, {@code nistp256}), usage {@code sign}, expiry
   * {@code never} or e.g. {@code 1d}; the passphrase may be empty.
   */
  public String genKey(String uid, String algo, String usage, String expire, String passphrase) {
    Result r = gpg("--passphrase", passphrase, "--quick-gen-key", uid, algo, usage, expire);
    if (r.exitCode() != 0 && r.stderr().contains("Corrupted protection")) {
      // a gpg-agent hiccup seen once on a loaded machine (the key's protection written by a
      // half-started agent): restart the agent and make the key again
      killAgent();
      r = gpg("--passphrase", passphrase, "--quick-gen-key", uid, algo, usage, expire);
    }
    r.ok();
    return fingerprintOf(uid);
  }

  private void killAgent() {
    try {
      ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent");
      pb.environment().put("GNUPGHOME", home.toString());
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A signing key without passphrase that never expires. */
  public String genSigningKey(String uid, String algo) {
    return genKey(uid, algo, "sign", "never", "");
  }

  /** Adds an encryption subkey ({@code cv25519}, {@code rsa2048}) to a key without passphrase. */
  public void addEncryptionSubkey(String fingerprint, String algo, String passphrase) {
    gpg("--passphrase", passphrase, "--quick-add-key", fingerprint, algo, "encr", "never").ok();
  }

  public String fingerprintOf(String uid) {
    String out = gpg("--with-colons", "--list-keys", "=" + uid).ok().stdout();
    for (String line : out.split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9].toLowerCase(java.util.Locale.ROOT);
      }
    }
    throw new IllegalStateException("no key for " + uid + ": " + out);
  }

  public byte[] exportPublic(String fingerprint) {
    return gpg("--armor", "--export", fingerprint).ok().stdout().getBytes(StandardCharsets.UTF_8);
  }

  /** Writes the armored public key to a file and returns it. */
  public Path exportPublic(String fingerprint, Path file) {
    writeBinary(file, "--armor", "--export", fingerprint);
    return file;
  }

  /** Writes the secret key to a file (armored or binary) and returns it. */
  public Path exportSecret(String fingerprint, String passphrase, boolean armor, Path file) {
    List<String> args = new ArrayList<>(List.of("--passphrase", passphrase));
    if (armor) {
      args.add("--armor");
    }
    args.addAll(List.of("--export-secret-keys", fingerprint));
    writeBinary(file, args.toArray(String[]::new));
    return file;
  }

  private void writeBinary(Path file, String... args) {
    List<String> all = new ArrayList<>(List.of("--output", file.toString(), "--yes"));
    all.addAll(Arrays.asList(args));
    gpg(all.toArray(String[]::new)).ok();
  }

  @Override
  public void close() {
    try {
      ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("GNUPGHOME", home.toString());
      pb.start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no agent to stop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
