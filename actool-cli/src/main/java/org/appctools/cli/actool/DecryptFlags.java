package org.appctools.cli.actool;

import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.store.Fetcher;
import picocli.CommandLine.Option;

/** How fetch and run open OpenPGP-encrypted images: a secret key and/or a passphrase file. */
final class DecryptFlags {
  @Option(names = "--decrypt-key", paramLabel = "FILE",
      description = "Secret key to decrypt OpenPGP-encrypted images with (actool encrypt, gpg --encrypt)")
  Path decryptKey;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Passphrase of --decrypt-key, or of a passphrase-encrypted image, in the first line of FILE")
  Path passphraseFile;

  /** The decryption to hand to the fetcher, or null when neither flag was given. */
  Fetcher.Decryption decryption() throws AppcException {
    return decryptKey == null && passphraseFile == null ? null
        : new Fetcher.Decryption(decryptKey, Cli.passphrase(passphraseFile));
  }
}
