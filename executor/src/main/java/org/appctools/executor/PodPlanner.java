package org.appctools.executor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.appctools.AppcException;
import org.appctools.aci.EntryOwner;
import org.appctools.executor.PodPlan.AppPlan;
import org.appctools.executor.PodPlan.Dir;
import org.appctools.executor.PodPlan.MountEntry;
import org.appctools.executor.PodPlan.Prep;
import org.appctools.executor.PodPlan.Symlink;
import org.appctools.schema.Mount;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.EventHandler;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.IsolatorValue;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Volume;

/**
 * Plans a pod (spec ace.md, "Execution Environment"): reads the apps' images (their {@code
 * /etc/passwd} and {@code /etc/group}, the paths mount targets and commands go through) and
 * decides every file, mount and launch, without touching the host. {@code executor.linux} carries
 * the plan out.
 *
 * <p>Layout of the pod directory it plans for:
 * <pre>
 * stage1/                      the pod's root after pivot_root: host /usr (and /bin, /lib... or
 *                              their symlinks) read-only, /dev/null, /proc, /status, /cgroup/APP/N,
 *                              /opt/stage2/APP/rootfs (each app's root filesystem)
 * status/APP                   the app's exit status, written by stage1
 * dev/                         the /dev skeleton copied into each app's /dev tmpfs
 * etc/resolv.conf, etc/hosts   bind-mounted into the apps
 * volumes/NAME                 empty volumes
 * </pre>
 */
public final class PodPlanner {
  /** {@code PATH} as the spec gives it. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** The value of {@code container} in every app's environment. */
  public static final String CONTAINER = "appctools";
  /** The device files every app's /dev gets, bound from the host's. */
  static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");

  private PodPlanner() {}

  /** The cgroup limits the isolators of each app ask for, by app name. */
  public static Map<AcName, CgroupLimits> appLimits(PodSpec spec) {
    Map<AcName, CgroupLimits> out = new LinkedHashMap<>();
    for (AppSpec a : spec.apps()) {
      out.put(a.name(), CgroupLimits.of(a.app() == null ? List.of() : a.app().isolators()));
    }
    return out;
  }

  /**
   * Plans {@code spec}. {@code cgroups} gives, for each app that has limits, the host cgroup
   * directories it joins (one per hierarchy).
   */
  public static PodPlan plan(PodSpec spec, HostTools tools, Map<AcName, List<Path>> cgroups) throws AppcException {
    return new Planning(spec, tools, cgroups).plan();
  }

  private static final class Planning {
    final PodSpec spec;
    final HostTools tools;
    final Map<AcName, List<Path>> cgroups;
    final Path dir;
    final Path stage1;
    final Path devSkeleton;
    final List<Prep> prep = new ArrayList<>();
    final List<MountEntry> mounts = new ArrayList<>();
    final List<Path> devTargets = new ArrayList<>();
    final List<MountEntry> devMounts = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /**
     * The subordinate IDs a rootless pod's namespace maps besides the user: not for an acbuild
     * step, whose files the build records as root's (an owner set inside the step to a mapped ID
     * would reach the disk as a subordinate ID the build cannot read back as the image's).
     */
    final SubordinateIds subordinateIds;

    Planning(PodSpec spec, HostTools tools, Map<AcName, List<Path>> cgroups) {
      this.spec = spec;
      this.tools = tools;
      this.cgroups = cgroups;
      this.subordinateIds = tools.rootless() && !spec.options().buildStep() ? tools.subordinateIds() : null;
      this.dir = spec.dir();
      this.stage1 = dir.resolve("stage1");
      this.devSkeleton = dir.resolve("dev");
    }

    PodPlan plan() throws AppcException {
      PodOptions o = spec.options();
      stage1Root();
      devSkeleton();
      Map<String, Volume> volumes = volumes();
      for (Isolator i : spec.isolators()) {
        warnUnenforcedPodIsolator(i);
      }
      List<AppPlan> apps = new ArrayList<>();
      for (AppSpec a : spec.apps()) {
        apps.add(app(a, volumes));
      }
      String hostname = o.hostname();
      boolean privateNet = o.net() != NetMode.HOST;
      return new PodPlan(spec.uuid(), dir, stage1, o.isolated(), privateNet, o.netns(), prep, mounts, devSkeleton,
          devTargets, devMounts, hostname, o.net() == NetMode.DEFAULT && tools.ip() != null, apps, warnings, subordinateIds);
    }

