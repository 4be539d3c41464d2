package org.appctools.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.aci.AciValidator;
import org.appctools.aci.BuildOptions;
import org.appctools.aci.TestAcis;
import org.appctools.compress.Compression;
import org.appctools.schema.ImageManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildSessionTest {
  @TempDir Path tmp;

  private static final WriteOptions W =
      new WriteOptions(false, Compression.GZIP, OptionalLong.of(1_600_000_000L));

  private Path work() throws IOException {
    return Files.createDirectories(tmp.resolve("work"));
  }

  private Path srcTree() throws IOException, AppcException {
    Path src = Files.createDirectories(tmp.resolve("src/sub"));
    Files.writeString(src.resolve("a.txt"), "A");
    Files.createLink(src.resolve("a-link.txt"), src.resolve("a.txt"));
    Files.createSymbolicLink(src.resolve("sym"), Path.of("a.txt"));
    Files.writeString(tmp.resolve("src/top"), "T");
    BuildSession.run("test", List.of("chmod", "4750", tmp.resolve("src/top").toString()));
    return tmp.resolve("src");
  }

  private static int mode(Path p) throws IOException {
    return ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue()
        & 07777;
  }

  private static Object ino(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void begin_empty_placeholderAndHostLabels() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      assertThat(s.manifest().name().value()).isEqualTo("acbuild-unnamed");
      assertThat(s.manifest().labels().list()).extracting(l -> l.name().value())
          .containsExactly("arch", "os");
      assertThat(s.manifest().labels().get("os")).hasValue("linux");
      assertThat(s.manifest().app()).isNull();
      assertThat(s.imageDir().resolve("rootfs")).isEmptyDirectory();
      assertThat(Files.readSymbolicLink(work().resolve(".acbuild/current")))
          .isEqualTo(Path.of("gen-1"));
    }
  }

  @Test
  void saveGeneration_thenBeginGeneration_sameTreeHardLinked_manifestAndOwnersKept() throws Exception {
    Path saved = tmp.resolve("saved");
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Directory(srcTree()), false)) {
      s.edit(null, ManifestEdits.setName("example.com/saved"));
      s.copy(tmp.resolve("src/top"), "/owned", new CopyOptions(7L, 8L, null), null);
      s.saveGeneration(saved);
      s.end();
    }
    assertThat(saved.resolve("owners")).exists();
    Path other = Files.createDirectories(tmp.resolve("other"));
    try (BuildSession s = BuildSession.begin(other, new BeginSource.Generation(saved), false)) {
      assertThat(s.manifest().name().value()).isEqualTo("example.com/saved");
      Path rootfs = s.imageDir().resolve("rootfs");
      assertThat(rootfs.resolve("sub/a.txt")).hasContent("A");
      assertThat(ino(rootfs.resolve("sub/a.txt"))).isEqualTo(ino(saved.resolve("image/rootfs/sub/a.txt")));
      assertThat(mode(rootfs.resolve("top"))).isEqualTo(04750);
      assertThat(s.recordedOwners().get("owned")).isEqualTo(new BuildOptions.Owner(7, 8));
    }
  }

  @Test
  void begin_twice_inProgress() throws Exception {
    Path w = work();
    BuildSession.begin(w, new BeginSource.Empty()).close();
    assertThatThrownBy(() -> BuildSession.begin(w, new BeginSource.Empty()))
        .isInstanceOf(AppcException.class)
        .hasMessage("begin: build already in progress in " + w + " (run acbuild end first)");
  }

  @Test
  void open_noBuild_message() throws Exception {
    Path w = work();
    assertThatThrownBy(() -> BuildSession.open(w))
        .hasMessage("build not in progress in " + w + " (run acbuild begin)");
  }

  @Test
  void open_lockHeld_failsAtOnceNamingWorkPath() throws Exception {
    Path w = work();
    try (BuildSession s = BuildSession.begin(w, new BeginSource.Empty())) {
      assertThatThrownBy(() -> BuildSession.open(w)).hasMessage("another acbuild is running in "
          + w + " (its lock " + w.resolve(".acbuild/lock") + " is held)");
    }
    BuildSession.open(w).close();
  }

  @Test
  void begin_directoryContainingWorkPath_contextNotCopied() throws Exception {
    Path src = srcTree();
    try (BuildSession s = BuildSession.begin(src, new BeginSource.Directory(src))) {
      Path root = s.imageDir().resolve("rootfs");
      assertThat(root.resolve("sub/a.txt")).hasContent("A");
      assertThat(root.resolve(".acbuild")).doesNotExist();
      assertThat(ino(root.resolve("sub/a.txt"))).isEqualTo(ino(root.resolve("sub/a-link.txt")));
      assertThat(Files.readSymbolicLink(root.resolve("sub/sym"))).isEqualTo(Path.of("a.txt"));
      assertThat(mode(root.resolve("top"))).isEqualTo(04750);
      s.end();
    }
    assertThat(src.resolve(".acbuild")).doesNotExist();
  }

  @Test
  void begin_aci_manifestAndRootfsKept() throws Exception {
    Path aci = tmp.resolve("in.aci");
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Directory(srcTree()))) {
      s.edit(null, ManifestEdits.setName("example.com/in"));
      s.write(aci, W);
      s.end();
    }
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Archive(aci))) {
      assertThat(s.manifest().name().value()).isEqualTo("example.com/in");
      assertThat(s.imageDir().resolve("rootfs/sub/a.txt")).hasContent("A");
    }
  }

  @Test
  void begin_plainTar_rootfsAndPlaceholder() throws Exception {
    Path src = srcTree();
    Path tar = tmp.resolve("root.tar.gz");
    BuildSession.run("test", List.of("tar", "-czf", tar.toString(), "-C", src.toString(), "."));
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Archive(tar))) {
      assertThat(s.manifest().name().value()).isEqualTo("acbuild-unnamed");
      assertThat(s.imageDir().resolve("rootfs/sub/a.txt")).hasContent("A");
      assertThat(s.warnings()).containsExactly("manifest file or rootfs directory is missing in "
          + tar + ", assuming build is beginning with a tar of a rootfs");
    }
  }

  @Test
  void begin_plainTarGz_rootfsPlaceholderManifestAndOwners() throws Exception {
    Path tar = TestAcis.archive(tmp.resolve("root.tar.gz"), Compression.GZIP, t -> t
        .dir("./", 0755)
        .dir("./etc")
        .file("./etc/hostname", "box".getBytes(StandardCharsets.UTF_8), 0644, 1234, 4321,
            Map.of())
        .hardlink("./etc/hostname2", "./etc/hostname")
        .symlink("./bin", "usr/bin")
        .file("./manifest", "just a file"));
    Path w = work();
    Path aci = tmp.resolve("out.aci");
    try (BuildSession s = BuildSession.begin(w, new BeginSource.Archive(tar), false)) {
      assertThat(s.manifest().name().value()).isEqualTo("acbuild-unnamed");
      assertThat(ImageManifest.parse(Files.readAllBytes(s.imageDir().resolve("manifest")))
          .name().value()).isEqualTo("acbuild-unnamed");
      Path rootfs = s.imageDir().resolve("rootfs");
      assertThat(rootfs.resolve("etc/hostname")).hasContent("box");
      assertThat(ino(rootfs.resolve("etc/hostname2")))
          .isEqualTo(ino(rootfs.resolve("etc/hostname")));
      assertThat(Files.readSymbolicLink(rootfs.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
      assertThat(rootfs.resolve("manifest")).hasContent("just a file");
      assertThat(s.warnings()).containsExactly("manifest file or rootfs directory is missing in "
          + tar + ", assuming build is beginning with a tar of a rootfs");
      s.edit(null, ManifestEdits.setName("example.com/plain"));
      s.write(aci, W);
    }
    Map<String, Long> uids = new TreeMap<>();
    Map<String, Long> gids = new TreeMap<>();
    AciArchive.visit(aci, org.appctools.aci.ReadLimits.defaults(), true, (item, in) -> {
      uids.put(item.name(), item.uid());
      gids.put(item.name(), item.gid());
      return true;
    });
    assertThat(uids).containsEntry("rootfs/etc/hostname", 1234L);
    assertThat(gids).containsEntry("rootfs/etc/hostname", 4321L);
  }

  @Test
  void begin_hostilePlainTar_failsNamingEntryAndLeavesNoContext() throws Exception {
    Path outside = Files.createDirectory(tmp.resolve("outside"));
    Path tar = TestAcis.archive(tmp.resolve("evil.tar.gz"), Compression.GZIP, t -> t
        .dir("./")
        .file("./ok", "fine")
        .symlink("./escape", outside.toString())
        .file("./escape/pwned", "pwned"));
    Path w = work();
    assertThatThrownBy(() -> BuildSession.begin(w, new BeginSource.Archive(tar), false))
        .isInstanceOf(AppcException.class)
        .hasMessage("extract: entry \"./escape/pwned\": refusing to write through symlink "
            + "\"escape\"");
    assertThat(outside).isEmptyDirectory();
    assertThat(w).isEmptyDirectory();
    assertThatThrownBy(() -> BuildSession.open(w))
        .hasMessageContaining("build not in progress");
  }

  @Test
  void begin_traversalPlainTar_failsNamingEntry() throws Exception {
    Path tar = TestAcis.archive(tmp.resolve("evil.tar"), Compression.NONE, t -> t
        .file("./ok", "fine").file("../../evil", "pwned"));
    Path w = work();
    assertThatThrownBy(() -> BuildSession.begin(w, new BeginSource.Archive(tar)))
        .hasMessage("extract: entry \"../../evil\": path escapes the rootfs");
    assertThat(w).isEmptyDirectory();
    assertThat(tmp.resolve("evil")).doesNotExist();
  }

  @Test
  void edit_history_goAnnotation() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      s.edit(History.entry("set-name", List.of("example.com/a")),
          ManifestEdits.setName("example.com/a"));
      s.edit(History.entry("label add", List.of("version", "1")),
          ManifestEdits.addLabel("version", "1"));
      s.edit(null, ManifestEdits.addLabel("x", "y"));
    }
    try (BuildSession s = BuildSession.open(work())) {
      assertThat(s.manifest().annotations().list()).extracting(a -> a.name() + "=" + a.value())
          .containsExactly("appc.io/acbuild/command-1=acbuild set-name \"example.com/a\"",
              "appc.io/acbuild/command-2=acbuild label add \"version\" \"1\"");
      assertThat(s.manifest().labels().get("x")).hasValue("y");
    }
  }

  @Test
  void edit_notFound_contextUnchanged() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      byte[] before = Files.readAllBytes(s.imageDir().resolve("manifest"));
      assertThatThrownBy(() -> s.edit("h", ManifestEdits.removeLabel("nope")))
          .isInstanceOf(NotFoundException.class);
      assertThat(s.imageDir().resolve("manifest")).hasBinaryContent(before);
    }
  }

  @Test
  void replaceManifest_invalid_refused() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      assertThatThrownBy(() -> s.replaceManifest("{\"acKind\":\"PodManifest\"}".getBytes(), null))
          .isInstanceOf(AppcException.class).hasMessageStartingWith("replace-manifest: ");
      s.replaceManifest(("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
          + "\"name\":\"example.com/r\"}").getBytes(), "acbuild replace-manifest \"m\"");
      assertThat(s.manifest().name().value()).isEqualTo("example.com/r");
      assertThat(s.manifest().annotations().get("appc.io/acbuild/command-1")).isPresent();
    }
  }

  @Test
  void copy_fileToPath_parentsMadeOldGenerationUntouched() throws Exception {
    Path src = srcTree();
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      s.copy(src.resolve("top"), "/usr/bin/top", CopyOptions.keep(), "acbuild copy");
      Path root = s.imageDir().resolve("rootfs");
      assertThat(root.resolve("usr/bin/top")).hasContent("T");
      assertThat(mode(root.resolve("usr/bin/top"))).isEqualTo(04750);
      assertThat(mode(root.resolve("usr"))).isEqualTo(0755);
      assertThat(Files.readSymbolicLink(work().resolve(".acbuild/current")))
          .isEqualTo(Path.of("gen-2"));
      assertThat(work().resolve(".acbuild/gen-1")).doesNotExist();
      assertThat(s.manifest().annotations().get("appc.io/acbuild/command-1"))
          .hasValue("acbuild copy");
      Path kept = tmp.resolve("keep");
      Files.createLink(kept, root.resolve("usr/bin/top"));
      s.copy(src.resolve("sub/a.txt"), "usr/bin/top", CopyOptions.keep(), null);
      assertThat(s.imageDir().resolve("rootfs/usr/bin/top")).hasContent("A");
      assertThat(kept).hasContent("T");
    }
  }

  @Test
  void copy_dirOntoRoot_mergedLinksKept() throws Exception {
    Path src = srcTree();
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      s.copy(src.resolve("top"), "/top", CopyOptions.keep(), null);
      s.copy(src.resolve("sub"), "/", CopyOptions.keep(), null);
      Path root = s.imageDir().resolve("rootfs");
      assertThat(root.resolve("top")).hasContent("T");
      assertThat(root.resolve("a.txt")).hasContent("A");
      assertThat(ino(root.resolve("a.txt"))).isEqualTo(ino(root.resolve("a-link.txt")));
      assertThat(Files.readSymbolicLink(root.resolve("sym"))).isEqualTo(Path.of("a.txt"));
    }
  }

  @Test
  void copy_throughAbsoluteSymlink_staysInRootfs() throws Exception {
    Path src = srcTree();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      Path root = s.imageDir().resolve("rootfs");
      Files.createDirectories(root.resolve("usr/lib"));
      Files.createSymbolicLink(root.resolve("lib"), Path.of("/usr/lib"));
      Files.createSymbolicLink(root.resolve("evil"), outside);
      s.copy(src.resolve("top"), "/lib/top", CopyOptions.keep(), null);
      s.copy(src.resolve("top"), "/evil/top", CopyOptions.keep(), null);
      root = s.imageDir().resolve("rootfs");
      assertThat(root.resolve("usr/lib/top")).hasContent("T");
      assertThat(outside).isEmptyDirectory();
      assertThat(root.resolve(outside.toString().substring(1)).resolve("top")).hasContent("T");
    }
  }

  @Test
  void copy_fileOntoDirectory_refusedUnchanged() throws Exception {
    Path src = srcTree();
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      s.copy(src.resolve("sub"), "/d", CopyOptions.keep(), null);
      assertThatThrownBy(() -> s.copy(src.resolve("top"), "/d", CopyOptions.keep(), null))
          .hasMessage("copy: cannot overwrite directory /d with a non-directory");
      assertThat(Files.readSymbolicLink(work().resolve(".acbuild/current")))
          .isEqualTo(Path.of("gen-2"));
      assertThat(work().resolve(".acbuild/gen-3")).doesNotExist();
    }
  }

  @Test
  void copyToDir_chownChmod_everyEntry() throws Exception {
    Path src = srcTree();
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      s.copyToDir(List.of(src.resolve("sub"), src.resolve("top")), "/opt/app",
          new CopyOptions(1234L, 5678L, 0640), null);
      Path root = s.imageDir().resolve("rootfs");
      assertThat(root.resolve("opt/app/top")).hasContent("T");
      assertThat(mode(root.resolve("opt/app/top"))).isEqualTo(0640);
      assertThat(mode(root.resolve("opt/app/sub"))).isEqualTo(0640);
      assertThat(Files.getAttribute(root.resolve("opt/app/sub/a.txt"), "unix:uid"))
          .isEqualTo(1234);
      assertThat(Files.getAttribute(root.resolve("opt/app/sub/a.txt"), "unix:gid"))
          .isEqualTo(5678);
      assertThatThrownBy(() -> s.copyToDir(List.of(src.resolve("top")), "/opt/app/top",
          CopyOptions.keep(), null))
          .hasMessage("copy-to-dir: target \"/opt/app/top\" is not a directory");
    }
  }

  @Test
  void copy_unprivileged_ownersRecordedAndWritten() throws Exception {
    Path src = srcTree();
    Path w = work();
    Path aci = tmp.resolve("u.aci");
    try (BuildSession s = BuildSession.begin(w, new BeginSource.Empty(), false)) {
      s.copy(src.resolve("sub"), "/sub", new CopyOptions(1234L, null, null), null);
      s.edit(null, ManifestEdits.setName("example.com/u"));
      assertThat(s.recordedOwners()).containsEntry("sub/a.txt", new BuildOptions.Owner(1234, 0));
    }
    try (BuildSession s = BuildSession.open(w, false)) {
      assertThat(s.recordedOwners()).hasSize(4);
      s.write(aci, W);
    }
    java.util.Map<String, Long> uids = new java.util.TreeMap<>();
    AciArchive.visit(aci, org.appctools.aci.ReadLimits.defaults(), true, (item, in) -> {
      uids.put(item.name(), item.uid());
      return true;
    });
    assertThat(uids).containsEntry("rootfs/sub/a.txt", 1234L).containsEntry("rootfs", 0L);
  }

  @Test
  void open_afterCrash_leftoversRemovedStateIntact() throws Exception {
    Path w = work();
    try (BuildSession s = BuildSession.begin(w, new BeginSource.Directory(srcTree()))) {
      s.edit(null, ManifestEdits.setName("example.com/c"));
    }
    Path ctx = w.resolve(".acbuild");
    Files.createDirectories(ctx.resolve("gen-2/image/rootfs/half"));
    Files.writeString(ctx.resolve("gen-1/image/manifest.tmp"), "{broken");
    Files.writeString(ctx.resolve("gen-1/owners.tmp"), "1 2 x");
    Files.createSymbolicLink(ctx.resolve("current.tmp"), Path.of("gen-2"));
    try (BuildSession s = BuildSession.open(w)) {
      assertThat(s.manifest().name().value()).isEqualTo("example.com/c");
      assertThat(ctx.resolve("gen-2")).doesNotExist();
      assertThat(ctx.resolve("current.tmp")).doesNotExist();
      assertThat(ctx.resolve("gen-1/image/manifest.tmp")).doesNotExist();
      assertThat(ctx.resolve("gen-1/owners.tmp")).doesNotExist();
      s.copy(tmp.resolve("src/top"), "/top", CopyOptions.keep(), null);
      assertThat(s.imageDir().resolve("rootfs/top")).hasContent("T");
    }
  }

  @Test
  void write_placeholderName_refused() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      assertThatThrownBy(() -> s.write(tmp.resolve("o.aci"), W))
          .hasMessage("write: can't write ACI, name was never set (use acbuild set-name)");
    }
  }

  @Test
  void write_twoIdenticalSessions_validAndByteIdentical() throws Exception {
    Path src = srcTree();
    byte[][] out = new byte[2][];
    for (int i = 0; i < 2; i++) {
      Path w = Files.createDirectories(tmp.resolve("w" + i));
      Path aci = tmp.resolve("o" + i + ".aci");
      try (BuildSession s = BuildSession.begin(w, new BeginSource.Empty())) {
        s.edit("acbuild set-name", ManifestEdits.setName("example.com/r"));
        s.copyToDir(List.of(src.resolve("sub"), src.resolve("top")), "/opt", CopyOptions.keep(),
            "acbuild copy-to-dir");
        s.edit(null, ManifestEdits.addPort("www", "tcp", 80, 1, false));
        WriteResult r = s.write(aci, W);
        assertThat(r.warnings()).containsExactly("exec command was never set");
        assertThat(r.imageId()).isEqualTo(AciArchive.imageId(aci));
        assertThatThrownBy(() -> s.write(aci, W))
            .hasMessage("write: ACI already exists: " + aci + " (use --overwrite)");
        s.end();
      }
      assertThat(AciValidator.validateImage(aci).errors()).isEmpty();
      out[i] = Files.readAllBytes(aci);
      assertThat(ImageManifest.parse(AciArchive.readManifest(aci)).app().ports()).hasSize(1);
      assertThat(w.resolve(".acbuild")).doesNotExist();
    }
    assertThat(out[0]).isEqualTo(out[1]);
  }

  @Test
  void end_thenCommands_closed() throws Exception {
    Path w = work();
    BuildSession s = BuildSession.begin(w, new BeginSource.Empty());
    s.end();
    assertThatThrownBy(() -> s.edit(null, ManifestEdits.setName("a.com/b")))
        .hasMessage("the build session in " + w + " is closed");
  }

  @Test
  void run_changesInTheUpper_becomeTheNextGeneration_historyOnSuccess() throws Exception {
    Path w = work();
    try (BuildSession s = BuildSession.begin(w, new BeginSource.Directory(srcTree()))) {
      Path before = s.imageDir();
      int code = s.run("acbuild run \"true\"", true, (rootfs, upper, work, scratch) -> {
        assertThat(rootfs).isEqualTo(before.resolve("rootfs"));
        assertThat(upper).isEmptyDirectory();
        assertThat(work).isEmptyDirectory();
        Files.writeString(upper.resolve("made"), "by the command");
        return 0;
      });
      assertThat(code).isZero();
      assertThat(Files.readSymbolicLink(w.resolve(".acbuild/current"))).isEqualTo(Path.of("gen-2"));
      assertThat(Files.readString(s.imageDir().resolve("rootfs/made"))).isEqualTo("by the command");
      assertThat(s.imageDir().resolve("rootfs/sub/a.txt")).hasContent("A");
      assertThat(s.imageDir().getParent().resolve("run")).doesNotExist();
      assertThat(s.manifest().annotations().get("appc.io/acbuild/command-1")).hasValue("acbuild run \"true\"");
    }
  }

  @Test
  void run_failingCommand_keepsItsChanges_withoutHistory_andReturnsItsStatus() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      int code = s.run("acbuild run \"false\"", true, (rootfs, upper, work, scratch) -> {
        Files.writeString(upper.resolve("partial"), "x");
        return 3;
      });
      assertThat(code).isEqualTo(3);
      assertThat(s.imageDir().resolve("rootfs/partial")).exists();
      assertThat(s.manifest().annotations().list()).isEmpty();
    }
  }

  @Test
  void run_stepFails_theBuildIsAsBefore() throws Exception {
    Path w = work();
    try (BuildSession s = BuildSession.begin(w, new BeginSource.Empty())) {
      assertThatThrownBy(() -> s.run("h", true, (rootfs, upper, work, scratch) -> {
        Files.writeString(upper.resolve("partial"), "x");
        throw new AppcException("run: stage1: mounting failed");
      })).hasMessage("run: stage1: mounting failed");
      assertThat(Files.readSymbolicLink(w.resolve(".acbuild/current"))).isEqualTo(Path.of("gen-1"));
      assertThat(w.resolve(".acbuild/gen-2")).doesNotExist();
      assertThat(s.imageDir().resolve("rootfs")).isEmptyDirectory();
    }
  }

  @Test
  void run_withoutOverlay_aPrivateFullCopyChangedInPlace() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Directory(srcTree()))) {
      Path old = s.imageDir().resolve("rootfs");
      Object inode = ino(old.resolve("top"));
      s.run(null, false, (rootfs, upper, work, scratch) -> {
        assertThat(upper).isNull();
        assertThat(ino(rootfs.resolve("top"))).isNotEqualTo(inode);
        Files.writeString(rootfs.resolve("top"), "changed in place");
        return 0;
      });
      assertThat(s.imageDir().resolve("rootfs/top")).hasContent("changed in place");
    }
  }

  @Test
  void run_unprivileged_whatTheCommandMadeBelongsToRoot_changedFilesKeepTheirOwners() throws Exception {
    Path tree = Files.createDirectories(tmp.resolve("tree/home/app"));
    Files.writeString(tree.resolve("notes"), "mine");
    Files.writeString(tmp.resolve("tree/gone"), "x");
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Directory(tmp.resolve("tree")), false)) {
      // an owner the build records (an unprivileged copy cannot chown): app's notes are 1000's
      s.copy(tree.resolve("notes"), "/home/app/notes", new CopyOptions(1000L, 1000L, null), null);
      assertThat(s.recordedOwners()).containsEntry("home/app/notes", new BuildOptions.Owner(1000, 1000));
      // the command, as root in a user namespace mapping this user to root: its files are this user's
      // on disk (1234 here, as the test runs as root)
      s.run(null, true, (rootfs, upper, work, scratch) -> {
        Files.createDirectories(upper.resolve("home/app"));
        Files.writeString(upper.resolve("home/app/notes"), "changed");
        Files.createDirectories(upper.resolve("opt/new"));
        Files.writeString(upper.resolve("opt/new/file"), "made");
        BuildSession.run("test", List.of("mknod", upper.resolve("gone").toString(), "c", "0", "0"));
        BuildSession.run("test", List.of("chown", "-R", "1234:1234", upper.resolve("opt").toString(),
            upper.resolve("home/app/notes").toString()));
        return 0;
      });
      assertThat(s.recordedOwners()).containsEntry("opt", new BuildOptions.Owner(0, 0))
          .containsEntry("opt/new", new BuildOptions.Owner(0, 0)).containsEntry("opt/new/file", new BuildOptions.Owner(0, 0))
          .containsEntry("home/app/notes", new BuildOptions.Owner(1000, 1000)).doesNotContainKey("gone");
    }
  }
}
