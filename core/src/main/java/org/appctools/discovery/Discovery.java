package org.appctools.discovery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.http.Http;
import org.appctools.http.HttpException;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;

/**
 * Meta discovery as the Go reference does it ({@code discovery/discovery.go}, appc 0.8.11). For
 * {@code a.com/b/c} it fetches {@code https://a.com/b/c?ac-discovery=1}, then {@code a.com/b},
 * then {@code a.com}, and stops at the first page that gives what is looked for; a page counts as
 * failed when it cannot be fetched, is not 200, or has no matching tag. With {@link
 * DiscoveryOptions#insecure()} a failed HTTPS page is tried again over plain HTTP. A tag applies
 * when the name starts with its prefix (a plain string prefix: {@code a.com/b} also covers
 * {@code a.com/bc}). Image templates are rendered with {@code {name}}, every label ({@code
 * {version}}, defaulting to {@code latest}, {@code {os}}, {@code {arch}}, any other) and {@code
 * {ext}} ({@code aci}, and {@code aci.asc} for the signature); a template with anything left in
 * braces is skipped. Image endpoints and public keys are looked for in two independent walks.
 */
public final class Discovery {
  /** Discovery pages are small; anything bigger is not one. */
  static final long MAX_PAGE_BYTES = 4L << 20;

  private static final Pattern UNRENDERED = Pattern.compile("\\{.*?\\}");
  private static final AcIdentifier VERSION = AcIdentifier.parse("version");

  private final Http http;
  private final DiscoveryOptions options;

  /** @throws IllegalArgumentException when {@code options} are insecure but {@code http} does not allow plain HTTP */
  public Discovery(Http http, DiscoveryOptions options) {
    this.http = Objects.requireNonNull(http, "http");
    this.options = Objects.requireNonNull(options, "options");
    if (options.insecure() && !http.options().allowHttp()) {
      throw new IllegalArgumentException("insecure discovery falls back to plain HTTP, which the Http given does not allow");
    }
  }

  /**
   * The image endpoints for {@code name} with {@code labels} ({@code os} and {@code arch} as the
   * caller wants them; {@code version} defaults to {@code latest} for rendering only).
   *
   * @throws NotDiscoveredException when no page gave an endpoint; its message lists every attempt
   */
  public Endpoints discoverImage(AcIdentifier name, Labels labels) throws AppcException {
    Labels forRendering = labels.get("version").filter(v -> !v.isEmpty()).isPresent() ? labels : labels.with(VERSION, "latest");
    Walk walk = new Walk();
    for (String prefix : prefixes(name)) {
      Page page = walk.fetch(prefix);
      if (page == null) {
        continue;
      }
      List<ImageEndpoint> images = new ArrayList<>();
      List<URI> keys = new ArrayList<>();
      Set<String> missing = new TreeSet<>();
      for (MetaTags.Meta m : page.metas) {
        if (!name.value().startsWith(m.prefix())) {
          continue;
        }
        if (m.name().equals("ac-discovery")) {
          String template = render(m.uri(), name, forRendering);
          String asc = template.replace("{ext}", "aci.asc");
          String aci = template.replace("{ext}", "aci");
          missing.addAll(unrendered(asc));
          missing.addAll(unrendered(aci));
          URI aciUri = uri(aci);
          URI ascUri = uri(asc);
          if (unrendered(asc).isEmpty() && unrendered(aci).isEmpty() && aciUri != null && ascUri != null) {
            images.add(new ImageEndpoint(aciUri, ascUri));
          }
        } else if (m.name().equals("ac-discovery-pubkeys")) {
          URI key = uri(m.uri());
          if (key != null) {
            keys.add(key);
          }
        }
      }
      if (!images.isEmpty()) {
        return new Endpoints(images, keys, walk.attempts);
      }
      walk.failed(page.url, missing.isEmpty()
          ? "no matching ac-discovery meta tag"
          : "the matching ac-discovery templates need " + String.join(", ", missing) + ", which no label gives");
    }
    throw walk.nothing("ac-discovery", name);
  }

