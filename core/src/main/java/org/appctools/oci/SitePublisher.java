package org.appctools.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.aci.AciArchive;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.SchemaException;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.SemVer;
import org.appctools.sign.Signer;
import org.appctools.sign.SigningKey;
import org.appctools.sign.TrustStore;
import org.appctools.sign.TrustedKey;
import org.appctools.sign.Verifier;

/**
 * Publishes ACIs as a static site that appc meta discovery finds and any web server, object
 * store or CDN can serve as plain files ({@code BASE} is the base URL, {@code DIR} the directory
 * served at it):
 *
 * <pre>
 * NAME-VERSION-OS-ARCH.aci[.asc]    each image and its signature ({@code DIR/example.com/app-1.0.0-linux-amd64.aci})
 * NAME-latest-OS-ARCH.aci[.asc]     a copy of the highest version (SemVer order, else the last published)
 * pubkeys/FINGERPRINT.asc           the public keys that sign them
 * PATH                              the discovery page of each name HOST/PATH (the HTML at the name's own URL,
 *                                   which a static server serves whatever the query), or PATH/index.html when
 *                                   another name lies below it
 * index.html                        the site's page: tags for every name under the base URL, and a list
 *                                   of the images
 * .appctools-site.json              what was published, so that the next publish adds to it
 * </pre>
 *
 * Each page has {@code <meta name="ac-discovery" content="NAME BASE{name}-{version}-{os}-{arch}.{ext}">}
 * and one {@code ac-discovery-pubkeys} tag per key. A name's URL must lie under the base URL (same
 * host, ports aside, and the base path a prefix of the name's path), so that its page is in
 * {@code DIR}. Every signature is checked against the published keys before anything is written;
 * files are written under temporary names and renamed, the record last, so publishing again
 * (also after a failure) gives a complete site.
 */
public final class SitePublisher {
  /** The record of a site. */
  public static final String RECORD = ".appctools-site.json";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One image to publish: the ACI and its detached signature (null to sign it with the key).
   */
  public record Image(Path aci, Path signature) {}

  /**
   * How to publish.
   *
   * @param dir the site's directory
   * @param baseUrl the URL {@code dir} is served at
   * @param key the key to sign the images with, or null to publish their own signatures
   * @param publicKeys further armored public keys to publish (files)
   */
  public record Options(Path dir, URI baseUrl, SigningKey key, List<Path> publicKeys) {
    public Options {
      publicKeys = publicKeys == null ? List.of() : List.copyOf(publicKeys);
    }
  }

  /** What was published: the ACI files (relative to the site) and the discovery pages. */
  public record Result(List<String> images, List<String> pages, List<String> keys) {
    public Result {
      images = List.copyOf(images);
      pages = List.copyOf(pages);
      keys = List.copyOf(keys);
    }
  }

  /** The record: the base URL, the published images in order and the key fingerprints. */
  record Site(String baseUrl, List<Entry> images, List<String> keys) {
    Site {
      images = images == null ? List.of() : List.copyOf(images);
      keys = keys == null ? List.of() : List.copyOf(keys);
    }
  }

  /** One published image; {@code version} is {@code latest} for an image without one. */
  record Entry(String name, String version, String os, String arch) {
    String file(String version) {
      return name + "-" + version + "-" + os + "-" + arch + ".aci";
    }
  }

  private SitePublisher() {}

