package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.appctools.aci.EntryOwner;
import org.appctools.executor.PodPlan.AppPlan;
import org.appctools.executor.PodPlan.MountEntry;
import org.appctools.schema.Mount;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.EnvironmentVariables;
import org.appctools.schema.types.EventHandler;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Volume;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodPlannerTest {
  static final UUID UUID_1 = UUID.fromString("11111111-2222-3333-4444-555555555555");
  static final HostTools TOOLS = new HostTools(Path.of("/bin/sh"), Path.of("/usr/bin/mount"), Path.of("/usr/sbin/pivot_root"),
      Path.of("/usr/bin/umount"), Path.of("/usr/bin/cp"), Path.of("/usr/bin/chown"), Path.of("/usr/bin/chmod"), Path.of("/usr/bin/env"), Path.of("/usr/bin/setpriv"),
      Path.of("/usr/bin/unshare"), Path.of("/usr/bin/tini"), Path.of("/usr/bin/ip"), Path.of("/usr/bin/nsenter"), Path.of("/usr/bin/hostname"), List.of(Path.of("/usr")),
      Map.of("bin", "usr/bin"), Path.of("/etc/ld.so.cache"), "redirect_dir=off,metacopy=off", false, null);
  static final AcName APP = AcName.parse("web");

  @TempDir Path tmp;
  Path tree;
  Path pod;

  @BeforeEach
  void image() throws Exception {
    tree = Files.createDirectories(tmp.resolve("tree"));
    for (String d : List.of("bin", "etc", "proc", "sys", "dev", "home/app", "var")) {
      Files.createDirectories(tree.resolve(d));
    }
    Files.writeString(tree.resolve("bin/sh"), "");
    Files.writeString(tree.resolve("bin/server"), "");
    Files.writeString(tree.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:App:/home/app:/bin/ash\n");
    Files.writeString(tree.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
    Files.setAttribute(tree.resolve("var"), "unix:mode", 0750);
    Files.setLastModifiedTime(tree.resolve("var"), FileTime.fromMillis(1_700_000_000_000L));
    Files.createSymbolicLink(tree.resolve("etc/resolv.conf"), Path.of("../run/resolv.conf"));
    Files.createSymbolicLink(tree.resolve("data"), Path.of("/var/lib/data"));
    pod = Files.createDirectories(tmp.resolve("pod"));
  }

  private AppSpec.Overlay overlay() {
    return new AppSpec.Overlay(List.of(tree), pod.resolve("apps/web/upper"), pod.resolve("apps/web/work"));
  }

  private static PodOptions options() {
    return new PodOptions(NetMode.DEFAULT, true, "appctools-test", null, null, null, null, false, null);
  }

  private PodPlan plan(App app, List<Volume> volumes, List<Mount> mounts, PodOptions options) throws Exception {
    return PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, app, overlay(), false, mounts)), volumes,
        List.of(), options), TOOLS, Map.of());
  }

  private PodPlan plan(App app) throws Exception {
    return plan(app, List.of(), List.of(), options());
  }

  @Test
  void environment_userFromTheImagesPasswd_thenTheImagesVariables_thenAcVariables() throws Exception {
    App app = App.of(List.of("/bin/server"), "app", "app").withEnvironment(EnvironmentVariables.of(List.of(
        new EnvironmentVariable("SHELL", "/bin/zsh"), new EnvironmentVariable("MODE", "prod"))));
    PodPlan p = plan(app, List.of(), List.of(), new PodOptions(NetMode.DEFAULT, true, null, null, null, null,
        java.net.URI.create("http://127.0.0.1:2375/tok"), false, null));
    AppPlan a = p.apps().get(0);
    assertThat(a.env()).containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME=/home/app", "USER=app", "LOGNAME=app", "SHELL=/bin/zsh", "MODE=prod", "AC_APP_NAME=web",
        "AC_METADATA_URL=http://127.0.0.1:2375/tok", "container=appctools");
    assertThat(a.uid()).isEqualTo(1000);
    assertThat(a.gid()).isEqualTo(1000);
  }

  @Test
  void environment_buildStep_imagesVariablesUnderTheSpecsPath() throws Exception {
    App app = App.of(List.of("sh"), "0", "0").withEnvironment(EnvironmentVariables.of(List.of(
        new EnvironmentVariable("PATH", "/opt/bin"), new EnvironmentVariable("LANG", "C"))));
    AppPlan a = plan(app, List.of(), List.of(), new PodOptions(NetMode.HOST, true, null, null, null, null, null, true, null)).apps().get(0);
    assertThat(a.env()).containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C",
        "HOME=/root", "container=appctools");
  }

  @Test
  void launch_identityCapabilitiesAndIsolators() throws Exception {
    App app = App.of(List.of("/bin/server", "--port", "80"), "1000", "1000").withSupplementaryGIDs(List.of(5L))
        .withWorkingDirectory("/home/app").withIsolators(List.of(Isolators.capabilitiesRetainSet(List.of("CAP_NET_BIND_SERVICE")),
            Isolators.noNewPrivileges(true), Isolators.oomScoreAdj(-500)))
        .withEventHandlers(List.of(new EventHandler("pre-start", List.of("/bin/sh", "-c", "echo pre")),
            new EventHandler("post-stop", List.of("/bin/sh", "-c", "echo post"))));
    AppPlan a = plan(app).apps().get(0);
    assertThat(a.exec()).containsExactly("/bin/server", "--port", "80");
    assertThat(a.preStart()).containsExactly("/bin/sh", "-c", "echo pre");
    assertThat(a.postStop()).containsExactly("/bin/sh", "-c", "echo post");
    assertThat(a.groups()).containsExactly(5L);
    assertThat(a.capabilities()).containsExactly("CAP_NET_BIND_SERVICE");
    assertThat(a.noNewPrivileges()).isTrue();
    assertThat(a.oomScoreAdj()).isEqualTo(-500);
    assertThat(a.workingDirectory()).isEqualTo("/home/app");
    assertThat(a.root()).isEqualTo("/opt/stage2/web/rootfs");
  }

  @Test
  void mounts_overlayOverTheTree_thenTmpfsDev_thenTheDevicesAndFileSystems() throws Exception {
    PodPlan p = plan(App.of(List.of("/bin/server"), "0", "0"));
    Path root = pod.resolve("stage1/opt/stage2/web/rootfs");
    assertThat(p.mounts()).contains(new MountEntry("overlay", root, "overlay", "lowerdir=" + tree + ",upperdir="
        + pod.resolve("apps/web/upper") + ",workdir=" + pod.resolve("apps/web/work") + ",redirect_dir=off,metacopy=off,nodev"),
        new MountEntry("tmpfs", root.resolve("dev"), "tmpfs", "mode=0755,nosuid,nodev,size=65536k"),
        new MountEntry("/usr", pod.resolve("stage1/usr"), "none", "bind,ro"));
    assertThat(p.mounts().get(0)).isEqualTo(new MountEntry(pod.resolve("stage1").toString(), pod.resolve("stage1"), "none", "bind"));
    assertThat(p.devTargets()).containsExactly(root.resolve("dev"));
    assertThat(p.devMounts()).contains(new MountEntry("proc", root.resolve("proc"), "proc", "nosuid,nodev,noexec"),
        new MountEntry("sysfs", root.resolve("sys"), "sysfs", "ro,nosuid,nodev,noexec"),
        new MountEntry("/dev/urandom", root.resolve("dev/urandom"), "none", "bind"),
        new MountEntry("devpts", root.resolve("dev/pts"), "devpts", "newinstance,ptmxmode=0666,mode=0620"),
        new MountEntry("shm", root.resolve("dev/shm"), "tmpfs", "mode=1777,nosuid,nodev,size=65536k"),
        new MountEntry(pod.resolve("etc/hosts").toString(), root.resolve("etc/hosts"), "none", "bind"));
    assertThat(p.hostname()).isEqualTo("appctools-test");
    assertThat(p.loopbackUp()).isTrue();
    assertThat(p.privateNetwork()).isTrue();
  }

  @Test
  void readOnlyRootfs_overlayMountedReadOnly() throws Exception {
    PodPlan p = PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "0", "0"),
        overlay(), true, List.of())), List.of(), List.of(), options()), TOOLS, Map.of());
    assertThat(p.mounts().stream().filter(m -> m.type().equals("overlay")).findFirst().orElseThrow().options()).endsWith(",nodev,ro");
  }

  @Test
  void volumes_throughSymlinksInsideTheImage_parentsStubbedWithTheImagesAttributes() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host-data"));
    App app = App.of(List.of("/bin/server"), "0", "0").withMountPoints(List.of(new MountPoint(AcName.parse("data"), "/data", true)));
    PodPlan p = plan(app, List.of(Volume.host(AcName.parse("data"), host.toString(), false)), List.of(), options());
    Path upper = pod.resolve("apps/web/upper");
    // /data -> /var/lib/data: the mount lands on the resolved path; /var gets its mode and time, lib and data are new
    assertThat(p.devMounts()).contains(new MountEntry(host.toString(), pod.resolve("stage1/opt/stage2/web/rootfs/var/lib/data"),
        "none", "rbind,ro"));
    assertThat(p.prep()).contains(new PodPlan.Dir(upper.resolve("var"), 0750, uid(tree.resolve("var")), gid(tree.resolve("var")),
        1_700_000_000_000L), new PodPlan.Dir(upper.resolve("var/lib"), 0755, 0, 0, null),
        new PodPlan.Dir(upper.resolve("var/lib/data"), 0755, 0, 0, null));
    // and the image has no /etc/hosts: one is provided
    assertThat(p.apps().get(0).stubs()).containsExactly(upper.resolve("var"), upper.resolve("var/lib"), upper.resolve("var/lib/data"),
        upper.resolve("etc"), upper.resolve("etc/hosts"));
  }

  @Test
  void volumes_emptyVolume_aDirectoryOfThePodWithItsModeAndOwner_sharedByTheApps() throws Exception {
    Volume v = new Volume(AcName.parse("scratch"), Volume.EMPTY, null, null, null, "1777", 1000, 1000);
    PodPlan p = plan(App.of(List.of("/bin/sh"), "0", "0"), List.of(v), List.of(new Mount(AcName.parse("scratch"), "/tmp/s", null)),
        options());
    assertThat(p.prep()).contains(new PodPlan.Dir(pod.resolve("volumes/scratch"), 01777, 1000, 1000, null));
    assertThat(p.devMounts()).contains(new MountEntry(pod.resolve("volumes/scratch").toString(),
        pod.resolve("stage1/opt/stage2/web/rootfs/tmp/s"), "none", "bind"));
  }

  @Test
  void volumes_mountPointWithoutVolume_getsAnEmptyOne_withAWarning() throws Exception {
    App app = App.of(List.of("/bin/sh"), "0", "0").withMountPoints(List.of(new MountPoint(AcName.parse("cache"), "/cache", false)));
    PodPlan p = plan(app);
    assertThat(p.warnings()).containsExactly("app \"web\": mount point \"cache\" (/cache) has no volume; it gets an empty one "
        + "(give --volume cache,kind=host,source=PATH to choose)");
    assertThat(p.prep()).contains(new PodPlan.Dir(pod.resolve("volumes/cache"), 0755, 0, 0, null));
  }

  @Test
  void volumes_missingHostSource_fails() {
    App app = App.of(List.of("/bin/sh"), "0", "0");
    assertThatThrownBy(() -> plan(app, List.of(Volume.host(AcName.parse("d"), "/no/such/dir", false)),
        List.of(new Mount(AcName.parse("d"), "/d", null)), options()))
        .hasMessage("volume \"d\": the host path /no/such/dir does not exist");
  }

  @Test
  void volumes_hostSourceThroughASymlink_failsNamingTheRealPath() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    assertThatThrownBy(() -> plan(App.of(List.of("/bin/sh"), "0", "0"), List.of(Volume.host(AcName.parse("d"), link.toString(), false)),
        List.of(new Mount(AcName.parse("d"), "/d", null)), options()))
        .hasMessage("volume \"d\": the host path " + link + " is or goes through a symbolic link (give the real path, " + real + ")");
  }

  @Test
  void volumes_nestedTargets_fail() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("h"));
    List<Volume> vols = List.of(Volume.host(AcName.parse("a"), host.toString(), false), Volume.host(AcName.parse("b"), host.toString(), false));
    assertThatThrownBy(() -> plan(App.of(List.of("/bin/sh"), "0", "0"), vols, List.of(new Mount(AcName.parse("a"), "/srv", null),
        new Mount(AcName.parse("b"), "/srv/sub", null)), options()))
        .hasMessage("app \"web\": the mount targets /srv and /srv/sub overlap (give volumes distinct, non-nested paths)");
  }

  @Test
  void mount_unknownVolume_failsSayingHowToAddIt() {
    assertThatThrownBy(() -> plan(App.of(List.of("/bin/sh"), "0", "0"), List.of(), List.of(new Mount(AcName.parse("x"), "/x", null)), options()))
        .hasMessage("app \"web\": --mount names the volume \"x\", which the pod does not have (add --volume x,kind=host,source=PATH or kind=empty)");
  }

  @Test
  void resolvConf_imagesSymlinkIsShadowedByAStub_andTheFileBoundOnIt() throws Exception {
    PodPlan p = plan(App.of(List.of("/bin/sh"), "0", "0"), List.of(), List.of(),
        new PodOptions(NetMode.HOST, true, null, "nameserver 10.0.0.1\n".getBytes(StandardCharsets.US_ASCII), null, null, null, false, null));
    Path upper = pod.resolve("apps/web/upper");
    assertThat(p.prep()).contains(new PodPlan.File(pod.resolve("etc/resolv.conf"), "nameserver 10.0.0.1\n".getBytes(StandardCharsets.US_ASCII),
        0644, 0, 0), new PodPlan.File(upper.resolve("etc/resolv.conf"), new byte[0], 0644, 0, 0));
    assertThat(p.devMounts()).contains(new MountEntry(pod.resolve("etc/resolv.conf").toString(),
        pod.resolve("stage1/opt/stage2/web/rootfs/etc/resolv.conf"), "none", "bind"));
    assertThat(p.loopbackUp()).isFalse();
    assertThat(p.privateNetwork()).isFalse();
  }

  @Test
  void workingDirectory_missing_failsAsTheSpecSays() {
    assertThatThrownBy(() -> plan(App.of(List.of("/bin/sh"), "0", "0").withWorkingDirectory("/srv/www")))
        .hasMessage("app \"web\": the working directory /srv/www does not exist in the image");
  }

  @Test
  void command_missing_failsNamingIt() {
    assertThatThrownBy(() -> plan(App.of(List.of("nginx"), "0", "0")))
        .hasMessage("app \"web\": nginx: no such command in the image (looked in PATH)");
    assertThatThrownBy(() -> plan(App.of(List.of("/usr/sbin/nginx"), "0", "0")))
        .hasMessage("app \"web\": /usr/sbin/nginx: no such command in the image");
  }

  @Test
  void command_foundInPath() throws Exception {
    assertThat(plan(App.of(List.of("server"), "0", "0")).apps().get(0).exec()).containsExactly("server");
  }

  @Test
  void noExec_failsSayingToGiveOne() {
    assertThatThrownBy(() -> plan(App.of(List.of(), "0", "0"))).hasMessage("app \"web\": the image has no exec (give one with --exec)");
  }

  @Test
  void isolators_notEnforced_areReported() throws Exception {
    App app = App.of(List.of("/bin/sh"), "0", "0").withIsolators(List.of(Isolators.seccompRetainSet(List.of("read"), null),
        Isolators.blockIops("100"), Isolators.capabilitiesRemoveSet(List.of("CAP_SYS_CHROOT"))));
    assertThat(plan(app).warnings()).containsExactly(
        "app \"web\": isolator os/linux/seccomp-retain-set is not enforced (seccomp filters are not supported)",
        "app \"web\": isolator resource/block-iops is not enforced (block I/O limits are not supported)",
        "app \"web\": CAP_SYS_CHROOT stays in the permitted set of this app, which runs as root: the executor's chroot into "
            + "its root filesystem needs it (its bounding set is as asked)");
  }

  @Test
  void cgroups_boundIntoThePodsRoot_andJoinedFromThere() throws Exception {
    Path cg = Files.createDirectories(tmp.resolve("cg/memory/appctools/x/web"));
    PodPlan p = PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "0", "0"),
        overlay(), false, List.of())), List.of(), List.of(), options()), TOOLS, Map.of(APP, List.of(cg)));
    assertThat(p.apps().get(0).cgroups()).containsExactly("/cgroup/web/0");
    assertThat(p.mounts()).contains(new MountEntry(cg.toString(), pod.resolve("stage1/cgroup/web/0"), "none", "bind"));
  }

  @Test
  void directoryRootfs_boundInsteadOfAnOverlay() throws Exception {
    PodPlan p = PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "0", "0"),
        new AppSpec.Directory(tree), true, List.of())), List.of(), List.of(), options()), TOOLS, Map.of());
    assertThat(p.mounts()).contains(new MountEntry(tree.toString(), pod.resolve("stage1/opt/stage2/web/rootfs"), "none", "bind,nodev,ro"));
  }

  private static long uid(Path p) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:uid")).longValue();
  }

  private static long gid(Path p) throws Exception {
    return ((Number) Files.getAttribute(p, "unix:gid")).longValue();
  }

  @Test
  void rootlessWithSubordinateIds_usersInTheRange_run_othersAndBuildStepsRefused() throws Exception {
    HostTools t = TOOLS;
    SubordinateIds ids = new SubordinateIds(200000, 65536, 200000, 65536);
    HostTools rootless = new HostTools(t.sh(), t.mount(), t.pivotRoot(), t.umount(), t.cp(), t.chown(), t.chmod(), t.env(), t.setpriv(), t.unshare(),
        t.tini(), t.ip(), t.nsenter(), t.hostname(), t.rootDirs(), t.rootLinks(), t.ldSoCache(), "userxattr", true, ids);
    PodPlan p = PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "app", "100"),
        overlay(), false, List.of())), List.of(), List.of(), options()), rootless, Map.of());
    assertThat(p.subordinateIds()).isEqualTo(ids);
    assertThat(p.apps().get(0).uid()).isEqualTo(1000);
    assertThat(p.apps().get(0).gid()).isEqualTo(100);

    assertThatThrownBy(() -> PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "70000", "0"),
        overlay(), false, List.of())), List.of(), List.of(), options()), rootless, Map.of()))
        .hasMessage("app \"web\": it runs as user 70000, group 0, outside what this user's pods map (users 0 to 65536, "
            + "groups 0 to 65536, from /etc/subuid and /etc/subgid): choose an ID in that range, or grant the user a larger range");

    PodOptions buildStep = new PodOptions(NetMode.HOST, false, null, null, null, null, null, true, null);
    assertThat(PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "0", "0"),
        overlay(), false, List.of())), List.of(), List.of(), buildStep), rootless, Map.of()).subordinateIds()).isNull();
  }

  private static HostTools rootlessWith(SubordinateIds ids) {
    HostTools t = TOOLS;
    return new HostTools(t.sh(), t.mount(), t.pivotRoot(), t.umount(), t.cp(), t.chown(), t.chmod(), t.env(), t.setpriv(),
        t.unshare(), t.tini(), t.ip(), t.nsenter(), t.hostname(), t.rootDirs(), t.rootLinks(), t.ldSoCache(), "userxattr", true, ids);
  }

  static final List<EntryOwner> OWNERS = List.of(new EntryOwner("home/app", TarEntryType.DIRECTORY, 1000, 1000, 0755),
      new EntryOwner("bin/su", TarEntryType.FILE, 0, 5, 04755), new EntryOwner("dev/tty0", TarEntryType.FILE, 0, 5, 0620),
      new EntryOwner("dev", TarEntryType.DIRECTORY, 3, 3, 0755), new EntryOwner("var/nobody", TarEntryType.FILE, 65534, 65534, 0644),
      new EntryOwner("var/big", TarEntryType.FILE, 1000, 70000, 0644));

  private PodPlan rootlessPlan(HostTools tools, AppSpec.Rootfs rootfs, boolean readOnly, PodOptions options) throws Exception {
    return PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "0", "0"), rootfs,
        readOnly, List.of(), OWNERS)), List.of(), List.of(), options), tools, Map.of());
  }

  @Test
  void owners_rootlessWithSubordinateIds_theMappedOnesOutsideDev_othersWarned() throws Exception {
    PodPlan p = rootlessPlan(rootlessWith(new SubordinateIds(200000, 65536, 300000, 65536)), overlay(), false, options());

    assertThat(p.apps().get(0).owners()).containsExactly(OWNERS.get(0), OWNERS.get(1), OWNERS.get(4));
    assertThat(p.warnings()).containsExactly("app \"web\": 1 files keep root's owner: their owners are outside the pod's "
        + "mapping (users 0 to 65536, groups 0 to 65536, from /etc/subuid and /etc/subgid), e.g. /var/big (1000:70000); "
        + "grant the user a larger range");
  }

  @Test
  void owners_directoryOrReadOnlyRootfs_noneGiven_withAWarning() throws Exception {
    HostTools tools = rootlessWith(new SubordinateIds(200000, 65536, 300000, 65536));

    PodPlan dir = rootlessPlan(tools, new AppSpec.Directory(tree), false, options());
    PodPlan readOnly = rootlessPlan(tools, overlay(), true, options());

    assertThat(dir.apps().get(0).owners()).isEmpty();
    assertThat(dir.warnings()).containsExactly("app \"web\": 6 files keep root's owner: its root filesystem is a directory, "
        + "not an overlay (overlayfs unavailable or --no-overlay), and owners are given only in an overlay's upper layer");
    assertThat(readOnly.apps().get(0).owners()).isEmpty();
    assertThat(readOnly.warnings()).containsExactly("app \"web\": 6 files keep root's owner: its root filesystem is read-only");
  }

  @Test
  void owners_rootOrNoSubordinateIdsOrBuildStep_noneGivenNorWarned() throws Exception {
    PodOptions buildStep = new PodOptions(NetMode.HOST, false, null, null, null, null, null, true, null);
    for (PodPlan p : List.of(rootlessPlan(TOOLS, overlay(), false, options()), rootlessPlan(rootlessWith(null), overlay(), false,
        options()), rootlessPlan(rootlessWith(new SubordinateIds(200000, 65536, 300000, 65536)), overlay(), false, buildStep))) {
      assertThat(p.apps().get(0).owners()).isEmpty();
      assertThat(p.warnings()).isEmpty();
    }
  }

  @Test
  void rootless_onlyRootInside_andTheHostsProcAndSysWhenShared() throws Exception {
    HostTools t = TOOLS;
    HostTools rootless = new HostTools(t.sh(), t.mount(), t.pivotRoot(), t.umount(), t.cp(), t.chown(), t.chmod(), t.env(), t.setpriv(), t.unshare(),
        t.tini(), t.ip(), t.nsenter(), t.hostname(), t.rootDirs(), t.rootLinks(), t.ldSoCache(), "userxattr", true, null);
    assertThatThrownBy(() -> PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "app", "0"),
        overlay(), false, List.of())), List.of(), List.of(), options()), rootless, Map.of()))
        .hasMessage("app \"web\": it runs as user 1000, group 0, which a pod run by a user other than root cannot give (its user "
            + "namespace maps that user to root alone): run it as root inside (--user 0 --group 0), run actool as root, "
            + "or grant the user subordinate IDs (/etc/subuid and /etc/subgid, usermod --add-subuids; newuidmap from Debian's uidmap)");
    PodPlan p = PodPlanner.plan(new PodSpec(UUID_1, pod, List.of(new AppSpec(APP, App.of(List.of("/bin/sh"), "0", "0"),
        overlay(), false, List.of())), List.of(), List.of(), new PodOptions(NetMode.HOST, false, null, null, null, null, null, true, null)),
        rootless, Map.of());
    Path root = pod.resolve("stage1/opt/stage2/web/rootfs");
    assertThat(p.mounts()).contains(new MountEntry("/proc", pod.resolve("stage1/proc"), "none", "rbind"));
    assertThat(p.devMounts()).contains(new MountEntry("/proc", root.resolve("proc"), "none", "rbind"),
        new MountEntry("/sys", root.resolve("sys"), "none", "rbind,ro"));
    assertThat(p.mounts().stream().filter(m -> m.type().equals("overlay")).findFirst().orElseThrow().options()).contains(",userxattr,");
  }
}
