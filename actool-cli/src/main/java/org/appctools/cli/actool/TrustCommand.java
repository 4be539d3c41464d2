package org.appctools.cli.actool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.PublicKeys;
import org.appctools.http.Http;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.sign.TrustStore;
import org.appctools.sign.TrustedKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "trust",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool trust --prefix example.com/app https://example.com/pubkeys.asc",
      "  actool trust --root --skip-fingerprint-review release.asc",
      "  actool trust --prefix example.com/app   # discovers the keys of example.com/app"},
    description = {
    "Trust a public key for the images whose names start with a prefix (or, with --root, for all images)",
    "",
    "KEY is a key file or an https:// URL (http:// with --insecure-allow-http). Without KEY the keys come "
        + "from the ac-discovery-pubkeys meta tags of the prefix's discovery pages, as rkt trust does. "
        + "Each key's fingerprint and user IDs are shown for review and must be confirmed on a TTY, "
        + "unless --skip-fingerprint-review."},
    subcommands = {TrustCommand.ListCommand.class, TrustCommand.RemoveCommand.class})
final class TrustCommand implements Callable<Integer> {
  /** Public keys are small; anything bigger is not one. */
  private static final long MAX_KEY_BYTES = 1 << 20;

  @Spec CommandSpec spec;

  @Mixin TrustDirOptions trustDir;

  @Mixin HttpFlags httpFlags;

  @Mixin DiscoveryFlags discoveryFlags;

  @Option(names = "--prefix", paramLabel = "NAME", description = "Trust the key for image names starting with NAME")
  String prefix;

  @Option(names = "--root", description = "Trust the key for all images (needs an explicit KEY)")
  boolean root;

  @Option(names = "--skip-fingerprint-review", description = "Trust the key without showing it and asking for confirmation")
  boolean skipReview;

  @Parameters(paramLabel = "KEY", arity = "0..1",
      description = "The armored or binary public key: a file or an https:// URL; none = discover the prefix's keys")
  String key;

  @Override
  public Integer call() throws AppcException {
    if (root == (prefix != null)) {
      throw new ParameterException(spec.commandLine(), root ? "--prefix and --root exclude each other" : "pass --prefix NAME or --root");
    }
    if (root && key == null) {
      throw new ParameterException(spec.commandLine(), "--root needs an explicit KEY (a file or an https:// URL); keys are discovered for a --prefix only");
    }
    AcIdentifier name = null;
    if (prefix != null) {
      try {
        name = AcIdentifier.parse(prefix);
      } catch (InvalidValueException e) {
        throw new ParameterException(spec.commandLine(), "--prefix: " + e.getMessage());
      }
    }
    String scope = name == null ? "all images (root key)" : "images named " + prefix + "*";
    TrustStore store = trustDir.store(null);
    if (key != null) {
      boolean remote = isUrl(key);
      byte[] bytes = remote ? fetch(httpFlags.http(), URI.create(key)) : readFile(Path.of(key));
      if (!skipReview && !confirmed(bytes, remote ? key : null, scope)) {
        throw new AppcException("not trusted: the key was not confirmed");
      }
      trust(store, name, bytes, remote ? key : null, scope);
      return 0;
    }
    Http http = httpFlags.http();
    PublicKeys discovered = new Discovery(http, discoveryFlags.options(httpFlags)).discoverPublicKeys(name);
    int trusted = 0;
    for (URI location : discovered.keys()) {
      byte[] bytes = fetch(http, location);
      if (!skipReview && !confirmed(bytes, location.toString(), scope)) {
        spec.commandLine().getErr().println("Not trusting " + location);
        continue;
      }
      trust(store, name, bytes, location.toString(), scope);
      trusted++;
    }
    if (trusted == 0) {
      throw new AppcException("not trusted: none of the " + discovered.keys().size() + " discovered keys was confirmed");
    }
    return 0;
  }

  private void trust(TrustStore store, AcIdentifier name, byte[] key, String location, String scope) throws AppcException {
    TrustedKey k = store.trust(name, key);
    spec.commandLine().getOut().println("Trusted " + Cli.describeKey(k.userIds(), k.fingerprint())
        + (location == null ? "" : " from " + location) + " for " + scope + ": " + k.path());
  }

