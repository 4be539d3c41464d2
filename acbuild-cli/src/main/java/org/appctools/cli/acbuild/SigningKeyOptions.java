package org.appctools.cli.acbuild;

import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.sign.SigningKey;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The key a {@code --sign} signs with: {@code --key}, {@code --key-id}, {@code --passphrase-file} (write, build). */
final class SigningKeyOptions {
  @Option(names = "--key", paramLabel = "FILE", description = "With --sign: the secret key file (default: the GnuPG home)")
  Path key;

  @Option(names = "--key-id", paramLabel = "ID", description = "With --sign: key ID, fingerprint or user ID of the key")
  String keyId;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "With --sign: the key's passphrase, in the first line of FILE (default: ask on a TTY)")
  Path passphraseFile;

  /** Refuses these options without {@code --sign}: a usage error, as any misplaced flag. */
  void requireSign(CommandSpec spec, boolean sign) {
    if (!sign && (key != null || keyId != null || passphraseFile != null)) {
      throw new ParameterException(spec.commandLine(), "--key, --key-id and --passphrase-file go with --sign");
    }
  }

  /** The secret key these options name, its passphrase read or asked for. */
  SigningKey load() throws AppcException {
    return Cli.signingKey(key, keyId, passphraseFile);
  }
}
