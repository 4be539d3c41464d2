package org.appctools.executor.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.appctools.AppcException;
import org.appctools.executor.CgroupLimits;
import org.appctools.executor.HostTools;
import org.appctools.executor.PodPlan;
import org.appctools.executor.PodPlanner;
import org.appctools.executor.PodSpec;
import org.appctools.executor.Stage1Script;
import org.appctools.schema.types.AcName;

/**
 * Runs a pod to its end: makes its cgroups, plans it, prepares its files, starts stage1 in new
 * namespaces as a child that dies with this process ({@code setpriv --pdeathsig KILL}), waits,
 * and collects the apps' exit statuses. Nothing outlives a run in the host's mount namespace:
 * every mount is made in the pod's own, which the kernel tears down with its last process; the
 * cgroups are removed before returning (and by {@code actool gc} after a killed executor). A
 * SIGTERM, SIGINT or SIGHUP to this process stops the pod first (SIGTERM to its init, SIGKILL
 * after {@link #STOP_TIMEOUT}).
 */
public final class PodRunner {
  /** How long a pod gets to end after SIGTERM when the executor itself is told to stop. */
  public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private PodRunner() {}

  /**
   * Where the pod's standard streams go: stdin is the executor's or /dev/null; out and err are
   * the executor's (null) or copied into writers (in-process callers, tests).
   */
  public record Stdio(boolean stdin, Writer out, Writer err) {
    /** The executor's own streams, stdin attached or not. */
    public static Stdio inherit(boolean stdin) {
      return new Stdio(stdin, null, null);
    }
  }

  /** What a run tells its caller as it goes. */
  public interface Listener {
    /** Something the user should know (an isolator not enforced, an implicit volume). */
    void warning(String message);

    /** The pod's init runs (its PID is recorded in the pod directory). */
    default void started(ProcessHandle init) {}
  }

