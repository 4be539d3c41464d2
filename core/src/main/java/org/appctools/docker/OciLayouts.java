package org.appctools.docker;

import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.docker.json.DescriptorTemplate;
import org.appctools.docker.json.IndexTemplate;
import org.appctools.docker.json.ManifestTemplate;

/**
 * Images of an OCI image layout (spec 1.0: {@code oci-layout}, {@code index.json}, {@code
 * blobs/ALG/HEX}), as a directory or inside an OCI archive. Tags are the {@code
 * org.opencontainers.image.ref.name} annotations of {@code index.json}: a bare tag ({@code
 * latest}, as skopeo and umoci write them) or a full reference.
 */
final class OciLayouts {
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final String CONTAINERD_NAME = "io.containerd.image.name";

  private OciLayouts() {}

  /** Whether the files look like an OCI layout. */
  static boolean isLayout(ImageFiles files) {
    return files.exists("oci-layout") && files.exists("index.json");
  }

  /**
   * The image {@code selector} ({@code NAME[:TAG]} or a bare tag; null for the only one) of the
   * layout, for {@code platform} when it is an index. {@code defaultName} names images whose tag
   * carries no repository (the file or directory name, as the Go tool does).
   */
  static SourceImage read(ImageFiles files, String selector, String defaultName, Platform platform)
      throws AppcException {
    String where = files.describe();
    byte[] layoutJson = files.read("oci-layout", 4096);
    if (!new String(layoutJson, java.nio.charset.StandardCharsets.UTF_8).contains("\"1.")) {
      throw new AppcException(where + ": unsupported OCI layout version in oci-layout: "
          + new String(layoutJson, java.nio.charset.StandardCharsets.UTF_8).trim());
    }
    IndexTemplate index = Manifests.read(files.read("index.json", Manifests.maxJsonBytes()),
        IndexTemplate.class, where + ": index.json");
    if (index.manifests().isEmpty()) {
      throw new AppcException(where + ": index.json lists no image");
    }
    DescriptorTemplate chosen = null;
    List<String> names = new ArrayList<>();
    for (DescriptorTemplate d : index.manifests()) {
      String name = refName(d);
      names.add(name.isEmpty() ? d.digest() : name);
      if (selector != null && matches(name, selector, defaultName)) {
        chosen = d;
        break;
      }
    }
    if (selector == null) {
      if (index.manifests().size() > 1) {
        throw new AppcException(where + ": several images found, use --image with one of: "
            + String.join(", ", names));
      }
      chosen = index.manifests().get(0);
    } else if (chosen == null) {
      throw new AppcException(where + ": no image " + selector + " (it has "
          + String.join(", ", names) + ")");
    }
    String ref = refName(chosen);
    ImageReference reference = reference(ref, defaultName);
    String what = where + " (" + (ref.isEmpty() ? chosen.digest() : ref) + ")";
    Manifests.Fetcher fetcher = d -> fetch(files, d, where);
    byte[] top = fetcher.fetch(chosen);
    Manifests.Resolved r = Manifests.resolve(what, chosen.mediaType(), top, chosen.digest(),
        platform, fetcher);
    return new SourceImage(reference, ref.contains("/") || ref.contains(":") ? ref : reference.toString(),
        r.manifestDigest(), r.configDigest(), r.config(), layers(files, r.manifest()));
  }

  static List<LayerBlob> layers(ImageFiles files, ManifestTemplate manifest) throws AppcException {
    List<LayerBlob> layers = new ArrayList<>();
    for (DescriptorTemplate d : manifest.layers()) {
      String path = Digests.blobPath(d.digest());
      layers.add(new LayerBlob(d.digest(), "", d.size(), () -> files.open(path)));
    }
    return layers;
  }

  private static byte[] fetch(ImageFiles files, DescriptorTemplate d, String where)
      throws AppcException {
    if (d.digest() == null) {
      throw new AppcException(where + ": a descriptor has no digest");
    }
    byte[] bytes = files.read(Digests.blobPath(d.digest()), Manifests.maxJsonBytes());
    Digests.verify(where + ": blob " + d.digest(), bytes, d.digest());
    return bytes;
  }

  /**
   * The name of an index entry: containerd's full name when there is one (Docker 25 archives give
   * it, with only the tag as the OCI ref name), else the OCI ref name.
   */
  private static String refName(DescriptorTemplate d) {
    String n = d.annotations().get(CONTAINERD_NAME);
    if (n == null || n.isEmpty()) {
      n = d.annotations().get(REF_NAME);
    }
    return n == null ? "" : n;
  }

  /** A tag ({@code latest}) names {@code defaultName:latest}; anything else is a reference. */
  static ImageReference reference(String refName, String defaultName) throws AppcException {
    if (refName.contains("/") || refName.contains("@")
        || (refName.contains(":") && !refName.startsWith(":"))) {
      try {
        return ImageReference.parse(refName);
      } catch (AppcException e) {
        // a tag with unusual characters: fall through to the tag form
      }
    }
    return new ImageReference("", defaultName, refName.isEmpty() ? "latest" : refName, "");
  }

  private static boolean matches(String refName, String selector, String defaultName)
      throws AppcException {
    if (refName.isEmpty()) {
      return false;
    }
    if (refName.equals(selector)) {
      return true;
    }
    ImageReference have = reference(refName, defaultName);
    if (!selector.contains(":") && !selector.contains("/") && have.tag().equals(selector)) {
      return true;
    }
    if (have.registry().isEmpty()) {
      int colon = selector.lastIndexOf(':');
      String name = colon > selector.lastIndexOf('/') ? selector.substring(0, colon) : selector;
      String tag = colon > selector.lastIndexOf('/') ? selector.substring(colon + 1) : "latest";
      return name.equals(have.repository()) && tag.equals(have.tag());
    }
    try {
      return ImageReference.parse(selector).equals(have);
    } catch (AppcException e) {
      return false;
    }
  }
}