    /** The pod's root: host programs read-only, /dev/null, /proc, /status, the apps under /opt/stage2. */
    private void stage1Root() {
      dir(stage1);
      mount(stage1.toString(), stage1, "none", "bind");
      for (Path d : tools.rootDirs()) {
        Path t = stage1.resolve(d.getFileName().toString());
        dir(t);
        mount(d.toString(), t, "none", "bind,ro");
      }
      tools.rootLinks().forEach((name, target) -> prep.add(new Symlink(stage1.resolve(name), target)));
      dir(stage1.resolve("etc"));
      if (tools.ldSoCache() != null) {
        Path cache = stage1.resolve("etc/ld.so.cache");
        prep.add(new PodPlan.File(cache, new byte[0], 0644, 0, 0));
        mount(tools.ldSoCache().toString(), cache, "none", "bind,ro");
      }
      dir(stage1.resolve("dev"));
      Path devNull = stage1.resolve("dev/null");
      prep.add(new PodPlan.File(devNull, new byte[0], 0666, 0, 0));
      mount("/dev/null", devNull, "none", "bind");
      dir(stage1.resolve("proc"));
      if (spec.options().isolated()) {
        mount("proc", stage1.resolve("proc"), "proc", "nosuid,nodev,noexec");
      } else {
        mount("/proc", stage1.resolve("proc"), "none", "rbind");
      }
      dir(dir.resolve("status"));
      dir(stage1.resolve("status"));
      mount(dir.resolve("status").toString(), stage1.resolve("status"), "none", "bind");
      dir(stage1.resolve("opt"));
      dir(stage1.resolve("opt/stage2"));
      dir(stage1.resolve("cgroup"));
    }

    /** The entries every app's /dev starts with (OS-SPEC.md): devices to bind, pts, shm and links. */
    private void devSkeleton() {
      dir(devSkeleton);
      for (String d : DEVICES) {
        prep.add(new PodPlan.File(devSkeleton.resolve(d), new byte[0], 0666, 0, 0));
      }
      prep.add(new PodPlan.File(devSkeleton.resolve("console"), new byte[0], 0600, 0, 0));
      dir(devSkeleton.resolve("pts"));
      dir(devSkeleton.resolve("shm"));
      prep.add(new Symlink(devSkeleton.resolve("ptmx"), "pts/ptmx"));
      prep.add(new Symlink(devSkeleton.resolve("fd"), "/proc/self/fd"));
      prep.add(new Symlink(devSkeleton.resolve("stdin"), "/proc/self/fd/0"));
      prep.add(new Symlink(devSkeleton.resolve("stdout"), "/proc/self/fd/1"));
      prep.add(new Symlink(devSkeleton.resolve("stderr"), "/proc/self/fd/2"));
    }

    /**
     * The pod's volumes by name, with an implicit empty volume for every mount point no volume
     * satisfies (as rkt does for converted Docker images), and the empty ones' directories.
     */
    private Map<String, Volume> volumes() throws AppcException {
      Map<String, Volume> byName = new LinkedHashMap<>();
      for (Volume v : spec.volumes()) {
        byName.put(v.name().value(), v);
      }
      for (AppSpec a : spec.apps()) {
        for (Mount m : a.mounts()) {
          if (m.appVolume() == null && !byName.containsKey(m.volume().value())) {
            throw new AppcException("app \"" + a.name() + "\": --mount names the volume \"" + m.volume()
                + "\", which the pod does not have (add --volume " + m.volume() + ",kind=host,source=PATH or kind=empty)");
          }
        }
        if (a.app() == null) {
          continue;
        }
        for (MountPoint mp : a.app().mountPoints()) {
          boolean explicit = a.mounts().stream().anyMatch(m -> m.volume().equals(mp.name()));
          if (!explicit && !byName.containsKey(mp.name().value())) {
            byName.put(mp.name().value(), Volume.empty(mp.name()));
            warnings.add("app \"" + a.name() + "\": mount point \"" + mp.name() + "\" (" + mp.path()
                + ") has no volume; it gets an empty one (give --volume " + mp.name() + ",kind=host,source=PATH to choose)");
          }
        }
      }
      for (Volume v : byName.values()) {
        if (Volume.EMPTY.equals(v.kind())) {
          dirs(dir.resolve("volumes"));
          prep.add(new Dir(emptyVolume(v), Integer.parseInt(v.mode(), 8), v.uid(), v.gid(), null));
        } else {
          checkHostSource(v);
        }
      }
      return byName;
    }