  /**
   * How the pod ended: its exit status (the first app's that failed, else 0), each app's, and the
   * stubs made in the apps' writable layers only to be mount targets, in the order they were made.
   */
  public record Outcome(int exitCode, Map<String, Integer> appExitCodes, List<Path> stubs) {
    public Outcome {
      appExitCodes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(appExitCodes));
      stubs = List.copyOf(stubs);
    }
  }

  /** Runs the pod; fails (the executor's own failure, exit 254 for the CLIs) with a one-line reason. */
  public static Outcome run(PodSpec spec, Stdio stdio, Listener listener) throws AppcException {
    return run(spec, stdio, listener, null);
  }

  /**
   * As {@link #run(PodSpec, Stdio, Listener)}, for a pod whose network namespace is attached to
   * CNI networks: they are undone once the pod ended, also when the executor is told to stop.
   */
  public static Outcome run(PodSpec spec, Stdio stdio, Listener listener, PodNetwork network) throws AppcException {
    HostTools tools = Host.tools();
    boolean root = !tools.rootless();
    Map<AcName, CgroupLimits> appLimits = PodPlanner.appLimits(spec);
    CgroupLimits podLimits = CgroupLimits.of(spec.isolators());
    Running run = new Running(spec, listener, network);
    // a SIGTERM, SIGINT or SIGHUP to the executor stops the pod and removes its cgroups before the JVM exits
    Thread hook = new Thread(run::stopAndCleanUp, "pod-" + spec.uuid() + "-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Map<AcName, List<Path>> cgroupDirs = new LinkedHashMap<>();
      boolean limited = !podLimits.isEmpty() || appLimits.values().stream().anyMatch(l -> !l.isEmpty());
      if (limited && !root) {
        listener.warning("resource limits are not enforced: cgroups need root (the executor runs as an unprivileged user)");
      } else if (limited) {
        Cgroups cgroups = Cgroups.detect();
        Map<String, CgroupLimits> byName = new LinkedHashMap<>();
        appLimits.forEach((n, l) -> byName.put(n.value(), l));
        for (Map.Entry<AcName, CgroupLimits> e : appLimits.entrySet()) {
          for (String c : cgroups.missing(e.getValue())) {
            listener.warning("app \"" + e.getKey() + "\": the " + c + " limit is not enforced (no cgroup " + c
                + " controller on this machine)");
          }
        }
        for (String c : cgroups.missing(podLimits)) {
          listener.warning("pod: the " + c + " limit is not enforced (no cgroup " + c + " controller on this machine)");
        }
        run.cgroups(cgroups);
        cgroups.create(spec.uuid().toString(), podLimits, byName)
            .forEach((n, dirs) -> cgroupDirs.put(AcName.parse(n), dirs));
      }
      PodPlan plan = PodPlanner.plan(spec, tools, cgroupDirs);
      plan.warnings().forEach(listener::warning);
      PodFiles.prepare(plan.prep(), root);
      PodFiles.write(spec.dir(), Stage1Script.files(plan, tools));
      Outcome outcome = run.start(plan, tools, stdio);
      run.cleanUp(outcome.exitCode());
      return outcome;
    } finally {
      run.cleanUp(null);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook stops the pod
      }
    }
  }

  /** One pod's run: its process and init once started, and the clean-up either the run or the shutdown hook does. */
  private static final class Running {
    private final PodSpec spec;
    private final Listener listener;
    private final PodNetwork network;
    private Cgroups cgroups;
    private volatile Process process;
    private volatile ProcessHandle init;
    private volatile PodPlan plan;
    private boolean cleanedUp;

    Running(PodSpec spec, Listener listener, PodNetwork network) {
      this.spec = spec;
      this.listener = listener;
      this.network = network;
    }

    synchronized void cgroups(Cgroups c) {
      this.cgroups = c;
    }

    Outcome start(PodPlan plan, HostTools tools, Stdio stdio) throws AppcException {
      List<String> cmd = new ArrayList<>(List.of(tools.setpriv().toString(), "--pdeathsig", "KILL"));
      cmd.addAll(Stage1Script.command(plan, tools));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().clear();
      pb.environment().put("PATH", PodPlanner.DEFAULT_PATH);
      pb.redirectInput(stdio.stdin() ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.redirectOutput(stdio.out() == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
      pb.redirectError(stdio.err() == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new AppcException("cannot start stage1 (" + cmd.get(0) + "): " + e.getMessage(), e);
      }
      this.plan = plan;
      process = p;
      List<Thread> copies = new ArrayList<>();
      if (stdio.out() != null) {
        copies.add(copy(p.getInputStream(), stdio.out()));
      }
      if (stdio.err() != null) {
        copies.add(copy(p.getErrorStream(), stdio.err()));
      }
      int code;
      try {
        init = findInit(p);
        if (init != null) {
          try {
            Pods.recordPid(plan.dir(), init);
          } catch (IOException e) {
            listener.warning("cannot record the pod's PID: " + e.getMessage());
          }
          listener.started(init);
        }
        code = p.waitFor();
        for (Thread t : copies) {
          t.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop(p, init);
        throw new AppcException("interrupted while the pod ran; it was stopped", e);
      }
      return outcome(plan, code);
    }

    /** The shutdown hook: the pod is stopped (TERM, then KILL), its cgroups removed, its end recorded. */
    void stopAndCleanUp() {
      Process p = process;
      Integer code = null;
      if (p != null) {
        stop(p, init);
        try {
          code = outcome(plan, p.exitValue()).exitCode();
        } catch (AppcException | IllegalThreadStateException e) {
          // stage1 failed, or did not end: the state shows it exited without a status
        }
      }
      cleanUp(code);
    }

    /** Undoes the pod's networks, removes the cgroups and records the pod's end (when {@code exitCode} is known); once. */
    synchronized void cleanUp(Integer exitCode) {
      if (cleanedUp) {
        return;
      }
      if (network != null) {
        network.detach().forEach(m -> listener.warning("cannot undo the pod's network: " + m + " (actool gc retries)"));
      }
      if (cgroups != null) {
        List<Path> left = cgroups.remove(spec.uuid().toString());
        if (!left.isEmpty()) {
          listener.warning("cannot remove the cgroups " + left + " (actool gc removes them)");
        }
      }
      if (exitCode != null) {
        try {
          Pods.recordExit(spec.dir(), exitCode);
        } catch (IOException e) {
          listener.warning("cannot record the pod's end: " + e.getMessage());
        }
      }
      cleanedUp = true;
    }
  }

  /** The pod's init (tini): unshare's child, once forked. */
  private static ProcessHandle findInit(Process p) throws InterruptedException {
    for (int i = 0; i < 5000 && p.isAlive(); i++) {
      Optional<ProcessHandle> child = p.toHandle().children().findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(1);
    }
    return null;
  }

  /** SIGTERM to the pod's init (forwarded to the apps), SIGKILL to the pod after the timeout. */
  private static void stop(Process p, ProcessHandle init) {
    if (!p.isAlive()) {
      return;
    }
    ProcessHandle target = init != null ? init : p.children().findFirst().orElse(null);
    if (target != null) {
      target.destroy();
    }
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        if (target != null) {
          target.destroyForcibly();
        }
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Outcome outcome(PodPlan plan, int stage1Code) throws AppcException {
    Path status = plan.dir().resolve("status");
    Map<String, Integer> codes = new LinkedHashMap<>();
    boolean missing = false;
    for (PodPlan.AppPlan a : plan.apps()) {
      try {
        codes.put(a.name().value(), Integer.parseInt(Files.readString(status.resolve(a.name().value())).trim()));
      } catch (NoSuchFileException e) {
        missing = true;
      } catch (IOException | NumberFormatException e) {
        throw new AppcException("cannot read the exit status of app \"" + a.name() + "\": " + e.getMessage(), e);
      }
    }
    if (missing) {
      String reason = errorReason(status.resolve("error"));
      if (reason != null) {
        throw new AppcException(reason);
      }
      if (codes.isEmpty()) {
        throw new AppcException("the pod ended before its apps started (stage1 exited with " + stage1Code
            + "; see the messages above)");
      }
    }
    int exit = 0;
    for (PodPlan.AppPlan a : plan.apps()) {
      Integer c = codes.get(a.name().value());
      int effective = c == null ? 128 + 9 : c;
      if (effective != 0) {
        exit = effective;
        break;
      }
    }
    List<Path> stubs = new ArrayList<>();
    plan.apps().forEach(a -> stubs.addAll(a.stubs()));
    return new Outcome(exit, codes, stubs);
  }

  /** stage1's own message, then the first thing the failing tool said: one line. */
  private static String errorReason(Path error) {
    List<String> lines;
    try {
      lines = Files.readAllLines(error, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    } catch (IOException e) {
      return null;
    }
    if (lines.isEmpty()) {
      return null;
    }
    String ours = lines.stream().filter(l -> l.startsWith("stage1: ")).reduce((a, b) -> b).orElse(lines.get(lines.size() - 1));
    String tool = lines.stream().filter(l -> !l.startsWith("stage1: ")).findFirst().orElse(null);
    return ours + (tool == null ? "" : ": " + tool);
  }

  private static Thread copy(InputStream in, Writer out) {
    Thread t = new Thread(() -> {
      try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        char[] buf = new char[8192];
        for (int n; (n = r.read(buf)) > 0; ) {
          synchronized (out) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // the pod's stream closed
      }
    }, "pod-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
