package org.appctools.cli.actool;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.cli.common.ProgressBar;
import org.appctools.oci.SitePublisher;
import org.appctools.sign.SigningKey;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "publish",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool publish --to /srv/www --base-url https://example.com/ --key release-secret.asc app-1.0.0.aci"},
    description = {
    "Publish images as a static site that appc discovery finds (actool fetch NAME:VERSION)",
    "",
    "DIR is the document root served at URL by any static web server, object store or CDN. Each image goes to "
        + "NAME-VERSION-OS-ARCH.aci with its signature (.asc), the highest version also as NAME-latest-OS-ARCH.aci, the "
        + "public keys to pubkeys/, and every name gets a discovery page at its own URL (its path under URL) with "
        + "ac-discovery and ac-discovery-pubkeys tags; index.html lists everything. Publishing again adds to the site.",
    "",
    "IMAGE is an ACI file (its signature FILE.asc) or an image of the store (its stored signature). With --key (or "
        + "--key-id, from the GnuPG home) every image is signed with that key, else its own signature is published. "
        + "Every signature must verify against the published keys (--key's, --pubkey's, and the site's)."})
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreOptions store;

  @Option(names = "--to", paramLabel = "DIR", required = true, description = "The site's directory")
  Path dir;

  @Option(names = "--base-url", paramLabel = "URL", required = true, description = "The URL DIR is served at")
  URI baseUrl;

  @Option(names = "--key", paramLabel = "FILE", description = "Sign with this secret key (armored or binary)")
  Path key;

  @Option(names = "--key-id", paramLabel = "ID", description = "Which key of --key, or of the GnuPG home without --key")
  String keyId;

  @Option(names = "--passphrase-file", paramLabel = "FILE", description = "The key's passphrase, in the file's first line")
  Path passphraseFile;

  @Option(names = "--pubkey", paramLabel = "FILE", description = "Also publish this public key (the signer's, for "
      + "images signed before)")
  List<Path> publicKeys = new ArrayList<>();

  @Option(names = {"-q", "--quiet"}, description = "No progress bar")
  boolean quiet;

  @Parameters(paramLabel = "IMAGE", arity = "1..*") List<String> images;

  @Override
  public Integer call() throws AppcException {
    SigningKey signingKey = key != null || keyId != null ? Cli.signingKey(key, keyId, passphraseFile) : null;
    List<SitePublisher.Image> list = new ArrayList<>();
    ImageStore s = null;
    for (String image : images) {
      Path file = Path.of(image);
      if (Files.isRegularFile(file)) {
        Path asc = Path.of(image + ".asc");
        list.add(new SitePublisher.Image(file, Files.exists(asc) ? asc : null));
      } else {
        s = s == null ? store.store() : s;
        StoredImage stored = s.resolve(image);
        list.add(new SitePublisher.Image(s.aciFile(stored), s.signatureFile(stored).orElse(null)));
      }
    }
    ProgressBar bar = ProgressBar.on(spec.commandLine().getErr(), "Publishing to " + dir, quiet);
    SitePublisher.Result r;
    try {
      r = SitePublisher.publish(list, new SitePublisher.Options(dir, baseUrl, signingKey, publicKeys), bar);
    } finally {
      bar.end();
    }
    for (String f : r.images()) {
      spec.commandLine().getOut().println(dir.resolve(f));
    }
    return 0;
  }
}
