package org.appctools.executor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.IsolatorValue;

/**
 * The capability bounding set of an app (spec ace.md, "os/linux/capabilities-retain-set" and
 * "-remove-set"): the spec's default set of 14, exactly the retain set when there is one, minus
 * the remove set. Names are the canonical {@code CAP_NET_ADMIN}; the Go reference also accepts
 * {@code NET_ADMIN} and {@code cap_net_admin}, and so do we.
 */
public final class Capabilities {
  private Capabilities() {}

  /** The spec's default set. */
  public static final Set<String> DEFAULT_SET = Set.of(
      "CAP_AUDIT_WRITE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_KILL",
      "CAP_MKNOD", "CAP_NET_RAW", "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID",
      "CAP_SETPCAP", "CAP_SETFCAP", "CAP_SYS_CHROOT");

  /** Every capability Linux defines, by number (include/uapi/linux/capability.h, 6.x). */
  static final List<String> ALL = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
      "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
      "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
      "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
      "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
      "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
      "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
      "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
      "CAP_CHECKPOINT_RESTORE");

  /**
   * The bounding set the isolators give, sorted by capability number. The retain set, when
   * present, replaces the default set (the last one counts, as Go's {@code GetByName}); every
   * remove set is then taken out.
   */
  public static List<String> boundingSet(List<Isolator> isolators) throws AppcException {
    Set<String> set = new LinkedHashSet<>(DEFAULT_SET);
    for (Isolator i : isolators) {
      if (i.value() instanceof IsolatorValue.CapabilitiesRetainSet r) {
        set = new LinkedHashSet<>();
        for (String c : r.set()) {
          set.add(canonical(c));
        }
      }
    }
    for (Isolator i : isolators) {
      if (i.value() instanceof IsolatorValue.CapabilitiesRemoveSet r) {
        for (String c : r.set()) {
          set.remove(canonical(c));
        }
      }
    }
    return sorted(set);
  }

  /** {@code CAP_NET_ADMIN} for {@code net_admin}, {@code NET_ADMIN} or {@code cap_net_admin}. */
  public static String canonical(String name) throws AppcException {
    String up = name.trim().toUpperCase(Locale.ROOT);
    String c = up.startsWith("CAP_") ? up : "CAP_" + up;
    if (!ALL.contains(c)) {
      throw new AppcException("capabilities: unknown capability \"" + name + "\" (Linux capabilities are "
          + "CAP_CHOWN, CAP_NET_ADMIN, CAP_SYS_ADMIN...; see capabilities(7))");
    }
    return c;
  }

  /** The names of {@code caps} in setpriv's syntax: {@code -all,+chown,+kill}. */
  public static String setprivList(List<String> caps) {
    StringBuilder sb = new StringBuilder("-all");
    for (String c : caps) {
      sb.append(",+").append(c.substring("CAP_".length()).toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }

  /** The 64-bit mask of {@code caps}, as /proc/PID/status shows it (CapBnd: 00000000a80425fb). */
  public static long mask(List<String> caps) {
    long m = 0;
    for (String c : caps) {
      m |= 1L << ALL.indexOf(c);
    }
    return m;
  }

  private static List<String> sorted(Set<String> set) {
    List<String> out = new ArrayList<>(set);
    out.sort((a, b) -> Integer.compare(ALL.indexOf(a), ALL.indexOf(b)));
    return out;
  }
}
