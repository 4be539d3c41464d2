package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.sign.Encryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "decrypt",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool decrypt --key ops-secret.asc app.aci.gpg app.aci",
      "  actool decrypt --passphrase-file pass.txt app.aci.gpg app.aci"},
    description = {
    "Decrypt an OpenPGP-encrypted file (from actool encrypt or gpg --encrypt)",
    "",
    "With --key, the secret key (and --passphrase-file for a protected key; on a TTY it is asked for); "
        + "with --passphrase-file alone, a passphrase-encrypted file."})
final class DecryptCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--key", paramLabel = "FILE", description = "The recipient's secret key file")
  Path key;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "The passphrase (of the file, or of --key) in the first line of FILE")
  Path passphraseFile;

  @Option(names = "--overwrite", description = "Replace OUT if it exists")
  boolean overwrite;

  @Parameters(index = "0", paramLabel = "IN") Path in;

  @Parameters(index = "1", paramLabel = "OUT") Path out;

  @Override
  public Integer call() throws AppcException {
    if (key == null && passphraseFile == null) {
      throw new ParameterException(spec.commandLine(), "pass --key FILE or --passphrase-file FILE");
    }
    Cli.refuseOverwrite(out, overwrite);
    Cli.withPassphrase(passphraseFile, key == null ? in.toString() : key.toString(), p -> {
      Encryption.decrypt(in, out, key, p);
      return null;
    });
    return 0;
  }
}
