package org.appctools.schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.Port;

/**
 * The edits of {@code actool patch-manifest}, in the string forms of the Go actool's flags, as
 * one pure function from manifest to manifest. A null field leaves that part alone.
 *
 * <p>Semantics follow the Go actool 0.8.11: {@code exec} is split on single spaces; mounts,
 * ports and isolators are appended; {@code capability} / {@code revokeCapability} replace any
 * capabilities isolator; {@code seccompMode} replaces any seccomp isolator; editing anything but
 * name and exec needs an app (give {@code exec} to create one).
 */
public record ManifestPatch(
    String name,
    String exec,
    String user,
    String group,
    String supplementaryGroups,
    String capability,
    String revokeCapability,
    String mounts,
    String ports,
    String isolators,
    String seccompMode,
    String seccompSet) {

  private static final List<String> CAPABILITY_ISOLATORS =
      List.of("os/linux/capabilities-retain-set", "os/linux/capabilities-remove-set");
  private static final List<String> SECCOMP_ISOLATORS =
      List.of("os/linux/seccomp-remove-set", "os/linux/seccomp-retain-set");

  /** True when no edit is asked for. */
  public boolean isEmpty() {
    return name == null && exec == null && user == null && group == null && supplementaryGroups == null
        && capability == null && revokeCapability == null && mounts == null && ports == null
        && isolators == null && seccompMode == null && seccompSet == null;
  }

  public ImageManifest apply(ImageManifest manifest) throws SchemaException {
    try {
      return applyUnchecked(manifest);
    } catch (InvalidValueException e) {
      throw new SchemaException("patch-manifest: " + e.getMessage(), e);
    }
  }

  private ImageManifest applyUnchecked(ImageManifest m) throws SchemaException {
    if (name != null) {
      m = m.withName(AcIdentifier.parse(name));
    }
    App app = m.app();
    if (exec != null) {
      List<String> argv = Arrays.asList(exec.split(" ", -1));
      app = app == null ? App.of(argv, "0", "0") : app.withExec(argv);
    }
    boolean appEdits = user != null || group != null || supplementaryGroups != null || capability != null
        || revokeCapability != null || mounts != null || ports != null || isolators != null
        || seccompMode != null || seccompSet != null;
    if (appEdits && app == null) {
      throw new SchemaException("patch-manifest: the manifest has no app and no --exec was given to create one");
    }
    if (user != null) {
      app = app.withUser(user);
    }
    if (group != null) {
      app = app.withGroup(group);
    }
    if (supplementaryGroups != null) {
      List<Long> gids = new ArrayList<>();
      for (String g : supplementaryGroups.split(",", -1)) {
        try {
          gids.add(Long.parseLong(g.trim()));
        } catch (NumberFormatException e) {
          throw new SchemaException("patch-manifest: invalid supplementary group \"" + g + "\": must be a numeric GID");
        }
      }
      app = app.withSupplementaryGIDs(gids);
    }
    if (capability != null && revokeCapability != null) {
      throw new SchemaException("patch-manifest: --capability and --revoke-capability conflict: give one of them");
    }
    if (capability != null) {
      app = replaceIsolators(app, CAPABILITY_ISOLATORS, Isolators.capabilitiesRetainSet(List.of(capability.split(","))));
    }
    if (revokeCapability != null) {
      app = replaceIsolators(app, CAPABILITY_ISOLATORS, Isolators.capabilitiesRemoveSet(List.of(revokeCapability.split(","))));
    }
    if (mounts != null) {
      List<MountPoint> all = new ArrayList<>(app.mountPoints());
      for (String s : mounts.split(":")) {
        all.add(mountPoint(s));
      }
      app = app.withMountPoints(all);
    }
    if (ports != null) {
      List<Port> all = new ArrayList<>(app.ports());
      for (String s : ports.split(":")) {
        all.add(port(s));
      }
      app = app.withPorts(all);
    }
    if (seccompMode != null) {
      app = replaceIsolators(app, SECCOMP_ISOLATORS, seccomp(seccompMode, seccompSet));
    } else if (seccompSet != null) {
      throw new SchemaException("patch-manifest: --seccomp-set needs --seccomp-mode=remove|retain");
    }
    if (isolators != null) {
      List<Isolator> all = new ArrayList<>(app.isolators());
      for (String s : isolators.split(":")) {
        all.add(isolator(s));
      }
      app = app.withIsolators(all);
    }
    return app == m.app() ? m : m.withApp(app);
  }

  private static App replaceIsolators(App app, List<String> replaced, Isolator with) {
    List<Isolator> all = new ArrayList<>();
    for (Isolator i : app.isolators()) {
      if (!replaced.contains(i.name().toString())) {
        all.add(i);
      }
    }
    all.add(with);
    return app.withIsolators(all);
  }

  /** {@code name,key=value,...} into the name and an ordered map; keys may appear once. */
  private static Map<String, String> keyValues(String what, String spec, List<String> keys) throws SchemaException {
    String[] parts = spec.split(",", -1);
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("name", parts[0]);
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
      if (eq < 0 || !keys.contains(key)) {
        throw new SchemaException("patch-manifest: cannot parse " + what + " \"" + spec + "\": unknown parameter \""
            + parts[i] + "\" (expected " + String.join(", ", keys.stream().map(k -> k + "=...").toList()) + ")");
      }
      if (kv.put(key, parts[i].substring(eq + 1)) != null) {
        throw new SchemaException("patch-manifest: cannot parse " + what + " \"" + spec + "\": \"" + key + "\" given twice");
      }
    }
    return kv;
  }

  static MountPoint mountPoint(String spec) throws SchemaException {
    Map<String, String> kv = keyValues("mount point", spec, List.of("path", "readOnly"));
    if (!kv.containsKey("path")) {
      throw new SchemaException("patch-manifest: cannot parse mount point \"" + spec + "\": path=... is required");
    }
    return new MountPoint(AcName.parse(kv.get("name")), kv.get("path"), bool("mount point", spec, kv.get("readOnly")));
  }

  static Port port(String spec) throws SchemaException {
    Map<String, String> kv = keyValues("port", spec, List.of("protocol", "port", "count", "socketActivated"));
    if (!kv.containsKey("protocol") || !kv.containsKey("port")) {
      throw new SchemaException("patch-manifest: cannot parse port \"" + spec + "\": protocol=... and port=... are required");
    }
    int count = kv.containsKey("count") ? integer("port", spec, kv.get("count")) : 1;
    return new Port(AcName.parse(kv.get("name")), kv.get("protocol"), integer("port", spec, kv.get("port")), count,
        bool("port", spec, kv.get("socketActivated")));
  }

  static Isolator isolator(String spec) throws SchemaException {
    String[] parts = spec.split(",", -1);
    String name = parts[0];
    switch (name) {
      case "os/linux/no-new-privileges", "os/linux/oom-score-adj" -> {
        if (parts.length != 2) {
          throw new SchemaException("patch-manifest: cannot parse isolator \"" + spec + "\": expected " + name + ",VALUE");
        }
        return name.equals("os/linux/no-new-privileges")
            ? Isolators.noNewPrivileges(bool("isolator", spec, parts[1]))
            : Isolators.oomScoreAdj(integer("isolator", spec, parts[1]));
      }
      case "resource/cpu", "resource/memory" -> {
        Map<String, String> kv = keyValues("isolator", spec, List.of("request", "limit"));
        return name.equals("resource/cpu")
            ? Isolators.resourceCpu(kv.get("request"), kv.get("limit"))
            : Isolators.resourceMemory(kv.get("request"), kv.get("limit"));
      }
      case "resource/block-bandwidth", "resource/block-iops", "resource/network-bandwidth" -> {
        Map<String, String> kv = keyValues("isolator", spec, List.of("limit", "default"));
        if (kv.get("limit") == null) {
          throw new SchemaException("patch-manifest: cannot parse isolator \"" + spec + "\": limit=... is required");
        }
        return switch (name) {
          case "resource/block-bandwidth" -> Isolators.blockBandwidth(kv.get("limit"));
          case "resource/block-iops" -> Isolators.blockIops(kv.get("limit"));
          default -> Isolators.networkBandwidth(kv.get("limit"));
        };
      }
      default -> throw new SchemaException("patch-manifest: isolator " + name + " is not supported for patching"
          + " (resource/*, os/linux/no-new-privileges and os/linux/oom-score-adj are; use --capability,"
          + " --revoke-capability or --seccomp-mode for the others, or --manifest)");
    }
  }

  static Isolator seccomp(String mode, String set) throws SchemaException {
    String kind = null;
    String errno = null;
    for (String a : mode.split(",", -1)) {
      String[] kv = a.split("=", -1);
      if (kv.length == 1) {
        kind = kv[0];
      } else if (kv.length == 2 && kv[0].equals("errno")) {
        errno = kv[1];
      } else {
        throw new SchemaException("patch-manifest: invalid --seccomp-mode argument \"" + a + "\" (expected remove|retain[,errno=ENAME])");
      }
    }
    if (set == null || set.isEmpty()) {
      throw new SchemaException("patch-manifest: --seccomp-mode needs --seccomp-set=syscall1,syscall2,...");
    }
    List<String> syscalls = List.of(set.split(","));
    if ("remove".equals(kind)) {
      return Isolators.seccompRemoveSet(syscalls, errno);
    } else if ("retain".equals(kind)) {
      return Isolators.seccompRetainSet(syscalls, errno);
    }
    throw new SchemaException("patch-manifest: unknown seccomp mode \"" + kind + "\" (expected remove or retain)");
  }

  private static boolean bool(String what, String spec, String v) throws SchemaException {
    if (v == null) {
      return false;
    }
    // the values Go's strconv.ParseBool accepts
    switch (v) {
      case "1", "t", "T", "true", "TRUE", "True": return true;
      case "0", "f", "F", "false", "FALSE", "False": return false;
      default:
        throw new SchemaException("patch-manifest: cannot parse " + what + " \"" + spec + "\": \"" + v + "\" is not true or false");
    }
  }

  private static int integer(String what, String spec, String v) throws SchemaException {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new SchemaException("patch-manifest: cannot parse " + what + " \"" + spec + "\": \"" + v + "\" is not an integer");
    }
  }
}
