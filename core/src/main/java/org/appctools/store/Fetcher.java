package org.appctools.store;

import org.appctools.fs.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.aci.AciArchive;
import org.appctools.aci.ReadLimits;
import org.appctools.compress.Compression;
import org.appctools.docker.ConvertOptions;
import org.appctools.docker.ConvertResult;
import org.appctools.docker.Docker2Aci;
import org.appctools.docker.Platform;
import org.appctools.discovery.Discovery;
import org.appctools.discovery.Endpoints;
import org.appctools.discovery.ImageEndpoint;
import org.appctools.http.Http;
import org.appctools.http.HttpException;
import org.appctools.http.HttpOptions;
import org.appctools.registry.RegistryOptions;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.HostPlatform;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.NameAndLabels;
import org.appctools.sign.Encryption;
import org.appctools.sign.TrustStore;
import org.appctools.sign.Verified;
import org.appctools.sign.Verifier;

/**
 * Gets images into the store the way rkt's {@code fetch} does: from a file, an {@code https://}
 * URL, an appc name through meta discovery or a {@code docker://} image through docker2aci, each checked against the trust store before it is
 * stored. Downloads go to the store's scratch directory and are imported only once complete and
 * verified, so an interrupted or refused fetch stores nothing.
 *
 * <p>Pull policies: {@code never} uses the store alone; {@code new} makes no request for an image
 * the store already has; {@code update} asks the server again (one conditional request with the
 * stored ETag per image, none while a {@code Cache-Control: max-age} is fresh).
 */
public final class Fetcher {
  /** When to go to the network for an image the store may already have. */
  public enum PullPolicy {
    NEVER, NEW, UPDATE;

    public static PullPolicy parse(String s) throws AppcException {
      for (PullPolicy p : values()) {
        if (p.name().equalsIgnoreCase(s)) {
          return p;
        }
      }
      throw new AppcException("fetch: unknown pull policy \"" + s + "\" (use never, new or update)");
    }
  }

  /**
   * What a fetch may do: the pull policy, whether to store images without a trusted signature
   * (rkt's {@code --insecure-options=image}), a signature file for a single local or URL image,
   * and the os/arch to discover for.
   */
  public record Options(PullPolicy pullPolicy, boolean skipImageVerify, Path signature, HostPlatform platform,
      Decryption decryption) {
    public Options {
      Objects.requireNonNull(pullPolicy, "pullPolicy");
      platform = platform == null ? HostPlatform.current() : platform;
    }

    /** Options without decryption: an encrypted image is refused with a message saying how to decrypt it. */
    public Options(PullPolicy pullPolicy, boolean skipImageVerify, Path signature, HostPlatform platform) {
      this(pullPolicy, skipImageVerify, signature, platform, null);
    }

    public static Options defaults(PullPolicy pullPolicy) {
      return new Options(pullPolicy, false, null, null);
    }
  }

  /**
   * How to open images that are OpenPGP-encrypted (the spec's "optionally encrypted"; {@code actool
   * encrypt}): a secret key file (null for a passphrase-encrypted image) and the passphrase of
   * the key or the image (null if none). The signature is checked over the decrypted ACI, as
   * {@code actool sign} made it before {@code actool encrypt}.
   */
  public record Decryption(Path secretKey, char[] passphrase) {}

  /** What the fetch tells its user as it goes: notes, and progress of each download. */
  public interface Listener {
    void note(String message);

    /** A progress sink for one download of {@code what}, or null for none. */
    default ProgressListener download(String what) {
      return null;
    }

    Listener SILENT = message -> {};
  }

  /** One fetched image: where it is in the store, how it got there, and who signed it (null if unverified). */
  public record Fetched(StoredImage image, Outcome outcome, Verified signer) {}

  /** How a fetch was satisfied. */
  public enum Outcome {
    /** Taken from the store without a request. */
    STORED,
    /** The server said the stored copy is current (HTTP 304). */
    NOT_MODIFIED,
    /** Downloaded (or read from a file), verified and stored. */
    IMPORTED
  }

  private static final long MAX_KEY_OR_SIGNATURE_BYTES = 1 << 20;

  private final ImageStore store;
  private final Http http;
  private final Discovery discovery;
  private final TrustStore trust;
  private final Options options;
  private final Listener listener;
  private final Clock clock;

