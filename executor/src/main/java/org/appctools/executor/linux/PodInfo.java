package org.appctools.executor.linux;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A pod as its state directory tells it: state, times, the PID of its init (tini, as the host
 * sees it) and its apps with their exit statuses once they have exited.
 *
 * @param started null until the pod's processes started
 * @param exited null while the pod has not ended (or its executor was killed before it could say)
 * @param pid null until started
 * @param exitCode the pod's exit status, once the executor recorded it
 * @param networks the CNI networks its namespace was attached to, in order
 */
public record PodInfo(UUID uuid, Path dir, State state, Instant created, Instant started, Instant exited,
    Long pid, String net, List<App> apps, Integer exitCode, List<Network> networks) {
  public PodInfo {
    apps = List.copyOf(apps);
    networks = List.copyOf(networks);
  }

  /** One CNI network of the pod: its name, the pod's interface and its addresses (CIDR, e.g. {@code 172.16.28.2/24}). */
  public record Network(String name, String ifName, List<String> addresses) {
    public Network {
      addresses = List.copyOf(addresses);
    }
  }

  /** The life of a pod, as rkt names it. */
  public enum State {
    /** Being set up by its executor (which holds its lock). */
    PREPARING,
    /** Its processes run. */
    RUNNING,
    /** Its processes are gone. */
    EXITED,
    /** Its executor ended before starting it (failed, or killed). */
    ABORTED;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One app of the pod: its name, image, and exit status (null until it exited). */
  public record App(String name, String imageName, String imageId, Integer exitCode) {}
}
