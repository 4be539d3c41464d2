package org.appctools.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.docker.json.DescriptorTemplate;
import org.appctools.registry.RegistryClient;

/**
 * An image pulled from a registry: its manifest (the platform's, from an index), config and
 * layers, the layers downloaded in parallel into a temporary directory (deleted on {@link
 * #close()}) and verified against their digests, then read from there by the squash.
 */
final class RegistryPull implements AutoCloseable {
  private final Path dir;
  private final SourceImage image;

  private RegistryPull(Path dir, SourceImage image) {
    this.dir = dir;
    this.image = image;
  }

  static RegistryPull pull(ImageReference ref, String original, ConvertOptions o) throws AppcException {
    RegistryClient client = new RegistryClient(o.registry());
    String registry = ref.registry();
    String repo = ref.repository();
    o.debug().accept("fetching the manifest of " + ref);
    RegistryClient.Manifest top = client.manifest(registry, repo, ref.tagOrDigest(),
        Manifests.ACCEPTED, Manifests.maxJsonBytes());
    Manifests.Resolved r = Manifests.resolve(ref.toString(), top.mediaType(), top.bytes(),
        top.digest(), o.platform(), d -> fetch(client, registry, repo, d));
    Path dir;
    try {
      dir = Files.createTempDirectory(o.tmpDir(), ".docker2aci-layers.");
    } catch (IOException e) {
      throw new AppcException("cannot create a temporary directory in " + o.tmpDir() + ": "
          + e.getMessage(), e);
    }
    try {
      List<RegistryClient.Download> downloads = new ArrayList<>();
      List<LayerBlob> layers = new ArrayList<>();
      for (DescriptorTemplate d : r.manifest().layers()) {
        Path file = dir.resolve(d.digest().replace(':', '-'));
        if (downloads.stream().noneMatch(x -> x.digest().equals(d.digest()))) {
          downloads.add(new RegistryClient.Download(d.digest(), d.size(), file));
        }
        layers.add(new LayerBlob(d.digest(), "", d.size(), () -> Files.newInputStream(file)));
      }
      o.debug().accept("downloading " + downloads.size() + " layers of " + ref);
      client.download(registry, repo, downloads);
      SourceImage image = new SourceImage(ref, original, r.manifestDigest(), r.configDigest(),
          r.config(), layers);
      return new RegistryPull(dir, image);
    } catch (AppcException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  private static byte[] fetch(RegistryClient client, String registry, String repo,
      DescriptorTemplate d) throws AppcException {
    Digests.check(d.digest());
    String type = d.mediaType() == null ? "" : d.mediaType();
    if (type.isEmpty() || Manifests.ACCEPTED.contains(type)) {
      return client.manifest(registry, repo, d.digest(), Manifests.ACCEPTED,
          Manifests.maxJsonBytes()).bytes();
    }
    return client.blob(registry, repo, d.digest(), Manifests.maxJsonBytes());
  }

  SourceImage image() {
    return image;
  }

  @Override
  public void close() {
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is not worth failing for
    }
  }
}