    private Path emptyVolume(Volume v) {
      return dir.resolve("volumes").resolve(v.name().value());
    }

    /** The spec: a missing host source is an error, and so (SHOULD) is one that is or goes through a symlink. */
    private static void checkHostSource(Volume v) throws AppcException {
      Path source = Path.of(v.source());
      if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException("volume \"" + v.name() + "\": the host path " + v.source() + " does not exist");
      }
      try {
        if (!source.toRealPath().equals(source.normalize())) {
          throw new AppcException("volume \"" + v.name() + "\": the host path " + v.source() + " is or goes through a "
              + "symbolic link (give the real path, " + source.toRealPath() + ")");
        }
      } catch (IOException e) {
        throw new AppcException("volume \"" + v.name() + "\": cannot read " + v.source() + ": " + e.getMessage(), e);
      }
    }

    private AppPlan app(AppSpec a, Map<String, Volume> volumes) throws AppcException {
      String n = a.name().value();
      App app = a.app();
      if (app == null || app.exec().isEmpty()) {
        throw new AppcException("app \"" + n + "\": the image has no exec (give one with --exec)");
      }
      String root = "/opt/stage2/" + n + "/rootfs";
      Path rootHost = stage1.resolve("opt/stage2").resolve(n).resolve("rootfs");
      dir(rootHost.getParent());
      dir(rootHost);
      List<Path> layers = a.rootfs().layers();
      Path writable = a.rootfs().writable();
      LayeredTree view = new LayeredTree(layers);
      Path identityRoot = layers.get(layers.size() > 1 ? 1 : 0);
      List<Path> stubs = new ArrayList<>();
      Stubs stubMaker = new Stubs(view, writable, stubs);

      if (a.rootfs() instanceof AppSpec.Overlay ov) {
        prep.add(dirLike(writable, new LayeredTree(ov.lowers()).entry("").orElseThrow(
            () -> new AppcException("app \"" + n + "\": the root filesystem " + ov.lowers().get(0) + " is missing"))));
        dir(ov.work());
        mount("overlay", rootHost, "overlay", "lowerdir=" + overlayPaths(ov.lowers()) + ",upperdir=" + check(ov.upper())
            + ",workdir=" + check(ov.work()) + (tools.overlayOptions().isEmpty() ? "" : "," + tools.overlayOptions())
            + ",nodev" + (a.readOnlyRootfs() ? ",ro" : ""));
      } else {
        mount(writable.toString(), rootHost, "none", "bind,nodev" + (a.readOnlyRootfs() ? ",ro" : ""));
      }
      List<EntryOwner> owners = owners(a, view.resolve("/dev", true).path());
      // /proc, /sys and /dev must be directories to mount on
      for (String d : List.of("/proc", "/sys", "/dev")) {
        stubMaker.ensure(view.resolve(d, true).path(), true, d);
      }
      mount("tmpfs", rootHost.resolve("dev"), "tmpfs", "mode=0755,nosuid,nodev,size=65536k");
      devTargets.add(rootHost.resolve("dev"));
      // a new proc needs the pod's own PID namespace and a new sysfs its own network namespace
      // (in a user namespace the kernel insists); sharing the host's, the apps see the host's
      if (spec.options().isolated()) {
        devMount("proc", rootHost.resolve("proc"), "proc", "nosuid,nodev,noexec");
      } else {
        devMount("/proc", rootHost.resolve("proc"), "none", "rbind");
      }
      if (spec.options().net() != NetMode.HOST) {
        devMount("sysfs", rootHost.resolve("sys"), "sysfs", "ro,nosuid,nodev,noexec");
      } else {
        devMount("/sys", rootHost.resolve("sys"), "none", "rbind,ro");
      }
      for (String d : DEVICES) {
        devMount("/dev/" + d, rootHost.resolve("dev").resolve(d), "none", "bind");
      }
      devMount("/dev/null", rootHost.resolve("dev/console"), "none", "bind");
      devMount("devpts", rootHost.resolve("dev/pts"), "devpts", "newinstance,ptmxmode=0666,mode=0620");
      devMount("shm", rootHost.resolve("dev/shm"), "tmpfs", "mode=1777,nosuid,nodev,size=65536k");

      List<String> targets = new ArrayList<>();
      for (Target t : targets(a, volumes)) {
        LayeredTree.Resolved r = view.resolve(t.path(), true);
        boolean isDir = !(Volume.HOST.equals(t.volume().kind()) && Files.isRegularFile(Path.of(t.volume().source())));
        stubMaker.ensure(r.path(), isDir, t.path());
        for (String other : targets) {
          if (other.equals(r.path()) || other.startsWith(r.path() + "/") || r.path().startsWith(other + "/")) {
            throw new AppcException("app \"" + n + "\": the mount targets " + other + " and " + r.path()
                + " overlap (give volumes distinct, non-nested paths)");
          }
        }
        targets.add(r.path());
        Volume v = t.volume();
        String source = Volume.EMPTY.equals(v.kind()) ? emptyVolume(v).toString() : v.source();
        boolean recursive = Volume.HOST.equals(v.kind()) && (v.recursive() == null || v.recursive());
        devMount(source, rootHost.resolve(r.path().substring(1)), "none",
            (recursive ? "rbind" : "bind") + (t.readOnly() ? ",ro" : ""));
      }
      etcFile(view, stubMaker, rootHost, "resolv.conf", spec.options().resolvConf(), n);
      if (spec.options().hosts() != null) {
        etcFile(view, stubMaker, rootHost, "hosts", spec.options().hosts(), n);
      } else if (!spec.options().buildStep() && view.resolve("/etc/hosts", true).entry().isEmpty()) {
        etcFile(view, stubMaker, rootHost, "hosts", hosts(), n);
      }

      long uid = AppIdentity.uid(identityRoot, app.user());
      long gid = AppIdentity.gid(identityRoot, app.group());
      if (tools.rootless()) {
        checkMapped(n, uid, gid, app.supplementaryGIDs());
      }
      String workdir = app.workingDirectory() == null ? "/" : app.workingDirectory();
      if (!isDirectory(view, workdir) && !underTarget(view, workdir, targets)) {
        throw new AppcException("app \"" + n + "\": the working directory " + workdir + " does not exist in the image");
      }
      List<String> env = environment(a, uid, identityRoot);
      checkCommand(view, n, app.exec().get(0), env, targets);
      List<String> caps = Capabilities.boundingSet(app.isolators());
      boolean nnp = false;
      Integer oom = null;
      for (Isolator i : app.isolators()) {
        if (i.value() instanceof IsolatorValue.NoNewPrivileges v) {
          nnp = v.enabled();
        } else if (i.value() instanceof IsolatorValue.OomScoreAdj v) {
          oom = v.score();
        }
        warnUnenforcedAppIsolator(n, i);
      }
      if (uid == 0 && !caps.contains("CAP_SYS_CHROOT")) {
        warnings.add("app \"" + n + "\": CAP_SYS_CHROOT stays in the permitted set of this app, which runs as root: the "
            + "executor's chroot into its root filesystem needs it (its bounding set is as asked)");
      }
      List<String> cgroupPaths = new ArrayList<>();
      List<Path> hostCgroups = cgroups.getOrDefault(a.name(), List.of());
      for (int i = 0; i < hostCgroups.size(); i++) {
        Path t = stage1.resolve("cgroup").resolve(n).resolve(Integer.toString(i));
        dirs(t);
        mount(hostCgroups.get(i).toString(), t, "none", "bind");
        cgroupPaths.add("/cgroup/" + n + "/" + i);
      }
      return new AppPlan(a.name(), app.exec(), handler(app, EventHandler.PRE_START), handler(app, EventHandler.POST_STOP),
          env, uid, gid, app.supplementaryGIDs(), caps, nnp, oom, workdir, root, cgroupPaths,
          a.name().equals(spec.options().stdinApp()), stubs, owners);
    }

