package org.appctools.cli.actool;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.sign.Signer;
import org.appctools.sign.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "sign",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool sign app.aci",
      "  actool sign --key release-secret.asc --passphrase-file pass.txt app.aci"},
    description = {
    "Sign an ACI: write a detached, ASCII-armored OpenPGP signature (ACI.asc by default)",
    "",
    "The key comes from --key (an armored or binary secret key) or the user's GnuPG home; "
        + "--key-id chooses among several."})
final class SignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--key", paramLabel = "FILE", description = "Secret key file (default: the GnuPG home)")
  Path key;

  @Option(names = "--key-id", paramLabel = "ID", description = "Key ID, fingerprint or user ID of the key to sign with")
  String keyId;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Read the key's passphrase from the first line of FILE (default: ask on a TTY)")
  Path passphraseFile;

  @Option(names = "--signature", paramLabel = "OUT", description = "Where to write the signature (default: ACI.asc)")
  Path signature;

  @Option(names = "--overwrite", description = "Replace an existing signature file")
  boolean overwrite;

  @Parameters(paramLabel = "ACI") Path aci;

  @Override
  public Integer call() throws AppcException {
    Path out = signature != null ? signature : Path.of(aci + ".asc");
    Cli.refuseOverwrite(out, overwrite);
    SigningKey k = Cli.signingKey(key, keyId, passphraseFile);
    Signer.signDetached(aci, out, k);
    spec.commandLine().getOut().println(out + ": signed by " + Cli.describeKey(k.userIds(), k.fingerprint()));
    return 0;
  }
}
