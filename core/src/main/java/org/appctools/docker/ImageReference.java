package org.appctools.docker;

import java.util.Locale;
import java.util.regex.Pattern;
import org.appctools.AppcException;

/**
 * A Docker image reference, {@code [REGISTRY/]NAME[:TAG][@DIGEST]}, normalised as Docker does:
 * no registry (or {@code docker.io}, {@code index.docker.io}) means Docker Hub, whose API host is
 * {@code registry-1.docker.io} and whose one-component names live under {@code library/}; no tag
 * and no digest means {@code latest}.
 *
 * @param registry the registry host (and port), or empty for an image known only by name (an OCI
 *     layout whose tag carries no repository)
 * @param repository the repository path, e.g. {@code library/busybox}
 * @param tag the tag, or empty when pulled by digest only
 * @param digest {@code sha256:...}, or empty
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  /** The API host of Docker Hub, which docker2aci uses as the registry part of image names. */
  public static final String DOCKER_HUB = "registry-1.docker.io";

  private static final Pattern COMPONENT =
      Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
  private static final Pattern HOST = Pattern.compile(
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?"
          + "|\\[[0-9a-fA-F:.]+\\](?::[0-9]+)?");

  public ImageReference {
    registry = registry == null ? "" : registry;
    tag = tag == null ? "" : tag;
    digest = digest == null ? "" : digest;
  }

  /** Parses and normalises a reference; the message of a failure says what is wrong. */
  public static ImageReference parse(String text) throws AppcException {
    if (text == null || text.isEmpty()) {
      throw new AppcException("invalid image reference \"\": empty (expected [REGISTRY/]NAME[:TAG][@DIGEST])");
    }
    String rest = text;
    String digest = "";
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        throw invalid(text, "digest \"" + digest + "\" is not ALGORITHM:HEX");
      }
    }
    String tag = "";
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw invalid(text, "tag \"" + tag + "\" must be letters, digits, _ . - (at most 128, not starting with . or -)");
      }
    }
    String registry = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")
          || !first.equals(first.toLowerCase(Locale.ROOT))) {
        registry = first;
        rest = rest.substring(slash + 1);
        if (!HOST.matcher(registry).matches()) {
          throw invalid(text, "registry \"" + registry + "\" is not HOST[:PORT]");
        }
      }
    }
    if (rest.isEmpty()) {
      throw invalid(text, "no repository name");
    }
    for (String component : rest.split("/", -1)) {
      if (!COMPONENT.matcher(component).matches()) {
        throw invalid(text, "repository name component \"" + component
            + "\" must be lowercase letters and digits, separated by . _ __ or -");
      }
    }
    if (registry.isEmpty() || registry.equals("docker.io") || registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
      if (!rest.contains("/")) {
        rest = "library/" + rest;
      }
    }
    if (tag.isEmpty() && digest.isEmpty()) {
      tag = "latest";
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  private static AppcException invalid(String text, String why) {
    return new AppcException("invalid image reference \"" + text + "\": " + why);
  }

  /** The tag, else the digest: what a registry's manifests endpoint takes. */
  public String tagOrDigest() {
    return digest.isEmpty() ? tag : digest;
  }

  /** {@code REGISTRY/REPOSITORY}, or the repository alone for a local image. */
  public String name() {
    return registry.isEmpty() ? repository : registry + "/" + repository;
  }

  /** {@code REGISTRY/REPOSITORY[:TAG][@DIGEST]}. */
  @Override
  public String toString() {
    return name() + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
  }
}