    /**
     * The owners stage1 gives entries of the app's root filesystem (those of {@link AppSpec#owners()}
     * that the pod's namespace maps), in a rootless pod with subordinate IDs only: its root there may
     * chown, and the overlay copies what it chowns up into the pod's upper directory. Not on a
     * directory root filesystem (that would change it for every pod) nor a read-only one, and not
     * under {@code dev} (the path {@code /dev} resolves to), which a tmpfs covers; the others keep
     * root's owner, with a warning.
     */
    private List<EntryOwner> owners(AppSpec a, String dev) {
      String n = a.name().value();
      if (subordinateIds == null || a.owners().isEmpty()) {
        return List.of();
      }
      int count = a.owners().size();
      if (!(a.rootfs() instanceof AppSpec.Overlay)) {
        warnings.add("app \"" + n + "\": " + count + " files keep root's owner: its root filesystem is a directory, not "
            + "an overlay (overlayfs unavailable or --no-overlay), and owners are given only in an overlay's upper layer");
        return List.of();
      }
      if (a.readOnlyRootfs()) {
        warnings.add("app \"" + n + "\": " + count + " files keep root's owner: its root filesystem is read-only");
        return List.of();
      }
      String devRel = dev.substring(1);
      List<EntryOwner> kept = new ArrayList<>();
      EntryOwner firstUnmapped = null;
      int unmapped = 0;
      for (EntryOwner e : a.owners()) {
        if (e.path().equals(devRel) || e.path().startsWith(devRel + "/")) {
          continue;
        }
        if (subordinateIds.mapsUser(e.uid()) && subordinateIds.mapsGroup(e.gid())) {
          kept.add(e);
        } else if (unmapped++ == 0) {
          firstUnmapped = e;
        }
      }
      if (unmapped > 0) {
        warnings.add("app \"" + n + "\": " + unmapped + " files keep root's owner: their owners are outside the pod's "
            + "mapping (users 0 to " + subordinateIds.uidCount() + ", groups 0 to " + subordinateIds.gidCount()
            + ", from /etc/subuid and /etc/subgid), e.g. /" + firstUnmapped.path() + " (" + firstUnmapped.uid() + ":"
            + firstUnmapped.gid() + "); grant the user a larger range");
      }
      return kept;
    }

