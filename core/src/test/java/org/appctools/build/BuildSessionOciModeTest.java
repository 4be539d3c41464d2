package org.appctools.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.fs.ProcessUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BuildSession in OCI mode: the opaque image state, history and sealed layers, kept per generation. */
class BuildSessionOciModeTest {
  @TempDir Path tmp;

  private static final byte[] STATE = "{\"s\":1}".getBytes(StandardCharsets.UTF_8);

  private Path work() throws Exception {
    return Files.createDirectories(tmp.resolve("work"));
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(tmp.resolve(name), text);
  }

  @Test
  void beginOci_empty_recordsTheModeAndState_andKeepsThemAcrossOpen() throws Exception {
    Path w = work();
    BuildSession.beginOci(w, new BeginSource.Empty(), STATE, null).close();

    try (BuildSession s = BuildSession.open(w)) {
      assertThat(s.mode()).isEqualTo(BuildSession.Mode.OCI);
      assertThat(s.manifest()).isNull();
      assertThat(new String(s.ociState(), StandardCharsets.UTF_8)).isEqualTo("{\"s\":1}");
      assertThat(s.sealedLayers()).isEmpty();
      assertThat(s.ociHistory()).isEmpty();
    }
  }

  @Test
  void editOciCopyAndSeal_recordHistoryInOrder_andSealedLayersKeepTheirRootfs() throws Exception {
    Path w = work();
    try (BuildSession s = BuildSession.beginOci(w, new BeginSource.Empty(), STATE, null, ProcessUser.isRoot())) {
      s.copy(file("a", "A"), "/a", CopyOptions.keep(), "acbuild copy a");
      s.seal("acbuild layer");
      s.copy(file("b", "B"), "/b", CopyOptions.keep(), "acbuild copy b");
      s.editOci("acbuild set-tag", state -> "{\"s\":2}".getBytes(StandardCharsets.UTF_8));
    }

    try (BuildSession s = BuildSession.open(w)) {
      assertThat(s.ociHistory()).containsExactly("acbuild copy a", "acbuild layer", "acbuild copy b", "acbuild set-tag");
      assertThat(new String(s.ociState(), StandardCharsets.UTF_8)).isEqualTo("{\"s\":2}");
      List<BuildSession.Sealed> sealed = s.sealedLayers();
      assertThat(sealed).hasSize(1);
      assertThat(sealed.get(0).rootfs().resolve("a")).hasContent("A");
      assertThat(sealed.get(0).rootfs().resolve("b")).doesNotExist();
      assertThat(s.imageDir().resolve("rootfs/b")).hasContent("B");
    }
  }

  @Test
  void seal_unprivileged_keepsTheRecordedOwnersWithTheLayer() throws Exception {
    Path w = work();
    try (BuildSession s = BuildSession.beginOci(w, new BeginSource.Empty(), STATE, null, false)) {
      s.copy(file("a", "A"), "/a", new CopyOptions(4242L, 4343L, null), null);
      s.seal(null);

      assertThat(s.sealedLayers().get(0).owners()).containsEntry("a", new org.appctools.aci.BuildOptions.Owner(4242, 4343));
    }
  }

  @Test
  void open_removesSealedLayersNoGenerationNames() throws Exception {
    Path w = work();
    BuildSession.beginOci(w, new BeginSource.Empty(), STATE, null).close();
    Path stray = Files.createDirectories(w.resolve(".acbuild/sealed/7.tmp/rootfs"));

    BuildSession.open(w).close();

    assertThat(stray.getParent()).doesNotExist();
  }

  @Test
  void beginOci_withBaseBlobs_copiesThemAndSealsTheStartRootfs() throws Exception {
    Path blobs = Files.createDirectories(tmp.resolve("blobs"));
    Files.writeString(blobs.resolve("abc"), "blob");
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("f"), "F");

    try (BuildSession s = BuildSession.beginOci(work(), new BeginSource.Directory(src), STATE, blobs)) {
      assertThat(s.blobsDir().resolve("abc")).hasContent("blob");
      assertThat(s.sealedLayers()).hasSize(1);
      assertThat(s.sealedLayers().get(0).rootfs().resolve("f")).hasContent("F");
    }
  }

  @Test
  void appcOnlyOperations_inOciMode_areRefused() throws Exception {
    try (BuildSession s = BuildSession.beginOci(work(), new BeginSource.Empty(), STATE, null)) {
      assertThatThrownBy(() -> s.edit(null, m -> m))
          .isInstanceOf(AppcException.class)
          .hasMessage("cannot edit the manifest of a build in oci mode (this build was begun with --build-mode oci)");
      assertThatThrownBy(() -> s.write(tmp.resolve("x.aci"), new WriteOptions(false, org.appctools.compress.Compression.GZIP, java.util.OptionalLong.empty())))
          .hasMessage("cannot write an ACI of a build in oci mode (this build was begun with --build-mode oci)");
    }
  }

  @Test
  void ociOnlyOperations_inAppcMode_areRefused() throws Exception {
    try (BuildSession s = BuildSession.begin(work(), new BeginSource.Empty())) {
      assertThatThrownBy(() -> s.seal(null))
          .hasMessage("cannot start a new layer of a build in appc mode (this build was begun with --build-mode appc)");
    }
  }
}
