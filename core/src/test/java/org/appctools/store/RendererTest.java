package org.appctools.store;

import static org.appctools.store.TestImages.aci;
import static org.appctools.store.TestImages.dependsOn;
import static org.appctools.store.TestImages.whitelist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.appctools.aci.EntryOwner;
import org.appctools.aci.ExtractOptions;
import org.appctools.aci.ExtractResult;
import org.appctools.aci.TestAcis;
import org.appctools.compress.Compression;
import org.appctools.fs.ProcessUser;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendererTest {
  @TempDir Path tmp;
  TestImages.TestClock clock = new TestImages.TestClock();
  ImageStore store;
  DependencyResolver resolver;

  @BeforeEach
  void openStore() throws Exception {
    store = ImageStore.open(tmp.resolve("store"), clock);
    resolver = DependencyResolver.storeOnly(store);
  }

  private StoredImage image(String name, String extra, String... entries) throws Exception {
    clock.advance(Duration.ofMinutes(1));
    return store.importAci(aci(tmp, name, extra, entries), null, null);
  }

  private Path render(StoredImage top) throws Exception {
    Path out = tmp.resolve("out-" + System.nanoTime());
    Renderer.render(store, Renderer.plan(store, top, resolver), out, ExtractOptions.defaults());
    return out.resolve("rootfs");
  }

  private static List<String> names(List<Renderer.Layer> layers) {
    return layers.stream().map(l -> l.image().name().value()).toList();
  }

  private static List<String> tree(Path root) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted().toList()) {
        if (!p.equals(root)) {
          out.add(root.relativize(p) + (Files.isSymbolicLink(p) ? "->" + Files.readSymbolicLink(p)
              : Files.isDirectory(p) ? "/" : "=" + Files.readString(p)));
        }
      }
    }
    return out;
  }

  // --- the worked examples of the spec digest (§6.2)

  @Test
  void plan_aOnBAndC_cOnD_isTheReverseOfBDCA() throws Exception {
    image("d", "", "f=d", "bd=d");
    image("b", "", "f=b", "bd=b", "bc=b", "only-b=b");
    image("c", dependsOn("d"), "f=c", "bc=c");
    StoredImage a = image("a", dependsOn("b", "c"), "f=a");

    List<Renderer.Layer> layers = Renderer.plan(store, a, resolver);

    assertThat(names(layers)).containsExactly("a", "c", "d", "b");
    assertThat(layers).extracting(Renderer.Layer::level).containsExactly(0, 1, 2, 1);
    // applied B, D, C, A with later layers overwriting:
    assertThat(tree(render(a))).containsExactly("bc=c", "bd=d", "f=a", "only-b=b");
  }

  @Test
  void plan_aOnBAndC_bothOnD_isTheReverseOfDBDCA() throws Exception {
    image("d", "", "f=d", "bd=d", "only-d=d");
    image("b", dependsOn("d"), "f=b", "bd=b");
    image("c", dependsOn("d"), "f=c");
    StoredImage a = image("a", dependsOn("b", "c"));

    List<Renderer.Layer> layers = Renderer.plan(store, a, resolver);

    assertThat(names(layers)).containsExactly("a", "c", "d", "b", "d");
    // applied D, B, D, C, A: the second D (under C) overwrites B
    assertThat(tree(render(a))).containsExactly("bd=d", "f=c", "only-d=d");
  }

  // --- whitelists

  @Test
  void render_ownersDeferred_theUpperLayersOwnerAndNothingTheWhitelistRemoved() throws Exception {
    Path b = TestAcis.archive(tmp.resolve("b.aci"), Compression.GZIP, t -> t
        .file("manifest", TestAcis.manifestJson("b")).dir("rootfs")
        .file("rootfs/owned", "b".getBytes(), 0640, 1000, 1000, Map.of())
        .file("rootfs/dropped", "b".getBytes(), 0644, 2000, 2000, Map.of())
        .file("rootfs/both", "b".getBytes(), 0644, 3000, 3000, Map.of()));
    store.importAci(b, null, null);
    Path a = TestAcis.archive(tmp.resolve("a.aci"), Compression.GZIP, t -> t
        .file("manifest", ("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"a\","
            + dependsOn("b") + "," + whitelist("/a", "/owned", "/both") + "}").getBytes()).dir("rootfs")
        .file("rootfs/both", "a".getBytes(), 04755, 4000, 4000, Map.of())
        .file("rootfs/a", "a".getBytes(), 0644, 0, 0, Map.of()));
    StoredImage top = store.importAci(a, null, null);
    Path out = tmp.resolve("out");

    ExtractResult r = Renderer.render(store, Renderer.plan(store, top, resolver), out,
        ExtractOptions.defaults().withDeferOwners(true));

    assertThat(r.owners()).containsExactly(new EntryOwner("both", TarEntryType.FILE, 4000, 4000, 04755),
        new EntryOwner("owned", TarEntryType.FILE, 1000, 1000, 0640));
    assertThat(tree(out.resolve("rootfs"))).containsExactly("a=a", "both=a", "owned=b");
  }

  @Test
  void render_asRoot_ownersSetAndNoneListed() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ProcessUser.isRoot(), "owners are set as root");
    Path aci = TestAcis.archive(tmp.resolve("b.aci"), Compression.GZIP, t -> t
        .file("manifest", TestAcis.manifestJson("b")).dir("rootfs")
        .file("rootfs/owned", "b".getBytes(), 0640, 1000, 1000, Map.of()));
    StoredImage b = store.importAci(aci, null, null);
    Path out = tmp.resolve("out");

    ExtractResult r = Renderer.render(store, Renderer.plan(store, b, resolver), out, ExtractOptions.defaults());

    assertThat(r.owners()).isEmpty();
    assertThat(Files.getAttribute(out.resolve("rootfs/owned"), "unix:uid")).isEqualTo(1000);
  }

  @Test
  void render_ownWhitelist_removesOnlyUnlistedNonDirectories() throws Exception {
    StoredImage a = image("a", whitelist("/keep", "/etc/keep"), "keep=k", "drop=x", "etc/keep=k", "etc/drop=x", "empty/");

    assertThat(tree(render(a))).containsExactly("empty/", "etc/", "etc/keep=k", "keep=k");
  }

  @Test
  void render_ancestorWhitelist_removesAnythingUnlistedOfTheDependency() throws Exception {
    image("b", "", "from-b=b", "other=b", "bdir/", "bdir/x=b", "etc/b=b");
    StoredImage a = image("a", dependsOn("b") + "," + whitelist("/a", "/from-b", "/etc", "/etc/b"), "a=a", "etc/");

    assertThat(tree(render(a))).containsExactly("a=a", "etc/", "etc/b=b", "from-b=b");
  }

  @Test
  void render_threeLevelChain_theOutermostWhitelistFiltersTheDeepest() throws Exception {
    image("c", "", "c1=c", "c2=c", "c3=c");
    image("b", dependsOn("c") + "," + whitelist("/b", "/c1"), "b=b", "b-unlisted=b");
    StoredImage a = image("a", dependsOn("b") + "," + whitelist("/a", "/b", "/c1", "/c2"), "a=a");

    List<Renderer.Layer> layers = Renderer.plan(store, a, resolver);

    assertThat(layers.get(2).ancestorWhitelist()).containsExactlyInAnyOrder("rootfs/a", "rootfs/b", "rootfs/c1", "rootfs/c2");
    // as the reference renderer: c2 passes A's whitelist though B does not list it
    assertThat(tree(render(a))).containsExactly("a=a", "b=b", "c1=c", "c2=c");
  }

  // --- replacing, not merging

  @Test
  void render_upperDirectoryOverLowerSymlinkToADirectory_replacesTheSymlink() throws Exception {
    image("b", "", "lib->usr/lib", "usr/lib/libc=b");
    StoredImage a = image("a", dependsOn("b"), "lib/liba=a");

    assertThat(tree(render(a))).containsExactly("lib/", "lib/liba=a", "usr/", "usr/lib/", "usr/lib/libc=b");
  }

  @Test
  void render_upperSymlinkOverLowerDirectory_isNotFollowed() throws Exception {
    image("b", "", "lib/", "lib/libb=b", "usr/lib/");
    StoredImage a = image("a", dependsOn("b"), "lib->usr/lib");

    assertThat(tree(render(a))).containsExactly("lib->usr/lib", "usr/", "usr/lib/");
  }

  @Test
  void render_fileOverDirectoryAndDirectoryOverFile_upperWins() throws Exception {
    image("b", "", "p/", "p/1=b", "q=b");
    StoredImage a = image("a", dependsOn("b"), "p=a", "q/", "q/1=a");

    assertThat(tree(render(a))).containsExactly("p=a", "q/", "q/1=a");
  }

  // --- refusals

  @Test
  void plan_cycle_throwsNamingIt() throws Exception {
    image("example.com/b", dependsOn("example.com/a"), "b=b");
    StoredImage a = image("example.com/a", dependsOn("example.com/b"), "a=a");

    assertThatThrownBy(() -> Renderer.plan(store, a, resolver))
        .hasMessage("render: example.com/a → example.com/b → example.com/a: dependency cycle (example.com/a depends on "
            + "itself through example.com/a → example.com/b); remove one of the dependencies");
  }

  @Test
  void plan_chainDeeperThanTheLimit_throws() throws Exception {
    image("l0", "", "f=0");
    for (int n = 1; n <= Renderer.MAX_DEPTH + 1; n++) {
      image("l" + n, dependsOn("l" + (n - 1)));
    }
    StoredImage top = store.resolve("l" + (Renderer.MAX_DEPTH + 1));

    assertThatThrownBy(() -> Renderer.plan(store, top, resolver))
        .hasMessageStartingWith("render: l65 → l64 → ")
        .hasMessageEndingWith(" → l1: dependencies nested deeper than 64 levels; flatten the chain");
  }

  @Test
  void render_damagedDependency_throwsAndLeavesNothing() throws Exception {
    StoredImage b = image("b", "", "f=b");
    StoredImage a = image("a", dependsOn("b"), "a=a");
    List<Renderer.Layer> layers = Renderer.plan(store, a, resolver);
    Path other = aci(tmp, "b", "", "f=changed");
    Files.copy(other, store.aciFile(b), StandardCopyOption.REPLACE_EXISTING);
    Path out = tmp.resolve("out");

    assertThatThrownBy(() -> Renderer.render(store, layers, out, ExtractOptions.defaults()))
        .hasMessage("render: image b in the store does not hash to its ID " + b.id() + " (it hashes to "
            + org.appctools.aci.AciArchive.imageId(other) + "): the stored copy is damaged; remove it with "
            + "actool image rm " + b.id() + " and fetch it again");
    assertThat(out).doesNotExist();
  }

  @Test
  void plan_pinnedImageIdNotWhatTheResolverGives_throws() throws Exception {
    StoredImage b1 = image("b", TestImages.version("1"), "f=1");
    StoredImage b2 = image("b", TestImages.version("2"), "f=2");
    StoredImage a = image("a", "\"dependencies\":[{\"imageName\":\"b\",\"imageID\":\"" + b1.id() + "\"}]");
    DependencyResolver newest = d -> store.find(d.imageName(), d.labels()).get(0);

    assertThatThrownBy(() -> Renderer.plan(store, a, newest))
        .hasMessage("render: a: dependency b resolved to " + b2.id() + ", but the manifest pins imageID " + b1.id()
            + "; get the pinned image with actool fetch");
    assertThat(names(Renderer.plan(store, a, resolver))).containsExactly("a", "b");
    assertThat(tree(render(a))).containsExactly("f=1");
  }

  @Test
  void plan_sizeNotTheStoredOne_throws() throws Exception {
    StoredImage b = image("b", "", "f=b");
    StoredImage a = image("a", "\"dependencies\":[{\"imageName\":\"b\",\"size\":" + (b.size() + 1) + "}]");

    assertThatThrownBy(() -> Renderer.plan(store, a, resolver))
        .hasMessage("render: a: dependency b (" + b.id() + ") is " + b.size() + " bytes, but the manifest gives size "
            + (b.size() + 1) + "; get the image the manifest names with actool fetch");
  }

  @Test
  void plan_missingDependency_throwsWithTheFetchCommand() throws Exception {
    StoredImage a = image("a", "\"dependencies\":[{\"imageName\":\"example.com/base\",\"labels\":"
        + "[{\"name\":\"version\",\"value\":\"1.0\"}]}]");

    assertThatThrownBy(() -> Renderer.plan(store, a, resolver))
        .hasMessage("render: a: dependency example.com/base,version=1.0 is not in the store: get it with "
            + "actool fetch example.com/base,version=1.0");
  }

  @Test
  void render_deviceNode_skippedWithAWarning() throws Exception {
    Path aci = TestAcis.minimalAci(tmp.resolve("dev.aci"), t -> t.dir("rootfs/dev").charDevice("rootfs/dev/null", 1, 3)
        .file("rootfs/dev/keep", "k"));
    StoredImage i = store.importAci(aci, null, null);
    Path out = tmp.resolve("out");

    ExtractResult r = Renderer.render(store, Renderer.plan(store, i, resolver), out, ExtractOptions.defaults());

    assertThat(r.warnings()).containsExactly("entry \"rootfs/dev/null\": device node not created (the executor provides /dev)");
    assertThat(tree(out.resolve("rootfs"))).containsExactly("dev/", "dev/keep=k");
  }

  @Test
  void render_withProgress_toldTheArchiveBytesUpToTheirSum() throws Exception {
    StoredImage base = image("example.com/base", "", "b=base");
    StoredImage app = image("example.com/app", dependsOn("example.com/base"), "a=app");
    long sum = Files.size(store.aciFile(base)) + Files.size(store.aciFile(app));
    List<long[]> told = new ArrayList<>();

    Renderer.render(store, Renderer.plan(store, app, resolver), tmp.resolve("out"), ExtractOptions.defaults(),
        (done, total) -> told.add(new long[] {done, total}));

    assertThat(told).extracting(t -> t[1]).containsOnly(sum);
    assertThat(told).extracting(t -> t[0]).isSorted().endsWith(sum);
    assertThat(tree(tmp.resolve("out/rootfs"))).containsExactly("a=app", "b=base");
  }
}
