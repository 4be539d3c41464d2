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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actool run and acbuild run as a real unprivileged user (issue 7, item 6): a user namespace maps
 * the user to root, overlayfs and the mounts work inside it, and a build step's new files belong
 * to root in the written image while the image's other owners stay. What a rootless pod cannot
 * do (another user inside, cgroups) is refused or reported. Needs root to make the user.
 */
class RunRootlessIT {
  /** A user with subordinate IDs (/etc/subuid and /etc/subgid). */
  private static final String USER = "appctools-test";
  /** A user without: its pods map it to root alone. */
  private static final String PLAIN_USER = "appctools-plain";
  private static String uid;
  private static String gid;
  private static String plainUid;
  private static String plainGid;
  /** USER's first subordinate range, "START COUNT" as /proc/self/uid_map shows it after "1". */
  private static String subordinateRange;

  @TempDir Path tmp;
  Path home;
  Path bin;

  @BeforeAll
  static void user() throws Exception {
    assumeTrue(Tools.isRoot(), "makes an unprivileged user: needs root");
    if (Tools.process(Path.of("/"), Map.of(), "id", "-u", USER).code() != 0) {
      Tools.process(Path.of("/"), Map.of(), "useradd", "-M", "-r", "-s", "/usr/sbin/nologin", USER).expectOk();
    }
    uid = Tools.process(Path.of("/"), Map.of(), "id", "-u", USER).expectOk().out().strip();
    gid = Tools.process(Path.of("/"), Map.of(), "id", "-g", USER).expectOk().out().strip();
    // system users (-r) get no subordinate IDs from useradd: USER is granted a range, PLAIN_USER none
    if (subordinate("/etc/subuid", USER) == null || subordinate("/etc/subgid", USER) == null) {
      Tools.process(Path.of("/"), Map.of(), "usermod", "--add-subuids", "1100000-1165535", "--add-subgids", "1100000-1165535",
          USER).expectOk();
    }
    subordinateRange = subordinate("/etc/subuid", USER);
    assertThat(subordinate("/etc/subgid", USER)).as("this test expects the same subuid and subgid ranges").isEqualTo(subordinateRange);
    if (Tools.process(Path.of("/"), Map.of(), "id", "-u", PLAIN_USER).code() != 0) {
      Tools.process(Path.of("/"), Map.of(), "useradd", "-M", "-r", "-s", "/usr/sbin/nologin", PLAIN_USER).expectOk();
    }
    assertThat(subordinate("/etc/subuid", PLAIN_USER)).isNull();
    plainUid = Tools.process(Path.of("/"), Map.of(), "id", "-u", PLAIN_USER).expectOk().out().strip();
    plainGid = Tools.process(Path.of("/"), Map.of(), "id", "-g", PLAIN_USER).expectOk().out().strip();
  }

  /** The first "START COUNT" the file grants the user, or null. */
  private static String subordinate(String file, String user) throws Exception {
    if (!Files.exists(Path.of(file))) {
      return null;
    }
    for (String line : Files.readAllLines(Path.of(file))) {
      String[] f = line.split(":");
      if (f.length == 3 && f[0].equals(user)) {
        return f[1] + " " + f[2];
      }
    }
    return null;
  }

