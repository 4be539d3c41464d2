package org.appctools.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.sign.GpgFixture;
import org.appctools.sign.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SitePublisherTest {
  private static final URI BASE = URI.create("https://example.com/");

  @TempDir Path tmp;
  Path site;
  SigningKey key;

  @BeforeEach
  void setUp() throws Exception {
    GpgFixture.assumeGpg();
    GpgFixture gpg = GpgFixture.create(tmp);
    String fpr = gpg.genSigningKey("Site <site@example.com>", "ed25519");
    Path secret = gpg.exportSecret(fpr, "", true, tmp.resolve("secret.asc"));
    key = SigningKey.load(secret, null, null);
    site = tmp.resolve("site");
  }

  private SitePublisher.Result publish(Path... acis) throws AppcException {
    return SitePublisher.publish(java.util.Arrays.stream(acis).map(a -> new SitePublisher.Image(a, null)).toList(),
        new SitePublisher.Options(site, BASE, key, List.of()));
  }

  private Path aci(String name, String version) throws Exception {
    return OciTestImages.aci(tmp, name, version == null
        ? "\"labels\":[" + OciTestImages.PLATFORM + "]" : OciTestImages.labels(version), "f=" + name + version);
  }

  @Test
  void publish_nestedNames_pageFileOrIndexWhereOtherNamesLieBelow() throws Exception {
    SitePublisher.Result r = publish(aci("example.com/team", "1"), aci("example.com/team/app", "1"),
        aci("example.com/tool", "1"));

    assertThat(r.pages()).containsExactly("team/index.html", "team/app", "tool", "index.html");
    assertThat(r.images()).containsExactly("example.com/team-1-linux-amd64.aci", "example.com/team/app-1-linux-amd64.aci",
        "example.com/tool-1-linux-amd64.aci");
    assertThat(Files.readString(site.resolve("team/app"))).contains(
        "<meta name=\"ac-discovery\" content=\"example.com/team/app https://example.com/{name}-{version}-{os}-{arch}.{ext}\">",
        "<meta name=\"ac-discovery-pubkeys\" content=\"example.com/team/app https://example.com/pubkeys/" + key.fingerprint()
            + ".asc\">");
    assertThat(Files.readString(site.resolve("index.html"))).contains(
        "<meta name=\"ac-discovery\" content=\"example.com https://example.com/{name}-{version}-{os}-{arch}.{ext}\">");
    assertThat(site.resolve("example.com/team/app-1-linux-amd64.aci.asc")).exists();
  }

  @Test
  void publish_pageFileThatNowNeedsNamesBelow_becomesADirectoryWithIndex() throws Exception {
    publish(aci("example.com/team", "1"));
    assertThat(site.resolve("team")).isRegularFile();

    publish(aci("example.com/team/app", "1"));

    assertThat(site.resolve("team/index.html")).content().contains("content=\"example.com/team https://");
    assertThat(site.resolve("team/app")).isRegularFile();
  }

  @Test
  void publish_versions_latestIsTheHighestSemVerWhateverTheOrder() throws Exception {
    Path v10 = aci("example.com/app", "1.10.0");
    Path v9 = aci("example.com/app", "1.9.0");

    publish(v10);
    publish(v9);

    assertThat(site.resolve("example.com/app-latest-linux-amd64.aci")).hasSameBinaryContentAs(v10);
    assertThat(site.resolve("example.com/app-1.9.0-linux-amd64.aci")).hasSameBinaryContentAs(v9);
  }

  @Test
  void publish_imageWithoutVersion_publishedAsLatest() throws Exception {
    Path unversioned = aci("example.com/app", null);

    SitePublisher.Result r = publish(unversioned);

    assertThat(r.images()).containsExactly("example.com/app-latest-linux-amd64.aci");
  }

  @Test
  void publish_otherBaseUrlThanTheSite_refused() throws Exception {
    publish(aci("example.com/app", "1"));

    assertThatThrownBy(() -> SitePublisher.publish(List.of(new SitePublisher.Image(aci("example.com/app", "2"), null)),
        new SitePublisher.Options(site, URI.create("https://example.com/other/"), key, List.of())))
        .isInstanceOf(AppcException.class)
        .hasMessage("publish: " + site + " is the site of https://example.com/, not of https://example.com/other/; "
            + "publish with --base-url https://example.com/ or into another directory");
  }

  @Test
  void publish_signatureByAnUnpublishedKey_refusedBeforeWriting() throws Exception {
    Path aci = aci("example.com/app", "1");
    Path asc = Path.of(aci + ".asc");
    org.appctools.sign.Signer.signDetached(aci, asc, key);
    Path otherKey = tmp.resolve("other.asc");
    GpgFixture other = GpgFixture.create(tmp.resolve("other"));
    Files.write(otherKey, other.exportPublic(other.genSigningKey("Other <o@example.com>", "ed25519")));

    assertThatThrownBy(() -> SitePublisher.publish(List.of(new SitePublisher.Image(aci, asc)),
        new SitePublisher.Options(site, BASE, null, List.of(otherKey))))
        .isInstanceOf(AppcException.class)
        .hasMessageStartingWith("publish: " + aci + ": the signature does not verify with the published keys (")
        .hasMessageEndingWith("); give the signer's key with --pubkey");
    try (var files = Files.list(site)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void pagePath_nameUnderTheBasePath_relativePath() throws Exception {
    assertThat(SitePublisher.pagePath(URI.create("https://example.com/appc/"), "example.com/appc/tools/x"))
        .isEqualTo("tools/x");
    assertThat(SitePublisher.pagePath(BASE, "example.com")).isEmpty();
  }

  @Test
  void publish_withProgress_toldTheBytesOfTheImagesUpToTheirSum() throws Exception {
    Path a = aci("example.com/a", "1.0");
    Path b = aci("example.com/b", "1.0");
    List<String> told = new java.util.ArrayList<>();

    SitePublisher.publish(List.of(new SitePublisher.Image(a, null), new SitePublisher.Image(b, null)),
        new SitePublisher.Options(site, BASE, key, List.of()), (done, total) -> told.add(done + "/" + total));

    long sa = java.nio.file.Files.size(a);
    long sum = sa + java.nio.file.Files.size(b);
    assertThat(told).containsExactly("0/" + sum, sa + "/" + sum, sum + "/" + sum);
  }
}
