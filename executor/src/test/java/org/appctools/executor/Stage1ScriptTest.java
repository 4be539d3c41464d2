package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.appctools.aci.EntryOwner;
import org.appctools.executor.PodPlan.AppPlan;
import org.appctools.executor.PodPlan.MountEntry;
import org.appctools.schema.types.AcName;
import org.appctools.tar.TarEntryType;
import org.junit.jupiter.api.Test;

class Stage1ScriptTest {
  static final Path POD = Path.of("/var/lib/appctools/pods/11111111-2222-3333-4444-555555555555");

  /** Two apps: a root one with cgroups, handlers and stdin; one of uid 1000 without CAP_SETUID and CAP_SYS_CHROOT. */
  static PodPlan plan() {
    AppPlan web = new AppPlan(AcName.parse("web"), List.of("/bin/server", "it's"), List.of("/bin/pre"), List.of("/bin/post", "x"),
        List.of("PATH=/bin", "QUOTE=a'b"), 0, 0, List.of(), List.of("CAP_CHOWN", "CAP_SYS_CHROOT"), false, -500, "/",
        "/opt/stage2/web/rootfs", List.of("/cgroup/web/0", "/cgroup/web/1"), true, List.of(), List.of());
    AppPlan side = new AppPlan(AcName.parse("side-car"), List.of("sleep", "1"), List.of(), List.of(), List.of("PATH=/bin"),
        1000, 100, List.of(5L, 6L), List.of("CAP_NET_BIND_SERVICE"), true, null, "/home",
        "/opt/stage2/side-car/rootfs", List.of(), false, List.of(), List.of());
    return new PodPlan(UUID.fromString("11111111-2222-3333-4444-555555555555"), POD, POD.resolve("stage1"), true, true, null,
        List.of(), List.of(), POD.resolve("dev"), List.of(POD.resolve("stage1/opt/stage2/web/rootfs/dev"),
        POD.resolve("stage1/opt/stage2/side-car/rootfs/dev")), List.of(), "appctools-x", true, List.of(web, side), List.of(), null);
  }