  @BeforeEach
  void home() throws Exception {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    home = Files.createDirectories(tmp.resolve("home"));
    // the busybox image, made by root with its owners (home/app is 1000's), readable by the user
    Path layout = Files.createDirectories(tmp.resolve("layout"));
    Tools.process(tmp, Map.of(), "cp", "-a", Tools.fixture("rootfs/busybox").toString(), layout.resolve("rootfs").toString()).expectOk();
    // and a setuid file of app's and a setgid one of group 50's: chown clears those bits, stage1 sets them again
    Path opt = Files.createDirectories(layout.resolve("rootfs/opt"));
    Files.writeString(opt.resolve("suid"), "#!/bin/sh\n");
    Files.writeString(opt.resolve("sgid"), "#!/bin/sh\n");
    Tools.process(tmp, Map.of(), "chown", "1000:1000", opt.resolve("suid").toString()).expectOk();
    Tools.process(tmp, Map.of(), "chown", "0:50", opt.resolve("sgid").toString()).expectOk();
    Tools.process(tmp, Map.of(), "chmod", "4755", opt.resolve("suid").toString()).expectOk();
    Tools.process(tmp, Map.of(), "chmod", "2755", opt.resolve("sgid").toString()).expectOk();
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/busybox\",\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"echo hello\"],\"user\":\"0\",\"group\":\"0\"}}");
    Tools.actool("build", layout.toString(), home.resolve("busybox.aci").toString()).expectOk();
    Files.setPosixFilePermissions(home.resolve("busybox.aci"), PosixFilePermissions.fromString("rw-r--r--"));
    Tools.process(tmp, Map.of(), "chown", "-R", uid + ":" + gid, home.toString()).expectOk();
    bin = launchers();
  }

  @AfterEach
  void nothingLeft() throws Exception {
    Leftovers.assertNone(home, tmp);
  }

  /** bin/ and both CLIs' jars, copied where the user can read them. */
  private Path launchers() throws Exception {
    Path root = Tools.projectRoot();
    Path copy = Files.createDirectories(tmp.resolve("tools"));
    Tools.process(tmp, Map.of(), "cp", "-r", root.resolve("bin").toString(), copy.toString()).expectOk();
    for (String cli : List.of("actool-cli", "acbuild-cli")) {
      Path target = Files.createDirectories(copy.resolve(cli + "/target"));
      Tools.process(tmp, Map.of(), "cp", "-r", root.resolve(cli + "/target/" + cli + ".jar").toString(),
          root.resolve(cli + "/target/lib").toString(), target.toString()).expectOk();
    }
    Tools.process(tmp, Map.of(), "chmod", "-R", "a+rX", copy.toString()).expectOk();
    return copy.resolve("bin");
  }

  /** Runs bin/TOOL ARGS as the unprivileged user, its store and pods in its home. */
  private Tools.Result asUser(String tool, String... args) throws Exception {
    return as(uid, gid, tool, args);
  }

  /** Runs bin/TOOL ARGS as the user without subordinate IDs (home must be its: see {@link #toPlainUser}). */
  private Tools.Result asPlainUser(String tool, String... args) throws Exception {
    return as(plainUid, plainGid, tool, args);
  }

  private void toPlainUser() throws Exception {
    Tools.process(tmp, Map.of(), "chown", "-R", plainUid + ":" + plainGid, home.toString()).expectOk();
  }

  private Tools.Result as(String uid, String gid, String tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--",
        bin.resolve(tool).toString()));
    cmd.addAll(List.of(args));
    return Tools.process(home, Map.of("HOME", home.toString(), "USER", USER, "APPCTOOLS_NO_CDS", "1",
        "APPCTOOLS_STORE_DIR", home.resolve("store").toString(), "APPCTOOLS_PODS_DIR", home.resolve("pods").toString()),
        cmd.toArray(String[]::new));
  }

  @Test
  void actoolRun_asAUser_rootInsideAUserNamespace_theAppsStatusOut() throws Exception {
    asUser("actool", "image", "import", home.resolve("busybox.aci").toString()).expectOk();

    Tools.Result r = asUser("actool", "run", "example.com/busybox", "--exec", "/bin/sh", "--", "-c",
        "id; cat /proc/self/uid_map; echo x >/written && cat /written; grep CapBnd /proc/self/status; exit 3");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(3);
    assertThat(r.out().replaceAll("[ \t]+", " "))
        .isEqualTo("uid=0(root) gid=0(root)\n 0 " + uid + " 1\n 1 " + subordinateRange + "\nx\nCapBnd: 00000000a80425fb\n");
    assertThat(asUser("actool", "list", "--no-legend").out()).contains("\tbusybox\texample.com/busybox\texited\t");
    Tools.Result limits = asUser("actool", "run", "example.com/busybox", "--memory", "64Mi");
    assertThat(limits.code()).isZero();
    assertThat(limits.err()).contains("run: warning: resource limits are not enforced: cgroups need root");
    asUser("actool", "gc", "--grace-period", "0").expectOk();
  }

  @Test
  void actoolRun_asAUserWithoutSubordinateIds_anotherUserInside_isRefused() throws Exception {
    toPlainUser();
    asPlainUser("actool", "image", "import", home.resolve("busybox.aci").toString()).expectOk();
    Tools.Result r = asPlainUser("actool", "run", "example.com/busybox", "--user", "app");
    assertThat(r.code()).isEqualTo(254);
    assertThat(r.err()).isEqualTo("run: app \"busybox\": it runs as user 1000, group 0, which a pod run by a user other "
        + "than root cannot give (its user namespace maps that user to root alone): run it as root inside "
        + "(--user 0 --group 0), run actool as root, or grant the user subordinate IDs (/etc/subuid and /etc/subgid, "
        + "usermod --add-subuids; newuidmap from Debian's uidmap)\n");
    Tools.Result inside = asPlainUser("actool", "run", "example.com/busybox", "--exec", "/bin/sh", "--", "-c",
        "cat /proc/self/uid_map; stat -c '%u:%g %a' /home/app /opt/suid");
    assertThat(inside.code()).as("stderr: %s", inside.err()).isZero();
    // no other user exists inside: the image's files all appear root's
    assertThat(inside.out().replaceAll("[ \t]+", " ")).isEqualTo(" 0 " + plainUid + " 1\n0:0 755\n0:0 4755\n");
    asPlainUser("actool", "gc", "--grace-period", "0").expectOk();
  }

  @Test
  void actoolRun_asAUserWithSubordinateIds_appsRunAsOtherUsersAndGroupsInside() throws Exception {
    asUser("actool", "image", "import", home.resolve("busybox.aci").toString()).expectOk();

    Tools.Result r = asUser("actool", "run", "example.com/busybox", "--user", "app", "--group", "100",
        "--supplementary-gids", "5,20", "--exec", "/bin/sh", "--", "-c",
        "id -u; id -g; grep -E '^Groups' /proc/self/status; cat /proc/self/gid_map; touch /tmp/by-app && stat -c %u:%g /tmp/by-app");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out().replaceAll("[ \t]+", " ")).isEqualTo("1000\n100\nGroups: 5 20 \n 0 " + gid + " 1\n 1 "
        + subordinateRange + "\n1000:100\n");
    Tools.Result outside = asUser("actool", "run", "example.com/busybox", "--user", "70000");
    assertThat(outside.code()).isEqualTo(254);
    assertThat(outside.err()).isEqualTo("run: app \"busybox\": it runs as user 70000, group 0, outside what this user's pods map"
        + " (users 0 to " + subordinateRange.split(" ")[1] + ", groups 0 to " + subordinateRange.split(" ")[1]
        + ", from /etc/subuid and /etc/subgid): choose an ID in that range, or grant the user a larger range\n");
    asUser("actool", "gc", "--grace-period", "0").expectOk();
  }

  @Test
  void actoolRun_asAUserWithSubordinateIds_theImagesOwnersInside_theStoreUnchanged_gcRemovesThePod() throws Exception {
    asUser("actool", "image", "import", home.resolve("busybox.aci").toString()).expectOk();

    Tools.Result r = asUser("actool", "run", "example.com/busybox", "--user", "app", "--group", "app", "--exec", "/bin/sh", "--",
        "-c", "stat -c '%u:%g %a %n' /home/app /opt/suid /opt/sgid /bin/busybox /etc/passwd; "
            + "echo hi >/home/app/made && stat -c '%u:%g %n' /home/app/made");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo("1000:1000 755 /home/app\n1000:1000 4755 /opt/suid\n0:50 2755 /opt/sgid\n"
        + "0:0 755 /bin/busybox\n0:0 644 /etc/passwd\n1000:1000 /home/app/made\n");
    // the store's tree is as rendered: the user's files
    try (var trees = Files.list(home.resolve("store/trees"))) {
      Path tree = trees.filter(t -> Files.isDirectory(t.resolve("rootfs"))).findFirst().orElseThrow();
      assertThat(Tools.process(tmp, Map.of(), "stat", "-c", "%u:%g %a", tree.resolve("rootfs/home/app").toString(),
          tree.resolve("rootfs/opt/suid").toString()).expectOk().out()).isEqualTo(uid + ":" + gid + " 755\n" + uid + ":" + gid + " 4755\n");
    }
    // the pod's upper directory holds files of subordinate owners, which gc removes in a namespace mapping them
    asUser("actool", "gc", "--grace-period", "0").expectOk();
    assertThat(asUser("actool", "list", "--no-legend").out()).isEmpty();
    try (var left = Files.walk(home.resolve("pods"))) {
      assertThat(left.filter(p -> p.getFileName().toString().matches("[0-9a-f-]{36}")).toList()).isEmpty();
    }
  }

  @Test
  void actoolRun_asAUser_netDefaultIsLoopbackOnly_cniNetworksAndPortsRefused() throws Exception {
    asUser("actool", "image", "import", home.resolve("busybox.aci").toString()).expectOk();
    Tools.Result r = asUser("actool", "run", "example.com/busybox", "--exec", "/bin/sh", "--", "-c",
        "ls /sys/class/net; cat /sys/class/net/lo/operstate; echo \"[$AC_METADATA_URL]\"");
    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out()).isEqualTo("lo\nunknown\n[]\n");
    Tools.Result named = asUser("actool", "run", "--net", "mynet", "example.com/busybox");
    assertThat(named.code()).isEqualTo(254);
    assertThat(named.err()).isEqualTo("run: --net mynet needs root: CNI plugins configure the host's network (an unprivileged"
        + " user's --net default is a private namespace with loopback only)\n");
    Tools.Result port = asUser("actool", "run", "--port", "http:8080", "example.com/busybox");
    assertThat(port.code()).isEqualTo(254);
    assertThat(port.err()).isEqualTo("run: --port needs a CNI network (--net default or --net NAME, as root), not --net default"
        + " as an unprivileged user\n");
    asUser("actool", "gc", "--grace-period", "0").expectOk();
  }

  @Test
  void acbuildRun_asAUser_newFilesBelongToRoot_theImagesOwnersStay() throws Exception {
    asUser("acbuild", "--work-path=" + home.resolve("work"), "begin", home.resolve("busybox.aci").toString()).expectOk();

    Tools.Result r = asUser("acbuild", "--work-path=" + home.resolve("work"), "run", "--", "/bin/sh", "-c",
        "echo made >/made; rm /bin/vi; echo more >>/home/app/notes; id -u");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out()).isEqualTo("0\n");
    asUser("acbuild", "--work-path=" + home.resolve("work"), "set-name", "example.com/rootless-run").expectOk();
    Path out = home.resolve("out.aci");
    asUser("acbuild", "--work-path=" + home.resolve("work"), "write", out.toString()).expectOk();
    Map<String, String> listed = listing(out);
    assertThat(listed).containsEntry("rootfs/made", "-rw-r--r-- 0/0")
        .containsEntry("rootfs/home/app", "drwxr-xr-x 1000/1000")
        .containsEntry("rootfs/home/app/notes", "-rw-r--r-- 0/0")
        .containsEntry("rootfs/etc/passwd", "-rw-r--r-- 0/0")
        .doesNotContainKey("rootfs/bin/vi");
    asUser("acbuild", "--work-path=" + home.resolve("work"), "end").expectOk();
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", out.toString()).expectOk();
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
