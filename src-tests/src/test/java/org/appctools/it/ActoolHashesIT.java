package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Image IDs bin/actool prints with SHA-512 in libcrypto (the default when it loads; the
 * launchers then run the hashing commands on C1 alone) and in the JDK (APPCTOOLS_HASH=java),
 * checked against the JDK's SHA-512 of the decompressed tar, computed here.
 */
class ActoolHashesIT {
  @TempDir Path tmp;

  @Test
  void buildAndImageId_libcryptoOrJdk_theIdOfTheTar() throws Exception {
    Path layout = Layouts.fromFixture(tmp, "rootfs/busybox", Layouts.BUSYBOX_MANIFEST);
    String actool = Tools.bin("actool").toString();
    Map<String, String> jdk = Map.of("APPCTOOLS_HASH", "java");
    Path aci = tmp.resolve("busybox.aci");
    Path aciJdk = tmp.resolve("busybox-jdk.aci");

    String id = Tools.process(tmp, Map.of(), actool, "build", layout.toString(), aci.toString())
        .expectOk().out().trim();
    String idJdk = Tools.process(tmp, jdk, actool, "build", layout.toString(), aciJdk.toString())
        .expectOk().out().trim();

    assertThat(id).isEqualTo(Layouts.gzipImageId(aci)).isEqualTo(idJdk);
    assertThat(Tools.process(tmp, Map.of(), actool, "image-id", aciJdk.toString()).expectOk().out().trim())
        .isEqualTo(id);
    assertThat(Tools.process(tmp, jdk, actool, "image-id", aci.toString()).expectOk().out().trim())
        .isEqualTo(id);
  }
}
