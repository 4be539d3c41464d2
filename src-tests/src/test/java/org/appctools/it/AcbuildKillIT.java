package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context cannot be corrupted (issue 3, item 2): bin/acbuild commands killed with SIGKILL at
 * moments drawn from a seeded Random leave the build as before or as after the command, and the
 * next command works; a second acbuild on a locked build fails at once.
 */
class AcbuildKillIT {
  private static final long SEED = 20240603L;
  private static final int ROUNDS = 18;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** One command of a round: its arguments, and what the build must look like after it. */
  private record Step(String what, List<String> args, String newTop, Path source, String aciOut) {}

  @Test
  void sigkillAtRandomMoments_leavesTheBuildAsBeforeOrAfter_andTheNextCommandWorks() throws Exception {
    Path debian = Tools.fixture("rootfs/debian");
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    Tools.acbuild(work, "copy", debian.resolve("usr/share").toString(), "/usr/share").expectOk();
    // how long one JVM start and a manifest edit take here and now: kill delays scale with it (the
    // fastest of three: the first run after a build of the jars also writes the class-data archive)
    int jvmMs = Integer.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      assertThat(bin(work, "set-name", "example.com/kill").code()).isZero();
      jvmMs = Math.min(jvmMs, (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }
    Path manifestFile = tmp.resolve("replacement.json");
    Path zoneinfo = debian.resolve("usr/share/zoneinfo");
    Path man = debian.resolve("usr/share/man");
    Random random = new Random(SEED);
    int before = 0;
    int after = 0;

    for (int round = 0; round < ROUNDS; round++) {
      Step step = switch (round % 6) {
        case 0 -> new Step("copy", List.of("copy", zoneinfo.toString(), "/kill/copy-" + round), "kill/copy-" + round, zoneinfo, null);
        case 1 -> new Step("label add", List.of("label", "add", "round", Integer.toString(round)), null, null, null);
        case 2 -> new Step("copy-to-dir", List.of("copy-to-dir", man.toString(), "/kill/dir-" + round), "kill/dir-" + round + "/man", man, null);
        case 3 -> {
          JsonNode m = Tools.manifest(work);
          ((com.fasterxml.jackson.databind.node.ObjectNode) m).put("name", "example.com/replaced-" + round);
          Files.write(manifestFile, JSON.writeValueAsBytes(m));
          yield new Step("replace-manifest", List.of("replace-manifest", manifestFile.toString()), null, null, null);
        }
        case 4 -> new Step("write", List.of("write", tmp.resolve("out-" + round + ".aci").toString()), null, null, "out-" + round + ".aci");
        default -> new Step("set-exec", List.of("set-exec", "--", "/bin/sh", "-c", "echo " + round), null, null, null);
      };
      JsonNode manifestBefore = Tools.manifest(work);
      Set<String> treeBefore = tree(rootfs(work));
      boolean slow = step.source() != null || step.aciOut() != null;
      // the first round surely before the change (inside the JVM's start), the second surely
      // after, the others drawn around the calibrated time: both outcomes are checked however
      // fast or loaded the machine is
      int drawn = random.nextInt(slow ? jvmMs + 3000 : jvmMs + 600);
      long delay = round == 0 ? jvmMs / 4 : round == 1 ? jvmMs * 4L + 600 : jvmMs / 2 + drawn;

      boolean finished = runAndKill(work, step.args(), delay);

      String at = "round " + round + " (" + step.what() + ", SIGKILL after " + delay + " ms, finished: " + finished + ")";
      // the next command works, and the context holds nothing an interrupted command left
      Tools.Result next = Tools.acbuild(work, "cat-manifest");
      assertThat(next.code()).as(at + ": cat-manifest after the kill; stderr: %s", next.err()).isZero();
      assertThat(contextEntries(work)).as(at + ": the context after the next command").hasSize(3)
          .contains("lock", "current");
      JsonNode manifestNow = JSON.readTree(next.out());
      Set<String> treeNow = tree(rootfs(work));
      boolean changed = !manifestNow.equals(manifestBefore);
      if (step.aciOut() != null) {
        // write changes no context; the target is whole or absent, and no temp file stays
        assertThat(changed).as(at + ": the manifest").isFalse();
        assertThat(treeNow).as(at + ": the rootfs").isEqualTo(treeBefore);
        Path aci = tmp.resolve(step.aciOut());
        if (Files.exists(aci, LinkOption.NOFOLLOW_LINKS)) {
          after++;
          assertThat(Tools.process(tmp, Map.of(), "tar", "-tzf", aci.toString()).expectOk().out())
              .as(at + ": the written ACI").contains("manifest\n", "rootfs/usr/share/zoneinfo/UTC\n");
        } else {
          before++;
        }
        // writing the same target again succeeds and removes what the killed write left
        Tools.acbuild(work, "write", "--overwrite", aci.toString()).expectOk();
        assertThat(siblingsOf(aci)).as(at + ": files next to the written ACI").containsExactly(step.aciOut());
        Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
        Files.delete(aci);
        continue;
      }
      if (!changed) {
        before++;
        assertThat(treeNow).as(at + ": the rootfs is as before, as the manifest").isEqualTo(treeBefore);
        continue;
      }
      after++;
      Set<String> added = new TreeSet<>(treeNow);
      added.removeAll(treeBefore);
      assertThat(treeNow).as(at + ": nothing of the rootfs is lost").containsAll(treeBefore);
      switch (step.what()) {
        case "copy", "copy-to-dir" -> {
          Set<String> expected = new TreeSet<>();
          for (String s : tree(step.source())) {
            expected.add(s.isEmpty() ? step.newTop() : step.newTop() + "/" + s);
          }
          for (Path p = Path.of(step.newTop()).getParent(); p != null; p = p.getParent()) {
            if (!treeBefore.contains(p.toString())) {
              expected.add(p.toString());
            }
          }
          assertThat(added).as(at + ": the rootfs is whole after the copy").isEqualTo(expected);
          assertThat(manifestNow.get("annotations").toString()).as(at).contains("acbuild " + step.what());
        }
        case "label add" -> {
          assertThat(added).as(at + ": the rootfs").isEmpty();
          assertThat(manifestNow.get("labels").toString()).as(at).contains("{\"name\":\"round\",\"value\":\"" + round + "\"}");
        }
        case "replace-manifest" -> {
          assertThat(added).as(at + ": the rootfs").isEmpty();
          assertThat(manifestNow.get("name").asText()).as(at).isEqualTo("example.com/replaced-" + round);
        }
        default -> {
          assertThat(added).as(at + ": the rootfs").isEmpty();
          assertThat(manifestNow.at("/app/exec").toString()).as(at).isEqualTo("[\"/bin/sh\",\"-c\",\"echo " + round + "\"]");
        }
      }
    }

    // the build goes on as usual: an edit and a write, through the launcher, and a valid image
    Path aci = tmp.resolve("final.aci");
    Tools.Result label = bin(work, "label", "add", "final", "yes");
    assertThat(label.code()).as("label add after the rounds; stderr: %s", label.err()).isZero();
    Tools.Result write = bin(work, "write", aci.toString());
    assertThat(write.code()).as("write after the rounds; stderr: %s", write.err()).isZero();
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
    assertThat(Tools.process(tmp, Map.of(), "tar", "-tzf", aci.toString()).expectOk().out())
        .contains("rootfs/bin/busybox\n", "rootfs/usr/share/zoneinfo/UTC\n");
    // the delays (scaled to this machine's JVM start) land kills both before and after the change
    assertThat(before).as("rounds killed before the change").isPositive();
    assertThat(after).as("rounds killed after the change").isPositive();
  }

  /**
   * acbuild run killed at any moment (issue 7): the command's changes become the build only after
   * it ended, in the next generation; a kill before that leaves the build as it was, and the
   * kernel takes the pod's mounts and processes with it (pdeathsig): nothing stays mounted or
   * running, and the next command works.
   */
  @Test
  void sigkillDuringRun_leavesTheBuildAsBeforeOrAfter_andNothingMountedOrRunning() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Tools.isRoot(), "acbuild run needs root");
    Path zoneinfo = Tools.fixture("rootfs/debian").resolve("usr/share/zoneinfo");
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin", Tools.fixture("rootfs/busybox").toString()).expectOk();
    // how long one such run takes here and now, start to end: kill delays scale with it
    long t0 = System.nanoTime();
    assertThat(bin(work, "run", "--mount", zoneinfo + ":/src:ro", "--", "/bin/sh", "-c",
        "mkdir -p /kill && cp -a /src /kill/calibration && sleep 0.3").code()).isZero();
    int runMs = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    Set<String> source = tree(zoneinfo);
    Random random = new Random(SEED + 1);
    int before = 0;
    int after = 0;
    for (int round = 0; round < 10; round++) {
      String target = "kill/run-" + round;
      Set<String> treeBefore = tree(rootfs(work));
      // spread around the calibrated time; the first round surely before, the last surely after the
      // change, so that both outcomes are checked even on a loaded machine whose runs vary
      long delay = round == 0 ? runMs / 10 : round == 9 ? runMs * 4L : runMs / 4 + random.nextInt(runMs * 2);
      // the rootfs keeps one copy, so every round takes as long as the calibration
      boolean finished = runAndKill(work, List.of("run", "--mount", zoneinfo + ":/src:ro", "--", "/bin/sh", "-c",
          "rm -rf /kill && mkdir -p /kill && cp -a /src /" + target + " && sleep 0.3"), delay);
      String at = "round " + round + " (SIGKILL after " + delay + " ms, finished: " + finished + ")";
      for (int i = 0; i < 100 && !Leftovers.processesMentioning(work.toString()).isEmpty(); i++) {
        Thread.sleep(50);
      }
      assertThat(Leftovers.processesMentioning(work.toString())).as(at + ": processes of the run").isEmpty();
      assertThat(Leftovers.mountsUnder(tmp)).as(at + ": mounts").isEmpty();
      Tools.Result next = Tools.acbuild(work, "cat-manifest");
      assertThat(next.code()).as(at + ": cat-manifest after the kill; stderr: %s", next.err()).isZero();
      assertThat(contextEntries(work)).as(at + ": the context").hasSize(3).contains("lock", "current");
      Set<String> treeNow = tree(rootfs(work));
      if (treeNow.equals(treeBefore)) {
        before++;
        assertThat(next.out()).as(at).doesNotContain("run-" + round);
        continue;
      }
      after++;
      Set<String> kill = new TreeSet<>();
      treeNow.stream().filter(p -> p.startsWith("kill/")).forEach(kill::add);
      Set<String> expected = new TreeSet<>();
      for (String s : source) {
        expected.add(s.isEmpty() ? target : target + "/" + s);
      }
      assertThat(kill).as(at + ": the rootfs is whole after the run").isEqualTo(expected);
      assertThat(next.out()).as(at + ": the history").contains("acbuild run \\\"/bin/sh\\\"");
    }
    assertThat(before).as("rounds killed before the change").isPositive();
    assertThat(after).as("rounds killed after the change").isPositive();
    assertThat(Leftovers.podCgroups()).isEmpty();
  }

  @Test
  void lockedBuild_secondAcbuildFailsAtOnce_namingTheWorkPath() throws Exception {
    Path work = Files.createDirectories(tmp.resolve("work"));
    Tools.acbuild(work, "begin").expectOk();
    JsonNode before = Tools.manifest(work);

    Tools.Result r;
    long took;
    // this JVM holds the lock as another acbuild would, for as long as the second one runs
    try (FileChannel ch = FileChannel.open(work.resolve(".acbuild/lock"), StandardOpenOption.WRITE);
        FileLock held = ch.tryLock()) {
      assertThat(held).isNotNull();
      long start = System.nanoTime();
      r = bin(work, "label", "add", "version", "1");
      took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).doesNotContain("\n").contains(work.toString()).contains("another acbuild is running");
    assertThat(took).as("it does not wait for the lock (ms)").isLessThan(20_000);
    assertThat(Tools.manifest(work)).isEqualTo(before);
    Tools.acbuild(work, "label", "add", "version", "1").expectOk();
  }

  /** Runs bin/acbuild ARGS as its own JVM (no CDS dump: the launcher execs java). */
  private static Tools.Result bin(Path work, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Tools.bin("acbuild").toString(), "--work-path=" + work));
    cmd.addAll(List.of(args));
    return Tools.process(work, Map.of("APPCTOOLS_NO_CDS", "1"), cmd.toArray(String[]::new));
  }

  /**
   * Starts bin/acbuild ARGS and sends it SIGKILL after {@code delayMs} unless it has finished;
   * true when it finished on its own (with exit 0: the command must be valid).
   */
  private boolean runAndKill(Path work, List<String> args, long delayMs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Tools.bin("acbuild").toString(), "--work-path=" + work));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
    pb.environment().put("APPCTOOLS_NO_CDS", "1");
    Path err = tmp.resolve("kill-stderr.txt");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
    Process p = pb.start();
    if (p.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
      assertThat(p.exitValue()).as("%s finished on its own; stderr: %s", args, Files.readString(err)).isZero();
      return true;
    }
    // the launcher execs java: this pid is the JVM itself
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return false;
  }

  /** The rootfs of the current generation, read from the context's layout. */
  private static Path rootfs(Path work) throws IOException {
    Path ctx = work.resolve(".acbuild");
    return ctx.resolve(Files.readSymbolicLink(ctx.resolve("current"))).resolve("image/rootfs");
  }

  private static List<String> contextEntries(Path work) throws IOException {
    try (Stream<Path> s = Files.list(work.resolve(".acbuild"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> siblingsOf(Path file) throws IOException {
    try (Stream<Path> s = Files.list(file.getParent())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(file.getFileName().toString())).sorted().toList();
    }
  }

  /** Every path under {@code root}, relative ("" for the root itself). */
  private static Set<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      Set<String> all = new TreeSet<>();
      s.forEach(p -> all.add(root.relativize(p).toString()));
      return all;
    }
  }
}