  public Fetcher(ImageStore store, Http http, Discovery discovery, TrustStore trust, Options options, Listener listener) {
    this(store, http, discovery, trust, options, listener, Clock.systemUTC());
  }

  Fetcher(ImageStore store, Http http, Discovery discovery, TrustStore trust, Options options, Listener listener, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.http = http;
    this.discovery = discovery;
    this.trust = trust;
    this.options = Objects.requireNonNull(options, "options");
    this.listener = listener == null ? Listener.SILENT : listener;
    this.clock = clock;
  }

  /**
   * Fetches one image: {@code sha512-…} (the store only), an {@code https://} or {@code http://}
   * URL, a file (a path that exists, or starts with {@code /}, {@code .} or {@code ~}), or
   * {@code name[:version][,label=value...]}.
   */
  public Fetched fetch(String ref) throws AppcException {
    if (ref == null || ref.isEmpty()) {
      throw new AppcException("fetch: empty image reference (give a name, an https:// URL, a file or an image ID)");
    }
    if (ref.startsWith("sha512-")) {
      StoredImage image = store.get(ref).orElseThrow(() -> new AppcException(
          "fetch: no image " + ref + " in the store " + store.dir() + " (an ID is looked up locally only; fetch it by name or URL)"));
      return new Fetched(image, Outcome.STORED, null);
    }
    if (ref.startsWith(Docker2Aci.DOCKER_SCHEME)) {
      return fetchDocker(ref);
    }
    int colon = ref.indexOf("://");
    if (colon > 0) {
      String scheme = ref.substring(0, colon).toLowerCase(Locale.ROOT);
      if (scheme.equals("https") || scheme.equals("http")) {
        return fetchUrl(uri(ref));
      }
      if (scheme.equals("file")) {
        return fetchFile(Path.of(uri(ref)));
      }
      throw new AppcException("fetch: unsupported scheme " + scheme + ":// in " + ref
          + " (use https://, http:// with --insecure-options=http, file://, a path, or an image name)");
    }
    if (looksLikePath(ref)) {
      return fetchFile(Path.of(expandHome(ref)));
    }
    NameAndLabels wanted;
    try {
      wanted = NameAndLabels.parse(ref);
    } catch (InvalidValueException e) {
      throw new AppcException("fetch: " + e.getMessage() + " (an image is name[:version][,label=value...], a URL or a file)", e);
    }
    return fetchName(wanted);
  }

  /**
   * Resolves dependencies from the store first (by Image ID, else by name and labels), fetching
   * by name through discovery what the store lacks, unless the pull policy is {@code never}.
   */
  public DependencyResolver dependencyResolver() {
    DependencyResolver local = DependencyResolver.storeOnly(store);
    return dependency -> {
      try {
        return local.resolve(dependency);
      } catch (AppcException notStored) {
        if (options.pullPolicy() == PullPolicy.NEVER) {
          throw notStored;
        }
      }
      Labels labels = dependency.labels() == null ? Labels.of() : dependency.labels();
      fetchName(new NameAndLabels(dependency.imageName(), labels));
      return local.resolve(dependency);
    };
  }

  private static boolean looksLikePath(String ref) {
    return ref.startsWith("/") || ref.startsWith(".") || ref.startsWith("~") || ref.endsWith(".aci")
        || Files.exists(Path.of(ref));
  }

  private static String expandHome(String ref) {
    if (ref.equals("~") || ref.startsWith("~/")) {
      return System.getProperty("user.home") + ref.substring(1);
    }
    return ref;
  }

  private static URI uri(String ref) throws AppcException {
    try {
      return new URI(ref);
    } catch (URISyntaxException e) {
      throw new AppcException("fetch: not a valid URL: " + ref + " (" + e.getReason() + ")", e);
    }
  }

  // ---- files

