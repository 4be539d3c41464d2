package org.appctools.cli.actool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.appctools.AppcException;
import org.appctools.discovery.Attempt;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.Endpoints;
import org.appctools.discovery.ImageEndpoint;
import org.appctools.discovery.NotDiscoveredException;
import org.appctools.discovery.PublicKeys;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.NameAndLabels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "discover",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool discover example.com/app:1.0",
      "  actool discover --json example.com/app,os=linux,arch=amd64 | jq -r '.ACIEndpoints[0].ACI'"},
    description = {
    "Discover the download URLs for one or more app container images",
    "",
    "APP is NAME[:VERSION][,LABEL=VALUE...]. Prints the pages that gave nothing (as Go's actool), then "
        + "'ACI: URL, ASC: URL' per image endpoint and 'PublicKeys: URL,...'. os and arch default to this "
        + "machine's; version to latest. Public keys are optional: a name without them still succeeds."})
final class DiscoverCommand implements Callable<Integer> {
  private static final AcIdentifier OS = AcIdentifier.parse("os");
  private static final AcIdentifier ARCH = AcIdentifier.parse("arch");

  @Spec CommandSpec spec;

  @Mixin HttpFlags httpFlags;

  @Mixin DiscoveryFlags discoveryFlags;

  @Option(names = "--json", arity = "0..1", paramLabel = "true|false", description = "Output result as JSON, as the Go actool: an object of ACIEndpoints "
          + "(objects of ACI and ASC), PublicKeys (URLs), ACIEndpointsAttempts and PublicKeysAttempts (objects of URL and Error)")
  boolean json;

  @Option(names = "--os", paramLabel = "OS", description = "The os label when APP has none (default: this machine's)")
  String os;

  @Option(names = "--arch", paramLabel = "ARCH", description = "The arch label when APP has none (default: this machine's, in appc's names)")
  String arch;

  @Parameters(arity = "1..*", paramLabel = "APP", description = "NAME[:VERSION][,LABEL=VALUE...]")
  List<String> apps;

  @Override
  public Integer call() throws AppcException {
    Discovery discovery = new Discovery(httpFlags.http(), discoveryFlags.options(httpFlags));
    PrintWriter out = spec.commandLine().getOut();
    for (String app : apps) {
      NameAndLabels n = parse(app);
      Endpoints endpoints = discovery.discoverImage(n.name(), n.labels());
      PublicKeys keys;
      try {
        keys = discovery.discoverPublicKeys(n.name());
      } catch (NotDiscoveredException e) {
        keys = new PublicKeys(List.of(), e.attempts());
      }
      if (json) {
        out.println(json(endpoints, keys));
      } else {
        print(out, "discover endpoints walk", endpoints.attempts());
        print(out, "discover public keys walk", keys.attempts());
        for (ImageEndpoint e : endpoints.images()) {
          out.println("ACI: " + e.aci() + ", ASC: " + e.signature());
        }
        if (!keys.keys().isEmpty()) {
          out.println("PublicKeys: " + keys.keys().stream().map(URI::toString).collect(Collectors.joining(",")));
        }
      }
    }
    return 0;
  }

  /** The app with this machine's os and arch (or --os, --arch) where it gives none. */
  private NameAndLabels parse(String app) throws AppcException {
    try {
      NameAndLabels n = NameAndLabels.parse(app);
      Labels labels = n.labels();
      String osValue = labels.get("os").orElse(os != null ? os : Labels.appcOs(System.getProperty("os.name", "")));
      if (labels.get("os").isEmpty()) {
        labels = labels.with(OS, osValue);
      }
      if (labels.get("arch").isEmpty()) {
        labels = labels.with(ARCH, arch != null ? arch : Labels.appcArch(System.getProperty("os.arch", ""), osValue));
      }
      return new NameAndLabels(n.name(), labels);
    } catch (InvalidValueException e) {
      throw new AppcException(app + ": " + e.getMessage(), e);
    }
  }

  /** Go's line per failed page, with the page's URL and why: {@code WALK: prefix: PREFIX error: URL: FAILURE}. */
  private static void print(PrintWriter out, String walk, List<Attempt> attempts) {
    for (Attempt a : attempts) {
      out.println(walk + ": prefix: " + a.url().getHost() + a.url().getRawPath() + " error: " + a);
    }
  }

  /** Go's {@code json.MarshalIndent(dd, "", "    ")} of the endpoints and keys, and the failed pages. */
  private static String json(Endpoints endpoints, PublicKeys keys) throws AppcException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ArrayNode images = root.putArray("ACIEndpoints");
    for (ImageEndpoint e : endpoints.images()) {
      images.addObject().put("ACI", e.aci().toString()).put("ASC", e.signature().toString());
    }
    ArrayNode keyList = root.putArray("PublicKeys");
    keys.keys().forEach(k -> keyList.add(k.toString()));
    attempts(root.putArray("ACIEndpointsAttempts"), endpoints.attempts());
    attempts(root.putArray("PublicKeysAttempts"), keys.attempts());
    DefaultIndenter indent = new DefaultIndenter("    ", "\n");
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withArrayEmptySeparator("")
            .withObjectEmptySeparator(""))
        .withObjectIndenter(indent);
    pretty.indentArraysWith(indent);
    try {
      return mapper.writer(pretty).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new AppcException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static void attempts(ArrayNode into, List<Attempt> attempts) {
    for (Attempt a : attempts) {
      into.addObject().put("URL", a.url().toString()).put("Error", a.failure());
    }
  }
}
