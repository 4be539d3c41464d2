package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod networking through CNI (issue 11) with Debian's plugins: the default network (bridge,
 * host-local, outbound NAT, portmap), networks of a net.d the test writes, --net none, port
 * forwarding, the metadata service at the pod's gateway, plugin errors, and nothing left after
 * any exit (veths, leases, iptables rules, network namespace mounts). Each test runs the tools
 * as processes inside a network namespace it makes itself (nsenter), so bridges, addresses and
 * iptables rules live there and traffic flows only between that namespace and the pods'.
 */
class ActoolRunNetIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path BUSYBOX_BIN = Path.of(System.getProperty("aci.fixtures",
      System.getProperty("user.home") + "/.cache/aci-fixtures")).resolve("rootfs/busybox/bin/busybox");
  private static final Path DEFAULT_LEASES = Path.of("/var/lib/appctools/cni/networks/default");
  private static final Path NETNS_DIR = Path.of("/run/appctools/netns");

  @TempDir static Path shared;
  static Path store;

  @TempDir Path tmp;
  Path pods;
  Path netns;
  Path netd;
  final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void image() throws Exception {
    assumeTrue(Tools.isRoot(), "CNI networks need root");
    Tools.requireTool(Path.of("/usr/lib/cni/bridge"), "containernetworking-plugins (step cni)");
    Tools.requireTool(Path.of("/usr/sbin/iptables"), "iptables (step cni)");
    Path layout = Files.createDirectories(shared.resolve("layout"));
    Tools.process(shared, Map.of(), "cp", "-a", Tools.fixture("rootfs/busybox").toString(), layout.resolve("rootfs").toString()).expectOk();
    Files.createDirectories(layout.resolve("rootfs/www"));
    Files.writeString(layout.resolve("rootfs/www/index.html"), "served by the pod\n");
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/busybox\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],"
        + "\"app\":{\"exec\":[\"/usr/sbin/httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"],\"user\":\"0\",\"group\":\"0\","
        + "\"ports\":[{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":8080}]}}");
    Path aci = shared.resolve("busybox.aci");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();
    store = shared.resolve("store");
    Tools.actool("image", "import", "--store-dir", store.toString(), aci.toString()).expectOk();
  }

  @BeforeEach
  void namespace() throws Exception {
    pods = Files.createDirectories(tmp.resolve("pods"));
    netd = Files.createDirectories(tmp.resolve("net.d"));
    netns = Files.createFile(tmp.resolve("netns"));
    Tools.process(tmp, Map.of(), "unshare", "--net=" + netns, "true").expectOk();
    // the host side's own loopback: the metadata service and port forwards to 127.0.0.1 use it
    inNamespace("ip", "link", "set", "lo", "up").expectOk();
  }

  @AfterEach
  void nothingLeft() throws Exception {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    try {
      List<String> uuids = podUuids();
      assertThat(inNamespace("ip", "-o", "link", "show", "type", "veth").expectOk().out()).as("veths").isEmpty();
      String rules = inNamespace("iptables-save").expectOk().out();
      for (String u : uuids) {
        assertThat(rules).as("iptables rules of pod %s", u).doesNotContain(u);
        assertThat(NETNS_DIR.resolve(u)).as("the pod's network namespace").doesNotExist();
      }
      assertThat(rules).as("DNAT rules").doesNotContain("DNAT --to-destination");
      assertThat(leases(DEFAULT_LEASES)).as("leases of the default network").isEmpty();
      assertThat(leases(tmp.resolve("ipam"))).as("leases of the test's networks").isEmpty();
    } finally {
      Tools.process(tmp, Map.of(), "umount", netns.toString()).expectOk();
    }
    Leftovers.assertNone(pods, tmp);
  }

  @Test
  void netDefault_anAddressOnTheBridge_outboundRoute_statusShowsIt_andNothingIsLeft() throws Exception {
    Path uuidFile = tmp.resolve("uuid");
    Tools.Result r = actool("run", "--store-dir", store.toString(), "--pods-dir", pods.toString(), "--uuid-file-save",
        uuidFile.toString(), "example.com/busybox", "--exec", "/bin/sh", "--", "-c",
        "ls /sys/class/net; ip -4 -o addr show eth0 | awk '{print $4}'; ip route | grep default; ping -c 1 -W 5 172.16.28.1 >/dev/null && echo gateway-answers");
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0]).isEqualTo("eth0");
    assertThat(lines[1]).isEqualTo("lo");
    assertThat(lines[2]).matches("172\\.16\\.28\\.[0-9]+/24");
    assertThat(lines[3]).startsWith("default via 172.16.28.1 dev eth0");
    assertThat(lines[4]).isEqualTo("gateway-answers");

    String uuid = Files.readString(uuidFile).strip();
    String address = lines[2].substring(0, lines[2].indexOf('/'));
    Tools.Result status = actool("status", "--pods-dir", pods.toString(), uuid);
    assertThat(status.out()).contains("\nnetworks=default:ip4=" + address + "\n");
    JsonNode json = JSON.readTree(actool("status", "--json", "--pods-dir", pods.toString(), uuid).expectOk().out());
    assertThat(json.at("/networks/0/netName").asText()).isEqualTo("default");
    assertThat(json.at("/networks/0/ifName").asText()).isEqualTo("eth0");
    assertThat(json.at("/networks/0/ip").asText()).isEqualTo(address);
    assertThat(actool("list", "--no-legend", "--pods-dir", pods.toString()).expectOk().out()).endsWith("\tdefault:ip4=" + address + "\n");
    assertThat(inNamespace("ip", "-o", "-4", "addr", "show", "appctools0").expectOk().out()).contains("172.16.28.1/24");
  }

  @Test
  void netDefault_everyAppGetsTheMetadataServiceAtTheGateway() throws Exception {
    Path uuidFile = tmp.resolve("uuid");
    Tools.Result r = actool("run", "--store-dir", store.toString(), "--pods-dir", pods.toString(), "--uuid-file-save",
        uuidFile.toString(), "example.com/busybox", "--name", "one", "--exec", "/bin/sh", "--", "-c",
        "echo $AC_METADATA_URL | cut -d/ -f3 | cut -d: -f1; wget -q -O - \"$AC_METADATA_URL/acMetadata/v1/pod/uuid\"; echo;"
            + " wget -q -O - \"$AC_METADATA_URL/acMetadata/v1/apps/$AC_APP_NAME/image/manifest\" | grep -c example.com/busybox",
        "---", "example.com/busybox", "--name", "two", "--exec", "/bin/sh", "--", "-c",
        "sleep 1; wget -q -O - \"$AC_METADATA_URL/acMetadata/v1/pod/uuid\" >/dev/null && echo two-reached-it >&2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("172.16.28.1\n" + Files.readString(uuidFile).strip() + "\n1\n");
    assertThat(r.err()).contains("two-reached-it\n");
  }

  @Test
  void netNone_onlyLoopback_down() {
    Tools.Result r = actool("run", "--net", "none", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "example.com/busybox", "--exec", "/bin/sh", "--", "-c", "ls /sys/class/net; cat /sys/class/net/lo/operstate");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("lo\ndown\n");
  }

  @Test
  void netName_twoPodsOnTheTestsBridge_reachEachOther_withPerNetworkArgs() throws Exception {
    writeBridgeNetwork("itnet", "appct-it0", "10.213.7.0/24");
    Path uuidFile = tmp.resolve("server-uuid");
    // the server asks host-local for a fixed address through CNI_ARGS
    Process executor = background("run", "--net", "itnet:IgnoreUnknown=1;IP=10.213.7.50", "--store-dir", store.toString(),
        "--pods-dir", pods.toString(), "--uuid-file-save", uuidFile.toString(), "example.com/busybox");
    started.add(executor);
    String server = waitForRunning(executor, uuidFile);
    assertThat(JSON.readTree(actool("status", "--json", "--pods-dir", pods.toString(), server).expectOk().out())
        .at("/networks/0/ip").asText()).isEqualTo("10.213.7.50");
    Tools.Result client = actool("run", "--net", "itnet", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "example.com/busybox", "--exec", "/bin/sh", "--", "-c",
        "for i in $(seq 50); do wget -q -O - http://10.213.7.50:8080/ && exit 0; sleep 0.2; done; exit 1");
    assertThat(client.code()).as(client.err()).isZero();
    assertThat(client.out()).isEqualTo("served by the pod\n");
    actool("stop", "--pods-dir", pods.toString(), server).expectOk();
    assertThat(started.get(0).waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void port_forwardsAHostPortToTheAppPort_from127001AndTheBridgeAddress() throws Exception {
    Tools.requireTool(BUSYBOX_BIN, "busybox-static (step busybox)");
    Path uuidFile = tmp.resolve("uuid");
    Process executor = background("run", "--port", "http:18080", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "--uuid-file-save", uuidFile.toString(), "example.com/busybox");
    started.add(executor);
    String uuid = waitForRunning(executor, uuidFile);
    assertThat(fetch("http://127.0.0.1:18080/")).isEqualTo("served by the pod\n");
    assertThat(fetch("http://172.16.28.1:18080/")).isEqualTo("served by the pod\n");
    assertThat(inNamespace("iptables-save", "-t", "nat").expectOk().out()).contains("--dport 18080 -j DNAT");
    actool("stop", "--pods-dir", pods.toString(), uuid).expectOk();
    assertThat(started.get(0).waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void pluginError_oneLine_exit254_andNothingIsLeft() throws Exception {
    Files.writeString(netd.resolve("broken.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"broken\",\"plugins\":[{\"type\":\"bridge\","
        + "\"bridge\":\"appct-it1\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"not-a-subnet\",\"dataDir\":\"" + tmp.resolve("ipam") + "\"}}]}");
    Tools.Result r = actool("run", "--net", "broken", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "example.com/busybox", "--exec", "/bin/true");
    assertThat(r.code()).isEqualTo(254);
    assertThat(r.err()).startsWith("run: cni: network \"broken\": plugin bridge ADD failed: error ").endsWith("\n")
        .contains("not-a-subnet").hasLineCount(1);

    Files.writeString(netd.resolve("missing.conf"), "{\"cniVersion\":\"1.0.0\",\"name\":\"missing\",\"type\":\"no-such-plugin\"}");
    Tools.Result missing = actool("run", "--net", "missing", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "example.com/busybox", "--exec", "/bin/true");
    assertThat(missing.code()).isEqualTo(254);
    assertThat(missing.err()).isEqualTo("run: cni: network \"missing\": plugin \"no-such-plugin\" not found in /usr/lib/cni:/opt/cni/bin"
        + " (install it, e.g. Debian's containernetworking-plugins, or give its directory with --cni-plugin-path)\n");
  }

  @Test
  void sigtermToTheExecutor_stopsThePod_andUndoesItsNetwork() throws Exception {
    Path uuidFile = tmp.resolve("uuid");
    Process p = background("run", "--port", "http:18082", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "--uuid-file-save", uuidFile.toString(), "example.com/busybox");
    started.add(p);
    String uuid = waitForRunning(p, uuidFile);
    assertThat(inNamespace("iptables-save").expectOk().out()).contains(uuid);
    executorJvm(p).forEach(ProcessHandle::destroy); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(actool("status", "--pods-dir", pods.toString(), uuid).expectOk().out()).startsWith("state=exited\n");
  }

  @Test
  void sigkillToTheExecutor_gcRunsDelAndRemovesTheNamespace() throws Exception {
    Path uuidFile = tmp.resolve("uuid");
    Process p = background("run", "--port", "http:18081", "--store-dir", store.toString(), "--pods-dir", pods.toString(),
        "--uuid-file-save", uuidFile.toString(), "example.com/busybox");
    started.add(p);
    String uuid = waitForRunning(p, uuidFile);
    executorJvm(p).forEach(ProcessHandle::destroyForcibly); // SIGKILL
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // what the killed executor left: the pod's veth, its lease, its NAT rules, its namespace
    assertThat(inNamespace("ip", "-o", "link", "show", "type", "veth").expectOk().out()).isNotEmpty();
    assertThat(inNamespace("iptables-save").expectOk().out()).contains(uuid);
    assertThat(NETNS_DIR.resolve(uuid)).exists();
    for (int i = 0; i < 100 && actool("status", "--pods-dir", pods.toString(), uuid).out().startsWith("state=running"); i++) {
      Thread.sleep(50);
    }
    assertThat(actool("gc", "--grace-period", "0", "--pods-dir", pods.toString()).expectOk().out())
        .isEqualTo("Removed pod " + uuid + "\n");
  }

  /** The executor's JVM: the process, or its child while bin/actool makes its CDS archive. */
  private static List<ProcessHandle> executorJvm(Process p) {
    return Stream.concat(Stream.of(p.toHandle()), p.descendants()).filter(h -> h.info().command().orElse("").endsWith("/java"))
        .toList();
  }

  /** Writes NAME.conflist: bridge BRIDGE as gateway with outbound NAT, host-local on SUBNET under tmp/ipam, portmap. */
  private void writeBridgeNetwork(String name, String bridge, String subnet) throws Exception {
    Files.writeString(netd.resolve(name + ".conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"plugins\":["
        + "{\"type\":\"bridge\",\"bridge\":\"" + bridge + "\",\"isGateway\":true,\"ipMasq\":true,"
        + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"" + subnet + "\",\"dataDir\":\"" + tmp.resolve("ipam") + "\"}},"
        + "{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
  }

  /** bin/actool ARGS in the test's network namespace (run gets the test's net.d). */
  private Tools.Result actool(String... args) {
    try {
      return Tools.process(tmp, Map.of(), command(args).toArray(String[]::new));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Process background(String... args) throws Exception {
    return new ProcessBuilder(command(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(tmp.resolve("background-stderr").toFile()).start();
  }

  private List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, Tools.bin("actool").toString()));
    cmd.addAll(List.of(args));
    if (args[0].equals("run")) {
      cmd.addAll(4, List.of("--cni-config-dir", netd.toString()));
    }
    return cmd;
  }

  private Tools.Result inNamespace(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns));
    cmd.addAll(List.of(command));
    return Tools.process(tmp, Map.of(), cmd.toArray(String[]::new));
  }

  /** GET from the test's namespace with the host's busybox wget, retried until the server answers. */
  private String fetch(String url) throws Exception {
    Tools.Result r = null;
    for (int i = 0; i < 100; i++) {
      r = inNamespace(BUSYBOX_BIN.toString(), "wget", "-q", "-O", "-", url);
      if (r.code() == 0) {
        return r.out();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no answer from " + url + ": " + r.err());
  }

  /** The pod's UUID once its state is running; fails when its executor ended first. */
  private String waitForRunning(Process executor, Path uuidFile) throws Exception {
    for (int i = 0; i < 600 && executor.isAlive(); i++) {
      if (Files.exists(uuidFile) && !Files.readString(uuidFile).isBlank()) {
        String uuid = Files.readString(uuidFile).strip();
        if (actool("status", "--pods-dir", pods.toString(), uuid).out().startsWith("state=running")) {
          return uuid;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the pod did not start: " + Files.readString(tmp.resolve("background-stderr")).strip());
  }

  private List<String> podUuids() throws Exception {
    try (Stream<Path> s = Files.list(pods)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f-]{36}")).map(n -> UUID.fromString(n).toString())
          .toList();
    }
  }

  /** The lease files (named by address) under a host-local data directory. */
  private static List<Path> leases(Path dataDir) throws Exception {
    if (!Files.isDirectory(dataDir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dataDir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().matches("[0-9a-f.:]+")).toList();
    }
  }
}