  /** The size of an image to publish, 0 if it cannot be read (reading it then says why). */
  private static long size(Path aci) {
    try {
      return Files.size(aci);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Publishes {@code images} into the site {@code options} describe. */
  public static Result publish(List<Image> images, Options options) throws AppcException {
    return publish(images, options, ProgressListener.NONE);
  }

  /**
   * {@link #publish(List, Options)}, telling {@code progress} the bytes of the images signed
   * and checked so far against their sum (the copies into the site follow).
   */
  public static Result publish(List<Image> images, Options options, ProgressListener progress)
      throws AppcException {
    String base = options.baseUrl().toString();
    if (!base.endsWith("/")) {
      base += "/";
    }
    URI baseUrl = URI.create(base);
    if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())
        || baseUrl.getHost() == null || baseUrl.getRawQuery() != null) {
      throw new AppcException("publish: base URL " + options.baseUrl() + " is not an http(s) URL "
          + "of a directory");
    }
    Path dir = options.dir().toAbsolutePath().normalize();
    Path tmp;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempDirectory(dir, ".publish-");
    } catch (IOException e) {
      throw new AppcException("publish: cannot write to " + dir + ": " + e.getMessage(), e);
    }
    try {
      Site site = readSite(dir, base);
      Map<String, byte[]> keys = keys(dir, site, options);
      if (keys.isEmpty()) {
        throw new AppcException("publish: no public key to publish; sign with --key, or give the "
            + "signers' keys with --pubkey (fetch verifies every image against them)");
      }
      TrustStore trust = new TrustStore(null, tmp.resolve("trust"), w -> { });
      for (byte[] k : keys.values()) {
        trust.trust(null, k);
      }
      // read, sign and check everything first; then write
      List<Entry> entries = new ArrayList<>(site.images());
      Map<Entry, Path[]> staged = new LinkedHashMap<>();
      long total = 0;
      for (Image image : images) {
        total += size(image.aci());
      }
      long done = 0;
      progress.progress(done, total);
      for (Image image : images) {
        ImageManifest m = manifest(image.aci());
        Entry e = entry(m, image.aci());
        pagePath(baseUrl, m.name().value());
        Path asc = image.signature();
        if (options.key() != null) {
          asc = tmp.resolve("sig-" + staged.size() + ".asc");
          Signer.signDetached(image.aci(), asc, options.key());
        } else if (asc == null || !Files.isRegularFile(asc)) {
          throw new AppcException("publish: " + image.aci() + " has no signature"
              + (asc == null ? "" : " " + asc) + "; sign it with --key (fetch refuses unsigned "
              + "images)");
        }
        try {
          Verifier.verify(image.aci(), asc, m.name(), trust);
        } catch (AppcException ex) {
          throw new AppcException("publish: " + image.aci() + ": the signature does not verify "
              + "with the published keys (" + ex.getMessage() + "); give the signer's key with "
              + "--pubkey", ex);
        }
        staged.put(e, new Path[] {image.aci(), asc});
        done += size(image.aci());
        progress.progress(done, total);
        entries.remove(e);
        entries.add(e);
      }
      List<String> written = new ArrayList<>();
      for (Map.Entry<Entry, Path[]> s : staged.entrySet()) {
        String file = s.getKey().file(s.getKey().version());
        copy(s.getValue()[0], dir.resolve(file), tmp);
        copy(s.getValue()[1], dir.resolve(file + ".asc"), tmp);
        written.add(file);
      }
      for (Map.Entry<String, Entry> latest : latest(entries).entrySet()) {
        Entry e = latest.getValue();
        if (!e.version().equals("latest")) {
          String from = e.file(e.version());
          copy(dir.resolve(from), dir.resolve(e.file("latest")), tmp);
          copy(dir.resolve(from + ".asc"), dir.resolve(e.file("latest") + ".asc"), tmp);
        }
      }
      List<String> keyFiles = new ArrayList<>();
      for (Map.Entry<String, byte[]> k : keys.entrySet()) {
        String file = "pubkeys/" + k.getKey() + ".asc";
        write(dir.resolve(file), k.getValue(), tmp);
        keyFiles.add(file);
      }
      List<String> pages = writePages(dir, baseUrl, base, entries, keyFiles, tmp);
      Site updated = new Site(base, entries, new ArrayList<>(keys.keySet()));
      try {
        write(dir.resolve(RECORD), JSON.writeValueAsBytes(updated), tmp);
      } catch (IOException e) {
        throw new AppcException("publish: writing " + dir.resolve(RECORD) + ": " + e.getMessage(), e);
      }
      return new Result(written, pages, keyFiles);
    } finally {
      OciExporter.deleteTree(tmp);
    }
  }

  private static ImageManifest manifest(Path aci) throws AppcException {
    try {
      return ImageManifest.parse(AciArchive.readManifest(aci));
    } catch (SchemaException e) {
      throw new AppcException("publish: " + aci + ": invalid manifest: " + e.getMessage(), e);
    }
  }

  private static Entry entry(ImageManifest m, Path aci) throws AppcException {
    String os = m.labels().get("os").orElse(null);
    String arch = m.labels().get("arch").orElse(null);
    if (os == null || arch == null) {
      throw new AppcException("publish: " + aci + " has no " + (os == null ? "os" : "arch")
          + " label, which the discovery templates need (fetch asks for its own os and arch); "
          + "add it: acbuild --modify " + aci + " label add " + (os == null ? "os linux" : "arch amd64"));
    }
    return new Entry(m.name().value(), m.labels().get("version").orElse("latest"), os, arch);
  }

  /** The site's record, or a new one; a site made for another base URL is refused. */
  private static Site readSite(Path dir, String base) throws AppcException {
    Path record = dir.resolve(RECORD);
    if (!Files.exists(record)) {
      return new Site(base, List.of(), List.of());
    }
    Site site;
    try {
      site = JSON.readValue(record.toFile(), Site.class);
    } catch (IOException e) {
      throw new AppcException("publish: " + record + " is not a site record (" + e.getMessage()
          + "); publish into an empty directory", e);
    }
    if (!base.equals(site.baseUrl())) {
      throw new AppcException("publish: " + dir + " is the site of " + site.baseUrl()
          + ", not of " + base + "; publish with --base-url " + site.baseUrl()
          + " or into another directory");
    }
    return site;
  }

  /** The keys to publish by fingerprint: those of the site, then --key's and --pubkey's. */
  private static Map<String, byte[]> keys(Path dir, Site site, Options options)
      throws AppcException {
    Map<String, byte[]> keys = new TreeMap<>();
    try {
      for (String fpr : site.keys()) {
        keys.put(fpr, Files.readAllBytes(dir.resolve("pubkeys").resolve(fpr + ".asc")));
      }
      List<byte[]> given = new ArrayList<>();
      if (options.key() != null) {
        given.add(options.key().armoredPublicKey());
      }
      for (Path p : options.publicKeys()) {
        given.add(Files.readAllBytes(p));
      }
      for (byte[] k : given) {
        TrustedKey t;
        try {
          t = TrustStore.inspect(k);
        } catch (AppcException e) {
          throw new AppcException("publish: " + e.getMessage().replaceFirst("^trust: ", ""), e);
        }
        keys.put(t.fingerprint(), k);
      }
    } catch (IOException e) {
      throw new AppcException("publish: reading a public key: " + e.getMessage(), e);
    }
    return keys;
  }

  /**
   * The path in the site of the page of {@code name}: its URL relative to the base URL. Fails
   * when the name's URL is not under the base URL.
   */
  static String pagePath(URI base, String name) throws AppcException {
    int slash = name.indexOf('/');
    String host = slash < 0 ? name : name.substring(0, slash);
    String path = slash < 0 ? "/" : name.substring(slash) + "/";
    String basePath = base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    if (!host.equals(base.getHost()) || !path.startsWith(basePath)) {
      throw new AppcException("publish: " + name + " is discovered at https://" + name
          + "?ac-discovery=1, which is not under the base URL " + base + " (a site serves the "
          + "pages of the names under its URL; publish it to a site at https://" + host + "/)");
    }
    String rel = path.substring(basePath.length());
    return rel.isEmpty() ? "" : rel.substring(0, rel.length() - 1);
  }

  /** For each name/os/arch, the entry the latest file copies. */
  private static Map<String, Entry> latest(List<Entry> entries) {
    Map<String, Entry> out = new TreeMap<>();
    for (Entry e : entries) {
      String key = e.name() + " " + e.os() + " " + e.arch();
      Entry have = out.get(key);
      if (have == null || newer(e, have)) {
        out.put(key, e);
      }
    }
    return out;
  }

  /**
   * Whether {@code e}, published after {@code have}, takes the latest file: an image without a
   * version is that file and keeps it; between two SemVer versions the higher one; otherwise
   * the later published.
   */
  private static boolean newer(Entry e, Entry have) {
    if (e.version().equals("latest") || have.version().equals("latest")) {
      return e.version().equals("latest");
    }
    SemVer a = semver(e.version());
    SemVer b = semver(have.version());
    return a == null || b == null || a.compareTo(b) >= 0;
  }

  private static SemVer semver(String v) {
    try {
      return SemVer.parse(v);
    } catch (InvalidValueException e) {
      return null;
    }
  }

  private static List<String> writePages(Path dir, URI baseUrl, String base, List<Entry> entries,
      List<String> keyFiles, Path tmp) throws AppcException {
    Map<String, List<Entry>> byName = new TreeMap<>();
    for (Entry e : entries) {
      byName.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
    }
    Map<String, String> pathOf = new TreeMap<>();
    Set<String> directories = new HashSet<>();
    for (String name : byName.keySet()) {
      String p = pagePath(baseUrl, name);
      pathOf.put(name, p);
      addParents(p, directories);
      for (Entry e : byName.get(name)) {
        addParents(e.file(e.version()), directories);
      }
    }
    directories.add("pubkeys");
    List<String> pages = new ArrayList<>();
    for (Map.Entry<String, String> n : pathOf.entrySet()) {
      String p = n.getValue();
      if (p.isEmpty()) {
        continue; // the host's own name: the root page has its tags
      }
      Path target = dir.resolve(p);
      String file = directories.contains(p) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
          ? p + "/index.html" : p;
      write(dir.resolve(file), page(n.getKey(), n.getKey(), List.of(n.getKey()), byName, base,
          keyFiles), tmp);
      pages.add(file);
    }
    String sitePrefix = (baseUrl.getHost() + baseUrl.getRawPath()).replaceAll("/+$", "");
    write(dir.resolve("index.html"), page(sitePrefix, sitePrefix,
        new ArrayList<>(byName.keySet()), byName, base, keyFiles), tmp);
    pages.add("index.html");
    return pages;
  }

  private static void addParents(String path, Set<String> into) {
    for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      into.add(path.substring(0, i));
    }
  }

  /**
   * A discovery page: its tags for names starting with {@code prefix}, and a list of the images
   * of {@code names}.
   */
  private static byte[] page(String title, String prefix, List<String> names,
      Map<String, List<Entry>> byName, String base, List<String> keyFiles) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title)).append("</title>\n");
    h.append("<meta name=\"ac-discovery\" content=\"").append(escape(prefix)).append(' ')
        .append(escape(base)).append("{name}-{version}-{os}-{arch}.{ext}\">\n");
    for (String k : keyFiles) {
      h.append("<meta name=\"ac-discovery-pubkeys\" content=\"").append(escape(prefix))
          .append(' ').append(escape(base + k)).append("\">\n");
    }
    h.append("</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n<ul>\n");
    for (String name : names) {
      List<Entry> sorted = new ArrayList<>(byName.get(name));
      sorted.sort(Comparator.comparing(Entry::version).thenComparing(Entry::os)
          .thenComparing(Entry::arch));
      for (Entry e : sorted) {
        String url = base + e.file(e.version());
        h.append("<li><a href=\"").append(escape(url)).append("\">").append(escape(name))
            .append(' ').append(escape(e.version())).append(' ').append(escape(e.os()))
            .append('/').append(escape(e.arch())).append("</a> (<a href=\"")
            .append(escape(url + ".asc")).append("\">signature</a>)</li>\n");
      }
    }
    h.append("</ul>\n<p>Public keys:");
    for (String k : new TreeSet<>(keyFiles)) {
      h.append(" <a href=\"").append(escape(base + k)).append("\">")
          .append(escape(k.substring("pubkeys/".length(), k.length() - 4))).append("</a>");
    }
    h.append("</p>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")
        .replace(">", "&gt;");
  }

  private static void copy(Path from, Path to, Path tmp) throws AppcException {
    try {
      Path t = Files.createTempFile(tmp, "file-", ".tmp");
      Files.copy(from, t, StandardCopyOption.REPLACE_EXISTING);
      place(t, to);
    } catch (IOException e) {
      throw new AppcException("publish: copying " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path to, byte[] bytes, Path tmp) throws AppcException {
    try {
      Path t = Files.createTempFile(tmp, "file-", ".tmp");
      Files.write(t, bytes);
      place(t, to);
    } catch (IOException e) {
      throw new AppcException("publish: writing " + to + ": " + e.getMessage(), e);
    }
  }

  /** Renames {@code temp} to {@code to}, a file standing where a directory must be removed first. */
  private static void place(Path temp, Path to) throws IOException {
    Path parent = to.getParent();
    for (Path p = parent; p != null && !Files.isDirectory(p); p = p.getParent()) {
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(p); // an old page of a name that now has names below it
        break;
      }
    }
    Files.createDirectories(parent);
    Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