  /**
   * The {@code ac-discovery-pubkeys} for {@code name}, walking up on their own.
   *
   * @throws NotDiscoveredException when no page gave a key; its message lists every attempt
   */
  public PublicKeys discoverPublicKeys(AcIdentifier name) throws AppcException {
    Walk walk = new Walk();
    for (String prefix : prefixes(name)) {
      Page page = walk.fetch(prefix);
      if (page == null) {
        continue;
      }
      List<URI> keys = new ArrayList<>();
      for (MetaTags.Meta m : page.metas) {
        if (m.name().equals("ac-discovery-pubkeys") && name.value().startsWith(m.prefix())) {
          URI key = uri(m.uri());
          if (key != null) {
            keys.add(key);
          }
        }
      }
      if (!keys.isEmpty()) {
        return new PublicKeys(keys, walk.attempts);
      }
      walk.failed(page.url, "no matching ac-discovery-pubkeys meta tag");
    }
    throw walk.nothing("ac-discovery-pubkeys", name);
  }

  /** {@code a.com/b/c}, {@code a.com/b}, {@code a.com}: the name's prefixes at each {@code /}, longest first. */
  static List<String> prefixes(AcIdentifier name) {
    String[] parts = name.value().split("/", -1);
    List<String> out = new ArrayList<>();
    for (int end = parts.length; end > 0; end--) {
      out.add(String.join("/", java.util.Arrays.asList(parts).subList(0, end)));
    }
    return out;
  }

  /** {@code SCHEME://HOST[:PORT]/PATH?ac-discovery=1} for a prefix {@code HOST/PATH}, as Go builds it. */
  URI discoveryUrl(String scheme, String prefix) {
    int slash = prefix.indexOf('/');
    String host = slash < 0 ? prefix : prefix.substring(0, slash);
    String path = slash < 0 ? "" : prefix.substring(slash);
    return URI.create(scheme + "://" + host + (options.port() == null ? "" : ":" + options.port()) + path + "?ac-discovery=1");
  }

  /** Replaces {@code {name}} and then {@code {label}} for every label, as Go's renderTemplate. */
  static String render(String template, AcIdentifier name, Labels labels) {
    String s = template.replace("{name}", name.value());
    for (Label l : labels.list()) {
      s = s.replace("{" + l.name().value() + "}", l.value());
    }
    return s;
  }

  /** The {@code {...}} left in a rendered template. */
  static List<String> unrendered(String rendered) {
    List<String> left = new ArrayList<>();
    Matcher m = UNRENDERED.matcher(rendered);
    while (m.find()) {
      left.add(m.group());
    }
    return left;
  }

  private static URI uri(String s) {
    try {
      return new URI(s);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /** A fetched discovery page. */
  private record Page(URI url, List<MetaTags.Meta> metas) {}

  /** One walk up a name: the pages tried, and what could be done about the failures. */
  private final class Walk {
    final List<Attempt> attempts = new ArrayList<>();
    final Set<String> fixes = new LinkedHashSet<>();

    /** The page for a prefix over HTTPS, else (insecure) over HTTP; null when neither answered 200. */
    Page fetch(String prefix) throws AppcException {
      Page page = fetch(discoveryUrl("https", prefix));
      if (page == null && options.insecure()) {
        page = fetch(discoveryUrl("http", prefix));
      }
      return page;
    }

    private Page fetch(URI url) throws AppcException {
      try {
        Http.Response r = http.get(url, MAX_PAGE_BYTES);
        if (r.status() != 200) {
          failed(url, "HTTP " + r.status() + " (expected 200 OK)");
          return null;
        }
        return new Page(url, MetaTags.parse(new String(r.body(), StandardCharsets.UTF_8)));
      } catch (HttpException e) {
        failed(url, e.reason());
        if (e.fix() != null) {
          fixes.add(e.fix());
        }
        return null;
      }
    }

    void failed(URI url, String why) {
      attempts.add(new Attempt(url, why));
    }

    NotDiscoveredException nothing(String tag, AcIdentifier name) {
      List<String> advice = new ArrayList<>(fixes);
      advice.add(options.insecure() ? "check the name" : "check the name, or pass --insecure to also try plain HTTP");
      List<String> tried = attempts.stream().map(Attempt::toString).toList();
      return new NotDiscoveredException("discover: no " + tag + " meta tag for " + name + " ("
          + String.join("; ", tried) + "); " + String.join("; ", advice), attempts);
    }
  }
}