  @Test
  void planScript_valuesQuoted_launchChainPerApp_supervisors() throws Exception {
    String golden;
    try (InputStream in = getClass().getResourceAsStream("plan.sh.golden")) {
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(Stage1Script.planScript(plan(), PodPlannerTest.TOOLS)).isEqualTo(golden);
  }

  @Test
  void command_namespacesThenTiniThenStage1() {
    assertThat(Stage1Script.command(plan(), PodPlannerTest.TOOLS)).containsExactly("/usr/bin/unshare", "--mount",
        "--propagation", "private", "--pid", "--uts", "--ipc", "--net", "--fork", "--kill-child=KILL", "--",
        "/usr/bin/tini", "-s", "-g", "--", "/bin/sh", POD + "/stage1.sh", POD.toString());
  }

  @Test
  void fstab_escapesBlanksAndBackslashes() {
    assertThat(Stage1Script.fstab(List.of(new MountEntry("/srv/my data", Path.of("/p/a\\b\tc"), "none", "bind,ro"))))
        .isEqualTo("/srv/my\\040data /p/a\\134b\\011c none bind,ro 0 0\n");
  }

  @Test
  void q_singleQuotesEverything() {
    assertThat(Stage1Script.q("it's $HOME `x`")).isEqualTo("'it'\\''s $HOME `x`'");
  }

  @Test
  void files_theFixedStage1AndThePlan() {
    Map<String, String> files = Stage1Script.files(plan(), PodPlannerTest.TOOLS);
    assertThat(files).containsOnlyKeys("fstab-1", "fstab-2", "plan.sh", "stage1.sh");
    assertThat(files.get("stage1.sh")).contains("\"$PIVOT_ROOT\" . .").contains("until wait; do :; done");
  }

  @Test
  void chainCapabilities_whatUnshareNeedsBeyondTheBoundingSet() {
    assertThat(Stage1Script.chainCapabilities(plan().apps().get(0))).isEmpty();
    assertThat(Stage1Script.chainCapabilities(plan().apps().get(1))).containsExactly("CAP_SETUID", "CAP_SYS_CHROOT");
  }

  @Test
  void rootlessWithSubordinateIds_theirRangesMapped_andGroupsSet() {
    HostTools t = PodPlannerTest.TOOLS;
    SubordinateIds ids = new SubordinateIds(200000, 65536, 300000, 1000);
    HostTools rootless = new HostTools(t.sh(), t.mount(), t.pivotRoot(), t.umount(), t.cp(), t.chown(), t.chmod(), t.env(), t.setpriv(), t.unshare(),
        t.tini(), t.ip(), t.nsenter(), t.hostname(), t.rootDirs(), t.rootLinks(), t.ldSoCache(), "userxattr", true, ids);
    PodPlan p = plan();
    PodPlan mapped = new PodPlan(p.uuid(), p.dir(), p.stage1Root(), p.isolated(), p.privateNetwork(), p.netns(), p.prep(),
        p.mounts(), p.devSkeleton(), p.devTargets(), p.devMounts(), p.hostname(), p.loopbackUp(), p.apps(), p.warnings(), ids);
    assertThat(Stage1Script.command(mapped, rootless)).startsWith("/usr/bin/unshare", "--user", "--map-root-user",
        "--map-users=200000,1,65536", "--map-groups=300000,1,1000", "--mount");
    assertThat(Stage1Script.planScript(mapped, rootless)).contains(" --regid 100 --groups 5,6 ", " --setuid 1000 ");
  }

  @Test
  void planScript_owners_chownByOwnerInBatches_thenChmodOfSetuidAndSetgid_noneForSymlinks() {
    List<EntryOwner> owners = new java.util.ArrayList<>();
    owners.add(new EntryOwner("home/app", TarEntryType.DIRECTORY, 1000, 1000, 0755));
    owners.add(new EntryOwner("bin/it's", TarEntryType.FILE, 0, 5, 02755));
    owners.add(new EntryOwner("bin/su", TarEntryType.FILE, 1000, 1000, 04755));
    owners.add(new EntryOwner("bin/link", TarEntryType.SYMLINK, 0, 5, 06777));
    for (int i = 0; i < Stage1Script.PATHS_PER_COMMAND; i++) {
      owners.add(new EntryOwner("many/" + i, TarEntryType.FILE, 7, 7, 0644));
    }
    PodPlan p = plan();
    AppPlan w = p.apps().get(0);
    AppPlan web = new AppPlan(w.name(), w.exec(), w.preStart(), w.postStop(), w.env(), w.uid(), w.gid(), w.groups(),
        w.capabilities(), w.noNewPrivileges(), w.oomScoreAdj(), w.workingDirectory(), w.root(), w.cgroups(), w.stdin(), w.stubs(),
        owners);
    PodPlan owned = new PodPlan(p.uuid(), p.dir(), p.stage1Root(), p.isolated(), p.privateNetwork(), p.netns(), p.prep(),
        p.mounts(), p.devSkeleton(), p.devTargets(), p.devMounts(), p.hostname(), p.loopbackUp(), List.of(web, p.apps().get(1)),
        p.warnings(), p.subordinateIds());

    String script = Stage1Script.planScript(owned, PodPlannerTest.TOOLS);

    String root = POD + "/stage1/opt/stage2/web/rootfs/";
    String body = script.substring(script.indexOf("own_files() {\n"), script.indexOf("}\n", script.indexOf("own_files() {\n")) + 2);
    List<String> lines = body.lines().toList();
    assertThat(lines).hasSize(8);
    assertThat(lines.subList(0, 5)).containsExactly("own_files() {", "  :",
        "  \"$CHOWN\" -h 1000:1000 -- '" + root + "home/app' '" + root + "bin/su' || return 1",
        "  \"$CHOWN\" -h 0:5 -- '" + root + "bin/it'\\''s' '" + root + "bin/link' || return 1",
        "  \"$CHOWN\" -h 7:7 -- '" + root + "many/0'" + java.util.stream.IntStream.range(1, Stage1Script.PATHS_PER_COMMAND - 1)
            .mapToObj(i -> " '" + root + "many/" + i + "'").collect(java.util.stream.Collectors.joining()) + " '" + root + "many/"
            + (Stage1Script.PATHS_PER_COMMAND - 1) + "' || return 1");
    assertThat(lines.subList(5, 8)).containsExactly(
        "  \"$CHMOD\" 2755 -- '" + root + "bin/it'\\''s' || return 1",
        "  \"$CHMOD\" 4755 -- '" + root + "bin/su' || return 1",
        "}");
    assertThat(script).contains("CHOWN='/usr/bin/chown'\nCHMOD='/usr/bin/chmod'\n");
  }

  @Test
  void planScript_ownersBeyondOneBatch_split() {
    List<EntryOwner> owners = new java.util.ArrayList<>();
    for (int i = 0; i <= Stage1Script.PATHS_PER_COMMAND; i++) {
      owners.add(new EntryOwner("f" + i, TarEntryType.FILE, 7, 7, 0644));
    }
    PodPlan p = plan();
    AppPlan w = p.apps().get(1);
    AppPlan side = new AppPlan(w.name(), w.exec(), w.preStart(), w.postStop(), w.env(), w.uid(), w.gid(), w.groups(),
        w.capabilities(), w.noNewPrivileges(), w.oomScoreAdj(), w.workingDirectory(), w.root(), w.cgroups(), w.stdin(), w.stubs(),
        owners);
    PodPlan owned = new PodPlan(p.uuid(), p.dir(), p.stage1Root(), p.isolated(), p.privateNetwork(), p.netns(), p.prep(),
        p.mounts(), p.devSkeleton(), p.devTargets(), p.devMounts(), p.hostname(), p.loopbackUp(), List.of(p.apps().get(0), side),
        p.warnings(), p.subordinateIds());

    String script = Stage1Script.planScript(owned, PodPlannerTest.TOOLS);

    String root = POD + "/stage1/opt/stage2/side-car/rootfs/";
    List<String> chowns = script.lines().filter(l -> l.startsWith("  \"$CHOWN\"")).toList();
    assertThat(chowns).hasSize(2);
    assertThat(chowns.get(0)).startsWith("  \"$CHOWN\" -h 7:7 -- '" + root + "f0' ").endsWith(" '" + root + "f"
        + (Stage1Script.PATHS_PER_COMMAND - 1) + "' || return 1");
    assertThat(chowns.get(1)).isEqualTo("  \"$CHOWN\" -h 7:7 -- '" + root + "f" + Stage1Script.PATHS_PER_COMMAND + "' || return 1");
  }

  @Test
  void rootless_aUserNamespaceFirst_andNoGroupChanges() {
    HostTools t = PodPlannerTest.TOOLS;
    HostTools rootless = new HostTools(t.sh(), t.mount(), t.pivotRoot(), t.umount(), t.cp(), t.chown(), t.chmod(), t.env(), t.setpriv(), t.unshare(),
        t.tini(), t.ip(), t.nsenter(), t.hostname(), t.rootDirs(), t.rootLinks(), t.ldSoCache(), "userxattr", true, null);
    assertThat(Stage1Script.command(plan(), rootless)).startsWith("/usr/bin/unshare", "--user", "--map-root-user", "--mount");
    String script = Stage1Script.planScript(plan(), rootless);
    assertThat(script).contains("'/usr/bin/setpriv' --bounding-set '-all,+chown,+sys_chroot'").doesNotContain("--regid", "--groups");
  }
}
