package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gzip ACIs written by libdeflate (one gzip member per 1 MiB block) and by the JDK's zlib (one
 * member, forced with APPCTOOLS_GZIP=zlib), checked by the reference Go actool and gzip.
 */
class ActoolGzipIT {
  @TempDir Path tmp;

  /** libdeflate0 is installed by .ci/fixtures.sh packages: missing, skip here and fail in CI. */
  private static void requireLibdeflate() throws Exception {
    String cache = Tools.process(Path.of("/"), Map.of(), "/sbin/ldconfig", "-p").expectOk().out();
    if (!cache.contains("libdeflate.so.0")) {
      String msg = "libdeflate.so.0 is missing: run .ci/fixtures.sh (it installs libdeflate0)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg);
      }
      assumeTrue(false, msg);
    }
  }

  /** How many gzip members the file holds, found by inflating member after member. */
  private static int members(Path gz) throws Exception {
    byte[] b = Files.readAllBytes(gz);
    int count = 0;
    byte[] buf = new byte[1 << 16];
    for (int off = 0; off < b.length; count++) {
      assertThat(b[off] & 0xff).as("member magic at %d", off).isEqualTo(0x1f);
      assertThat(b[off + 3]).as("FLG at %d", off).isZero();
      Inflater inflater = new Inflater(true);
      inflater.setInput(b, off + 10, b.length - off - 10);
      while (!inflater.finished()) {
        inflater.inflate(buf);
      }
      off = b.length - inflater.getRemaining() + 8;
      inflater.end();
    }
    return count;
  }

  @Test
  void build_busyboxWithLibdeflate_membersTheReferenceAndGzipAccept() throws Exception {
    requireLibdeflate();
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    Path aci = tmp.resolve("busybox.aci");

    String id = Tools.actool("build", layout.toString(), aci.toString()).expectOk().out().trim();

    // the busybox tar is over 2 MiB: three 1 MiB blocks, three members
    assertThat(members(aci)).isGreaterThan(1);
    assertThat(id).isEqualTo(Layouts.gzipImageId(aci));
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
    String theirs = Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "cat-manifest", aci.toString()).expectOk().out();
    assertThat(Tools.actool("cat-manifest", aci.toString()).expectOk().out()).isEqualTo(theirs);
    Tools.process(tmp, Map.of(), "gzip", "-t", aci.toString()).expectOk();
    assertThat(Tools.actool("image-id", aci.toString()).expectOk().out().trim()).isEqualTo(id);
  }

  /**
   * Builds the busybox layout with bin/actool as a process, into {@code members} by libdeflate and
   * into {@code zlib} with APPCTOOLS_GZIP=zlib; checks the two print one Image ID and returns it.
   */
  private String buildBothWays(Path members, Path zlib) throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    String actool = Tools.bin("actool").toString();
    String id = Tools.process(tmp, Map.of(), actool, "build", layout.toString(), members.toString()).expectOk().out();
    String zlibId = Tools.process(tmp, Map.of("APPCTOOLS_GZIP", "zlib"), actool, "build", layout.toString(), zlib.toString())
        .expectOk().out();
    assertThat(zlibId).isEqualTo(id);
    return id;
  }

  @Test
  void build_envZlib_oneMemberSameImageIdAndTheReferenceValidates() throws Exception {
    requireLibdeflate();
    Path members = tmp.resolve("libdeflate.aci");
    Path zlib = tmp.resolve("zlib.aci");

    buildBothWays(members, zlib);

    assertThat(members(zlib)).isEqualTo(1);
    assertThat(members(members)).isGreaterThan(1);
    assertThat(Files.readAllBytes(zlib)).isNotEqualTo(Files.readAllBytes(members));
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", zlib.toString()).expectOk();
    Tools.process(tmp, Map.of(), "gzip", "-t", zlib.toString()).expectOk();
  }

  @Test
  void validateAndImageId_asProcesses_readMembersThroughLibdeflateAndOneMemberThroughZlib() throws Exception {
    requireLibdeflate();
    Path members = tmp.resolve("libdeflate.aci");
    Path zlib = tmp.resolve("zlib.aci");
    String actool = Tools.bin("actool").toString();
    String id = buildBothWays(members, zlib);
    Path truncated = tmp.resolve("truncated.aci");
    byte[] whole = Files.readAllBytes(members);
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 4096));

    // validate and image-id load libdeflate for reading (the warm-up of bin/actool): both kinds read alike
    for (Path aci : List.of(members, zlib)) {
      Tools.process(tmp, Map.of(), actool, "validate", aci.toString()).expectOk();
      assertThat(Tools.process(tmp, Map.of(), actool, "image-id", aci.toString()).expectOk().out()).as(aci.toString()).isEqualTo(id);
    }
    Tools.Result broken = Tools.process(tmp, Map.of(), actool, "validate", truncated.toString());
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("Unexpected end of ZLIB input stream");
  }
}
