package org.appctools.executor.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.appctools.AppcException;
import org.appctools.executor.SubordinateIds;
import org.appctools.executor.net.CniResult;
import org.appctools.fs.ProcessUser;
import org.appctools.json.JsonTrees;

/**
 * The pods of one pods directory: each pod's state directory {@code DIR/UUID}, made by the
 * executor that runs it and kept after it exits (for {@code status}) until {@code gc}.
 *
 * <pre>
 * DIR/UUID/pod.json        uuid, created, net, apps (name, image name and ID)
 * DIR/UUID/lock            locked (flock) by the executor while it prepares and runs the pod
 * DIR/UUID/pid             "PID START" of the pod's init (tini) as the host sees it, and its start (epoch ms)
 * DIR/UUID/status/APP      an app's exit status, written by stage1 when it ends
 * DIR/UUID/status/error    why stage1 failed
 * DIR/UUID/exited          the pod's exit status, written by its executor when it ends
 * DIR/UUID/net.json        its CNI networks and network namespace, to undo them (see PodNetwork)
 * DIR/UUID/...             stage1's files, the apps' writable layers, empty volumes (see PodPlanner)
 * </pre>
 */
public final class Pods {
  /** The environment variable that moves every tool's pods directory. */
  public static final String DIR_ENV = "APPCTOOLS_PODS_DIR";

  private final Path dir;

  public Pods(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  /**
   * The default pods directory: {@code $APPCTOOLS_PODS_DIR}, else {@code /var/lib/appctools/pods}
   * for root, else {@code $XDG_RUNTIME_DIR/appctools/pods}, else {@code
   * ~/.local/share/appctools/pods}.
   */
  public static Path defaultDir() {
    String env = System.getenv(DIR_ENV);
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    if (Host.isRoot()) {
      return Path.of("/var/lib/appctools/pods");
    }
    String run = System.getenv("XDG_RUNTIME_DIR");
    if (run != null && !run.isEmpty() && Path.of(run).isAbsolute()) {
      return Path.of(run, "appctools", "pods");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "appctools", "pods");
  }

  public Path dir() {
    return dir;
  }

  /** A pod being made by this process: its directory, and the lock it holds until {@link #close}. */
  public static final class Created implements AutoCloseable {
    private final UUID uuid;
    private final Path dir;
    private final FileChannel lock;

    Created(UUID uuid, Path dir, FileChannel lock) {
      this.uuid = uuid;
      this.dir = dir;
      this.lock = lock;
    }

    public UUID uuid() {
      return uuid;
    }

    public Path dir() {
      return dir;
    }

    @Override
    public void close() {
      try {
        lock.close();
      } catch (IOException e) {
        // closing releases the lock whatever the outcome
      }
    }
  }

  /** Makes the state directory of a new pod, locked, with its {@code pod.json}. */
  public Created create(UUID uuid, String net, List<PodInfo.App> apps) throws AppcException {
    Path d = dir.resolve(uuid.toString());
    FileChannel ch = null;
    try {
      Files.createDirectories(dir);
      Files.createDirectory(d);
      ch = FileChannel.open(d.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      ch.lock();
      // written by hand: a run should not pay for a JSON mapper to write five fields
      StringBuilder sb = new StringBuilder("{\n  \"uuid\" : ").append(string(uuid.toString()))
          .append(",\n  \"created\" : ").append(string(Instant.now().toString()))
          .append(",\n  \"net\" : ").append(string(net)).append(",\n  \"apps\" : [");
      for (int i = 0; i < apps.size(); i++) {
        PodInfo.App a = apps.get(i);
        sb.append(i == 0 ? " " : ", ").append("{ \"name\" : ").append(string(a.name())).append(", \"imageName\" : ")
            .append(string(a.imageName())).append(", \"imageId\" : ").append(string(a.imageId())).append(" }");
      }
      Files.writeString(d.resolve("pod.json"), sb.append(" ]\n}\n"));
      return new Created(uuid, d, ch);
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // reported below
        }
      }
      throw new AppcException("cannot create the pod directory " + d + ": " + e.getMessage()
          + " (choose a writable one with --pods-dir)", e);
    }
  }