    /** A file of the pod's (dir/etc/NAME) bound at /etc/NAME, which gets a stub where the image has no regular file. */
    private void etcFile(LayeredTree view, Stubs stubMaker, Path rootHost, String name, byte[] content, String app)
        throws AppcException {
      if (content == null) {
        return;
      }
      Path podFile = dir.resolve("etc").resolve(name);
      if (!prep.stream().anyMatch(p -> p.path().equals(podFile))) {
        dir(dir.resolve("etc"));
        prep.add(new PodPlan.File(podFile, content, 0644, 0, 0));
      }
      LayeredTree.Resolved r;
      try {
        r = view.resolve("/etc/" + name, false);
        stubMaker.ensure(r.path(), false, "/etc/" + name);
      } catch (AppcException e) {
        warnings.add("app \"" + app + "\": no /etc/" + name + " is provided: " + e.getMessage());
        return;
      }
      devMount(podFile.toString(), rootHost.resolve(r.path().substring(1)), "none", "bind");
    }

    private byte[] hosts() {
      String h = spec.options().hostname() == null ? "" : " " + spec.options().hostname();
      return ("127.0.0.1\tlocalhost" + h + "\n::1\tlocalhost ip6-localhost ip6-loopback" + h + "\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    /** A volume mounted at a path of one app, read-only if the volume or the mount point says so. */
    private record Target(String path, Volume volume, boolean readOnly) {}

    private static List<Target> targets(AppSpec a, Map<String, Volume> volumes) {
      List<Target> out = new ArrayList<>();
      for (Mount m : a.mounts()) {
        Volume v = m.appVolume() != null ? m.appVolume() : volumes.get(m.volume().value());
        out.add(new Target(m.path(), v, Boolean.TRUE.equals(v.readOnly())));
      }
      if (a.app() != null) {
        for (MountPoint mp : a.app().mountPoints()) {
          if (a.mounts().stream().anyMatch(m -> m.volume().equals(mp.name()))) {
            continue;
          }
          Volume v = volumes.get(mp.name().value());
          out.add(new Target(mp.path(), v, mp.readOnly() || Boolean.TRUE.equals(v.readOnly())));
        }
      }
      return out;
    }

    /**
     * The environment (ace.md): PATH as the spec gives it and the user's HOME, USER, LOGNAME and
     * SHELL unless the image sets them; the image's (and the command line's) variables; then
     * AC_APP_NAME, AC_METADATA_URL and container. A build step gets the image's variables with
     * the spec's PATH over them, as the Go acbuild.
     */
    private List<String> environment(AppSpec a, long uid, Path identityRoot) throws AppcException {
      Map<String, String> env = new LinkedHashMap<>();
      PodOptions o = spec.options();
      if (o.buildStep()) {
        for (EnvironmentVariable v : a.app().environment().list()) {
          env.put(v.name(), v.value());
        }
        env.put("PATH", DEFAULT_PATH);
        env.putIfAbsent("HOME", "/root");
        env.put("container", CONTAINER);
        return toList(env);
      }
      Optional<AppIdentity.Account> account = AppIdentity.account(identityRoot, uid);
      String user = account.map(AppIdentity.Account::name).orElse(uid == 0 ? "root" : a.app().user());
      env.put("PATH", DEFAULT_PATH);
      env.put("HOME", account.map(AppIdentity.Account::home).filter(s -> !s.isEmpty()).orElse(uid == 0 ? "/root" : "/"));
      env.put("USER", user);
      env.put("LOGNAME", user);
      env.put("SHELL", account.map(AppIdentity.Account::shell).filter(s -> !s.isEmpty()).orElse("/bin/sh"));
      for (EnvironmentVariable v : a.app().environment().list()) {
        env.put(v.name(), v.value());
      }
      env.put("AC_APP_NAME", a.name().value());
      if (o.metadataUrl() != null) {
        env.put("AC_METADATA_URL", o.metadataUrl().toString());
      }
      env.put("container", CONTAINER);
      return toList(env);
    }

    private static List<String> toList(Map<String, String> env) {
      List<String> out = new ArrayList<>();
      env.forEach((k, v) -> out.add(k + "=" + v));
      return out;
    }

    /** Fails early, naming the command, when argv[0] is in neither the image nor a volume (execvp's search). */
    private static void checkCommand(LayeredTree view, String app, String command, List<String> env, List<String> targets)
        throws AppcException {
      List<String> candidates = new ArrayList<>();
      if (command.contains("/")) {
        candidates.add(command.startsWith("/") ? command : "/" + command);
      } else {
        String path = env.stream().filter(e -> e.startsWith("PATH=")).findFirst().map(e -> e.substring(5)).orElse(DEFAULT_PATH);
        for (String d : path.split(":")) {
          candidates.add((d.isEmpty() ? "/" : d.endsWith("/") ? d : d + "/") + command);
        }
      }
      for (String c : candidates) {
        if (underTarget(view, c, targets)) {
          return;
        }
        try {
          LayeredTree.Resolved r = view.resolve(c, true);
          if (r.entry().isPresent() && !Files.isDirectory(r.entry().get())) {
            return;
          }
        } catch (AppcException e) {
          // a parent is not a directory: not there
        }
      }
      throw new AppcException("app \"" + app + "\": " + command + ": no such command in the image"
          + (command.contains("/") ? "" : " (looked in PATH)"));
    }

    private static boolean isDirectory(LayeredTree view, String path) {
      try {
        return view.resolve(path, true).isDirectory();
      } catch (AppcException e) {
        return false;
      }
    }

    private static boolean underTarget(LayeredTree view, String path, List<String> targets) {
      String p;
      try {
        p = view.resolve(path, true).path();
      } catch (AppcException e) {
        return false;
      }
      for (String t : targets) {
        if (p.equals(t) || p.startsWith(t + "/")) {
          return true;
        }
      }
      return false;
    }

    private static List<String> handler(App app, String name) {
      for (EventHandler h : app.eventHandlers()) {
        if (h.name().equals(name)) {
          return h.exec();
        }
      }
      return List.of();
    }

    private void warnUnenforcedAppIsolator(String app, Isolator i) {
      String reason = unenforced(i);
      if (reason != null) {
        warnings.add("app \"" + app + "\": isolator " + i.name() + " is not enforced (" + reason + ")");
      }
    }

    private void warnUnenforcedPodIsolator(Isolator i) {
      String reason = unenforced(i);
      if (reason == null && !(i.value() instanceof IsolatorValue.ResourceCpu)
          && !(i.value() instanceof IsolatorValue.ResourceMemory) && !(i.value() instanceof IsolatorValue.CpuShares)) {
        reason = "it applies to apps, not pods";
      }
      if (reason != null) {
        warnings.add("pod: isolator " + i.name() + " is not enforced (" + reason + ")");
      }
    }

    /** Why an isolator is not enforced, or null when it is. */
    private static String unenforced(Isolator i) {
      String n = i.name().value();
      if (!i.isKnown()) {
        return "unknown isolator";
      }
      return switch (n) {
        case Isolators.SECCOMP_REMOVE_SET, Isolators.SECCOMP_RETAIN_SET -> "seccomp filters are not supported";
        case Isolators.SELINUX_CONTEXT -> "SELinux contexts are not supported";
        case Isolators.APPARMOR_PROFILE -> "AppArmor profiles are not supported";
        case Isolators.BLOCK_BANDWIDTH, Isolators.BLOCK_IOPS -> "block I/O limits are not supported";
        case Isolators.NETWORK_BANDWIDTH -> "network bandwidth limits are not supported";
        case Isolators.SYSCTL -> "sysctls are not supported";
        default -> null;
      };
    }

    /** Paths of an overlay option must not hold the characters its syntax uses. */
    private static String overlayPaths(List<Path> lowers) throws AppcException {
      List<String> out = new ArrayList<>();
      for (Path p : lowers) {
        out.add(check(p));
      }
      return String.join(":", out);
    }

    private static String check(Path p) throws AppcException {
      String s = p.toString();
      if (s.contains(",") || s.contains(":") || s.chars().anyMatch(Character::isWhitespace)) {
        throw new AppcException("the directory " + s + " has a comma, colon or blank in its path, which overlayfs "
            + "options cannot carry (use another store or work directory)");
      }
      return s;
    }

    private void mount(String source, Path target, String type, String options) {
      mounts.add(new MountEntry(source, target, type, options));
    }

    private void devMount(String source, Path target, String type, String options) {
      devMounts.add(new MountEntry(source, target, type, options));
    }

    private void dir(Path p) {
      prep.add(new Dir(p, 0755, 0, 0, null));
    }

    /** {@code p} and its missing parents up to the pod directory. */
    private void dirs(Path p) {
      List<Path> chain = new ArrayList<>();
      for (Path q = p; q != null && q.startsWith(dir) && !q.equals(dir); q = q.getParent()) {
        chain.add(0, q);
      }
      for (Path q : chain) {
        if (prep.stream().noneMatch(x -> x.path().equals(q))) {
          dir(q);
        }
      }
    }

    /** A directory made with the mode, owner and time of {@code like} (overlay shows the upper one's). */
    static Dir dirLike(Path target, Path like) throws AppcException {
      try {
        Map<String, Object> a = Files.readAttributes(like, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        return new Dir(target, ((Number) a.get("mode")).intValue() & 07777, ((Number) a.get("uid")).longValue(),
            ((Number) a.get("gid")).longValue(), ((FileTime) a.get("lastModifiedTime")).toMillis());
      } catch (IOException e) {
        throw new AppcException("cannot read the attributes of " + like + ": " + e.getMessage(), e);
      }
    }

    /** Makes mount targets in an app's writable layer, recording each stub made. */
    /** Refuses an app whose user, group or supplementary groups the rootless pod's namespace does not map. */
    private void checkMapped(String n, long uid, long gid, List<Long> groups) throws AppcException {
      SubordinateIds ids = subordinateIds;
      if (ids == null) {
        if (uid != 0 || gid != 0 || !groups.isEmpty()) {
          throw new AppcException("app \"" + n + "\": it runs as user " + uid + ", group " + gid
              + (groups.isEmpty() ? "" : " and groups " + groups)
              + ", which a pod run by a user other than root cannot give (its user namespace maps that user to root "
              + "alone): run it as root inside (--user 0 --group 0), run actool as root, or grant the user subordinate IDs "
              + "(/etc/subuid and /etc/subgid, usermod --add-subuids; newuidmap from Debian's uidmap)");
        }
        return;
      }
      List<Long> unmappedGroups = groups.stream().filter(g -> !ids.mapsGroup(g)).toList();
      if (!ids.mapsUser(uid) || !ids.mapsGroup(gid) || !unmappedGroups.isEmpty()) {
        throw new AppcException("app \"" + n + "\": it runs as user " + uid + ", group " + gid
            + (groups.isEmpty() ? "" : " and groups " + groups)
            + ", outside what this user's pods map (users 0 to " + ids.uidCount() + ", groups 0 to " + ids.gidCount()
            + ", from /etc/subuid and /etc/subgid): choose an ID in that range, or grant the user a larger range");
      }
    }

    private final class Stubs {
      final LayeredTree view;
      final Path writable;
      final List<Path> made;

      Stubs(LayeredTree view, Path writable, List<Path> made) {
        this.view = view;
        this.writable = writable;
        this.made = made;
      }

      /**
       * Ensures {@code path} (resolved: no symlinks among its parents) is a directory (or a
       * regular file) in the view, making it, and the parents it needs, in the writable layer.
       * Parents that exist below get their attributes, so the view does not change.
       */
      void ensure(String path, boolean directory, String given) throws AppcException {
        String rel = path.substring(1);
        if (rel.isEmpty()) {
          throw new AppcException("cannot mount a volume at / (" + given + ")");
        }
        if (made.contains(writable.resolve(rel))) {
          return;
        }
        Optional<Path> e = view.entry(rel);
        if (e.isPresent()) {
          boolean isDir = Files.isDirectory(e.get(), LinkOption.NOFOLLOW_LINKS);
          boolean isLink = Files.isSymbolicLink(e.get());
          if (directory && isDir || !directory && Files.isRegularFile(e.get(), LinkOption.NOFOLLOW_LINKS)) {
            return;
          }
          if (directory && !isLink) {
            throw new AppcException("the mount target " + given + " is a file in the image, not a directory");
          }
          if (!directory && isDir) {
            throw new AppcException("the mount target " + given + " is a directory in the image, not a file");
          }
          if (e.get().startsWith(writable)) {
            // a symlink can be shadowed only by a layer above it
            throw new AppcException("the mount target " + given + " is a symbolic link in the root filesystem");
          }
        }
        String[] parts = rel.split("/");
        StringBuilder sofar = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
          sofar.append(i == 0 ? "" : "/").append(parts[i]);
          Path w = writable.resolve(sofar.toString());
          if (Files.exists(w, LinkOption.NOFOLLOW_LINKS) || made.contains(w)) {
            continue;
          }
          Optional<Path> below = view.entry(sofar.toString());
          prep.add(below.isPresent() ? dirLike(w, below.get()) : new Dir(w, 0755, 0, 0, null));
          made.add(w);
        }
        Path w = writable.resolve(rel);
        prep.add(directory ? new Dir(w, 0755, 0, 0, null) : new PodPlan.File(w, new byte[0], 0644, 0, 0));
        made.add(w);
      }
    }
  }
}
