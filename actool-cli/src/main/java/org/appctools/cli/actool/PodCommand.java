package org.appctools.cli.actool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.oci.KubernetesPod;
import org.appctools.schema.PodManifest;
import org.appctools.schema.SchemaException;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pod",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool pod k8s pod.json > pod.yaml"},
    description = "Pod manifests for other runtimes", subcommands = {PodCommand.K8s.class, HelpCommand.class})
final class PodCommand {
  @Command(name = "k8s",
      footerHeading = "%nExamples:%n",
      footer = {
        "  actool pod k8s --image-ref web=registry.example.com/web:1.0 pod.json > pod.yaml"},
      description = {
      "Print a Kubernetes Pod (YAML) for an appc pod manifest",
      "",
      "Each app becomes a container whose image is --image-ref APP=REF (else the app's image name and version, as "
          + "actool push would tag it); volumes, mounts, ports, resource limits, capabilities and the app's settings "
          + "follow (see docs/oci-export.md). Image manifests come from the store when it has them. What a Pod cannot "
          + "express is printed as warnings on stderr, and heads the YAML as comments."})
  static final class K8s implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin StoreOptions store;

    @Option(names = "--image-ref", paramLabel = "APP=REF", description = "The container image of an app")
    List<String> imageRefs = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "The Pod's name (default: the manifest file's name)")
    String name;

    @Parameters(index = "0", paramLabel = "POD_MANIFEST") Path manifest;

    @Override
    public Integer call() throws AppcException {
      Map<String, String> refs = new LinkedHashMap<>();
      for (String r : imageRefs) {
        int eq = r.indexOf('=');
        if (eq <= 0 || eq == r.length() - 1) {
          throw new ParameterException(spec.commandLine(), "--image-ref \"" + r + "\" is not APP=REF");
        }
        refs.put(r.substring(0, eq), r.substring(eq + 1));
      }
      PodManifest pod;
      try {
        pod = PodManifest.parse(Files.readAllBytes(manifest));
      } catch (IOException e) {
        throw new AppcException("pod k8s: cannot read " + manifest + ": " + e.getMessage(), e);
      } catch (SchemaException e) {
        throw new AppcException("pod k8s: " + manifest + ": " + e.getMessage(), e);
      }
      ImageStore s = Files.isDirectory(store.storeDir != null ? store.storeDir : ImageStore.defaultDir()) ? store.store() : null;
      KubernetesPod.ImageLookup lookup = id -> {
        Optional<StoredImage> stored = s == null ? Optional.empty() : s.get(id.value());
        return stored.isEmpty() ? Optional.empty() : Optional.of(s.manifest(stored.get()));
      };
      KubernetesPod.Result r = KubernetesPod.convert(pod, new KubernetesPod.Options(name != null ? name : podName(manifest), refs, lookup));
      r.warnings().forEach(w -> spec.commandLine().getErr().println("pod k8s: warning: " + w));
      spec.commandLine().getOut().print(r.yaml());
      return 0;
    }

    /** The file's name up to its first dot, made a DNS label. */
    private static String podName(Path file) {
      String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
      int dot = n.indexOf('.');
      n = (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
      return n.isEmpty() ? "pod" : n.length() > 63 ? n.substring(0, 63).replaceAll("-+$", "") : n;
    }
  }
}
