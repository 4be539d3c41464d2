package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** actool build against the fixture trees, checked by the reference Go actool 0.8.11. */
class ActoolBuildIT {
  @TempDir Path tmp;

  @Test
  void build_busyboxFixture_referenceValidatesAndIdMatches() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("busybox.aci");

    Tools.Result build = Tools.actool("build", layout.toString(), aci.toString()).expectOk();

    assertThat(build.out().trim()).isEqualTo(Layouts.gzipImageId(aci));
    // like the Go tool's os.OpenFile(..., 0644): readable by all, less the umask
    int umask = Integer.parseInt(Tools.process(tmp, Map.of(), "sh", "-c", "umask").expectOk().out().trim(), 8);
    int mode = ((Number) Files.getAttribute(aci, "unix:mode")).intValue() & 0777;
    assertThat(Integer.toOctalString(mode)).isEqualTo(Integer.toOctalString(0644 & ~umask));
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
    assertThat(Tools.actool("validate", aci.toString()).expectOk().out()).isEqualTo(aci + ": valid app container image\n");
    String ours = Tools.actool("cat-manifest", aci.toString()).expectOk().out();
    String theirs = Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "cat-manifest", aci.toString()).expectOk().out();
    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void build_debianFixture_referenceValidates() throws Exception {
    assumeTrue(Tools.isRoot(), "the Debian tree has root-only files");
    Path layout = Layouts.fromFixture(tmp, "rootfs/debian",
        Layouts.BUSYBOX_MANIFEST.replace("example.com/busybox", "example.com/debian"));
    Path aci = tmp.resolve("debian.aci");

    Tools.Result build = Tools.actool("build", layout.toString(), aci.toString()).expectOk();

    assertThat(build.out().trim()).isEqualTo(Layouts.gzipImageId(aci));
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
    Tools.actool("validate", aci.toString()).expectOk();
    // what the reference lists is what we wrote: device nodes, setuid files, hard links
    String listing = Tools.process(tmp, Map.of(), "tar", "-tvzf", aci.toString()).expectOk().out();
    assertThat(listing).contains("rootfs/dev/null").containsPattern("-rwsr-xr-x 0/0 .* rootfs/usr/bin/passwd");
  }

  @Test
  void referenceBuild_readsBackWithSameManifestAndId() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("ref.aci");
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "build", layout.toString(), aci.toString()).expectOk();

    assertThat(Tools.actool("image-id", aci.toString()).expectOk().out().trim()).isEqualTo(Layouts.gzipImageId(aci));
    String theirs = Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "cat-manifest", aci.toString()).expectOk().out();
    assertThat(Tools.actool("cat-manifest", aci.toString()).expectOk().out()).isEqualTo(theirs);
    Tools.actool("validate", aci.toString()).expectOk();
  }

  @Test
  void build_sameTreeTwiceWithSourceDateEpoch_identicalBytes() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    Path layoutA = Layouts.fromFixture(a, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Thread.sleep(1100);
    Path layoutB = Layouts.fromFixture(b, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    // files made at other times and in another order in each copy
    Files.writeString(layoutA.resolve("rootfs/etc/one"), "1");
    Files.writeString(layoutA.resolve("rootfs/etc/two"), "2");
    Thread.sleep(1100);
    Files.writeString(layoutB.resolve("rootfs/etc/two"), "2");
    Files.writeString(layoutB.resolve("rootfs/etc/one"), "1");
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000");

    String idA = Tools.process(tmp, env, Tools.bin("actool").toString(), "build", layoutA.toString(), "a.aci").expectOk().out();
    String idB = Tools.process(tmp, env, Tools.bin("actool").toString(), "build", layoutB.toString(), "b.aci").expectOk().out();

    assertThat(idA).isEqualTo(idB);
    assertThat(Files.readAllBytes(tmp.resolve("a.aci"))).isEqualTo(Files.readAllBytes(tmp.resolve("b.aci")));
  }

  @Test
  void build_targetExists_failsWithExit1AndKeepsTheFile() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("x.aci");
    Files.writeString(aci, "precious");

    Tools.Result r = Tools.actool("build", layout.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("build: target file exists: " + aci + " (use --overwrite)\n");
    assertThat(Files.readString(aci)).isEqualTo("precious");
    Tools.actool("build", "--overwrite", layout.toString(), aci.toString()).expectOk();
  }

  @Test
  void build_compressionChoices_allValidateAndShareTheId() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    String gzipId = Tools.actool("build", layout.toString(), tmp.resolve("gzip.aci").toString()).expectOk().out();
    for (String algo : new String[] {"bzip2", "xz", "zstd", "none"}) {
      Path aci = tmp.resolve(algo + ".aci");
      String id = Tools.actool("build", "--compression", algo, layout.toString(), aci.toString()).expectOk().out();
      assertThat(id).as(algo).isEqualTo(gzipId);
      Tools.Result v = Tools.actool("validate", aci.toString()).expectOk();
      if (algo.equals("zstd")) {
        assertThat(v.err()).contains("zstd");
      } else {
        Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
      }
    }
    assertThat(Tools.actool("build", "--no-compression", "--overwrite", layout.toString(), tmp.resolve("none.aci").toString())
        .expectOk().out()).isEqualTo(gzipId);
  }

  @Test
  void build_compressionLevels_sameIdAndTheHigherLevelSmaller() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path fast = tmp.resolve("fast.aci");
    Path best = tmp.resolve("best.aci");

    String fastId = Tools.actool("build", "--compression-level", "1", layout.toString(), fast.toString()).expectOk().out();
    String bestId = Tools.actool("build", "--compression-level=9", layout.toString(), best.toString()).expectOk().out();

    assertThat(fastId).isEqualTo(bestId);
    assertThat(Files.size(best)).isLessThan(Files.size(fast));
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", fast.toString()).expectOk();
    Path zstd = tmp.resolve("zstd.aci");
    assertThat(Tools.actool("build", "--compression", "zstd", "--compression-level", "19", layout.toString(), zstd.toString())
        .expectOk().out()).isEqualTo(fastId);
  }

  @Test
  void build_compressionLevelOutOfRange_isAUsageErrorAndWritesNothing() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("x.aci");

    Tools.Result r = Tools.actool("build", "--compression", "xz", "--compression-level", "10", layout.toString(), aci.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("actool: --compression-level: compression level 10 is out of range for xz (use 0-9)\n"
        + "Run 'actool help build' for usage.\n");
    assertThat(aci).doesNotExist();
  }
}

