package org.appctools.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Image layouts made from the fixture trees, and an independent Image ID computation. */
final class Layouts {
  private Layouts() {}

  static final String BUSYBOX_MANIFEST = """
      {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/busybox",\
      "labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],\
      "app":{"exec":["/bin/sh","-c","echo hello"],"user":"0","group":"0",\
      "environment":[{"name":"FOO","value":"bar"}],\
      "mountPoints":[{"name":"data","path":"/data","readOnly":false}],\
      "ports":[{"name":"http","protocol":"tcp","port":8080,"count":1,"socketActivated":false}]},\
      "annotations":[{"name":"authors","value":"appctools tests"}]}
      """;

  /**
   * A layout whose rootfs is a hard-linked copy of a fixture tree (cp -al: fast, and hard links,
   * owners, modes, mtimes and xattrs stay what the fixture has).
   */
  static Path fromFixture(Path dir, String fixture, String manifestJson) throws Exception {
    Path rootfsSource = Tools.fixture(fixture);
    Path layout = dir.resolve("layout");
    Files.createDirectories(layout);
    Tools.process(dir, Map.of(), "cp", "-al", rootfsSource.toString(), layout.resolve("rootfs").toString()).expectOk();
    Files.writeString(layout.resolve("manifest"), manifestJson, StandardCharsets.UTF_8);
    return layout;
  }

  /** sha512- + hex of the gunzipped bytes, computed without any project code. */
  static String gzipImageId(Path aci) throws IOException, NoSuchAlgorithmException {
    MessageDigest sha = MessageDigest.getInstance("SHA-512");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(aci), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return "sha512-" + HexFormat.of().formatHex(sha.digest());
  }
}
