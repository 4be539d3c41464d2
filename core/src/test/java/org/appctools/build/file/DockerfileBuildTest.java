package org.appctools.build.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.appctools.AppcException;
import org.appctools.aci.AciArchive;
import org.appctools.aci.ReadLimits;
import org.appctools.compress.Compression;
import org.appctools.schema.ImageManifest;
import org.appctools.store.BuildCache;
import org.appctools.store.ImageStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on scratch images: how instructions map onto the manifest, the build arguments, the
 * steps taken from the cache. RUN steps go to a runner that records them (the executor is
 * tested in src-tests' AcbuildBuildIT).
 */
class DockerfileBuildTest {
  @TempDir Path tmp;
  Path ctx;
  BuildCache cache;
  final List<DockerfileBuild.RunStep> runs = new ArrayList<>();
  final List<String> steps = new ArrayList<>();

  /** Progress nobody watches. */
  private static final DockerfileBuild.Progress QUIET = new DockerfileBuild.Progress() {
    @Override
    public void step(int number, int total, String text, boolean cached) {}

    @Override
    public void done(int number, Duration took) {}
  };

  @BeforeEach
  void setUp() throws Exception {
    ctx = Files.createDirectories(tmp.resolve("ctx"));
    cache = BuildCache.open(ImageStore.open(tmp.resolve("store")));
  }

  private ImageManifest build(String dockerfile, Map<String, String> args) throws Exception {
    steps.clear();
    DockerfileBuild.Options o = new DockerfileBuild.Options(Dockerfile.parse("Dockerfile", dockerfile),
        BuildContext.of(ctx), args, null, "example.com/test", null, false, Compression.NONE, OptionalLong.of(0));
    ImageManifest[] m = new ImageManifest[1];
    DockerfileBuild.build(o, cache, (ref, where) -> {
      throw new AppcException(where + ": no base " + ref + " in this test");
    }, (session, step) -> {
      runs.add(step);
      return 0;
    }, new DockerfileBuild.Progress() {
      @Override
      public void step(int number, int total, String text, boolean cached) {
        steps.add(number + "/" + total + " " + text + (cached ? " (cached)" : ""));
      }

      @Override
      public void done(int number, Duration took) {}
    }, (aci, id) -> m[0] = ImageManifest.parse(AciArchive.inspect("test", aci, ReadLimits.defaults(), null).manifest()));
    return m[0];
  }

  @Test
  void build_entrypointThenCmd_execIsEntrypointFollowedByCmd_shellFormThroughShell() throws Exception {
    ImageManifest m = build("FROM scratch\nSHELL [\"/bin/ash\", \"-c\"]\nENTRYPOINT [\"/e\", \"-x\"]\nCMD echo $HOME\n", Map.of());
    assertThat(m.app().exec()).containsExactly("/e", "-x", "/bin/ash", "-c", "echo $HOME");
    assertThat(m.annotations().list()).extracting(a -> a.name().value() + "=" + a.value()).containsExactly(
        "appc.io/docker/entrypoint=[\"/e\",\"-x\"]", "appc.io/docker/cmd=[\"/bin/ash\",\"-c\",\"echo $HOME\"]");
  }

  @Test
  void build_entrypointOverAStageWithCmd_resetsTheInheritedCmd() throws Exception {
    ImageManifest m = build("FROM scratch AS base\nCMD [\"/c\"]\nFROM base\nENTRYPOINT [\"/e\"]\n", Map.of());
    assertThat(m.app().exec()).containsExactly("/e");
    m = build("FROM scratch AS base\nCMD [\"/c\"]\nFROM base\nUSER 5\n", Map.of());
    assertThat(m.app().exec()).containsExactly("/c");
    assertThat(m.app().user()).isEqualTo("5");
    assertThat(m.app().group()).as("a number not in /etc/passwd: group 0, as Docker").isEqualTo("0");
  }

  @Test
  void build_args_globalInFrom_stageInheritsGlobalDefault_buildArgWins_runGetsThem() throws Exception {
    ImageManifest m = build("""
        ARG STAGE=one
        ARG V=global
        FROM scratch AS one
        ARG V
        ARG W=w-default
        ENV FROM_ARGS="$V ${W}" UNSET=${NOPE:-fallback}
        WORKDIR /srv/$V
        RUN ["/bin/true"]
        FROM ${STAGE}
        """, Map.of("W", "given"));
    assertThat(m.app().environment().list()).extracting(e -> e.name() + "=" + e.value())
        .containsExactly("FROM_ARGS=global given", "UNSET=fallback");
    assertThat(m.app().workingDirectory()).isEqualTo("/srv/global");
    assertThat(runs).containsExactly(new DockerfileBuild.RunStep(List.of("/bin/true"), Map.of("V", "global", "W", "given"),
        "0", "0", "/srv/global"));
    assertThat(steps).containsExactly("1/7 FROM scratch AS one", "2/7 ARG V", "3/7 ARG W=w-default",
        "4/7 ENV FROM_ARGS=global given UNSET=fallback", "5/7 WORKDIR /srv/global", "6/7 RUN [\"/bin/true\"]",
        "7/7 FROM one");
  }

  @Test
  void build_again_everyStepCached_runNotCalled() throws Exception {
    Files.writeString(ctx.resolve("a.txt"), "a");
    String df = "FROM scratch\nCOPY a.txt /a.txt\nRUN true\nLABEL a=b\n";
    build(df, Map.of());
    assertThat(runs).hasSize(1);
    build(df, Map.of());
    assertThat(runs).hasSize(1);
    assertThat(steps).containsExactly("1/4 FROM scratch (cached)", "2/4 COPY a.txt /a.txt (cached)",
        "3/4 RUN true (cached)", "4/4 LABEL a=b (cached)");
    Files.writeString(ctx.resolve("a.txt"), "changed");
    build(df, Map.of());
    assertThat(runs).hasSize(2);
    assertThat(steps).containsExactly("1/4 FROM scratch (cached)", "2/4 COPY a.txt /a.txt", "3/4 RUN true", "4/4 LABEL a=b");
  }

  @Test
  void build_exposeVolumeLabel_mappedAsDocker2aci() throws Exception {
    ImageManifest m = build("FROM scratch\nEXPOSE 80 8000-8002/udp\nVOLUME [\"/var/Data\", \"/logs\"]\nLABEL \"a b\"=c d=\"e f\"\n", Map.of());
    assertThat(m.app().ports()).extracting(p -> p.name().value() + " " + p.protocol() + " " + p.port() + " " + p.count())
        .containsExactly("80-tcp tcp 80 1", "8000-8002-udp udp 8000 3");
    assertThat(m.app().mountPoints()).extracting(p -> p.name().value() + " " + p.path())
        .containsExactly("volume-var-data /var/Data", "volume-logs /logs");
    assertThat(m.app().userLabels()).isEqualTo(Map.of("a b", "c", "d", "e f"));
  }

  @Test
  void build_errors_nameTheLine() throws Exception {
    assertThatThrownBy(() -> build("FROM scratch\nEXPOSE 80/icmp\n", Map.of()))
        .hasMessage("Dockerfile:2: EXPOSE 80/icmp: the protocol is tcp, udp or sctp");
    assertThatThrownBy(() -> build("FROM scratch\nVOLUME data\n", Map.of()))
        .hasMessage("Dockerfile:2: VOLUME data: the path must be absolute");
    assertThatThrownBy(() -> build("FROM busybox\n", Map.of())).hasMessage("Dockerfile:1: no base busybox in this test");
    assertThatThrownBy(() -> build("FROM scratch\nCOPY --chown=app a /\n", Map.of()))
        .hasMessage("Dockerfile:2: COPY --chown=app: no user app in the image's /etc/passwd (use numbers, or add the user first)");
    assertThatThrownBy(() -> build("FROM --platform=linux/arm64 scratch\n", Map.of()))
        .hasMessage("Dockerfile:1: FROM --platform is not supported: drop --platform (the base is taken for this machine; "
            + "docker2aci --arch converts another)");
    assertThatThrownBy(() -> build("# only a comment\n", Map.of())).hasMessage("build: the Dockerfile has no instructions (it needs a FROM)");
  }

  @Test
  void build_addLocalTarGz_extracted_copyDirectoryContentsLessIgnored() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("tarsrc/pkg"));
    Files.writeString(src.resolve("f.txt"), "in the archive");
    new ProcessBuilder("tar", "-C", tmp.resolve("tarsrc").toString(), "-czf", ctx.resolve("pkg.tar.gz").toString(), "pkg")
        .inheritIO().start().waitFor();
    Files.createDirectories(ctx.resolve("dir/sub"));
    Files.writeString(ctx.resolve("dir/sub/keep.txt"), "k");
    Files.writeString(ctx.resolve("dir/sub/drop.tmp"), "d");
    Files.writeString(ctx.resolve(".dockerignore"), "**/*.tmp\n");
    DockerfileBuild.Options o = new DockerfileBuild.Options(Dockerfile.parse("Dockerfile",
        "FROM scratch\nADD pkg.tar.gz /opt/\nCOPY dir /srv\nCOPY dir/sub/keep.txt /single\n"),
        BuildContext.of(ctx), Map.of(), null, "example.com/test", null, false, Compression.NONE, OptionalLong.of(0));
    Path listing = tmp.resolve("listing");
    DockerfileBuild.build(o, cache, (ref, where) -> null, (session, step) -> 0, QUIET, (aci, id) -> {
      try {
        Files.copy(aci, listing);
      } catch (java.io.IOException e) {
        throw new AppcException(e.getMessage(), e);
      }
    });
    List<String> names = new ArrayList<>();
    AciArchive.visit(listing, ReadLimits.defaults(), false, (item, content) -> {
      names.add(item.name());
      return true;
    });
    assertThat(names).contains("rootfs/opt/pkg/f.txt", "rootfs/srv/sub/keep.txt", "rootfs/single")
        .doesNotContain("rootfs/opt/pkg.tar.gz", "rootfs/srv/sub/drop.tmp", "rootfs/srv/dir");
  }

  @Test
  void build_envPairs_seeTheValuesBeforeTheInstruction_asDocker() throws Exception {
    ImageManifest m = build("FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi $abc x\n", Map.of());
    assertThat(m.app().environment().list()).extracting(e -> e.name() + "=" + e.value())
        .containsExactly("abc=bye", "def=hello", "ghi=bye x");
  }

  @Test
  void build_heredoc_refused_butDoubleAngleInsideAWord_runs() throws Exception {
    assertThatThrownBy(() -> build("FROM scratch\nRUN cat <<-'EOF' > /x\n", Map.of()))
        .hasMessage("Dockerfile:2: RUN with a heredoc (<<WORD) is not supported: put the lines in a script file, COPY it and RUN it");
    build("FROM scratch\nRUN echo 'x<<y'\n", Map.of());
    assertThat(runs).extracting(DockerfileBuild.RunStep::argv).containsExactly(List.of("/bin/sh", "-c", "echo 'x<<y'"));
  }

  /** The ACI a build wrote: the build's result and the file's size. */
  private record Built(DockerfileBuild.Result result, long size) {}

  /** Builds {@code dockerfile} to gzip at {@code level}. */
  private Built buildGzip(String dockerfile, int level) throws Exception {
    DockerfileBuild.Options o = new DockerfileBuild.Options(Dockerfile.parse("Dockerfile", dockerfile),
        BuildContext.of(ctx), Map.of(), null, "example.com/test", null, false, Compression.GZIP,
        OptionalLong.of(0), level);
    long[] size = new long[1];
    DockerfileBuild.Result r = DockerfileBuild.build(o, cache, (ref, where) -> null, (session, step) -> 0, QUIET,
        (aci, id) -> {
          try {
            size[0] = Files.size(aci);
          } catch (java.io.IOException e) {
            throw new AppcException(e.getMessage(), e);
          }
        });
    return new Built(r, size[0]);
  }

  @Test
  void build_compressionLevel_ownCacheKeyAndBytes_sameImageId_defaultLevelKeepsTheOldKey() throws Exception {
    Files.write(ctx.resolve("data"), "appc container image ".repeat(20_000).getBytes());
    String dockerfile = "FROM scratch\nCOPY data /data\n";

    Built fast = buildGzip(dockerfile, 1);
    Built best = buildGzip(dockerfile, 9);
    Built byDefault = buildGzip(dockerfile, Compression.GZIP.defaultLevel());

    assertThat(best.result().key()).isNotEqualTo(fast.result().key()).isNotEqualTo(byDefault.result().key());
    assertThat(best.result().imageId()).isEqualTo(fast.result().imageId());
    assertThat(best.size()).isLessThan(fast.size());
    DockerfileBuild.Options plain = new DockerfileBuild.Options(Dockerfile.parse("Dockerfile", dockerfile),
        BuildContext.of(ctx), Map.of(), null, "example.com/test", null, false, Compression.GZIP, OptionalLong.of(0));
    assertThat(plain.compressionKey()).isEqualTo("GZIP");
    assertThatThrownBy(() -> buildGzip(dockerfile, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