  /** A JSON string (or null): quotes, backslashes and control characters escaped. */
  static String string(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Records the pod's init, once started. */
  static void recordPid(Path podDir, ProcessHandle init) throws IOException {
    long start = init.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    Files.writeString(podDir.resolve("pid.tmp"), init.pid() + " " + start + "\n");
    Files.move(podDir.resolve("pid.tmp"), podDir.resolve("pid"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Records the pod's end. */
  static void recordExit(Path podDir, int exitCode) throws IOException {
    Files.writeString(podDir.resolve("exited.tmp"), exitCode + "\n");
    Files.move(podDir.resolve("exited.tmp"), podDir.resolve("exited"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Every pod, oldest first. */
  public List<PodInfo> list() throws AppcException {
    List<PodInfo> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        parseUuid(p.getFileName().toString()).ifPresent(u -> read(u, p).ifPresent(out::add));
      }
    } catch (IOException e) {
      throw new AppcException("cannot list the pods in " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(PodInfo::created).thenComparing(i -> i.uuid().toString()));
    return out;
  }

  /** The pod with this UUID or unique UUID prefix. */
  public PodInfo get(String uuidOrPrefix) throws AppcException {
    String want = uuidOrPrefix.toLowerCase(java.util.Locale.ROOT);
    List<PodInfo> found = new ArrayList<>();
    for (PodInfo p : list()) {
      if (p.uuid().toString().startsWith(want)) {
        found.add(p);
      }
    }
    if (found.isEmpty()) {
      throw new AppcException("no pod " + uuidOrPrefix + " in " + dir + " (actool list shows the pods)");
    }
    if (found.size() > 1) {
      throw new AppcException("the UUID prefix " + uuidOrPrefix + " is ambiguous: it matches "
          + found.stream().map(p -> p.uuid().toString()).toList() + "; give more of it");
    }
    return found.get(0);
  }

  private Optional<PodInfo> read(UUID uuid, Path d) {
    JsonNode pod;
    try {
      pod = JsonTrees.read(Files.readAllBytes(d.resolve("pod.json")));
    } catch (IOException e) {
      return Optional.empty(); // not a pod of ours, or one whose creation was cut short
    }
    Instant created = Instant.parse(pod.path("created").asText("1970-01-01T00:00:00Z"));
    Long pid = null;
    Instant started = null;
    boolean alive = false;
    try {
      String[] f = Files.readString(d.resolve("pid")).trim().split(" ");
      pid = Long.parseLong(f[0]);
      long start = f.length > 1 ? Long.parseLong(f[1]) : 0;
      started = Files.getLastModifiedTime(d.resolve("pid")).toInstant();
      alive = isAlive(pid, start);
    } catch (IOException | NumberFormatException e) {
      // not started
    }
    Integer exitCode = null;
    Instant exited = null;
    try {
      exitCode = Integer.parseInt(Files.readString(d.resolve("exited")).trim());
      exited = Files.getLastModifiedTime(d.resolve("exited")).toInstant();
    } catch (IOException | NumberFormatException e) {
      // not exited, or its executor was killed
    }
    List<PodInfo.App> apps = new ArrayList<>();
    for (JsonNode a : pod.path("apps")) {
      String name = a.path("name").asText();
      Integer code = null;
      try {
        code = Integer.parseInt(Files.readString(d.resolve("status").resolve(name)).trim());
      } catch (IOException | NumberFormatException e) {
        // still running, or killed
      }
      apps.add(new PodInfo.App(name, a.path("imageName").asText(null), a.path("imageId").asText(null), code));
    }
    PodInfo.State state;
    if (alive) {
      state = PodInfo.State.RUNNING;
    } else if (exited != null || pid != null) {
      state = PodInfo.State.EXITED;
    } else {
      state = locked(d) ? PodInfo.State.PREPARING : PodInfo.State.ABORTED;
    }
    List<PodInfo.Network> networks = new ArrayList<>();
    for (PodNetwork.Attached a : PodNetwork.recordedNetworks(d)) {
      networks.add(new PodInfo.Network(a.name(), a.ifName(), a.ips().stream().map(CniResult.Ip::address).toList()));
    }
    return Optional.of(new PodInfo(uuid, d, state, created, started, exited, pid, pod.path("net").asText(""),
        apps, exitCode, networks));
  }

  /** Whether the process is still the one recorded (same PID and start time), and not a zombie. */
  private static boolean isAlive(long pid, long startMillis) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    try {
      // "PID (COMM) STATE ...": a zombie (Z) or dead (X) init is a pod that ended, whoever has yet to reap it
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') {
        return false;
      }
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return false;
    }
    Optional<Instant> start = p.get().info().startInstant();
    return start.isEmpty() || startMillis == 0 || Math.abs(start.get().toEpochMilli() - startMillis) < 1000;
  }

  private static boolean locked(Path d) {
    try (FileChannel ch = FileChannel.open(d.resolve("lock"), StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // this process holds it
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Stops a running pod: SIGTERM to its init, which forwards it to the apps; SIGKILL (which ends
   * every process of the pod) when {@code force}, or once {@code timeout} has passed. Returns
   * whether the pod ended.
   */
  public boolean stop(PodInfo pod, boolean force, Duration timeout) {
    if (pod.state() != PodInfo.State.RUNNING || pod.pid() == null) {
      return true;
    }
    Optional<ProcessHandle> init = ProcessHandle.of(pod.pid());
    if (init.isEmpty()) {
      return true;
    }
    if (!force) {
      init.get().destroy();
      if (waitFor(init.get(), timeout)) {
        return true;
      }
    }
    init.get().destroyForcibly();
    return waitFor(init.get(), Duration.ofSeconds(10));
  }

  private static boolean waitFor(ProcessHandle p, Duration timeout) {
    try {
      p.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !p.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !p.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !p.isAlive();
    }
  }

  /**
   * Removes the pods that exited (or were aborted) more than {@code gracePeriod} before {@code
   * now}: their CNI networks and network namespace when a killed executor left them (DEL with the
   * recorded configuration), their cgroups (killing what is left in them) and state directories;
   * and cgroups of pods that have no state directory any more. Running and preparing pods are
   * kept. Returns the UUIDs removed.
   */
  public List<UUID> gc(Duration gracePeriod, Instant now) throws AppcException {
    Cgroups cgroups = Cgroups.detect();
    List<UUID> removed = new ArrayList<>();
    List<String> live = new ArrayList<>();
    List<String> mounted = mountPoints();
    for (PodInfo p : list()) {
      if (p.state() == PodInfo.State.RUNNING || p.state() == PodInfo.State.PREPARING) {
        live.add(p.uuid().toString());
        continue;
      }
      Instant ended = p.exited() != null ? p.exited() : p.started() != null ? p.started() : p.created();
      if (ended.isAfter(now.minus(gracePeriod))) {
        live.add(p.uuid().toString());
        continue;
      }
      String prefix = p.dir().toString() + "/";
      if (mounted.stream().anyMatch(m -> m.equals(p.dir().toString()) || m.startsWith(prefix))) {
        throw new AppcException("gc: something is mounted under " + p.dir() + " in this mount namespace; "
            + "unmount it (findmnt -R " + p.dir() + ") and run gc again");
      }
      List<Path> left = cgroups.remove(p.uuid().toString());
      if (!left.isEmpty()) {
        throw new AppcException("gc: cannot remove the cgroups " + left + " of pod " + p.uuid());
      }
      PodNetwork network = PodNetwork.recorded(p.dir());
      List<String> undone = network == null ? List.of() : network.detach();
      if (!undone.isEmpty()) {
        throw new AppcException("gc: cannot undo the network of pod " + p.uuid() + ": " + String.join("; ", undone));
      }
      deleteTree(p.dir());
      removed.add(p.uuid());
    }
    for (String u : cgroups.podsWithCgroups()) {
      if (!live.contains(u) && parseUuid(u).isPresent()) {
        cgroups.remove(u);
      }
    }
    return removed;
  }

  private static Optional<UUID> parseUuid(String s) {
    try {
      UUID u = UUID.fromString(s);
      return u.toString().equals(s) ? Optional.of(u) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The mount points this process sees. */
  static List<String> mountPoints() throws AppcException {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
        String[] f = line.split(" ");
        if (f.length > 4) {
          out.add(f[4].replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\"));
        }
      }
    } catch (IOException e) {
      throw new AppcException("cannot read /proc/self/mountinfo: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Deletes a pod's tree: as {@link #deleteOwnTree}, and when that is denied and this user has subordinate
   * IDs, again as root of a user namespace that maps them (a rootless pod's root gave files in its upper
   * directories subordinate owners, which this user may not remove).
   */
  static void deleteTree(Path root) throws AppcException {
    try {
      deleteOwnTree(root);
    } catch (AppcException e) {
      SubordinateIds ids = denied(e) && !Host.isRoot() ? Host.tools().subordinateIds() : null;
      if (ids == null) {
        throw e;
      }
      Host.removeAsMappedRoot(root, ids);
    }
  }

  /**
   * Whether a deletion failed for want of permission: EACCES ({@link AccessDeniedException}), or
   * EPERM changing the mode of a file another user owns (the JDK reports it as a plain {@link
   * FileSystemException} whose reason is the C library's message in the user's language, so the
   * owner decides, not the message). A busy mount point or any other failure does not count.
   */
  private static boolean denied(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AccessDeniedException
          || (t instanceof FileSystemException f && f.getFile() != null && ownedByAnother(Path.of(f.getFile())))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code p} (not followed) belongs to a user other than this process's; false when either cannot be read. */
  private static boolean ownedByAnother(Path p) {
    OptionalLong self = ProcessUser.uid();
    try {
      return self.isPresent()
          && ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue() != self.getAsLong();
    } catch (IOException e) {
      return false; // gone or unreadable: not a case for the second attempt
    }
  }

  /** Deletes a tree without following symlinks, making directories writable first. */
  static void deleteOwnTree(Path root) throws AppcException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          if (!Files.isWritable(d) || !Files.isExecutable(d)) {
            Files.setAttribute(d, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(f);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException exc) throws IOException {
          // a directory this user cannot even list (overlayfs' work/work is d---------): open it up
          if (exc instanceof AccessDeniedException && Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
            // chmod(2) by path: with NOFOLLOW_LINKS the JDK opens the directory first, which mode 000 forbids
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            try {
              deleteOwnTree(f);
            } catch (AppcException e) {
              throw new IOException(e.getMessage(), e);
            }
            return FileVisitResult.CONTINUE;
          }
          throw exc;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          if (exc != null && !(exc instanceof NoSuchFileException)) {
            throw exc;
          }
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new AppcException("cannot remove " + root + ": " + e.getMessage(), e);
    }
  }
}