  private Fetched fetchFile(Path file) throws AppcException {
    if (!Files.isRegularFile(file)) {
      throw new AppcException("fetch: no such file: " + file);
    }
    Path sig = options.signature() != null ? options.signature() : Path.of(file + ".asc");
    Path scratch = null;
    try {
      Path aci = file;
      if (Encryption.isEncrypted(file)) {
        scratch = scratchDir();
        aci = decrypt(file, scratch.resolve("image.aci"), file.toString());
      }
      ImageManifest manifest = ImageManifest.parse(AciArchive.readManifest(aci));
      Verified signer = verify(aci, Files.exists(sig) ? sig : null, manifest.name(), file.toString(), sig.toString());
      StoredImage image = store.importAci(aci, Files.exists(sig) ? sig : null, file.toAbsolutePath().toString());
      return new Fetched(image, Outcome.IMPORTED, signer);
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  /** The ACI inside an encrypted download, written to {@code out}; refused without a way to decrypt it. */
  private Path decrypt(Path encrypted, Path out, String where) throws AppcException {
    if (options.decryption() == null) {
      throw new AppcException("fetch: " + where + " is encrypted (OpenPGP); pass --decrypt-key FILE (the recipient's"
          + " secret key) or --passphrase-file FILE to decrypt it; nothing is stored");
    }
    Encryption.decrypt(encrypted, out, options.decryption().secretKey(), options.decryption().passphrase());
    listener.note("fetch: decrypted " + where);
    return out;
  }

  // ---- URLs

  private Fetched fetchUrl(URI aciUrl) throws AppcException {
    URI sigUrl = options.signature() == null ? URI.create(aciUrl + ".asc") : null;
    return fetchEndpoint(aciUrl, sigUrl, null);
  }

  /**
   * Downloads one ACI and its signature (unless the store's copy is current), verifies and stores
   * them. {@code wanted} (null for a URL) is the name and labels the manifest must match.
   */
  private Fetched fetchEndpoint(URI aciUrl, URI sigUrl, NameAndLabels wanted) throws AppcException {
    requireHttp();
    String key = aciUrl.toString();
    Optional<RemoteEntry> cached = store.remote(key);
    Optional<StoredImage> cachedImage = Optional.empty();
    if (cached.isPresent()) {
      cachedImage = store.get(cached.get().imageId().value());
    }
    if (cachedImage.isPresent()) {
      RemoteEntry entry = cached.get();
      boolean fresh = entry.expires() != null && clock.instant().isBefore(entry.expires());
      if (options.pullPolicy() != PullPolicy.UPDATE || fresh) {
        store.markUsed(cachedImage.get().id());
        return new Fetched(cachedImage.get(), Outcome.STORED, null);
      }
    }
    if (options.pullPolicy() == PullPolicy.NEVER) {
      throw new AppcException("fetch: " + aciUrl + " is not in the store " + store.dir()
          + " and the pull policy is never (use --pull-policy new to download it)");
    }
    Path scratch = scratchDir();
    try {
      Path aci = scratch.resolve("image.aci");
      String etag = cachedImage.isPresent() ? cached.get().etag() : null;
      Http.Download got = http.download(aciUrl, aci, etag, listener.download(aciUrl.toString()));
      if (got.notModified() && cachedImage.isPresent()) {
        store.putRemote(new RemoteEntry(key, cachedImage.get().id(), etag, clock.instant(), expires(got.maxAge())));
        store.markUsed(cachedImage.get().id());
        return new Fetched(cachedImage.get(), Outcome.NOT_MODIFIED, null);
      }
      if (Encryption.isEncrypted(aci)) {
        Path encrypted = scratch.resolve("image.aci.gpg");
        try {
          Files.move(aci, encrypted);
        } catch (IOException e) {
          throw new AppcException("fetch: cannot move the download in " + scratch + ": " + e.getMessage(), e);
        }
        decrypt(encrypted, aci, aciUrl.toString());
      }
      ImageManifest manifest = ImageManifest.parse(AciArchive.readManifest(aci));
      if (wanted != null) {
        checkMatches(manifest, wanted, aciUrl);
      }
      Path sig = null;
      if (options.signature() != null) {
        sig = options.signature();
      } else if (!options.skipImageVerify()) {
        sig = scratch.resolve("image.aci.asc");
        downloadSignature(sigUrl, sig);
      }
      Verified signer = verify(aci, sig, manifest.name(), aciUrl.toString(), sigUrl == null ? String.valueOf(sig) : sigUrl.toString());
      StoredImage image = store.importAci(aci, sig, aciUrl.toString());
      store.putRemote(new RemoteEntry(key, image.id(), got.etag(), clock.instant(), expires(got.maxAge())));
      store.markUsed(image.id());
      return new Fetched(image, Outcome.IMPORTED, signer);
    } finally {
      deleteTree(scratch);
    }
  }

  private void downloadSignature(URI sigUrl, Path target) throws AppcException {
    Http.Response r;
    try {
      r = http.get(sigUrl, MAX_KEY_OR_SIGNATURE_BYTES);
    } catch (HttpException e) {
      throw new AppcException("fetch: the image's signature could not be downloaded: " + e.getMessage()
          + "; the image is not stored (publish ACI.asc beside the ACI, or pass --insecure-options=image to store it unverified)", e);
    }
    try {
      Files.write(target, r.body());
    } catch (IOException e) {
      throw new AppcException("fetch: cannot write the signature " + target + ": " + e.getMessage(), e);
    }
  }

  private Instant expires(Duration maxAge) {
    return maxAge == null ? null : clock.instant().plus(maxAge);
  }

  private void requireHttp() throws AppcException {
    if (http == null) {
      throw new AppcException("fetch: no HTTP client configured");
    }
  }

  // ---- Docker images

  /**
   * A Docker image, converted as docker2aci does (squashed) and stored. Docker images carry no
   * appc signature (the registry's digests are verified instead), so, as rkt's fetch did, this
   * needs {@code skipImageVerify}. With pull policy {@code new} a stored conversion of the same
   * reference is used without a request.
   */
  private Fetched fetchDocker(String ref) throws AppcException {
    String key = ref;
    Optional<RemoteEntry> cached = store.remote(key);
    Optional<StoredImage> cachedImage = cached.isPresent() ? store.get(cached.get().imageId().value()) : Optional.empty();
    if (cachedImage.isPresent() && options.pullPolicy() != PullPolicy.UPDATE) {
      store.markUsed(cachedImage.get().id());
      return new Fetched(cachedImage.get(), Outcome.STORED, null);
    }
    if (options.pullPolicy() == PullPolicy.NEVER) {
      throw new AppcException("fetch: " + ref + " is not in the store " + store.dir()
          + " and the pull policy is never (use --pull-policy new to download it)");
    }
    if (!options.skipImageVerify()) {
      throw new AppcException("fetch: " + ref + ": Docker images have no appc signature to verify; pass"
          + " --insecure-options=image to convert and store it (the registry's digests are still checked)");
    }
    HttpOptions h = http == null ? HttpOptions.defaults() : http.options();
    RegistryOptions registry = new RegistryOptions(h.insecureSkipTlsVerify(), h.allowHttp(), null, h.readTimeout(),
        RegistryOptions.defaults().parallelDownloads(), RegistryOptions.defaults().progress());
    Path scratch = scratchDir();
    try {
      ConvertResult converted = Docker2Aci.convert(ref, new ConvertOptions(scratch, scratch, true, Compression.GZIP, null,
          Platform.of(options.platform().os(), options.platform().arch()), registry, ReadLimits.defaults(), null));
      converted.warnings().forEach(w -> listener.note("fetch: warning: " + w));
      listener.note("fetch: warning: " + ref + " stored without signature verification (a Docker image)");
      StoredImage image = store.importAci(converted.acis().get(converted.acis().size() - 1), null, ref);
      store.putRemote(new RemoteEntry(key, image.id(), null, clock.instant(), null));
      store.markUsed(image.id());
      return new Fetched(image, Outcome.IMPORTED, null);
    } finally {
      deleteTree(scratch);
    }
  }

  // ---- names

  private Fetched fetchName(NameAndLabels wanted) throws AppcException {
    if (options.pullPolicy() != PullPolicy.UPDATE) {
      Optional<StoredImage> stored = storedMatch(wanted);
      if (stored.isPresent()) {
        store.markUsed(stored.get().id());
        return new Fetched(stored.get(), Outcome.STORED, null);
      }
      if (options.pullPolicy() == PullPolicy.NEVER) {
        throw new AppcException("fetch: no image " + wanted + " in the store " + store.dir()
            + " and the pull policy is never (use --pull-policy new to discover and download it)");
      }
    }
    if (discovery == null) {
      throw new AppcException("fetch: no discovery configured for " + wanted);
    }
    Labels labels = withPlatform(wanted.labels());
    Endpoints endpoints = discovery.discoverImage(wanted.name(), labels);
    if (endpoints.images().isEmpty()) {
      throw new AppcException("fetch: discovery found no image URL for " + wanted + " (os " + options.platform().os()
          + ", arch " + options.platform().arch() + "); check the name, version and labels");
    }
    List<String> failures = new ArrayList<>();
    for (ImageEndpoint e : endpoints.images()) {
      try {
        return fetchEndpoint(e.aci(), e.signature(), wanted);
      } catch (AppcException ex) {
        if (endpoints.images().size() == 1 || isVerdict(ex)) {
          throw ex;
        }
        listener.note("fetch: " + e.aci() + ": " + ex.getMessage() + "; trying the next endpoint");
        failures.add(e.aci() + ": " + ex.getMessage());
      }
    }
    throw new AppcException("fetch: every endpoint of " + wanted + " failed: " + String.join("; ", failures));
  }

  /** A refusal about the image itself (signature, name), which another mirror would not change. */
  private static boolean isVerdict(AppcException e) {
    return e instanceof org.appctools.sign.SignatureException || e instanceof NameMismatchException;
  }

  /** The newest stored image with this name and labels, on this os/arch when it says which. */
  private Optional<StoredImage> storedMatch(NameAndLabels wanted) throws AppcException {
    for (StoredImage image : store.find(wanted.name(), wanted.labels())) {
      if (platformFits(image.labels())) {
        return Optional.of(image);
      }
    }
    return Optional.empty();
  }

  private boolean platformFits(Labels labels) {
    return labels.get("os").map(os -> os.equals(options.platform().os())).orElse(true)
        && labels.get("arch").map(arch -> arch.equals(options.platform().arch())).orElse(true);
  }

  /** The labels to render discovery templates with: the requested ones, plus this os and arch unless given. */
  private Labels withPlatform(Labels requested) {
    Labels l = requested;
    if (l.get("os").isEmpty()) {
      l = l.with(AcIdentifier.parse("os"), options.platform().os());
    }
    if (l.get("arch").isEmpty()) {
      l = l.with(AcIdentifier.parse("arch"), options.platform().arch());
    }
    return l;
  }

  /** A fetched image whose manifest is not the one asked for. */
  static final class NameMismatchException extends AppcException {
    NameMismatchException(String message) {
      super(message);
    }
  }

  /**
   * Discovery's validation rule: the manifest's name is the requested one and every requested
   * label is present with the same value (the implicit version {@code latest} is not checked).
   */
  static void checkMatches(ImageManifest manifest, NameAndLabels wanted, URI from) throws AppcException {
    if (!manifest.name().equals(wanted.name())) {
      throw new NameMismatchException("fetch: " + from + " holds an image named " + manifest.name() + ", not "
          + wanted.name() + "; the image is not stored (the discovery page of " + wanted.name() + " points to the wrong file)");
    }
    Labels have = manifest.labels() == null ? Labels.of() : manifest.labels();
    for (Label l : wanted.labels().list()) {
      Optional<String> v = have.get(l.name().value());
      if (v.isEmpty() || !v.get().equals(l.value())) {
        throw new NameMismatchException("fetch: " + from + " holds " + manifest.name() + " with label " + l.name() + "="
            + v.orElse("(none)") + ", not " + l.value() + "; the image is not stored");
      }
    }
  }

  // ---- verification

  private Verified verify(Path aci, Path sig, AcIdentifier name, String aciWhere, String sigWhere) throws AppcException {
    if (options.skipImageVerify()) {
      listener.note("fetch: warning: " + aciWhere + " stored without signature verification (--insecure-options=image)");
      return null;
    }
    if (sig == null) {
      throw new org.appctools.sign.SignatureException("fetch: " + aciWhere + " is not signed: there is no " + sigWhere
          + "; the image is not stored (get the signature, or pass --insecure-options=image to store it unverified)");
    }
    if (trust == null) {
      throw new AppcException("fetch: no trust store configured to verify " + aciWhere);
    }
    return Verifier.verify(aci, sig, name, trust);
  }

  // ---- scratch space

  private Path scratchDir() throws AppcException {
    try {
      Path tmp = store.dir().resolve("tmp");
      Files.createDirectories(tmp);
      // named as the store's own temporaries (OP-PID-...), so its gc leaves a running fetch's alone
      return Files.createTempDirectory(tmp, "fetch-" + ProcessHandle.current().pid() + "-");
    } catch (IOException e) {
      throw new AppcException("fetch: cannot make a scratch directory in the store " + store.dir() + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    // what cannot be removed now, the store's gc removes
    FileTrees.deleteQuietly(dir);
  }
}