  /** A key location with a scheme, such as https://; anything else is a file. */
  private static boolean isUrl(String key) {
    return key.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  private static byte[] fetch(Http http, URI location) throws AppcException {
    String scheme = location.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new AppcException("cannot fetch a key from " + location + ": give a key file or an https:// URL");
    }
    return http.get(location, MAX_KEY_BYTES).body();
  }

  private static byte[] readFile(Path file) throws AppcException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AppcException("cannot read the key: " + e.getMessage(), e);
    }
  }

  /** Shows the key and asks; without a TTY, refuses. False when the answer is not yes. */
  private boolean confirmed(byte[] key, String location, String scope) throws AppcException {
    Console c = System.console();
    if (c == null) {
      throw new AppcException("not a terminal, cannot ask to confirm the key's fingerprint: check it another way and pass --skip-fingerprint-review");
    }
    TrustedKey k = TrustStore.inspect(key);
    PrintWriter out = spec.commandLine().getOut();
    if (location != null) {
      out.println("Key: " + location);
    }
    out.println("Key fingerprint: " + k.fingerprint());
    for (String uid : k.userIds()) {
      out.println("  user ID: " + uid);
    }
    out.flush();
    String answer = c.readLine("Trust this key for %s? [y/N] ", scope);
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(java.util.Locale.ROOT));
  }

  @Command(name = "list",
      footerHeading = "%nExamples:%n",
      footer = {
        "  actool trust list",
        "  actool trust list --json | jq -r '.[].fingerprint'"},
      description = "List the trusted keys: fingerprint, prefix (or root), user IDs, file")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand TrustCommand parent;
    @Mixin TrustDirOptions trustDir;

    @Option(names = "--json", description = "Print a JSON array of objects: fingerprint, prefix (null for a root key), "
        + "root (true or false), userIds (an array), file")
    boolean json;

    @Override
    public Integer call() throws AppcException {
      PrintWriter out = spec.commandLine().getOut();
      List<TrustedKey> keys = trustDir.store(parent.trustDir).list();
      if (json) {
        ArrayNode array = new ObjectMapper().createArrayNode();
        for (TrustedKey k : keys) {
          ObjectNode o = array.addObject();
          o.put("fingerprint", k.fingerprint());
          o.put("prefix", k.prefix() == null ? null : k.prefix().value());
          o.put("root", k.isRoot());
          k.userIds().forEach(o.putArray("userIds")::add);
          o.put("file", k.path() == null ? null : k.path().toString());
        }
        out.println(array);
        return 0;
      }
      for (TrustedKey k : keys) {
        out.println(k.fingerprint() + "  " + (k.prefix() == null ? "(root)" : k.prefix()) + "  "
            + String.join(", ", k.userIds()) + "  " + k.path());
      }
      return 0;
    }
  }

  @Command(name = "remove",
      footerHeading = "%nExamples:%n",
      footer = {
        "  actool trust remove 8A5B1C3D9E7F2A4B6C8D0E1F2A3B4C5D6E7F8A9B"},
      description = "Stop trusting a key (a system key is masked in the local directory)")
  static final class RemoveCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand TrustCommand parent;
    @Mixin TrustDirOptions trustDir;

    @Parameters(paramLabel = "FINGERPRINT") String fingerprint;

    @Override
    public Integer call() throws AppcException {
      String fpr = fingerprint.replace(" ", "").toLowerCase();
      TrustStore store = trustDir.store(parent.trustDir);
      int removed = 0;
      for (TrustedKey k : store.list()) {
        if (k.fingerprint().equals(fpr)) {
          store.remove(fpr, k.prefix());
          spec.commandLine().getOut().println("Removed " + fpr + " (" + k.scope() + ")");
          removed++;
        }
      }
      if (removed == 0) {
        throw new AppcException("no trusted key has the fingerprint " + fpr + " (see actool trust list)");
      }
      return 0;
    }
  }
}
