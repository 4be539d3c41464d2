package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.sign.Encryption;
import org.bouncycastle.openpgp.PGPPublicKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "encrypt",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool encrypt --recipient ops.asc app.aci app.aci.gpg",
      "  actool encrypt --passphrase-file pass.txt app.aci app.aci.gpg"},
    description = {
    "Encrypt a file (an ACI, say) with OpenPGP AES-256, to recipients' public keys or with a passphrase",
    "",
    "The output is a binary OpenPGP message that gpg --decrypt reads."})
final class EncryptCommand implements Callable<Integer> {
  static final class To {
    @Option(names = "--recipient", paramLabel = "KEYFILE", required = true,
        description = "A recipient's public key file (repeat for several)")
    List<Path> recipients;

    @Option(names = "--passphrase-file", paramLabel = "FILE", required = true,
        description = "Encrypt with the passphrase in the first line of FILE")
    Path passphraseFile;
  }

  @ArgGroup(exclusive = true, multiplicity = "1") To to;

  @Option(names = "--overwrite", description = "Replace OUT if it exists")
  boolean overwrite;

  @Parameters(index = "0", paramLabel = "IN") Path in;

  @Parameters(index = "1", paramLabel = "OUT") Path out;

  @Override
  public Integer call() throws AppcException {
    Cli.refuseOverwrite(out, overwrite);
    List<PGPPublicKey> recipients = new ArrayList<>();
    for (Path keyFile : to.recipients == null ? List.<Path>of() : to.recipients) {
      recipients.addAll(Encryption.recipients(keyFile));
    }
    Encryption.encrypt(in, out, recipients, Cli.passphrase(to.passphraseFile));
    return 0;
  }
}
