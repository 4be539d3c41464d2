package org.appctools.executor.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.appctools.AppcException;
import org.appctools.executor.CgroupLimits;

/**
 * The cgroups of pods: {@code appctools/UUID} (the pod's limits) and {@code appctools/UUID/APP}
 * (each app's, which its processes join) at the root of each hierarchy that has a controller the
 * limits need: cgroup v1's {@code memory} and {@code cpu} hierarchies where they are mounted, else
 * the v2 hierarchy where it offers the controller. Only pods with resource limits get cgroups.
 */
public final class Cgroups {
  /** The directory under each hierarchy's root that holds the pods' cgroups. */
  public static final String PARENT = "appctools";

  private final Map<String, Path> v1;
  private final Path v2;
  private final List<String> v2Controllers;

  private Cgroups(Map<String, Path> v1, Path v2, List<String> v2Controllers) {
    this.v1 = v1;
    this.v2 = v2;
    this.v2Controllers = v2Controllers;
  }

  /** The hierarchies mounted on this machine, read from /proc/self/mountinfo. */
  public static Cgroups detect() {
    Map<String, Path> v1 = new LinkedHashMap<>();
    Path v2 = null;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
        String[] halves = line.split(" - ", 2);
        if (halves.length < 2) {
          continue;
        }
        String[] pre = halves[0].split(" ");
        String[] post = halves[1].split(" ");
        if (pre.length < 5 || post.length < 3 || !pre[3].equals("/")) {
          continue;
        }
        Path mountPoint = Path.of(unescape(pre[4]));
        if (post[0].equals("cgroup2") && v2 == null) {
          v2 = mountPoint;
        } else if (post[0].equals("cgroup")) {
          for (String o : post[2].split(",")) {
            if ((o.equals("memory") || o.equals("cpu")) && !v1.containsKey(o)) {
              v1.put(o, mountPoint);
            }
          }
        }
      }
    } catch (IOException e) {
      // no cgroups: limits are reported as not enforced
    }
    List<String> controllers = new ArrayList<>();
    if (v2 != null) {
      try {
        controllers = List.of(Files.readString(v2.resolve("cgroup.controllers")).trim().split("\\s+"));
      } catch (IOException e) {
        // none
      }
    }
    return new Cgroups(v1, v2, controllers);
  }

  /** The hierarchy roots to look for leftovers under: every v1 hierarchy we use, and v2's. */
  public List<Path> roots() {
    List<Path> roots = new ArrayList<>(v1.values());
    if (v2 != null && !roots.contains(v2)) {
      roots.add(v2);
    }
    return roots;
  }

  /** Where a controller's limits are written: a v1 hierarchy, the v2 one, or nowhere. */
  private Optional<Path> hierarchy(String controller) {
    if (v1.containsKey(controller)) {
      return Optional.of(v1.get(controller));
    }
    if (v2 != null && v2Controllers.contains(controller)) {
      return Optional.of(v2);
    }
    return Optional.empty();
  }

  /** The controllers of {@code limits} this machine cannot enforce. */
  public List<String> missing(CgroupLimits limits) {
    return limits.controllers().stream().filter(c -> hierarchy(c).isEmpty()).toList();
  }

  /**
   * Makes the pod's cgroup with {@code podLimits}, and one per app with its limits under it (apps
   * without limits get none); returns each app's directories, one per hierarchy. On failure, what
   * was made is removed.
   */
  public Map<String, List<Path>> create(String uuid, CgroupLimits podLimits, Map<String, CgroupLimits> appLimits)
      throws AppcException {
    Map<String, List<Path>> out = new LinkedHashMap<>();
    List<Path> made = new ArrayList<>();
    try {
      List<String> podControllers = podLimits.controllers();
      for (Map.Entry<String, CgroupLimits> app : appLimits.entrySet()) {
        List<Path> dirs = new ArrayList<>();
        List<String> controllers = new ArrayList<>(app.getValue().controllers());
        podControllers.forEach(c -> {
          if (!controllers.contains(c)) {
            controllers.add(c);
          }
        });
        for (String c : controllers) {
          Optional<Path> h = hierarchy(c);
          if (h.isEmpty()) {
            continue;
          }
          Path pod = h.get().resolve(PARENT).resolve(uuid);
          Path appDir = pod.resolve(app.getKey());
          if (dirs.contains(appDir)) {
            continue;
          }
          boolean isV2 = h.get().equals(v2) && !v1.containsValue(h.get());
          if (isV2) {
            enable(h.get(), controllers);
            mkdir(h.get().resolve(PARENT), made);
            enable(h.get().resolve(PARENT), controllers);
            mkdir(pod, made);
            enable(pod, controllers);
          } else {
            mkdir(h.get().resolve(PARENT), made);
            mkdir(pod, made);
          }
          mkdir(appDir, made);
          dirs.add(appDir);
        }
        out.put(app.getKey(), dirs);
      }
      writeLimits(uuid, podLimits, null);
      for (Map.Entry<String, CgroupLimits> app : appLimits.entrySet()) {
        writeLimits(uuid, app.getValue(), app.getKey());
      }
      return out;
    } catch (AppcException | RuntimeException e) {
      remove(uuid);
      throw e;
    }
  }

  private void writeLimits(String uuid, CgroupLimits limits, String app) throws AppcException {
    for (Map.Entry<String, Map<String, String>> c : limits.v1Files().entrySet()) {
      Optional<Path> h = hierarchy(c.getKey());
      if (h.isEmpty() || !v1.containsValue(h.get())) {
        continue;
      }
      Path d = h.get().resolve(PARENT).resolve(uuid);
      write(app == null ? d : d.resolve(app), c.getValue());
    }
    if (v2 != null && !v1.containsValue(v2)) {
      Map<String, String> files = new LinkedHashMap<>();
      limits.v2Files().forEach((f, v) -> {
        String controller = f.substring(0, f.indexOf('.'));
        if (!v1.containsKey(controller) && v2Controllers.contains(controller)) {
          files.put(f, v);
        }
      });
      if (!files.isEmpty()) {
        Path d = v2.resolve(PARENT).resolve(uuid);
        write(app == null ? d : d.resolve(app), files);
      }
    }
  }

  private static void write(Path dir, Map<String, String> files) throws AppcException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = dir.resolve(f.getKey());
      if (!Files.exists(p) && (f.getKey().contains("memsw") || f.getKey().contains("swap"))) {
        continue; // no swap accounting on this machine
      }
      try {
        Files.writeString(p, f.getValue());
      } catch (IOException e) {
        throw new AppcException("cgroups: cannot write " + f.getValue() + " to " + p + ": " + e.getMessage(), e);
      }
    }
  }

  private static void enable(Path dir, List<String> controllers) throws AppcException {
    Path control = dir.resolve("cgroup.subtree_control");
    try {
      List<String> on = List.of(Files.readString(control).trim().split("\\s+"));
      for (String c : controllers) {
        if (!on.contains(c)) {
          Files.writeString(control, "+" + c);
        }
      }
    } catch (IOException e) {
      throw new AppcException("cgroups: cannot enable " + controllers + " in " + control + ": " + e.getMessage(), e);
    }
  }

  private static void mkdir(Path dir, List<Path> made) throws AppcException {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir);
        made.add(dir);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // another pod made the parent meanwhile
    } catch (IOException e) {
      throw new AppcException("cgroups: cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes the pod's cgroups in every hierarchy: processes still in them (an executor killed
   * before its pod) get SIGKILL first. Waits up to a few seconds for the kernel to let go of
   * exiting processes; returns what could not be removed.
   */
  public List<Path> remove(String uuid) {
    List<Path> left = new ArrayList<>();
    for (Path root : roots()) {
      Path pod = root.resolve(PARENT).resolve(uuid);
      if (!Files.isDirectory(pod)) {
        continue;
      }
      List<Path> dirs = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(pod, Files::isDirectory)) {
        ds.forEach(dirs::add);
      } catch (IOException e) {
        // removing the pod's directory reports it
      }
      dirs.add(pod);
      for (Path d : dirs) {
        if (!rmdir(d)) {
          left.add(d);
        }
      }
    }
    return left;
  }

  /** The UUIDs that have cgroups under any hierarchy. */
  public List<String> podsWithCgroups() {
    List<String> out = new ArrayList<>();
    for (Path root : roots()) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(PARENT), Files::isDirectory)) {
        for (Path p : ds) {
          String n = p.getFileName().toString();
          if (!out.contains(n)) {
            out.add(n);
          }
        }
      } catch (IOException e) {
        // no pods there
      }
    }
    return out;
  }

  private static boolean rmdir(Path dir) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return true;
      } catch (NoSuchFileException e) {
        return true;
      } catch (IOException e) {
        killAll(dir);
        try {
          Thread.sleep(20);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private static void killAll(Path dir) {
    try {
      for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone meanwhile
    }
  }

  private static String unescape(String s) {
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }
}
