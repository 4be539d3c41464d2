package org.appctools.executor.linux;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.executor.AppSpec;
import org.appctools.executor.NetMode;
import org.appctools.executor.PodOptions;
import org.appctools.executor.PodSpec;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.Mount;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.EnvironmentVariables;
import org.appctools.schema.types.Volume;
import org.appctools.store.ImageStore;
import org.appctools.store.StoredImage;
import org.appctools.store.DependencyResolver;

/**
 * {@code acbuild run}: runs a command in the build's rootfs with its dependencies' trees beneath
 * (an overlay: the rootfs and the trees read-only, the changes in an upper directory of the next
 * generation), as root with the spec's default capabilities, the manifest's environment and the
 * host's DNS, in new mount, PID, UTS and IPC namespaces ({@code --engine chroot}: a mount
 * namespace only) and the host's network ({@code --net none}: none). The build then takes the
 * changes as its next generation ({@link BuildSession#run}).
 */
public final class BuildStepRunner {
  private BuildStepRunner() {}

  /** How {@code acbuild run} isolates the command. */
  public enum Engine {
    /** New mount, PID, UTS and IPC namespaces (and network with {@code --net none}). */
    NAMESPACES,
    /** A mount namespace only (for its private mounts): the host's processes, hostname and IPC. */
    CHROOT
  }

  /** A host path bind-mounted at {@code target} for the command ({@code --mount HOST:PATH[:ro]}). */
  public record HostMount(Path source, String target, boolean readOnly) {}

  /**
   * The command and how to run it.
   *
   * @param user the user the command runs as (a number or a name of the image's /etc/passwd), {@code 0} for acbuild run
   * @param group its group, {@code 0} for acbuild run
   * @param imageEnvironment the image's environment, or null for the manifest's (an OCI-mode build,
   *     which has no appc manifest, gives its config's {@code Env})
   * @param buildArguments variables added to the image's environment for this command only (a
   *     Dockerfile's build arguments); the image's own win
   */
  public record Request(List<String> command, String workingDirectory, Engine engine, NetMode net,
      List<HostMount> mounts, String user, String group, EnvironmentVariables imageEnvironment,
      Map<String, String> buildArguments) {
    public Request {
      command = List.copyOf(command);
      mounts = mounts == null ? List.of() : List.copyOf(mounts);
      user = user == null ? "0" : user;
      group = group == null ? "0" : group;
      buildArguments = buildArguments == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(buildArguments));
    }

    /** acbuild run's request: as root, with the manifest's environment. */
    public Request(List<String> command, String workingDirectory, Engine engine, NetMode net, List<HostMount> mounts) {
      this(command, workingDirectory, engine, net, mounts, "0", "0", null, Map.of());
    }
  }

  /**
   * The rendered trees of the build's dependencies, the last one first (later dependencies
   * override earlier ones, as the spec's rendering order), resolved by {@code resolver} (the store,
   * then fetching) and rendered once into the store's tree cache.
   */
  public static List<Path> dependencyTrees(ImageManifest manifest, ImageStore store, DependencyResolver resolver)
      throws AppcException {
    List<Path> trees = new ArrayList<>();
    for (Dependency d : manifest.dependencies()) {
      StoredImage img = resolver.resolve(d);
      trees.add(0, store.renderedTree(img, resolver));
      store.markUsed(img.id());
    }
    return trees;
  }

  /** Runs the step and makes the build's next generation of its changes; returns the command's exit status. */
  public static int run(BuildSession session, String history, Request r, List<Path> dependencyTrees,
      PodRunner.Stdio stdio, PodRunner.Listener listener) throws AppcException {
    if (r.command().isEmpty()) {
      throw new AppcException("run: command to run not set");
    }
    boolean overlay = Host.overlaySupported();
    if (!overlay && !dependencyTrees.isEmpty()) {
      throw new AppcException("run: overlayfs is needed to run over dependencies, and this kernel has none "
          + "(modprobe overlay, or flatten the dependencies into the image)");
    }
    byte[] resolv = PodLauncher.hostResolvConf();
    List<Volume> volumes = new ArrayList<>();
    List<Mount> mounts = new ArrayList<>();
    int i = 0;
    for (HostMount m : r.mounts()) {
      Path real;
      try {
        real = m.source().toRealPath();
      } catch (IOException e) {
        throw new AppcException("run: --mount " + m.source() + ": no such file or directory on the host", e);
      }
      AcName name = AcName.parse("mount-" + ++i);
      volumes.add(new Volume(name, Volume.HOST, real.toString(), m.readOnly(), true, null, null, null));
      mounts.add(new Mount(name, m.target(), null));
    }
    ImageManifest manifest = session.manifest();
    EnvironmentVariables env = r.imageEnvironment() != null ? r.imageEnvironment()
        : manifest == null || manifest.app() == null ? EnvironmentVariables.of() : manifest.app().environment();
    for (Map.Entry<String, String> e : new TreeMap<>(r.buildArguments()).entrySet()) {
      if (env.get(e.getKey()).isEmpty()) {
        env = env.with(e.getKey(), e.getValue());
      }
    }
    App app = App.of(r.command(), r.user(), r.group()).withEnvironment(env)
        .withWorkingDirectory(r.workingDirectory() == null ? "/" : r.workingDirectory());
    return session.run(history, overlay, (rootfs, upper, work, scratch) -> {
      List<Path> lowers = new ArrayList<>();
      lowers.add(rootfs);
      lowers.addAll(dependencyTrees);
      AppSpec.Rootfs fs = upper != null ? new AppSpec.Overlay(lowers, upper, work) : new AppSpec.Directory(rootfs);
      AcName name = AcName.parse("run");
      PodOptions options = new PodOptions(r.net(), r.engine() == Engine.NAMESPACES, null, resolv, null,
          stdio.stdin() ? name : null, null, true, null);
      PodSpec spec = new PodSpec(UUID.randomUUID(), scratch, List.of(new AppSpec(name, app, fs, false, mounts)),
          volumes, List.of(), options);
      PodRunner.Outcome outcome = PodRunner.run(spec, stdio, listener);
      removeStubs(outcome.stubs());
      return outcome.exitCode();
    });
  }

  /**
   * Removes the mount targets made for the step (files, and directories left empty), last made
   * first, and gives their parents back the times they had, so only the command's changes remain.
   */
  private static void removeStubs(List<Path> stubs) throws AppcException {
    Map<Path, FileTime> times = new LinkedHashMap<>();
    try {
      for (int i = stubs.size() - 1; i >= 0; i--) {
        Path p = stubs.get(i);
        Path parent = p.getParent();
        if (!times.containsKey(parent) && Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
          times.put(parent, Files.getLastModifiedTime(parent, LinkOption.NOFOLLOW_LINKS));
        }
        try {
          Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
          // the command put something there: a real change, kept
        }
      }
      for (Map.Entry<Path, FileTime> t : times.entrySet()) {
        if (Files.isDirectory(t.getKey(), LinkOption.NOFOLLOW_LINKS)) {
          Files.setLastModifiedTime(t.getKey(), t.getValue());
        }
      }
    } catch (IOException e) {
      throw new AppcException("run: cannot remove the mount targets made for the command: " + e.getMessage(), e);
    }
  }
}
