package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** samples/debian-app/build.sh: a base image in the store, an app image over it built by acbuild run. */
class DebianAppSampleTest {
  @TempDir Path tmp;

  @Test
  void build_baseImportedOnce_appHoldsOnlyThePackage_runsOverTheBase() throws Exception {
    Samples.requireRoot();
    Samples.fixture("rootfs/debian", "debian");
    Samples.requireTool("jq", "samples");
    Map<String, String> env = Map.of("APPCTOOLS_STORE_DIR", tmp.resolve("store").toString());
    String script = Samples.dir().resolve("debian-app/build.sh").toString();
    Path out = tmp.resolve("app.aci");

    Samples.Result first = Samples.run(tmp, tmp, env, script, out.toString()).expectOk();

    String base = first.value("base");
    assertThat(base).matches("imported example\\.com/debian-base:12 as sha512-[0-9a-f]{128}");
    String baseId = base.substring(base.lastIndexOf(' ') + 1);
    assertThat(first.output()).contains(out + ": valid app container image")
        .contains("  example.com/debian-base " + baseId + "\n")
        .contains("hello from a Debian package on Debian GNU/Linux 12 (bookworm)\n");
    assertThat(first.value("id")).matches("sha512-[0-9a-f]{128}");
    assertThat(Samples.entries(out)).contains("rootfs/usr/bin/hello-appc")
        .doesNotContain("rootfs/usr/bin/apt-get", "rootfs/var/cache/apt/pkgcache.bin", "rootfs/debs/");

    Samples.Result second = Samples.run(tmp, tmp, Map.of("APPCTOOLS_STORE_DIR", tmp.resolve("store").toString(), "NO_RUN", "1"),
        script, out.toString()).expectOk();

    assertThat(second.value("base")).isEqualTo("example.com/debian-base:12 is in the store");
    assertThat(second.output()).contains("  example.com/debian-base " + baseId + "\n");
  }
}
