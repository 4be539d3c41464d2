package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent loss as non-root (issue 3, item 5): bin/acbuild run as an unprivileged user keeps the
 * owners the image's files should have, or fails with a clear message. Needs root to make the
 * user and the inputs; CI runs as root.
 */
class AcbuildRootlessIT {
  private static final String USER = "appctools-test";
  private static String uid;
  private static String gid;

  @TempDir Path tmp;
  Path home;

  @BeforeAll
  static void user() throws Exception {
    assumeTrue(Tools.isRoot(), "makes an unprivileged user and files of other owners: needs root");
    if (Tools.process(Path.of("/"), Map.of(), "id", "-u", USER).code() != 0) {
      Tools.process(Path.of("/"), Map.of(), "useradd", "-M", "-r", "-s", "/usr/sbin/nologin", USER).expectOk();
    }
    uid = Tools.process(Path.of("/"), Map.of(), "id", "-u", USER).expectOk().out().strip();
    gid = Tools.process(Path.of("/"), Map.of(), "id", "-g", USER).expectOk().out().strip();
    assertThat(uid).isNotEqualTo("0");
  }

  Path launcher;

  @BeforeEach
  void home() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    home = Files.createDirectories(tmp.resolve("home"));
    chown(uid + ":" + gid, home);
    launcher = launcherCopy();
  }

  /**
   * bin/acbuild and what it runs, copied where the unprivileged user can read them: the checkout
   * itself may sit below a directory only root may enter (CI clones it wherever it likes).
   */
  private Path launcherCopy() throws Exception {
    Path root = Tools.projectRoot();
    Path copy = Files.createDirectories(tmp.resolve("tools"));
    Path target = Files.createDirectories(copy.resolve("acbuild-cli/target"));
    Tools.process(tmp, Map.of(), "cp", "-r", root.resolve("bin").toString(), copy.toString()).expectOk();
    Tools.process(tmp, Map.of(), "cp", "-r", root.resolve("acbuild-cli/target/acbuild-cli.jar").toString(),
        root.resolve("acbuild-cli/target/lib").toString(), target.toString()).expectOk();
    Tools.process(tmp, Map.of(), "chmod", "-R", "a+rX", copy.toString()).expectOk();
    return copy.resolve("bin/acbuild");
  }

  @Test
  void unprivilegedBuild_keepsTheOwnersTheFilesShouldHave() throws Exception {
    // made as root: an ACI with files of root, of uid 1000 and a setuid root binary
    Path base = Files.createDirectories(tmp.resolve("base"));
    Files.createDirectories(base.resolve("bin"));
    Files.createDirectories(base.resolve("home/alice"));
    Files.createDirectories(base.resolve("etc"));
    Files.writeString(base.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
    Files.writeString(base.resolve("home/alice/notes"), "mine\n");
    Files.copy(Path.of("/bin/true"), base.resolve("bin/su-ish"));
    chown("0:0", base);
    chown("1000:1000", base.resolve("home/alice"), base.resolve("home/alice/notes"));
    Tools.process(tmp, Map.of(), "chmod", "4755", base.resolve("bin/su-ish").toString()).expectOk();
    Path baseAci = home.resolve("base.aci");
    Path rootWork = Files.createDirectories(tmp.resolve("root-work"));
    Tools.acbuild(rootWork, "begin", base.toString()).expectOk();
    Tools.acbuild(rootWork, "set-name", "example.com/rootless-base").expectOk();
    Tools.acbuild(rootWork, "write", baseAci.toString()).expectOk();
    Tools.acbuild(rootWork, "end").expectOk();
    Files.setPosixFilePermissions(baseAci, PosixFilePermissions.fromString("rw-r--r--"));
    // made by the user: files to copy in as root's
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(conf.resolve("app.conf"), "port=80\n");
    chown(uid + ":" + gid, conf, conf.resolve("app.conf"));
    Path work = home.resolve("work");
    Path out = home.resolve("out.aci");

    asUser("begin", baseAci.toString()).expectOk();
    asUser("copy", "--chown", "0:0", conf.toString(), "/etc/app").expectOk();
    asUser("copy-to-dir", conf.resolve("app.conf").toString(), "/home/alice").expectOk();
    asUser("label", "add", "version", "1.0").expectOk();
    asUser("set-exec", "/bin/su-ish").expectOk();
    asUser("set-name", "example.com/rootless").expectOk();
    Tools.Result w = asUser("write", out.toString());
    asUser("end").expectOk();

    assertThat(w.code()).as("write as %s; stderr: %s", USER, w.err()).isZero();
    assertThat(work).isEmptyDirectory();
    Map<String, String> listed = listing(out);
    assertThat(listed).containsEntry("rootfs/etc/passwd", "-rw-r--r-- 0/0")
        .containsEntry("rootfs/bin/su-ish", "-rwsr-xr-x 0/0")
        .containsEntry("rootfs/home/alice", "drwxr-xr-x 1000/1000")
        .containsEntry("rootfs/home/alice/notes", "-rw-r--r-- 1000/1000")
        .containsEntry("rootfs/etc/app", "drwxr-xr-x 0/0")
        .containsEntry("rootfs/etc/app/app.conf", "-rw-r--r-- 0/0")
        // copied without --chown: the user's own file, as the Go tool run by that user would
        .containsEntry("rootfs/home/alice/app.conf", "-rw-r--r-- " + uid + "/" + gid);
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", out.toString()).expectOk();
  }

  @Test
  void unprivilegedDockerfileBuild_ownersKeptThroughTheCache() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("base"));
    Files.createDirectories(base.resolve("home/alice"));
    Files.createDirectories(base.resolve("etc"));
    Files.writeString(base.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nalice:x:1000:1001::/home/alice:/bin/sh\n");
    Files.writeString(base.resolve("home/alice/notes"), "mine\n");
    chown("0:0", base);
    chown("1000:1001", base.resolve("home/alice"), base.resolve("home/alice/notes"));
    Path rootWork = Files.createDirectories(tmp.resolve("root-work"));
    Path ctx = Files.createDirectories(home.resolve("ctx"));
    Tools.acbuild(rootWork, "begin", base.toString()).expectOk();
    Tools.acbuild(rootWork, "set-name", "example.com/rootless-base").expectOk();
    Tools.acbuild(rootWork, "write", ctx.resolve("base.aci").toString()).expectOk();
    Tools.acbuild(rootWork, "end").expectOk();
    Files.createDirectories(ctx.resolve("conf"));
    Files.writeString(ctx.resolve("conf/app.conf"), "port=80\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM ./base.aci\nCOPY conf /etc/app\n"
        + "COPY --chown=alice conf/app.conf /home/alice/\nUSER alice\n");
    Tools.process(tmp, Map.of(), "chown", "-R", uid + ":" + gid, ctx.toString()).expectOk();
    Tools.process(tmp, Map.of(), "chmod", "-R", "a+rX", ctx.toString()).expectOk();
    Path out = home.resolve("out.aci");
    String[] build = {"--store-dir=" + home.resolve("store"), "build", "--tag", "example.com/rootless", "-o", out.toString(),
        "--overwrite", ctx.toString()};

    Tools.Result first = asUser(build);
    Tools.Result again = asUser(build);

    assertThat(first.code()).as("build as %s; stderr: %s", USER, first.err()).isZero();
    assertThat(again.code()).as("rebuild; stderr: %s", again.err()).isZero();
    assertThat(again.out()).isEqualTo(first.out());
    assertThat(again.err()).contains("(4 cached)");
    Map<String, String> listed = listing(out);
    assertThat(listed).containsEntry("rootfs/home/alice", "drwxr-xr-x 1000/1001")
        .containsEntry("rootfs/home/alice/notes", "-rw-r--r-- 1000/1001")
        .containsEntry("rootfs/home/alice/app.conf", "-rw-r--r-- 1000/1001")
        .containsEntry("rootfs/etc/app", "drwxr-xr-x 0/0")
        .containsEntry("rootfs/etc/app/app.conf", "-rw-r--r-- 0/0");
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", out.toString()).expectOk();
  }

  @Test
  void unprivilegedBegin_fromAnAciWithADevice_failsLoudly_andLeavesNothing() throws Exception {
    Path base = Files.createDirectories(tmp.resolve("base"));
    Files.createDirectories(base.resolve("dev"));
    Tools.process(tmp, Map.of(), "mknod", base.resolve("dev/null").toString(), "c", "1", "3").expectOk();
    Path aci = home.resolve("dev.aci");
    Path rootWork = Files.createDirectories(tmp.resolve("root-work"));
    Tools.acbuild(rootWork, "begin", base.toString()).expectOk();
    Tools.acbuild(rootWork, "set-name", "example.com/with-device").expectOk();
    Tools.acbuild(rootWork, "write", aci.toString()).expectOk();
    Files.setPosixFilePermissions(aci, PosixFilePermissions.fromString("rw-r--r--"));
    Path work = home.resolve("work");

    Tools.Result r = asUser("begin", aci.toString());

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err().strip()).startsWith("begin: ").doesNotContain("\n").contains("dev/null", "device node", "root")
        .doesNotContain("ExtractOptions");
    if (Files.exists(work)) {
      try (Stream<Path> s = Files.list(work)) {
        assertThat(s.toList()).as("what the failed begin left in the work path").isEmpty();
      }
    }
    assertThat(asUser("cat-manifest").code()).as("no build is in progress").isEqualTo(1);
  }

  @Test
  void unprivilegedOciBuild_newLayersHoldOnlyTheChanges_withTheOwnersTheyShouldHave() throws Exception {
    Path layout = tmp.resolve("busybox");
    Tools.process(tmp, Map.of(), "cp", "-r", Tools.fixture("oci/busybox").toString(), layout.toString()).expectOk();
    Tools.process(tmp, Map.of(), "chmod", "-R", "a+rX", layout.toString()).expectOk();
    Path conf = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(conf.resolve("app.conf"), "x=1\n");
    Tools.process(tmp, Map.of(), "chmod", "-R", "a+rX", conf.toString()).expectOk();
    Path out = home.resolve("out.tar");

    asUser("begin", "--build-mode", "oci", layout.toString()).expectOk();
    asUser("copy", "--chown", "0:0", conf.resolve("app.conf").toString(), "/etc/app.conf").expectOk();
    asUser("layer").expectOk();
    asUser("copy", "--chown", "1000:1000", conf.resolve("app.conf").toString(), "/home/app.conf").expectOk();
    asUser("write", out.toString()).expectOk();
    asUser("end").expectOk();

    Path extracted = Files.createDirectories(tmp.resolve("extracted"));
    Tools.process(tmp, Map.of(), "tar", "-C", extracted.toString(), "-xf", out.toString()).expectOk();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    String manifestDigest = json.readTree(extracted.resolve("index.json").toFile()).at("/manifests/0/digest").asText();
    var manifest = json.readTree(extracted.resolve("blobs/sha256").resolve(manifestDigest.substring(7)).toFile());
    String baseDigest = json.readTree(layout.resolve("index.json").toFile()).at("/manifests/0/digest").asText();
    var baseManifest = json.readTree(layout.resolve("blobs/sha256").resolve(baseDigest.substring(7)).toFile());
    assertThat(manifest.at("/layers/0/digest").asText()).isEqualTo(baseManifest.at("/layers/0/digest").asText());
    Map<String, String> second = listing(extracted.resolve("blobs/sha256").resolve(manifest.at("/layers/1/digest").asText().substring(7)));
    Map<String, String> third = listing(extracted.resolve("blobs/sha256").resolve(manifest.at("/layers/2/digest").asText().substring(7)));
    assertThat(second.keySet()).containsExactly("etc", "etc/app.conf");
    assertThat(second.get("etc/app.conf")).endsWith(" 0/0");
    assertThat(second.get("etc")).endsWith(" 0/0");
    assertThat(third.keySet()).containsExactly("home", "home/app.conf");
    assertThat(third.get("home/app.conf")).endsWith(" 1000/1000");
  }

  /** Runs {@code bin/acbuild --work-path HOME/work ARGS} as the unprivileged user. */
  private Tools.Result asUser(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--",
        launcher.toString(), "--work-path=" + home.resolve("work")));
    cmd.addAll(List.of(args));
    return Tools.process(home, Map.of("HOME", home.toString(), "USER", USER, "APPCTOOLS_NO_CDS", "1"), cmd.toArray(String[]::new));
  }

  private static void chown(String owner, Path... paths) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("chown", "-h", owner));
    for (Path p : paths) {
      cmd.add(p.toString());
    }
    Tools.process(Path.of("/"), Map.of(), cmd.toArray(String[]::new)).expectOk();
  }

  /** {@code tar --numeric-owner -tvzf}: entry name (no trailing slash) to "MODE UID/GID". */
  private static Map<String, String> listing(Path aci) throws Exception {
    String out = Tools.process(aci.getParent(), Map.of(), "tar", "--numeric-owner", "-tvzf", aci.toString()).expectOk().out();
    Map<String, String> m = new TreeMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6) {
        continue;
      }
      String name = f[5];
      while (name.endsWith("/")) {
        name = name.substring(0, name.length() - 1);
      }
      m.put(name, f[0] + " " + f[1]);
    }
    return m;
  }
}
