package org.appctools.store;

import static org.appctools.store.TestImages.aci;
import static org.appctools.store.TestImages.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.HostPlatform;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.NameAndLabels;
import org.appctools.sign.SignatureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of fetch that need no server: reference kinds, pull policies against the store, files
 * with and without signatures, and discovery's validation rule. Network fetches are tested against
 * nginx in {@code ActoolFetchIT}.
 */
class FetcherTest {
  private static final HostPlatform LINUX_AMD64 = new HostPlatform("linux", "amd64");

  @TempDir Path tmp;
  ImageStore store;
  List<String> notes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    store = ImageStore.open(tmp.resolve("store"));
  }

  private Fetcher fetcher(Fetcher.PullPolicy policy, boolean skipVerify) {
    return new Fetcher(store, null, null, null, new Fetcher.Options(policy, skipVerify, null, LINUX_AMD64), notes::add);
  }

  @Test
  void fetch_storedImageId_takenFromTheStore() throws Exception {
    StoredImage image = store.importAci(aci(tmp, "example.com/app", version("1.0")), null, null);

    Fetcher.Fetched f = fetcher(Fetcher.PullPolicy.UPDATE, false).fetch(image.id().value());

    assertThat(f.outcome()).isEqualTo(Fetcher.Outcome.STORED);
    assertThat(f.image().id()).isEqualTo(image.id());
  }

  @Test
  void fetch_unknownImageId_saysIdsAreLocalOnly() {
    assertThatThrownBy(() -> fetcher(Fetcher.PullPolicy.UPDATE, false).fetch("sha512-0123456789abcdef"))
        .hasMessageStartingWith("fetch: no image sha512-0123456789abcdef in the store ")
        .hasMessageEndingWith("(an ID is looked up locally only; fetch it by name or URL)");
  }

  @Test
  void fetch_unsignedFile_refusedAndNothingStored() throws Exception {
    Path file = aci(tmp, "example.com/app", version("1.0"));

    assertThatThrownBy(() -> fetcher(Fetcher.PullPolicy.UPDATE, false).fetch(file.toString()))
        .isInstanceOf(SignatureException.class)
        .hasMessage("fetch: " + file + " is not signed: there is no " + file + ".asc; the image is not stored"
            + " (get the signature, or pass --insecure-options=image to store it unverified)");
    assertThat(store.list()).isEmpty();
  }

  @Test
  void fetch_unsignedFileWithInsecureImage_storedWithAWarning() throws Exception {
    Path file = aci(tmp, "example.com/app", version("1.0"));

    Fetcher.Fetched f = fetcher(Fetcher.PullPolicy.UPDATE, true).fetch(file.toString());

    assertThat(f.outcome()).isEqualTo(Fetcher.Outcome.IMPORTED);
    assertThat(f.signer()).isNull();
    assertThat(store.list()).hasSize(1);
    assertThat(notes).containsExactly("fetch: warning: " + file + " stored without signature verification (--insecure-options=image)");
  }

  @Test
  void fetch_nameWithPolicyNew_storedMatchUsedWithoutNetwork() throws Exception {
    StoredImage image = store.importAci(aci(tmp, "example.com/app", version("1.0")), null, null);

    // no HTTP client and no discovery: any network use would fail
    Fetcher.Fetched f = fetcher(Fetcher.PullPolicy.NEW, false).fetch("example.com/app:1.0");

    assertThat(f.outcome()).isEqualTo(Fetcher.Outcome.STORED);
    assertThat(f.image().id()).isEqualTo(image.id());
  }

  @Test
  void fetch_nameStoredOnlyForAnotherArch_notTakenFromTheStore() throws Exception {
    store.importAci(aci(tmp, "example.com/app", "\"labels\":[{\"name\":\"version\",\"value\":\"1.0\"},"
        + "{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"aarch64\"}]"), null, null);

    assertThatThrownBy(() -> fetcher(Fetcher.PullPolicy.NEVER, false).fetch("example.com/app:1.0"))
        .hasMessageStartingWith("fetch: no image example.com/app,version=1.0 in the store ")
        .hasMessageEndingWith(" and the pull policy is never (use --pull-policy new to discover and download it)");
  }

  @Test
  void fetch_otherReferenceKinds_clearMessages() {
    Fetcher f = fetcher(Fetcher.PullPolicy.UPDATE, false);
    assertThatThrownBy(() -> f.fetch("")).hasMessage(
        "fetch: empty image reference (give a name, an https:// URL, a file or an image ID)");
    assertThatThrownBy(() -> f.fetch("ftp://example.com/app.aci")).hasMessage(
        "fetch: unsupported scheme ftp:// in ftp://example.com/app.aci (use https://, http:// with --insecure-options=http,"
            + " file://, a path, or an image name)");
    assertThatThrownBy(() -> f.fetch("docker://alpine")).hasMessage("fetch: docker://alpine: Docker images have no appc"
        + " signature to verify; pass --insecure-options=image to convert and store it (the registry's digests are still checked)");
    assertThatThrownBy(() -> f.fetch("Example.com/app")).hasMessageStartingWith("fetch: ")
        .hasMessageEndingWith("(an image is name[:version][,label=value...], a URL or a file)");
    assertThatThrownBy(() -> f.fetch("./no-such.aci")).hasMessage("fetch: no such file: ./no-such.aci");
  }

  @Test
  void dependencyResolver_policyNeverAndNotStored_failsAsTheStoreDoes() {
    Dependency d = Dependency.of(AcIdentifier.parse("example.com/base"));

    assertThatThrownBy(() -> fetcher(Fetcher.PullPolicy.NEVER, false).dependencyResolver().resolve(d))
        .hasMessage(DependencyResolver.notInStore(d).getMessage());
  }

  @Test
  void pullPolicy_parse_namesTheChoices() throws Exception {
    assertThat(Fetcher.PullPolicy.parse("Update")).isEqualTo(Fetcher.PullPolicy.UPDATE);
    assertThatThrownBy(() -> Fetcher.PullPolicy.parse("always"))
        .hasMessage("fetch: unknown pull policy \"always\" (use never, new or update)");
  }

  @Test
  void checkMatches_nameAndRequestedLabels_asDiscoveryValidates() throws Exception {
    ImageManifest m = ImageManifest.parse(("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/app\","
        + "\"labels\":[{\"name\":\"version\",\"value\":\"1.0\"},{\"name\":\"os\",\"value\":\"linux\"}]}").getBytes());
    URI from = URI.create("https://example.com/app.aci");

    Fetcher.checkMatches(m, NameAndLabels.parse("example.com/app"), from);
    Fetcher.checkMatches(m, NameAndLabels.parse("example.com/app:1.0,os=linux"), from);
    assertThatThrownBy(() -> Fetcher.checkMatches(m, NameAndLabels.parse("example.com/other"), from))
        .isInstanceOf(AppcException.class)
        .hasMessage("fetch: https://example.com/app.aci holds an image named example.com/app, not example.com/other;"
            + " the image is not stored (the discovery page of example.com/other points to the wrong file)");
    assertThatThrownBy(() -> Fetcher.checkMatches(m, NameAndLabels.parse("example.com/app:2.0"), from))
        .hasMessage("fetch: https://example.com/app.aci holds example.com/app with label version=1.0, not 2.0; the image is not stored");
    assertThatThrownBy(() -> Fetcher.checkMatches(m, new NameAndLabels(AcIdentifier.parse("example.com/app"),
            Labels.of().with(AcIdentifier.parse("channel"), "beta")), from))
        .hasMessage("fetch: https://example.com/app.aci holds example.com/app with label channel=(none), not beta; the image is not stored");
  }
}
