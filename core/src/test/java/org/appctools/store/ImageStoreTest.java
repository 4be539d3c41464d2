package org.appctools.store;

import static org.appctools.store.TestImages.aci;
import static org.appctools.store.TestImages.dependsOn;
import static org.appctools.store.TestImages.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.appctools.aci.AciArchive;
import org.appctools.aci.EntryOwner;
import org.appctools.aci.TestAcis;
import org.appctools.compress.Compression;
import org.appctools.fs.ProcessUser;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  @TempDir Path tmp;
  TestImages.TestClock clock = new TestImages.TestClock();
  ImageStore store;
  Path storeDir;

  @BeforeEach
  void openStore() throws Exception {
    storeDir = tmp.resolve("store");
    store = ImageStore.open(storeDir, clock);
  }

  private static Labels labels(String... nameValue) {
    List<Label> l = new ArrayList<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      l.add(new Label(AcIdentifier.parse(nameValue[i]), nameValue[i + 1]));
    }
    return new Labels(l);
  }

  private StoredImage importNew(String name, String extra, String... entries) throws Exception {
    clock.advance(Duration.ofMinutes(1));
    return store.importAci(aci(tmp, name, extra, entries), null, null);
  }

  private List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> storeDir.relativize(p).toString()).sorted().toList();
    }
  }

  // --- open

  @Test
  void open_missingDirectory_createsTheLayout() throws Exception {
    for (String d : List.of("blobs/sha512", "images", "remotes", "trees", "tmp")) {
      assertThat(storeDir.resolve(d)).isDirectory();
    }
    assertThat(storeDir.resolve("lock")).isRegularFile();
    assertThat(store.dir()).isEqualTo(storeDir);
  }

  @Test
  void open_pathIsAFile_throws() throws Exception {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> ImageStore.open(file))
        .hasMessage("image store: " + file + " is not a directory (give the store directory with --store-dir)");
  }

  // --- import

  @Test
  void importAci_validAci_storesTheBytesTheManifestAndTheRecord() throws Exception {
    Path aci = aci(tmp, "example.com/app", version("1.0"), "bin/app=hello");

    StoredImage i = store.importAci(aci, null, "https://example.com/app.aci");

    assertThat(i.id().value()).isEqualTo(AciArchive.imageId(aci));
    assertThat(i.name().value()).isEqualTo("example.com/app");
    assertThat(i.labels()).isEqualTo(labels("version", "1.0"));
    assertThat(i.importTime()).isEqualTo(clock.now);
    assertThat(i.lastUsed()).isNull();
    assertThat(i.size()).isEqualTo(Files.size(aci));
    assertThat(i.source()).isEqualTo("https://example.com/app.aci");
    assertThat(i.signed()).isFalse();
    assertThat(store.aciFile(i)).hasSameBinaryContentAs(aci);
    assertThat(store.signatureFile(i)).isEmpty();
    assertThat(store.manifestBytes(i)).isEqualTo(AciArchive.readManifest(aci));
    assertThat(store.manifest(i).name().value()).isEqualTo("example.com/app");
    assertThat(store.list()).containsExactly(i);
    assertThat(storeDir.resolve("tmp")).isEmptyDirectory();
  }

  @Test
  void importAci_noSource_recordsTheFileUri() throws Exception {
    Path aci = aci(tmp, "example.com/app", "");
    StoredImage i = store.importAci(aci, null, null);
    assertThat(i.source()).isEqualTo(aci.toUri().toString());
  }

  @Test
  void importAci_withSignature_storesItBesideTheBytes() throws Exception {
    Path aci = aci(tmp, "example.com/app", "");
    Path sig = Files.writeString(tmp.resolve("app.aci.asc"), "-----BEGIN PGP SIGNATURE-----\n");

    StoredImage i = store.importAci(aci, sig, null);

    assertThat(i.signed()).isTrue();
    assertThat(store.signatureFile(i)).hasValueSatisfying(p -> assertThat(p).hasSameBinaryContentAs(sig));
  }

  @Test
  void importAci_sameImageAgain_updatesSourceAndTimeAndKeepsLastUse() throws Exception {
    Path aci = aci(tmp, "example.com/app", "");
    StoredImage first = store.importAci(aci, null, "https://a/app.aci");
    clock.advance(Duration.ofHours(1));
    store.markUsed(first.id());
    Instant used = clock.now;
    clock.advance(Duration.ofHours(1));

    StoredImage again = store.importAci(aci, null, "https://b/app.aci");

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.source()).isEqualTo("https://b/app.aci");
    assertThat(again.importTime()).isEqualTo(clock.now);
    assertThat(again.lastUsed()).isEqualTo(used);
    assertThat(store.list()).containsExactly(again);
  }

  @Test
  void importAci_sameImageOtherBytesWithSignature_replacesBytesAndSignatureTogether() throws Exception {
    Path gz = aci(Compression.GZIP, tmp, "example.com/app", "", "a=1");
    Path xz = aci(Compression.XZ, tmp, "example.com/app", "", "a=1");
    Path xzSig = Files.writeString(tmp.resolve("xz.asc"), "xz signature");
    StoredImage first = store.importAci(gz, Files.writeString(tmp.resolve("gz.asc"), "gz signature"), null);

    StoredImage second = store.importAci(xz, xzSig, null);

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(store.aciFile(second)).hasSameBinaryContentAs(xz);
    assertThat(store.signatureFile(second)).hasValueSatisfying(p -> assertThat(p).hasContent("xz signature"));
    assertThat(second.size()).isEqualTo(Files.size(xz));
  }

  @Test
  void importAci_sameImageOtherBytesWithoutSignature_keepsTheSignedBytes() throws Exception {
    Path gz = aci(Compression.GZIP, tmp, "example.com/app", "", "a=1");
    Path xz = aci(Compression.XZ, tmp, "example.com/app", "", "a=1");
    store.importAci(gz, Files.writeString(tmp.resolve("gz.asc"), "gz signature"), null);

    StoredImage second = store.importAci(xz, null, null);

    assertThat(store.aciFile(second)).hasSameBinaryContentAs(gz);
    assertThat(second.signed()).isTrue();
    assertThat(second.size()).isEqualTo(Files.size(gz));
  }

  @Test
  void importAci_invalidManifest_throwsAndLeavesNothing() throws Exception {
    Path bad = TestAcis.archive(tmp.resolve("bad.aci"), Compression.GZIP, t -> t
        .file("manifest", "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"Bad Name\"}")
        .dir("rootfs"));

    assertThatThrownBy(() -> store.importAci(bad, null, null))
        .hasMessageStartingWith("import: " + bad + ": invalid manifest: reading image manifest: name: invalid AC Identifier \"Bad Name\"");
    assertThat(files(storeDir)).containsExactly("lock");
  }

  @Test
  void importAci_hostileEntry_throwsAndLeavesNothing() throws Exception {
    Path bad = TestAcis.hostileTar(tmp.resolve("bad.aci"), Compression.GZIP, t -> t.file("rootfs/../../x", "x"));

    assertThatThrownBy(() -> store.importAci(bad, null, null))
        .hasMessage("import: " + bad + ": entry \"rootfs/../../x\": path escapes the rootfs");
    assertThat(files(storeDir)).containsExactly("lock");
  }

  @Test
  void importAci_missingFiles_throw() throws Exception {
    Path aci = aci(tmp, "example.com/app", "");
    assertThatThrownBy(() -> store.importAci(tmp.resolve("nope.aci"), null, null))
        .hasMessage("import: " + tmp.resolve("nope.aci") + ": no such file");
    assertThatThrownBy(() -> store.importAci(aci, tmp.resolve("nope.asc"), null))
        .hasMessage("import: signature " + tmp.resolve("nope.asc") + ": no such file");
  }

  // --- look-up

  @Test
  void get_fullIdAndPrefix_findTheImage() throws Exception {
    StoredImage i = importNew("example.com/app", "");
    assertThat(store.get(i.id().value())).contains(i);
    assertThat(store.get(i.id().value().substring(0, 7 + 12))).contains(i);
    String absent = "sha512-" + (i.id().hex().startsWith("0") ? "1" : "0") + "0".repeat(127);
    assertThat(store.get(absent)).isEmpty();
  }

  @Test
  void get_ambiguousPrefix_throwsNamingTheCandidates() throws Exception {
    Map<String, StoredImage> byPrefix = new HashMap<>();
    StoredImage a = null;
    StoredImage b = null;
    for (int n = 0; a == null; n++) {
      StoredImage i = importNew("example.com/app" + n, "");
      StoredImage earlier = byPrefix.putIfAbsent(i.id().hex().substring(0, 2), i);
      if (earlier != null) {
        a = earlier;
        b = i;
      }
    }
    String prefix = "sha512-" + a.id().hex().substring(0, 2);
    List<StoredImage> sorted = a.id().value().compareTo(b.id().value()) < 0 ? List.of(a, b) : List.of(b, a);

    StoredImage first = sorted.get(0);
    StoredImage second = sorted.get(1);
    assertThatThrownBy(() -> store.get(prefix))
        .hasMessage("image ID prefix " + prefix + " is ambiguous: it matches " + first.id() + " (" + first.name() + "), "
            + second.id() + " (" + second.name() + "); give more digits");
  }

  @Test
  void get_badIds_throw() {
    assertThatThrownBy(() -> store.get("sha512-a"))
        .hasMessage("image ID prefix sha512-a is too short: give sha512- and at least 2 hex digits");
    assertThatThrownBy(() -> store.get("sha512-XY"))
        .hasMessage("invalid Image ID \"sha512-XY\": must be sha512- followed by 1 to 128 lowercase hex digits");
  }

  @Test
  void find_appcLabelMatching_newestFirst() throws Exception {
    StoredImage v1 = importNew("example.com/app", "\"labels\":[{\"name\":\"version\",\"value\":\"1\"},{\"name\":\"os\",\"value\":\"linux\"}]");
    StoredImage v2 = importNew("example.com/app", version("2"));
    importNew("example.com/other", version("1"));
    AcIdentifier app = AcIdentifier.parse("example.com/app");

    assertThat(store.find(app, Labels.of())).containsExactly(v2, v1);
    assertThat(store.find(app, labels("version", "1"))).containsExactly(v1);
    assertThat(store.find(app, labels("os", "linux"))).containsExactly(v1);
    assertThat(store.find(app, labels("version", "2", "os", "linux"))).isEmpty();
    assertThat(store.find(app, labels("arch", "amd64"))).isEmpty();
  }

  @Test
  void resolve_idPrefixOrName_givesTheNewestMatch() throws Exception {
    StoredImage v1 = importNew("example.com/app", version("1"));
    StoredImage v2 = importNew("example.com/app", version("2"));

    assertThat(store.resolve("example.com/app")).isEqualTo(v2);
    assertThat(store.resolve("example.com/app:1")).isEqualTo(v1);
    assertThat(store.resolve("example.com/app,version=2")).isEqualTo(v2);
    assertThat(store.resolve(v1.id().value().substring(0, 20))).isEqualTo(v1);
  }

  @Test
  void resolve_nothingMatches_throwsSayingHowToGetIt() throws Exception {
    importNew("example.com/app", version("1"));
    assertThatThrownBy(() -> store.resolve("example.com/app:3"))
        .hasMessage("no image example.com/app:3 in the store (actool image list shows the images it holds; "
            + "get it with actool fetch example.com/app:3)");
    assertThatThrownBy(() -> store.resolve("sha512-00000000"))
        .hasMessage("no image sha512-00000000 in the store (actool image list shows the images it holds)");
    assertThatThrownBy(() -> store.resolve("Example.com"))
        .hasMessageStartingWith("invalid AC Identifier \"Example.com\"");
  }

  @Test
  void list_oldestImportFirst() throws Exception {
    StoredImage a = importNew("example.com/a", "");
    StoredImage b = importNew("example.com/b", "");
    StoredImage c = importNew("example.com/c", "");
    assertThat(store.list()).containsExactly(a, b, c);
  }

  // --- use, remove, gc

  @Test
  void markUsed_recordsTheTime() throws Exception {
    StoredImage i = importNew("example.com/app", "");
    clock.advance(Duration.ofDays(2));
    store.markUsed(i.id());
    assertThat(store.get(i.id().value()).orElseThrow().lastUsed()).isEqualTo(clock.now);
  }

  @Test
  void remove_byName_removesEveryMatchAndAllItsFiles() throws Exception {
    importNew("example.com/app", version("1"));
    importNew("example.com/app", version("2"));
    StoredImage other = importNew("example.com/other", "");
    Path sig = Files.writeString(tmp.resolve("s.asc"), "sig");
    store.importAci(aci(tmp, "example.com/signed", ""), sig, null);

    List<StoredImage> removed = store.remove(List.of("example.com/app", "example.com/signed"));

    assertThat(removed).extracting(i -> i.name().value())
        .containsExactly("example.com/app", "example.com/app", "example.com/signed");
    assertThat(store.list()).containsExactly(other);
    assertThat(files(storeDir)).containsExactlyInAnyOrder("lock", "blobs/sha512/" + other.id().hex(),
        "images/" + other.id().hex() + ".json", "images/" + other.id().hex() + ".manifest");
  }

  @Test
  void remove_oneRefUnknown_removesNothing() throws Exception {
    StoredImage a = importNew("example.com/a", "");
    assertThatThrownBy(() -> store.remove(List.of(a.id().value(), "example.com/nope")))
        .hasMessage("rm: no image example.com/nope in the store (nothing was removed; actool image list shows the images it holds)");
    assertThat(store.list()).containsExactly(a);
  }

  @Test
  void gc_removesImagesNotUsedWithinTheGracePeriodOnly() throws Exception {
    StoredImage old = importNew("example.com/old", "");
    StoredImage usedLately = importNew("example.com/used", "");
    clock.advance(Duration.ofHours(30));
    store.markUsed(usedLately.id());
    StoredImage recent = importNew("example.com/recent", "");

    List<StoredImage> removed = store.gc(Duration.ofHours(24), clock.now);

    assertThat(removed).extracting(StoredImage::id).containsExactly(old.id());
    assertThat(store.list()).extracting(StoredImage::id).containsExactly(usedLately.id(), recent.id());
    assertThat(storeDir.resolve("blobs/sha512/" + old.id().hex())).doesNotExist();
  }

  @Test
  void gc_leftoversOfKilledWork_removedButLiveWorkKept() throws Exception {
    StoredImage kept = importNew("example.com/kept", "");
    String orphan = "ab".repeat(64);
    Files.writeString(storeDir.resolve("blobs/sha512/" + orphan), "blob without record");
    Files.writeString(storeDir.resolve("blobs/sha512/" + orphan + ".asc"), "its signature");
    Files.writeString(storeDir.resolve("images/" + orphan + ".manifest"), "{}");
    Files.createDirectories(storeDir.resolve("trees/" + orphan + "-0123/rootfs"));
    long dead = deadPid();
    Files.writeString(storeDir.resolve("tmp/import-" + dead + "-1.aci"), "half an import");
    Files.createDirectories(storeDir.resolve("tmp/render-" + dead + "-2/tree/rootfs/x"));
    Path live = Files.writeString(storeDir.resolve("tmp/import-" + ProcessHandle.current().pid() + "-3.aci"), "in progress");
    store.putRemote(new RemoteEntry("https://x/gone.aci", ImageId.parse("sha512-" + orphan), null, clock.now, null));

    assertThat(store.gc(Duration.ofDays(1), clock.now)).isEmpty();

    assertThat(files(storeDir)).containsExactlyInAnyOrder("lock", "blobs/sha512/" + kept.id().hex(),
        "images/" + kept.id().hex() + ".json", "images/" + kept.id().hex() + ".manifest", storeDir.relativize(live).toString());
    assertThat(storeDir.resolve("trees")).isEmptyDirectory();
  }

  /** A pid no process has: the largest possible, well above any pid_max. */
  private static long deadPid() {
    long pid = 999_999_999L;
    assertThat(ProcessHandle.of(pid)).isEmpty();
    return pid;
  }

  // --- verify

  @Test
  void verify_intactImage_passes() throws Exception {
    StoredImage i = importNew("example.com/app", "", "a=1");
    store.renderedTree(i, DependencyResolver.storeOnly(store));
    store.verify(i);
  }

  @Test
  void verify_damagedArchive_throwsSayingHowToFixIt() throws Exception {
    StoredImage i = importNew("example.com/app", version("1"), "a=1");
    Path other = aci(tmp, "example.com/app", version("1"), "a=2");
    Files.copy(other, store.aciFile(i), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> store.verify(i))
        .hasMessage("verify: image example.com/app:1 (" + i.id() + ") no longer hashes to its ID (its archive hashes to "
            + AciArchive.imageId(other) + "): the stored copy is damaged; remove it with actool image rm " + i.id()
            + " and fetch it again");
  }

  @Test
  void verify_changedRenderedTree_throws() throws Exception {
    StoredImage i = importNew("example.com/app", "", "a=1");
    Path rootfs = store.renderedTree(i, DependencyResolver.storeOnly(store));
    Files.writeString(rootfs.resolve("a"), "changed");

    assertThatThrownBy(() -> store.verify(i))
        .hasMessageStartingWith("verify: the rendered tree " + rootfs.getParent() + " of image example.com/app was changed (its checksum was sha512-")
        .hasMessageEndingWith("; remove it with actool image rm " + i.id() + " and fetch it again");
  }

  // --- remotes

  @Test
  void remote_putThenGet_andGoneWithItsImage() throws Exception {
    StoredImage i = importNew("example.com/app", "");
    RemoteEntry e = new RemoteEntry("https://example.com/app.aci", i.id(), "\"etag-1\"", clock.now, clock.now.plusSeconds(60));
    assertThat(store.remote(e.url())).isEmpty();

    store.putRemote(e);

    assertThat(store.remote(e.url())).contains(e);
    assertThat(store.remote("https://example.com/other.aci")).isEmpty();
    store.remove(List.of(i.id().value()));
    assertThat(store.remote(e.url())).isEmpty();
  }

  // --- trees and outputs

  @Test
  void renderedTree_secondCall_reusesTheTreeWithoutExtractingAgain() throws Exception {
    StoredImage base = importNew("example.com/base", "", "etc/base=b");
    StoredImage app = importNew("example.com/app", dependsOn("example.com/base"), "bin/app=a");
    DependencyResolver resolver = DependencyResolver.storeOnly(store);

    Path rootfs = store.renderedTree(app, resolver);
    Object inode = Files.getAttribute(rootfs.resolve("etc/base"), "unix:ino");
    Path again = store.renderedTree(app, resolver);

    assertThat(again).isEqualTo(rootfs);
    assertThat(rootfs.resolve("bin/app")).hasContent("a");
    assertThat(rootfs.resolve("etc/base")).hasContent("b");
    assertThat(Files.getAttribute(again.resolve("etc/base"), "unix:ino")).isEqualTo(inode);
    assertThat(rootfs.getParent().getParent()).isEqualTo(storeDir.resolve("trees"));
    assertThat(storeDir.resolve("tmp")).isEmptyDirectory();
    store.remove(List.of(base.id().value()));
    store.gc(Duration.ofDays(1), clock.now);
    assertThat(storeDir.resolve("trees")).isEmptyDirectory();
  }

  @Test
  void treeOwners_treeRenderedAsRoot_noOwnersFileAndNone() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(ProcessUser.isRoot(), "a tree rendered as root has its owners");
    StoredImage app = importNew("example.com/app", "", "bin/app=a");

    Path rootfs = store.renderedTree(app, DependencyResolver.storeOnly(store));

    assertThat(rootfs.resolveSibling("owners.json")).doesNotExist();
    assertThat(store.treeOwners(rootfs)).isEmpty();
  }

  @Test
  void treeOwners_ownersFileBesideTheTree_readBack() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("tree/rootfs"));
    List<EntryOwner> owners = List.of(new EntryOwner("home/app", TarEntryType.DIRECTORY, 1000, 1000, 0755),
        new EntryOwner("bin/su", TarEntryType.FILE, 0, 5, 04755), new EntryOwner("a b\n", TarEntryType.SYMLINK, 7, 7, 0777));
    Files.write(tmp.resolve("tree/owners.json"), Records.owners(owners));

    assertThat(store.treeOwners(rootfs)).isEqualTo(owners);
    Files.writeString(tmp.resolve("tree/owners.json"), "{\"owners\":[{\"path\":\"x\",\"type\":\"FILE\",\"uid\":\"a\"}]}");
    assertThatThrownBy(() -> store.treeOwners(rootfs)).hasMessage("render: cannot read the owners of the rendered tree "
        + tmp.resolve("tree") + " (" + tmp.resolve("tree/owners.json") + "): entry \"x\": uid, gid or mode is not a number "
        + "(the cached tree is damaged: remove its image with actool image rm and fetch it again)");
  }

  @Test
  void renderedTree_manyThreadsAtOnce_allGetTheOneTree() throws Exception {
    String[] files = new String[300];
    for (int n = 0; n < files.length; n++) {
      files[n] = "d" + (n % 10) + "/f" + n + "=" + n;
    }
    StoredImage app = importNew("example.com/app", "", files);
    DependencyResolver resolver = DependencyResolver.storeOnly(store);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      // each thread notes the directory it was given: a tree replaced after being handed out shows
      List<Future<String>> trees = new ArrayList<>();
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      for (int t = 0; t < 4; t++) {
        trees.add(pool.submit(() -> {
          start.await();
          Path rootfs = store.renderedTree(app, resolver);
          return rootfs + " inode " + Files.getAttribute(rootfs, "unix:ino");
        }));
      }
      start.countDown();
      String first = trees.get(0).get();
      for (Future<String> f : trees) {
        assertThat(f.get()).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
    store.verify(app);
    assertThat(storeDir.resolve("tmp")).isEmptyDirectory();
    try (Stream<Path> s = Files.list(storeDir.resolve("trees"))) {
      assertThat(s).hasSize(1);
    }
  }

  @Test
  void render_existingTarget_refusedWithoutOverwriteAndReplacedWith() throws Exception {
    StoredImage i = importNew("example.com/app", "", "a=new");
    Path target = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(target.resolve("old"), "old");
    DependencyResolver r = DependencyResolver.storeOnly(store);

    assertThatThrownBy(() -> store.render(i, r, target, false, false))
        .hasMessage("render: " + target + " exists (use --overwrite to replace it)");
    store.render(i, r, target, true, false);

    assertThat(target.resolve("old")).doesNotExist();
    assertThat(target.resolve("rootfs/a")).hasContent("new");
    assertThat(target.resolve("manifest")).hasBinaryContent(store.manifestBytes(i));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".out."));
    }
  }

  @Test
  void render_failure_leavesTheExistingTargetAsItWas() throws Exception {
    StoredImage app = importNew("example.com/app", dependsOn("example.com/missing"), "a=1");
    Path target = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(target.resolve("old"), "old");

    assertThatThrownBy(() -> store.render(app, DependencyResolver.storeOnly(store), target, true, false))
        .hasMessage("render: example.com/app: dependency example.com/missing is not in the store: get it with "
            + "actool fetch example.com/missing");
    assertThat(target.resolve("old")).hasContent("old");
  }

  @Test
  void extract_rootfsOnly_givesTheImageAloneAsTheTarget() throws Exception {
    importNew("example.com/base", "", "base=b");
    StoredImage app = importNew("example.com/app", dependsOn("example.com/base") + "," + TestImages.whitelist("/x"), "a=1", "d/");
    Path target = tmp.resolve("rootfs");

    store.extract(app, target, false, true);

    try (Stream<Path> s = Files.list(target)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a", "d");
    }
  }

  @Test
  void export_copiesTheStoredBytes_refusingToReplaceWithoutOverwrite() throws Exception {
    Path aci = aci(tmp, "example.com/app", "");
    StoredImage i = store.importAci(aci, null, null);
    Path out = tmp.resolve("out.aci");

    store.export(i, out, false);

    assertThat(out).hasSameBinaryContentAs(aci);
    assertThatThrownBy(() -> store.export(i, out, false))
        .hasMessage("export: " + out + " exists (use --overwrite to replace it)");
    store.export(i, out, true);
  }

  // --- concurrency

  @Test
  void importAndRemove_fromManyThreadsAtOnce_leaveAConsistentStore() throws Exception {
    int images = 16;
    List<Path> acis = new ArrayList<>();
    for (int n = 0; n < images; n++) {
      acis.add(aci(tmp, "example.com/app" + n, "", "f=" + n));
    }
    ImageStore other = ImageStore.open(storeDir, clock); // a second handle, as another component would have
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int n = 0; n < images; n++) {
        ImageStore s = n % 2 == 0 ? store : other;
        Path aci = acis.get(n);
        String name = "example.com/app" + n;
        work.add(pool.submit(() -> {
          s.importAci(aci, null, null);
          s.list();
          s.remove(List.of(name));
          StoredImage i = s.importAci(aci, null, null);
          s.renderedTree(i, DependencyResolver.storeOnly(s));
          return i;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.list()).hasSize(images);
    for (StoredImage i : store.list()) {
      store.verify(i);
    }
    assertThat(store.gc(Duration.ofDays(1), clock.now)).isEmpty();
    try (Stream<Path> s = Files.list(storeDir.resolve("trees"))) {
      assertThat(s).hasSize(images);
    }
    assertThat(storeDir.resolve("tmp")).isEmptyDirectory();
  }
}
