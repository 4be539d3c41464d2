package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.appctools.aci.AciArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acbuild write: the Image ID, --overwrite, --compression, the placeholder name, SOURCE_DATE_EPOCH. */
class AcbuildWriteIT {
  @TempDir Path tmp;
  Path work;

  @BeforeEach
  void begin() throws Exception {
    work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
  }

  @Test
  void write_printsTheImageIdOfTheFile_andValidates() throws Exception {
    Tools.acbuild(work, "set-name", "example.com/w").expectOk();
    Tools.acbuild(work, "set-exec", "/bin/true").expectOk();
    Path aci = tmp.resolve("w.aci");

    Tools.Result r = Tools.acbuild(work, "write", aci.toString()).expectOk();

    assertThat(r.out().strip()).matches("sha512-[0-9a-f]{128}").isEqualTo(AciArchive.imageId(aci));
    assertThat(r.err()).isEmpty();
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
  }

  @Test
  void write_placeholderName_exits1AndWritesNothing() {
    Path aci = tmp.resolve("unnamed.aci");

    Tools.Result r = Tools.acbuild(work, "write", aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("write: ");
    assertThat(aci).doesNotExist();
  }

  @Test
  void write_noExec_warns() {
    Tools.acbuild(work, "set-name", "example.com/noexec").expectOk();

    Tools.Result r = Tools.acbuild(work, "write", tmp.resolve("n.aci").toString()).expectOk();

    assertThat(r.err()).startsWith("write: warning: ").contains("exec");
  }

  @Test
  void write_existingTarget_needsOverwrite() throws Exception {
    Tools.acbuild(work, "set-name", "example.com/o").expectOk();
    Path aci = tmp.resolve("o.aci");
    Files.writeString(aci, "old");

    Tools.Result refused = Tools.acbuild(work, "write", aci.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("write: ACI already exists: " + aci + " (use --overwrite)\n");
    assertThat(aci).hasContent("old");

    Tools.acbuild(work, "write", "--overwrite", aci.toString()).expectOk();
    assertThat(AciArchive.readManifest(aci)).isNotEmpty();
  }

  @Test
  void write_compressionXzAndNone_areReadable() throws Exception {
    Tools.acbuild(work, "set-name", "example.com/c").expectOk();
    Path xz = tmp.resolve("x.aci");
    Path none = tmp.resolve("n.aci");

    String idXz = Tools.acbuild(work, "write", "--compression", "xz", xz.toString()).expectOk().out().strip();
    String idNone = Tools.acbuild(work, "write", "--compression=none", none.toString()).expectOk().out().strip();

    assertThat(idXz).isEqualTo(idNone).isEqualTo(AciArchive.imageId(xz));
    byte[] head = Files.readAllBytes(xz);
    assertThat(head[0] & 0xff).isEqualTo(0xfd);
  }

  @Test
  void write_unknownCompression_isAUsageError() {
    Tools.acbuild(work, "set-name", "example.com/c").expectOk();

    Tools.Result r = Tools.acbuild(work, "write", "--compression", "lz4", tmp.resolve("l.aci").toString());

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("lz4");
  }

  @Test
  void write_compressionLevel_sameIdAsTheDefaultLevel() throws Exception {
    Tools.acbuild(work, "set-name", "example.com/c").expectOk();
    Path fast = tmp.resolve("fast.aci");
    Path zstd = tmp.resolve("zstd.aci");

    String idFast = Tools.acbuild(work, "write", "--compression-level", "1", fast.toString()).expectOk().out().strip();
    String idZstd = Tools.acbuild(work, "write", "--compression=zstd", "--compression-level=19", zstd.toString()).expectOk().out().strip();

    assertThat(idFast).isEqualTo(idZstd).isEqualTo(AciArchive.imageId(fast)).isEqualTo(AciArchive.imageId(zstd));
  }

  @Test
  void write_compressionLevelOutOfRange_isAUsageError() {
    Tools.acbuild(work, "set-name", "example.com/c").expectOk();
    Path aci = tmp.resolve("l.aci");

    Tools.Result r = Tools.acbuild(work, "write", "--compression-level", "0", aci.toString());

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("--compression-level: compression level 0 is out of range for gzip (use 1-9)");
    assertThat(aci).doesNotExist();
  }

  @Test
  void write_withSourceDateEpoch_isReproducible() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("f"), "content");
    Path build = Files.createDirectories(tmp.resolve("proc"));
    Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000");
    String acbuild = Tools.bin("acbuild").toString();
    Tools.process(build, env, acbuild, "begin", src.toString()).expectOk();
    Tools.process(build, env, acbuild, "set-name", "example.com/repro").expectOk();

    String first = Tools.process(build, env, acbuild, "write", "a.aci").expectOk().out();
    Files.setLastModifiedTime(src.resolve("f"), java.nio.file.attribute.FileTime.fromMillis(0));
    String second = Tools.process(build, env, acbuild, "write", "b.aci").expectOk().out();

    assertThat(first).isEqualTo(second);
    assertThat(Files.readAllBytes(build.resolve("a.aci"))).isEqualTo(Files.readAllBytes(build.resolve("b.aci")));
  }

  @Test
  void write_badSourceDateEpoch_exits1() throws Exception {
    Tools.acbuild(work, "set-name", "example.com/e").expectOk();

    Tools.Result r = Tools.process(tmp, Map.of("SOURCE_DATE_EPOCH", "yesterday"), Tools.bin("acbuild").toString(),
        "--work-path", work.toString(), "write", "e.aci");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("SOURCE_DATE_EPOCH");
  }
}
