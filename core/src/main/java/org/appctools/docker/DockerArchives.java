package org.appctools.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.docker.json.ArchiveManifestTemplate;
import org.appctools.docker.json.ConfigTemplate;
import org.appctools.docker.json.DockerJson;

/**
 * Images of a {@code docker save} archive. Two layouts: the current one, whose {@code
 * manifest.json} lists each image's config file, tags and layer files (base first; skopeo makes
 * the layer files symlinks), and the old one, with only {@code repositories} (name, tag, top layer
 * ID) and a directory per layer holding {@code json} (with the parent's ID) and {@code layer.tar}.
 */
final class DockerArchives {
  private static final Pattern HEX64 = Pattern.compile("([a-f0-9]{64})");
  private static final Pattern LEGACY_ID = Pattern.compile("[a-f0-9]{64}");

  private DockerArchives() {}

  static boolean isArchive(ImageFiles files) {
    return files.exists("manifest.json") || files.exists("repositories");
  }

  /** The image {@code selector} ({@code NAME[:TAG]}, null for the only one) of the archive. */
  static SourceImage read(ImageFiles files, String selector) throws AppcException {
    if (files.exists("manifest.json")) {
      return current(files, selector);
    }
    return legacy(files, selector);
  }

  private static SourceImage current(ImageFiles files, String selector) throws AppcException {
    String where = files.describe();
    List<ArchiveManifestTemplate> images = list(files.read("manifest.json", Manifests.maxJsonBytes()),
        where + ": manifest.json");
    if (images.isEmpty()) {
      throw new AppcException(where + ": manifest.json lists no image");
    }
    ArchiveManifestTemplate chosen = null;
    String chosenTag = null;
    List<String> names = new ArrayList<>();
    for (ArchiveManifestTemplate image : images) {
      if (image.repoTags().isEmpty()) {
        names.add(image.config());
      }
      for (String tag : image.repoTags()) {
        names.add(tag);
        if (chosen == null && selector != null && sameImage(tag, selector)) {
          chosen = image;
          chosenTag = tag;
        }
      }
    }
    if (selector == null) {
      if (images.size() > 1) {
        throw several(where, names);
      }
      chosen = images.get(0);
      chosenTag = chosen.repoTags().isEmpty() ? null : chosen.repoTags().get(0);
    } else if (chosen == null) {
      throw new AppcException(where + ": no image " + selector + " in the archive (it has "
          + String.join(", ", names) + ")");
    }
    byte[] configJson = files.read(chosen.config(), Manifests.maxJsonBytes());
    String configDigest = Digests.sha256(configJson);
    Matcher hex = HEX64.matcher(chosen.config());
    if (hex.find() && !configDigest.equals("sha256:" + hex.group(1))) {
      throw Digests.mismatch(where + ": config " + chosen.config(), "sha256:" + hex.group(1),
          configDigest);
    }
    ConfigTemplate config = Manifests.read(configJson, ConfigTemplate.class,
        where + ": config " + chosen.config());
    List<String> diffIds = config.rootfs() == null ? List.of() : config.rootfs().diffIds();
    if (diffIds.size() != chosen.layers().size()) {
      throw new AppcException(where + ": the config of " + (chosenTag == null ? chosen.config() : chosenTag)
          + " lists " + diffIds.size() + " layers but manifest.json " + chosen.layers().size());
    }
    List<LayerBlob> layers = new ArrayList<>();
    for (int i = 0; i < chosen.layers().size(); i++) {
      String path = chosen.layers().get(i);
      Digests.check(diffIds.get(i));
      if (!files.exists(path)) {
        throw new AppcException(where + ": layer " + path + " is missing from the archive");
      }
      layers.add(new LayerBlob("", diffIds.get(i), -1, () -> files.open(path)));
    }
    ImageReference ref = chosenTag == null ? new ImageReference("", defaultName(where), "latest", "")
        : ImageReference.parse(chosenTag);
    return new SourceImage(ref, chosenTag == null ? ref.toString() : chosenTag, "", configDigest,
        config, layers);
  }

  private static SourceImage legacy(ImageFiles files, String selector) throws AppcException {
    String where = files.describe();
    TreeMap<String, TreeMap<String, String>> repositories;
    try {
      repositories = DockerJson.read(files.read("repositories", Manifests.maxJsonBytes()),
          new TypeReference<TreeMap<String, TreeMap<String, String>>>() {}, where + ": repositories");
    } catch (IOException e) {
      throw new AppcException(e.getMessage(), e);
    }
    List<String> names = new ArrayList<>();
    String chosenName = null;
    String topId = null;
    for (Map.Entry<String, TreeMap<String, String>> repo : repositories.entrySet()) {
      for (Map.Entry<String, String> tag : repo.getValue().entrySet()) {
        String name = repo.getKey() + ":" + tag.getKey();
        names.add(name);
        if (topId == null && selector != null && sameImage(name, selector)) {
          chosenName = name;
          topId = tag.getValue();
        }
      }
    }
    if (selector == null) {
      if (names.size() != 1) {
        if (names.isEmpty()) {
          throw new AppcException(where + ": repositories lists no image");
        }
        throw several(where, names);
      }
      chosenName = names.get(0);
      Map<String, String> tags = repositories.values().iterator().next();
      topId = tags.values().iterator().next();
    } else if (topId == null) {
      throw new AppcException(where + ": no image " + selector + " in the archive (it has "
          + String.join(", ", names) + ")");
    }
    List<String> chain = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    ConfigTemplate top = null;
    for (String id = topId; id != null && !id.isEmpty(); ) {
      if (!LEGACY_ID.matcher(id).matches()) {
        throw new AppcException(where + ": invalid layer ID \"" + id + "\"");
      }
      if (!seen.add(id)) {
        throw new AppcException(where + ": the layers' parents form a loop at " + id);
      }
      ConfigTemplate json = Manifests.read(files.read(id + "/json", Manifests.maxJsonBytes()),
          ConfigTemplate.class, where + ": " + id + "/json");
      if (top == null) {
        top = json;
      }
      chain.add(id);
      id = json.parent();
    }
    Collections.reverse(chain);
    List<LayerBlob> layers = new ArrayList<>();
    for (String id : chain) {
      String path = id + "/layer.tar";
      if (!files.exists(path)) {
        throw new AppcException(where + ": layer " + path + " is missing from the archive");
      }
      layers.add(new LayerBlob("", "", -1, () -> files.open(path)));
    }
    ImageReference ref = ImageReference.parse(chosenName);
    return new SourceImage(ref, chosenName, "", "", top, layers);
  }

  private static List<ArchiveManifestTemplate> list(byte[] json, String what) throws AppcException {
    try {
      return DockerJson.read(json, new TypeReference<List<ArchiveManifestTemplate>>() {}, what);
    } catch (IOException e) {
      throw new AppcException(e.getMessage(), e);
    }
  }

  private static AppcException several(String where, List<String> names) {
    return new AppcException(where + ": several images found, use --image with one of: "
        + String.join(", ", names));
  }

  /** Whether two references name the same image once normalised ({@code busybox} = {@code docker.io/library/busybox:latest}). */
  static boolean sameImage(String a, String b) {
    try {
      return ImageReference.parse(a).equals(ImageReference.parse(b));
    } catch (AppcException e) {
      return a.equals(b);
    }
  }

  private static String defaultName(String where) {
    String base = java.nio.file.Path.of(where).getFileName().toString();
    int dot = base.indexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }
}
