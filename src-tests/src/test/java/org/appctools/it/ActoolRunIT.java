package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * actool run, status, list, stop and gc (issue 7) with the busybox fixture as an image, in real
 * namespaces, overlayfs and cgroups: what an app sees from inside (identity, environment,
 * capabilities, devices, volumes, limits), exit statuses, the pod commands, the executor's own
 * failures, and nothing left behind after any of it (mounts, cgroups, processes). These pods run
 * in this process's network namespace, the host's: their {@code default} network is overridden
 * by a {@code net.d} whose {@code default} is CNI's {@code loopback} plugin alone, so that they
 * never touch the host's network (ActoolRunNetIT tests the real default network in namespaces of
 * its own).
 */
class ActoolRunIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  static Path store;
  static Path aci;
  static Path netd;

  @TempDir Path tmp;
  Path pods;

  @BeforeAll
  static void image() throws Exception {
    assumeTrue(Tools.isRoot(), "pods need root");
    Path layout = Files.createDirectories(shared.resolve("layout"));
    Tools.process(shared, Map.of(), "cp", "-a", Tools.fixture("rootfs/busybox").toString(), layout.resolve("rootfs").toString()).expectOk();
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/busybox\",\"labels\":[{\"name\":\"version\",\"value\":\"1.35\"},"
        + "{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],"
        + "\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"echo hello\"],\"user\":\"0\",\"group\":\"0\","
        + "\"environment\":[{\"name\":\"FROM_IMAGE\",\"value\":\"yes\"}],"
        + "\"mountPoints\":[{\"name\":\"scratch\",\"path\":\"/scratch\"}]}}");
    aci = shared.resolve("busybox.aci");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();
    Tools.requireTool(Path.of("/usr/lib/cni/loopback"), "containernetworking-plugins (step cni)");
    netd = Files.createDirectories(shared.resolve("net.d"));
    Files.writeString(netd.resolve("default.conf"), "{\"cniVersion\":\"1.0.0\",\"name\":\"default\",\"type\":\"loopback\"}");
    store = shared.resolve("store");
    Tools.actool("image", "import", "--store-dir", store.toString(), aci.toString()).expectOk();
  }

  @BeforeEach
  void podsDir() throws Exception {
    pods = Files.createDirectories(tmp.resolve("pods"));
  }

  @AfterEach
  void nothingLeft() throws Exception {
    Leftovers.assertNone(pods, tmp);
  }

  /** actool run --store-dir S --pods-dir P ARGS... in this process. */
  private Tools.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of("run", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "--cni-config-dir", netd.toString()));
    all.addAll(List.of(args));
    return Tools.actool(all.toArray(String[]::new));
  }

  /** Runs {@code sh -c script} in busybox, with per-app options (after the image, as rkt takes them). */
  private Tools.Result sh(String script, String... appOptions) {
    return sh(List.of(), script, appOptions);
  }

  /** As {@link #sh(String, String...)}, with pod options (before the image). */
  private Tools.Result sh(List<String> podOptions, String script, String... appOptions) {
    List<String> all = new ArrayList<>(podOptions);
    all.add("example.com/busybox");
    all.addAll(List.of(appOptions));
    all.addAll(List.of("--exec", "/bin/sh", "--", "-c", script));
    return run(all.toArray(String[]::new));
  }

  @Test
  void run_imagesCommand_outputAndExitStatusZero() {
    Tools.Result r = run("example.com/busybox");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello\n");
  }

  @Test
  void run_netHost_appsReachTheMetadataService() throws Exception {
    Path uuidFile = tmp.resolve("uuid");
    Tools.Result r = sh(List.of("--net", "host", "--uuid-file-save", uuidFile.toString()),
        "wget -q -O - \"$AC_METADATA_URL/acMetadata/v1/pod/uuid\" && echo"
            + " && wget -q -O - \"$AC_METADATA_URL/acMetadata/v1/apps/$AC_APP_NAME/image/id\"");

    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).isEqualTo(Files.readString(uuidFile).strip());
    assertThat(lines[1]).isEqualTo(Tools.actool("image-id", aci.toString()).expectOk().out().strip());
  }

  @Test
  void run_privateNetworkOrMdsRegisterFalse_noMetadataUrl() {
    assertThat(sh("echo \"[$AC_METADATA_URL]\"").out()).isEqualTo("[]\n");
    assertThat(sh(List.of("--net", "host", "--mds-register=false"), "echo \"[$AC_METADATA_URL]\"").out()).isEqualTo("[]\n");
  }

  @Test
  void run_exitStatus_isTheApps() {
    assertThat(sh("exit 42").code()).isEqualTo(42);
    assertThat(sh("kill -KILL $$").code()).isEqualTo(137);
  }

  @Test
  void run_identityWorkingDirectoryAndEnvironment_asTheSpecSays() {
    Tools.Result r = sh(List.of("--set-env", "POD=1"), "id; pwd; env | sort");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("uid=0(root) gid=0(root)\n/\n").contains(
        "AC_APP_NAME=busybox\n", "FROM_IMAGE=yes\n", "HOME=/root\n", "LOGNAME=root\n", "POD=1\n",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n", "SHELL=/bin/sh\n", "USER=root\n",
        "container=appctools\n");
    assertThat(r.out()).doesNotContain("AC_METADATA_URL");

    Tools.Result app = run("example.com/busybox", "--user", "app", "--group", "1000", "--supplementary-gids", "5,6",
        "--working-dir", "/home/app", "--environment", "FROM_IMAGE=overridden", "--exec", "/bin/sh", "--", "-c",
        "id; pwd; echo $HOME $USER $FROM_IMAGE");
    assertThat(app.code()).as(app.err()).isZero();
    assertThat(app.out()).isEqualTo("uid=1000(app) gid=1000(app) groups=5,6\n/home/app\n/home/app app overridden\n");
  }

  @Test
  void run_capabilities_asTheIsolatorsSay_readFromProcSelfStatus() {
    assertThat(caps(sh("grep Cap /proc/self/status"))).containsEntry("CapBnd", "00000000a80425fb").containsEntry("CapEff", "00000000a80425fb")
        .containsEntry("CapInh", "0000000000000000").containsEntry("CapAmb", "0000000000000000");
    // CAP_NET_BIND_SERVICE (10) and CAP_SYS_CHROOT (18)
    assertThat(caps(sh("grep Cap /proc/self/status", "--caps-retain", "CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT")))
        .containsEntry("CapBnd", "0000000000040400").containsEntry("CapEff", "0000000000040400");
    // minus CAP_NET_RAW (13) and CAP_MKNOD (27)
    assertThat(caps(sh("grep Cap /proc/self/status", "--caps-remove", "CAP_NET_RAW,mknod")))
        .containsEntry("CapBnd", "00000000a00405fb");
    // not root: nothing effective, the bounding set as asked
    Tools.Result app = run("example.com/busybox", "--user", "1000", "--exec", "/bin/sh", "--", "-c", "grep Cap /proc/self/status");
    assertThat(caps(app)).containsEntry("CapBnd", "00000000a80425fb").containsEntry("CapEff", "0000000000000000")
        .containsEntry("CapPrm", "0000000000000000");
  }

  @Test
  void run_noNewPrivilegesAndOomScore_seenInside() {
    Tools.Result r = sh("grep NoNewPrivs /proc/self/status; cat /proc/self/oom_score_adj", "--no-new-privileges", "--oom-score-adj", "500");
    assertThat(r.out()).isEqualTo("NoNewPrivs:\t1\n500\n");
  }

  private static Map<String, String> caps(Tools.Result r) {
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, String> m = new java.util.TreeMap<>();
    for (String line : r.out().split("\n")) {
      String[] f = line.split(":\\s*");
      m.put(f[0], f[1]);
    }
    return m;
  }

  @Test
  void run_memoryLimit_stopsAnAppThatExceedsIt_andAnAppWithinItRuns() {
    String grow = "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo ${#x}";
    Tools.Result killed = sh(grow, "--memory", "32Mi");
    assertThat(killed.code()).as(killed.err()).isEqualTo(137);
    assertThat(killed.out()).isEmpty();
    Tools.Result fits = sh("x=$(head -c 1000000 /dev/zero | tr '\\0' a); echo ${#x}", "--memory", "32Mi");
    assertThat(fits.out()).isEqualTo("1000000\n");
  }

  @Test
  void run_cpuLimit_inTheAppsCgroup() {
    Tools.Result r = sh("cat /proc/self/cgroup | grep -E ':cpu[,:]'", "--cpu", "500m");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("/appctools/");
  }

  @Test
  void run_twoApps_shareAnEmptyVolume_andTheirNamespaces() throws Exception {
    Tools.Result r = run("--volume", "data,kind=empty,mode=0777", "example.com/busybox", "--name", "writer",
        "--mount", "volume=data,target=/data", "--exec", "/bin/sh", "--", "-c", "echo from-writer >/data/f; hostname >/data/h",
        "---", "example.com/busybox", "--name", "reader", "--mount", "volume=data,target=/data", "--exec", "/bin/sh", "--",
        "-c", "while [ ! -s /data/h ]; do sleep 0.05; done; cat /data/f; [ \"$(cat /data/h)\" = \"$(hostname)\" ] && echo same-uts");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("from-writer\nsame-uts\n");
  }

  @Test
  void run_hostVolume_readOnly_andTheImagesMountPoint() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("in"), "from the host\n");
    Tools.Result r = sh(List.of("--volume", "scratch,kind=host,source=" + host + ",readOnly=true"),
        "cat /scratch/in; echo x >/scratch/out || echo refused");
    assertThat(r.out()).isEqualTo("from the host\nrefused\n");
    assertThat(host.resolve("out")).doesNotExist();
  }

  @Test
  void run_readonlyRootfs_refusesWrites() {
    Tools.Result r = sh("touch /new 2>/dev/null || echo read-only; touch /dev/shm/ok && echo tmpfs-writable", "--readonly-rootfs");
    assertThat(r.out()).isEqualTo("read-only\ntmpfs-writable\n");
  }

  @Test
  void run_devProcSysAndHostname_asOsSpecAsks() {
    Tools.Result r = sh(List.of("--hostname", "web-1"), "for d in null zero full random urandom tty console; do [ -c /dev/$d ] || echo missing $d; done;"
        + " [ -c /dev/pts/ptmx ] && echo pts; [ \"$(readlink /dev/ptmx)\" = pts/ptmx ] && echo ptmx;"
        + " [ \"$(readlink /dev/fd)\" = /proc/self/fd ] && echo fd; readlink /dev/stdin;"
        + " grep -E ' /dev/shm | /sys ' /proc/mounts | cut -d' ' -f2,3,4 | cut -d, -f1; [ -r /proc/self/status ] && echo proc;"
        + " hostname; grep localhost /etc/hosts | head -1 | cut -f1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("pts\nptmx\nfd\n/proc/self/fd/0\n/sys sysfs ro\n/dev/shm tmpfs rw\nproc\nweb-1\n127.0.0.1\n");
  }

  @Test
  void run_network_privateWithLoopback_none_host() throws Exception {
    assertThat(sh("cat /sys/class/net/lo/operstate; ls /sys/class/net").out()).isEqualTo("unknown\nlo\n");
    assertThat(sh(List.of("--net", "none"), "cat /sys/class/net/lo/operstate").out()).isEqualTo("down\n");
    Tools.Result host = sh(List.of("--net", "host"), "ls /sys/class/net | wc -l");
    try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
      assertThat(host.out().strip()).isEqualTo(Long.toString(s.count()));
    }
  }

  @Test
  void run_dns_nameServersOrTheHosts() throws Exception {
    assertThat(sh(List.of("--dns", "10.1.2.3,10.1.2.4"), "cat /etc/resolv.conf").out()).isEqualTo("nameserver 10.1.2.3\nnameserver 10.1.2.4\n");
    assertThat(sh(List.of("--dns", "host"), "cat /etc/resolv.conf").out()).isEqualTo(Files.readString(Path.of("/etc/resolv.conf")));
  }

  @Test
  void run_dnsSearchOptionsAndHostsEntries_writeResolvConfAndHosts() {
    Tools.Result r = sh(List.of("--hostname", "web-1", "--dns", "10.1.2.3", "--dns-search", "example.com,corp", "--dns-opt",
        "ndots:2", "--hosts-entry", "10.9.9.9=db.local", "--hosts-entry", "10.9.9.10=cache.local cache"),
        "cat /etc/resolv.conf /etc/hosts");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("nameserver 10.1.2.3\nsearch example.com corp\noptions ndots:2\n"
        + "127.0.0.1\tlocalhost web-1\n::1\tlocalhost ip6-localhost ip6-loopback web-1\n"
        + "10.9.9.9\tdb.local\n10.9.9.10\tcache.local cache\n");
    Tools.Result bad = sh(List.of("--hosts-entry", "db.local"), "true");
    assertThat(bad.code()).isEqualTo(254);
    assertThat(bad.err()).isEqualTo("run: --hosts-entry: \"db.local\" is not IP=HOSTNAME (or host, alone)\n");
  }

  @Test
  void run_podManifest_eventHandlersAroundTheApp_inOrder() throws Exception {
    String id = Tools.actool("image-id", aci.toString()).expectOk().out().strip();
    Path manifest = tmp.resolve("pod.json");
    Files.writeString(manifest, "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"main\","
        + "\"image\":{\"name\":\"example.com/busybox\",\"id\":\"" + id + "\"},\"app\":{\"exec\":[\"/bin/sh\",\"-c\","
        + "\"echo main >>/log/order\"],\"user\":\"0\",\"group\":\"0\",\"eventHandlers\":[{\"name\":\"pre-start\","
        + "\"exec\":[\"/bin/sh\",\"-c\",\"echo pre-start >>/log/order\"]},{\"name\":\"post-stop\",\"exec\":[\"/bin/sh\","
        + "\"-c\",\"echo post-stop >>/log/order\"]}]},\"mounts\":[{\"volume\":\"log\",\"path\":\"/log\"}]}],"
        + "\"volumes\":[{\"name\":\"log\",\"kind\":\"host\",\"source\":\"" + tmp + "\"}]}");
    Tools.Result r = run("--pod-manifest", manifest.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(tmp.resolve("order"))).isEqualTo("pre-start\nmain\npost-stop\n");
  }

  @Test
  void run_failingPreStart_theAppDoesNotRun_itsStatusIsTheHandlers() throws Exception {
    String id = Tools.actool("image-id", aci.toString()).expectOk().out().strip();
    Path manifest = tmp.resolve("pod.json");
    Files.writeString(manifest, "{\"acVersion\":\"0.8.11\",\"acKind\":\"PodManifest\",\"apps\":[{\"name\":\"main\","
        + "\"image\":{\"id\":\"" + id + "\"},\"app\":{\"exec\":[\"/bin/sh\",\"-c\",\"echo main\"],\"user\":\"0\","
        + "\"group\":\"0\",\"eventHandlers\":[{\"name\":\"pre-start\",\"exec\":[\"/bin/sh\",\"-c\",\"exit 9\"]}]}}]}");
    Tools.Result r = run("--pod-manifest", manifest.toString());
    assertThat(r.code()).isEqualTo(9);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void run_overlay_theStoresTreeStaysClean_andASecondRunRendersNothing() throws Exception {
    Path trees = store.resolve("trees");
    assertThat(sh("rm -rf /bin/vi /etc; echo x > /new").code()).isZero();
    List<Path> after1 = list(trees);
    FileTime t1 = Files.getLastModifiedTime(after1.get(0));
    Tools.Result again = sh("[ -e /etc/passwd ] && [ -e /bin/vi ] && [ ! -e /new ] && echo clean");
    assertThat(again.out()).isEqualTo("clean\n");
    assertThat(list(trees)).isEqualTo(after1);
    assertThat(Files.getLastModifiedTime(after1.get(0))).isEqualTo(t1);
  }

  @Test
  void run_noOverlay_aPrivateCopyPerApp() {
    Tools.Result r = sh(List.of("--no-overlay"), "rm /bin/vi && echo removed; [ -e /etc/passwd ] && echo copy");
    assertThat(r.out()).isEqualTo("removed\ncopy\n");
    assertThat(sh("[ -e /bin/vi ] && echo still-there").out()).isEqualTo("still-there\n");
  }

  @Test
  void run_executorFailures_exit254_withOneLine() {
    Tools.Result noSource = sh(List.of("--volume", "scratch,kind=host,source=" + tmp.resolve("nope")), "true");
    assertThat(noSource.code()).isEqualTo(254);
    assertThat(noSource.err()).isEqualTo("run: volume \"scratch\": the host path " + tmp.resolve("nope") + " does not exist\n");
    Tools.Result noCommand = run("example.com/busybox", "--exec", "/usr/bin/nginx");
    assertThat(noCommand.code()).isEqualTo(254);
    assertThat(noCommand.err()).isEqualTo("run: app \"busybox\": /usr/bin/nginx: no such command in the image\n");
    Tools.Result noImage = run("--pull-policy", "never", "example.com/nothing-here");
    assertThat(noImage.code()).isEqualTo(254);
    Tools.Result usage = run("--net", "host,default", "example.com/busybox");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).startsWith("actool: invalid --net \"host,default\": host stands alone (give it without other networks)\n");
    Tools.Result noNetwork = run("--net", "nowhere", "example.com/busybox");
    assertThat(noNetwork.code()).isEqualTo(254);
    assertThat(noNetwork.err()).isEqualTo("run: no network \"nowhere\" is configured (the networks: default; add NAME.conf or"
        + " NAME.conflist to the CNI configuration directory)\n");
    Tools.Result noPort = run("--port", "http:8080", "example.com/busybox");
    assertThat(noPort.code()).isEqualTo(254);
    assertThat(noPort.err()).isEqualTo("run: --port http: no app of the pod has a port named \"http\" (the image manifest's"
        + " app.ports names them)\n");
  }

  @Test
  void statusListStopGc_aPodRunsStopsAndIsCollected() throws Exception {
    Path uuidFile = tmp.resolve("uuid");
    Path marker = Files.createDirectories(tmp.resolve("marker"));
    Process p = bin(List.of("run", "--store-dir", store.toString(), "--pods-dir", pods.toString(), "--uuid-file-save",
        uuidFile.toString(), "--volume", "scratch,kind=host,source=" + marker, "example.com/busybox", "--exec", "/bin/sh",
        "--", "-c", "trap 'echo got-term >/scratch/t; exit 3' TERM; echo up >/scratch/up; while :; do sleep 0.1; done"));
    waitFor(marker.resolve("up"));
    String uuid = Files.readString(uuidFile).strip();

    Tools.Result status = Tools.actool("status", "--pods-dir", pods.toString(), uuid.substring(0, 8));
    assertThat(status.out()).startsWith("state=running\ncreated=").contains("\npid=", "\nexited=false\n");
    JsonNode list = JSON.readTree(Tools.actool("list", "--pods-dir", pods.toString(), "--json").expectOk().out());
    assertThat(list.get(0).get("uuid").asText()).isEqualTo(uuid);
    assertThat(list.get(0).get("state").asText()).isEqualTo("running");
    assertThat(list.get(0).at("/apps/0/name").asText()).isEqualTo("busybox");
    assertThat(Tools.actool("list", "--pods-dir", pods.toString(), "--no-legend").out())
        .startsWith(uuid.substring(0, 8) + "\tbusybox\texample.com/busybox\trunning\t");

    Tools.Result stop = Tools.actool("stop", "--pods-dir", pods.toString(), uuid);
    assertThat(stop.out()).isEqualTo(uuid + "\n");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(Files.readString(marker.resolve("t"))).isEqualTo("got-term\n");
    assertThat(Tools.actool("status", "--pods-dir", pods.toString(), uuid).out())
        .startsWith("state=exited\n").endsWith("exited=true\napp-busybox=3\n");

    Tools.Result gc = Tools.actool("gc", "--pods-dir", pods.toString(), "--grace-period", "0");
    assertThat(gc.out()).isEqualTo("Removed pod " + uuid + "\n");
    assertThat(list(pods)).isEmpty();
    Tools.Result gone = Tools.actool("status", "--pods-dir", pods.toString(), uuid);
    assertThat(gone.code()).isEqualTo(254);
  }

  @Test
  void sigtermToTheExecutor_stopsThePodFirst() throws Exception {
    Path marker = Files.createDirectories(tmp.resolve("marker"));
    Process p = bin(List.of("run", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "--volume", "scratch,kind=host,source=" + marker, "example.com/busybox", "--memory", "64Mi", "--exec", "/bin/sh", "--", "-c",
        "trap 'echo got-term >/scratch/t; exit 0' TERM; echo up >/scratch/up; while :; do sleep 0.1; done"));
    waitFor(marker.resolve("up"));
    p.destroy(); // SIGTERM to the JVM
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(marker.resolve("t"))).isEqualTo("got-term\n");
  }

  @Test
  void sigkillToTheExecutor_thePodDiesWithIt_andGcRemovesWhatItLeft() throws Exception {
    Path marker = Files.createDirectories(tmp.resolve("marker"));
    Process p = bin(List.of("run", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "--volume", "scratch,kind=host,source=" + marker, "example.com/busybox", "--memory", "64Mi", "--exec", "/bin/sh", "--", "-c",
        "echo up >/scratch/up; while :; do sleep 0.1; done"));
    waitFor(marker.resolve("up"));
    assertThat(Leftovers.podCgroups()).isNotEmpty();
    p.destroyForcibly(); // SIGKILL to the JVM: nothing of it runs any more
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < 100 && !Leftovers.processesMentioning(pods.toString()).isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(Leftovers.processesMentioning(pods.toString())).as("the pod's processes").isEmpty();
    assertThat(Leftovers.mountsUnder(tmp)).isEmpty();
    // the pod's init may take a moment more to be a zombie (nobody need reap it)
    String state = null;
    for (int i = 0; i < 100 && !"exited".equals(state); i++) {
      Thread.sleep(50);
      state = JSON.readTree(Tools.actool("list", "--pods-dir", pods.toString(), "--json").out()).get(0).get("state").asText();
    }
    assertThat(state).isEqualTo("exited");
    Tools.actool("gc", "--pods-dir", pods.toString(), "--grace-period", "0").expectOk();
    assertThat(Leftovers.podCgroups()).isEmpty();
    assertThat(list(pods)).isEmpty();
  }

  @Test
  void interactive_stdinReachesTheApp() throws Exception {
    Path in = Files.writeString(tmp.resolve("in"), "typed\n");
    ProcessBuilder pb = new ProcessBuilder(Tools.bin("actool").toString(), "run", "--store-dir", store.toString(),
        "--pods-dir", pods.toString(), "--cni-config-dir", netd.toString(), "--interactive", "example.com/busybox", "--exec", "/bin/cat")
        .redirectInput(in.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).isEqualTo("typed\n");
    assertThat(p.exitValue()).isZero();
  }

  /** bin/actool ARGS as its own process, output discarded. */
  private Process bin(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Tools.bin("actool").toString()));
    cmd.addAll(args);
    if (args.get(0).equals("run")) {
      cmd.addAll(2, List.of("--cni-config-dir", netd.toString()));
    }
    return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("bin-stderr").toFile()).start();
  }

  private static void waitFor(Path file) throws Exception {
    for (int i = 0; i < 600 && !Files.exists(file); i++) {
      Thread.sleep(100);
    }
    assertThat(file).as("made by the pod").exists();
  }

  private static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
