package org.appctools.cli.actool;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.aci.BuildOptions;
import org.appctools.compress.Compression;
import org.appctools.fs.FileTrees;
import org.appctools.sign.SigningKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Small things every actool command needs the same way. */
final class Cli {
  private Cli() {}

  /** The Go actool insists on the spec's file suffix; so do we. */
  static void requireAciExtension(Path output) throws AppcException {
    String name = output.getFileName() == null ? "" : output.getFileName().toString();
    if (!name.endsWith(".aci")) {
      int dot = name.lastIndexOf('.');
      throw new AppcException("extension must be .aci (given " + (dot < 0 ? "none" : name.substring(dot)) + " in " + output + ")");
    }
  }

  /** SOURCE_DATE_EPOCH (reproducible-builds.org), if set: the time to clamp mtimes to. */
  static OptionalLong sourceDateEpoch() throws AppcException {
    return BuildOptions.sourceDateEpoch(System.getenv("SOURCE_DATE_EPOCH"));
  }

  /** The codec of --compression / --no-compression, as build and patch-manifest take them. */
  static Compression compression(CommandSpec spec, boolean noCompression, String name) {
    if (noCompression && name != null && !name.equals("none")) {
      throw new ParameterException(spec.commandLine(), "--no-compression conflicts with --compression=" + name);
    }
    if (noCompression) {
      return Compression.NONE;
    }
    if (name == null) {
      return Compression.GZIP;
    }
    try {
      return Compression.fromName(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static void warn(CommandSpec spec, List<String> warnings) {
    for (String w : warnings) {
      spec.commandLine().getErr().println(spec.name() + ": warning: " + w);
    }
  }

  /** Refuses to replace an existing file unless --overwrite was given. */
  static void refuseOverwrite(Path target, boolean overwrite) throws AppcException {
    if (!overwrite && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new AppcException(target + " already exists (pass --overwrite to replace it)");
    }
  }

  /** The passphrase in the first line of a file, as gpg's --passphrase-file reads it. */
  static char[] passphrase(Path file) throws AppcException {
    if (file == null) {
      return null;
    }
    try {
      String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      int nl = s.indexOf('\n');
      s = nl < 0 ? s : s.substring(0, nl);
      return (s.endsWith("\r") ? s.substring(0, s.length() - 1) : s).toCharArray();
    } catch (IOException e) {
      throw new AppcException("cannot read the passphrase file: " + e.getMessage(), e);
    }
  }

  /** Runs an operation that may need a passphrase; asks for one on a TTY if it failed without. */
  static <T> T withPassphrase(Path passphraseFile, String what, PassphraseUse<T> use) throws AppcException {
    char[] pass = passphrase(passphraseFile);
    try {
      return use.apply(pass);
    } catch (AppcException e) {
      Console c = System.console();
      if (pass != null || c == null) {
        throw e;
      }
      char[] typed = c.readPassword("Passphrase for %s: ", what);
      if (typed == null || typed.length == 0) {
        throw e;
      }
      return use.apply(typed);
    }
  }

  /** Something done with a passphrase (null = none). */
  interface PassphraseUse<T> {
    T apply(char[] passphrase) throws AppcException;
  }

  /** The key of --key / --key-id / --passphrase-file; without --key, the user's GnuPG home. */
  static SigningKey signingKey(Path key, String keyId, Path passphraseFile) throws AppcException {
    return withPassphrase(passphraseFile, key == null ? "the signing key" : key.toString(), p -> SigningKey.load(key, keyId, p));
  }

  /** "Name <mail> (fingerprint)", or the fingerprint alone for a key without user ID. */
  static String describeKey(List<String> userIds, String fingerprint) {
    return userIds.isEmpty() ? fingerprint : userIds.get(0) + " (" + fingerprint + ")";
  }

  /** Deletes a scratch directory, best effort. */
  static void deleteTree(Path dir) {
    FileTrees.deleteQuietly(dir);
  }
}
