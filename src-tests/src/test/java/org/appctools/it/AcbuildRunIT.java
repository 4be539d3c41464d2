package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * acbuild run (issue 7, item 5): the command runs in the build's rootfs over its dependencies, its
 * changes become the build (and only its changes: no mount target, no DNS file, no dependency
 * file), the exit status is the command's, the history is the Go tool's, and nothing stays
 * mounted or running. The Debian fixture installs a package built here with dpkg-deb, offline.
 */
class AcbuildRunIT {
  @TempDir static Path shared;
  static Path busyboxAci;

  @TempDir Path tmp;
  Path work;
  Path store;

  @BeforeAll
  static void image() throws Exception {
    assumeTrue(Tools.isRoot(), "acbuild run needs root");
    Path layout = Files.createDirectories(shared.resolve("layout"));
    Tools.process(shared, Map.of(), "cp", "-a", Tools.fixture("rootfs/busybox").toString(), layout.resolve("rootfs").toString()).expectOk();
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/busybox\",\"labels\":[{\"name\":\"version\",\"value\":\"1.35\"}]}");
    busyboxAci = shared.resolve("busybox.aci");
    Tools.actool("build", layout.toString(), busyboxAci.toString()).expectOk();
  }

  @BeforeEach
  void build() throws Exception {
    work = Files.createDirectories(tmp.resolve("work"));
    store = tmp.resolve("store");
  }

  @AfterEach
  void nothingLeft() throws Exception {
    Leftovers.assertNone(work, tmp);
  }

  private Tools.Result acbuild(String... args) {
    List<String> all = new ArrayList<>(List.of("--store-dir=" + store));
    all.addAll(List.of(args));
    return Tools.acbuild(work, all.toArray(String[]::new));
  }

  private Path rootfs() throws Exception {
    Path ctx = work.resolve(".acbuild");
    return ctx.resolve(Files.readSymbolicLink(ctx.resolve("current"))).resolve("image/rootfs");
  }

  @Test
  void run_changes_becomeTheBuild_andTheWrittenImage_historyAsTheGoTool() throws Exception {
    acbuild("begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    Tools.Result r = acbuild("run", "--", "/bin/sh", "-c", "echo made >/hello; rm /bin/vi; mkdir -p /opt/app && echo x >/opt/app/f; echo ok");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("ok\n");
    assertThat(rootfs().resolve("hello")).hasContent("made");
    assertThat(rootfs().resolve("bin/vi")).doesNotExist();
    assertThat(rootfs().resolve("opt/app/f")).hasContent("x");
    assertThat(Tools.manifest(work).get("annotations").toString()).contains("{\"name\":\"appc.io/acbuild/command-1\","
        + "\"value\":\"acbuild run \\\"/bin/sh\\\" \\\"-c\\\" \\\"echo made >/hello; rm /bin/vi; mkdir -p /opt/app && echo x >/opt/app/f; echo ok\\\"\"}");
    acbuild("set-name", "example.com/built").expectOk();
    Path aci = tmp.resolve("built.aci");
    acbuild("write", aci.toString()).expectOk();
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
    String listing = Tools.process(tmp, Map.of(), "tar", "-tzf", aci.toString()).expectOk().out();
    assertThat(listing).contains("rootfs/hello\n", "rootfs/opt/app/f\n", "rootfs/bin/sh\n").doesNotContain("rootfs/bin/vi\n",
        "resolv.conf", "overlay");
    assertThat(Tools.process(tmp, Map.of(), "sh", "-c", "tar -xzf " + aci + " -C " + tmp + " && getfattr -R -h -d -m - "
        + tmp.resolve("rootfs")).out()).doesNotContain("overlay");
  }

  @Test
  void run_failingCommand_itsExitStatus_itsChangesKept_noHistory() throws Exception {
    acbuild("begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    Tools.Result r = acbuild("run", "--", "sh", "-c", "touch /partial; exit 7");
    assertThat(r.code()).isEqualTo(7);
    assertThat(rootfs().resolve("partial")).exists();
    assertThat(Tools.manifest(work).has("annotations")).isFalse();
  }

  @Test
  void run_neverWritesThroughAHardLinkTheBuildShares() throws Exception {
    acbuild("begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    Path outside = tmp.resolve("outside-link");
    Files.createLink(outside, rootfs().resolve("etc/passwd"));
    String before = Files.readString(outside);
    acbuild("run", "--", "sh", "-c", "echo extra >>/etc/passwd; chmod 600 /etc/group").expectOk();
    assertThat(rootfs().resolve("etc/passwd")).hasContent(before + "extra");
    assertThat(Files.readString(outside)).isEqualTo(before);
    assertThat(Files.getAttribute(rootfs().resolve("etc/group"), "unix:mode")).isEqualTo(0100600);
  }

  @Test
  void run_dependencies_beneathTheRootfs_notInTheBuild() throws Exception {
    acbuild("begin").expectOk();
    acbuild("dependency", "add", busyboxAci.toString()).expectOk();
    Tools.Result r = acbuild("run", "--", "/bin/sh", "-c", "echo built-on-busybox >/made; ls /bin/busybox");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("/bin/busybox\n");
    try (Stream<Path> s = Files.list(rootfs())) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("made");
    }
  }

  @Test
  void run_hostsDns_withoutChangingTheImagesResolvConf() throws Exception {
    acbuild("begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    Tools.Result r = acbuild("run", "--", "cat", "/etc/resolv.conf");
    assertThat(r.out()).isEqualTo(Files.readString(Path.of("/etc/resolv.conf")));
    assertThat(rootfs().resolve("etc/resolv.conf")).doesNotExist();
    assertThat(Files.getLastModifiedTime(rootfs().resolve("etc")))
        .isEqualTo(Files.getLastModifiedTime(Tools.fixture("rootfs/busybox").resolve("etc")));
  }

  @Test
  void run_mount_hostDirectories_readWriteAndReadOnly_notInTheImage() throws Exception {
    acbuild("begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    Path cache = Files.createDirectories(tmp.resolve("cache"));
    Path inputs = Files.createDirectories(tmp.resolve("inputs"));
    Files.writeString(inputs.resolve("big"), "input\n");
    Tools.Result r = acbuild("run", "--mount", cache + ":/var/cache/pkg", "--mount", inputs + ":/in:ro", "--",
        "sh", "-c", "cat /in/big; echo cached >/var/cache/pkg/c; echo x >/in/nope 2>/dev/null || echo read-only");
    assertThat(r.out()).isEqualTo("input\nread-only\n");
    assertThat(cache.resolve("c")).hasContent("cached");
    assertThat(rootfs().resolve("in")).doesNotExist();
    assertThat(rootfs().resolve("var/cache")).doesNotExist();
  }

  @Test
  void run_workingDirectory_network_engines() throws Exception {
    acbuild("begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    assertThat(acbuild("run", "--working-dir", "/home/app", "--", "pwd").out()).isEqualTo("/home/app\n");
    assertThat(acbuild("run", "--net", "none", "--", "cat", "/sys/class/net/lo/operstate").out()).isEqualTo("down\n");
    assertThat(acbuild("run", "--", "cat", "/proc/1/comm").out()).isEqualTo("tini\n");
    assertThat(acbuild("run", "--engine", "chroot", "--", "cat", "/proc/1/comm").out()).isNotEqualTo("tini\n");
    Tools.Result usage = acbuild("run", "--engine", "systemd-nspawn", "--", "true");
    assertThat(usage.code()).isEqualTo(3);
    Tools.Result missing = acbuild("run", "--", "/no/such/command");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("run: app \"run\": /no/such/command: no such command in the image\n");
  }

  @Test
  void script_withRunLines_asTheGoToolRunsThem() throws Exception {
    Path script = tmp.resolve("build.acb");
    Files.writeString(script, "begin " + Tools.fixture("rootfs/busybox") + "\n"
        + "run -- /bin/sh -c \"echo from-script > /s\"\n"
        + "run --working-dir=/tmp -- pwd\n"
        + "set-name example.com/scripted\n"
        + "write " + tmp.resolve("scripted.aci") + "\n");
    Tools.Result r = Tools.acbuild(work, "--store-dir=" + store, "script", script.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("/tmp\n");
    assertThat(Tools.process(tmp, Map.of(), "tar", "-tzf", tmp.resolve("scripted.aci").toString()).expectOk().out()).contains("rootfs/s\n");
  }

  @Test
  void run_modify_anAciInOneStep() throws Exception {
    Path aci = tmp.resolve("m.aci");
    Files.copy(busyboxAci, aci);
    Tools.Result r = Tools.acbuild(work, "--modify", aci.toString(), "run", "--", "sh", "-c", "echo in-place >/modified");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Tools.process(tmp, Map.of(), "tar", "-tzf", aci.toString()).expectOk().out()).contains("rootfs/modified\n");
  }

  @Test
  void debian_aptGetInstallsALocalPackage_offline() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve("pkg/DEBIAN"));
    Files.writeString(pkg.resolve("control"), "Package: hello-appctools\nVersion: 1.0\nArchitecture: all\n"
        + "Maintainer: Tests <tests@example.com>\nDescription: a package made by AcbuildRunIT\n");
    Path share = Files.createDirectories(tmp.resolve("pkg/usr/share/hello-appctools"));
    Files.writeString(share.resolve("greeting"), "hello from a .deb\n");
    Path debs = Files.createDirectories(tmp.resolve("debs"));
    Tools.process(tmp, Map.of(), "dpkg-deb", "--root-owner-group", "--build", tmp.resolve("pkg").toString(),
        debs.resolve("hello-appctools_1.0_all.deb").toString()).expectOk();
    acbuild("begin", Tools.fixture("rootfs/debian").toString()).expectOk();

    Tools.Result r = acbuild("run", "--net", "none", "--mount", debs + ":/debs:ro", "--",
        "apt-get", "install", "-y", "/debs/hello-appctools_1.0_all.deb");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(rootfs().resolve("usr/share/hello-appctools/greeting")).hasContent("hello from a .deb");
    assertThat(Files.readString(rootfs().resolve("var/lib/dpkg/status"))).contains("Package: hello-appctools\nStatus: install ok installed\n");
    assertThat(rootfs().resolve("debs")).doesNotExist();
    assertThat(acbuild("run", "--", "dpkg-query", "-W", "-f", "${Status}", "hello-appctools").out()).isEqualTo("install ok installed");
  }
}
