package org.appctools.cli.actool;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
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

@Command(name = "trust", description = {
    "Trust a public key for the images whose names start with a prefix (or, with --root, for all images)",
    "",
    "The key's fingerprint and user IDs are shown for review and must be confirmed on a TTY, "
        + "unless --skip-fingerprint-review."},
    subcommands = {TrustCommand.ListCommand.class, TrustCommand.RemoveCommand.class})
final class TrustCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TrustDirOptions trustDir;

  @Option(names = "--prefix", paramLabel = "NAME", description = "Trust the key for image names starting with NAME")
  String prefix;

  @Option(names = "--root", description = "Trust the key for all images")
  boolean root;

  @Option(names = "--skip-fingerprint-review", description = "Trust the key without showing it and asking for confirmation")
  boolean skipReview;

  @Parameters(paramLabel = "KEYFILE", arity = "0..1", description = "The armored or binary public key")
  Path keyFile;

  @Override
  public Integer call() throws AppcException {
    if (root == (prefix != null)) {
      throw new ParameterException(spec.commandLine(), root ? "--prefix and --root exclude each other" : "pass --prefix NAME or --root");
    }
    if (keyFile == null) {
      throw new ParameterException(spec.commandLine(), "missing KEYFILE (key discovery is not available yet)");
    }
    AcIdentifier name = null;
    if (prefix != null) {
      try {
        name = AcIdentifier.parse(prefix);
      } catch (InvalidValueException e) {
        throw new ParameterException(spec.commandLine(), "--prefix: " + e.getMessage());
      }
    }
    byte[] key;
    try {
      key = Files.readAllBytes(keyFile);
    } catch (IOException e) {
      throw new AppcException("cannot read the key: " + e.getMessage(), e);
    }
    String scope = name == null ? "all images (root key)" : "images named " + prefix + "*";
    if (!skipReview) {
      review(key, scope);
    }
    TrustedKey k = trustDir.store(null).trust(name, key);
    spec.commandLine().getOut().println("Trusted " + Cli.describeKey(k.userIds(), k.fingerprint()) + " for " + scope + ": " + k.path());
    return 0;
  }

  /** Shows the key and asks; without a TTY, refuses. */
  private void review(byte[] key, String scope) throws AppcException {
    Console c = System.console();
    if (c == null) {
      throw new AppcException("not a terminal, cannot ask to confirm the key's fingerprint: check it another way and pass --skip-fingerprint-review");
    }
    TrustedKey k = TrustStore.inspect(key);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Key fingerprint: " + k.fingerprint());
    for (String uid : k.userIds()) {
      out.println("  user ID: " + uid);
    }
    out.flush();
    String answer = c.readLine("Trust this key for %s? [y/N] ", scope);
    if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase())) {
      throw new AppcException("not trusted: the key was not confirmed");
    }
  }

  @Command(name = "list", description = "List the trusted keys: fingerprint, prefix (or root), user IDs, file")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand TrustCommand parent;
    @Mixin TrustDirOptions trustDir;

    @Override
    public Integer call() throws AppcException {
      PrintWriter out = spec.commandLine().getOut();
      for (TrustedKey k : trustDir.store(parent.trustDir).list()) {
        out.println(k.fingerprint() + "  " + (k.prefix() == null ? "(root)" : k.prefix()) + "  "
            + String.join(", ", k.userIds()) + "  " + k.path());
      }
      return 0;
    }
  }

  @Command(name = "remove", description = "Stop trusting a key (a system key is masked in the local directory)")
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
