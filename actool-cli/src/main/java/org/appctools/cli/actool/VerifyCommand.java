package org.appctools.cli.actool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.schema.ImageManifest;
import org.appctools.sign.TrustStore;
import org.appctools.sign.TrustedKey;
import org.appctools.sign.Verified;
import org.appctools.sign.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "verify",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool verify app.aci",
      "  actool verify --signature app.sig --trust-dir ./trust app.aci"},
    description = {
    "Verify an ACI's signature against the trust store, for the name in the ACI's manifest",
    "",
    "Prints who signed it and for which prefix the key is trusted; exits 1 with the reason otherwise."})
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ReadLimitOptions readLimits;

  @Mixin TrustDirOptions trustDir;

  @Option(names = "--signature", paramLabel = "FILE", description = "The detached signature (default: ACI.asc)")
  Path signature;

  @Option(names = "--json", description = "Print a JSON object: aci, signature, fingerprint, userIds (an array), "
      + "trustedFor (the key's prefix, or null for a root key), root (true or false)")
  boolean json;

  @Parameters(paramLabel = "ACI") Path aci;

  @Override
  public Integer call() throws AppcException {
    Path sig = signature != null ? signature : Path.of(aci + ".asc");
    if (!Files.exists(sig)) {
      throw new AppcException(aci + " is not signed: there is no " + sig + " (sign it with 'actool sign', or pass --signature FILE)");
    }
    ImageManifest manifest = ImageManifest.parse(AciArchive.readManifest(aci, readLimits.limits()));
    TrustStore store = trustDir.store(null);
    Verified v = Verifier.verify(aci, sig, manifest.name(), store);
    TrustedKey key = trustedKey(store.list(), v, manifest.name().value());
    if (json) {
      ObjectNode o = new ObjectMapper().createObjectNode();
      o.put("aci", aci.toString());
      o.put("signature", sig.toString());
      o.put("fingerprint", v.fingerprint());
      v.userIds().forEach(o.putArray("userIds")::add);
      boolean root = key != null && key.isRoot();
      o.put("trustedFor", root ? null : key == null ? manifest.name().value() : key.prefix().value());
      o.put("root", root);
      spec.commandLine().getOut().println(o);
      return 0;
    }
    String scope = key == null ? manifest.name().value() : key.isRoot() ? "all images (root key)" : key.prefix().value();
    spec.commandLine().getOut().println(aci + ": signed by " + Cli.describeKey(v.userIds(), v.fingerprint()) + ", trusted for " + scope);
    return 0;
  }

  /** The store entry that vouched for the signature: the key file the engine names, else one whose prefix covers the name. */
  private static TrustedKey trustedKey(List<TrustedKey> keys, Verified v, String name) {
    if (v.keyPath() != null) {
      for (TrustedKey k : keys) {
        if (k.path() != null && k.path().toAbsolutePath().normalize().equals(v.keyPath().toAbsolutePath().normalize())) {
          return k;
        }
      }
    }
    TrustedKey best = null;
    for (TrustedKey k : keys) {
      boolean covers = k.isRoot() || name.startsWith(k.prefix().value());
      if (covers && k.fingerprint().equalsIgnoreCase(v.fingerprint())
          && (best == null || !best.isRoot() && (k.isRoot() || k.prefix().value().length() > best.prefix().value().length()))) {
        best = k;
      }
    }
    return best;
  }
}
