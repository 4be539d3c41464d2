package org.appctools.schema.types;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The execution parameters of an image or pod app. {@code user} and {@code group} are required;
 * {@code workingDirectory} (null when absent) must be absolute; at most one event handler per name;
 * single-instance isolators at most once, and never both seccomp sets. Lists and maps are never
 * null. JSON field order follows the Go struct {@code types.App}.
 */
@JsonPropertyOrder({"exec", "eventHandlers", "user", "group", "supplementaryGIDs", "workingDirectory",
    "environment", "mountPoints", "ports", "isolators", "userAnnotations", "userLabels"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record App(
    @JsonInclude(JsonInclude.Include.ALWAYS) List<String> exec,
    @JsonInclude(JsonInclude.Include.ALWAYS) String user,
    @JsonInclude(JsonInclude.Include.ALWAYS) String group,
    List<Long> supplementaryGIDs,
    List<EventHandler> eventHandlers,
    String workingDirectory,
    EnvironmentVariables environment,
    List<Isolator> isolators,
    List<MountPoint> mountPoints,
    List<Port> ports,
    Map<String, String> userAnnotations,
    Map<String, String> userLabels) {

  public App {
    exec = copy(exec, "exec");
    if (user == null || user.isEmpty()) {
      throw new InvalidValueException("invalid app: user is required");
    }
    if (group == null || group.isEmpty()) {
      throw new InvalidValueException("invalid app: group is required");
    }
    supplementaryGIDs = copy(supplementaryGIDs, "supplementaryGIDs");
    for (Long gid : supplementaryGIDs) {
      if (gid < 0 || gid > 0xFFFFFFFFL) {
        throw new InvalidValueException("invalid app: supplementary GID " + gid + " must be in 0..4294967295");
      }
    }
    eventHandlers = copy(eventHandlers, "eventHandlers");
    Set<String> handlers = new HashSet<>();
    for (EventHandler h : eventHandlers) {
      if (!handlers.add(h.name())) {
        throw new InvalidValueException("invalid app: only one event handler of name \"" + h.name() + "\" allowed");
      }
    }
    if (workingDirectory != null && workingDirectory.isEmpty()) {
      workingDirectory = null;
    }
    if (workingDirectory != null && !workingDirectory.startsWith("/")) {
      throw new InvalidValueException("invalid app: workingDirectory \"" + workingDirectory
          + "\" must be an absolute path");
    }
    environment = environment == null ? EnvironmentVariables.of() : environment;
    isolators = copy(isolators, "isolators");
    checkIsolators(isolators);
    mountPoints = copy(mountPoints, "mountPoints");
    ports = copy(ports, "ports");
    userAnnotations = sorted(userAnnotations, "userAnnotations");
    userLabels = sorted(userLabels, "userLabels");
  }

  public static App of(List<String> exec, String user, String group) {
    return new App(exec, user, group, null, null, null, null, null, null, null, null, null);
  }

  /** Rejects repeated single-instance isolators and seccomp retain and remove sets together. */
  static void checkIsolators(List<Isolator> isolators) {
    Set<String> seen = new HashSet<>();
    for (Isolator i : isolators) {
      String n = i.name().value();
      if (!seen.add(n) && Isolators.SINGLE_INSTANCE.contains(n)) {
        throw new InvalidValueException("invalid isolators: \"" + n + "\" may appear only once");
      }
    }
    if (seen.contains(Isolators.SECCOMP_REMOVE_SET) && seen.contains(Isolators.SECCOMP_RETAIN_SET)) {
      throw new InvalidValueException("invalid isolators: " + Isolators.SECCOMP_REMOVE_SET + " and "
          + Isolators.SECCOMP_RETAIN_SET + " cannot be combined");
    }
  }

  private static <T> List<T> copy(List<T> list, String field) {
    if (list == null) {
      return List.of();
    }
    for (T t : list) {
      if (t == null) {
        throw new InvalidValueException("invalid app: " + field + " must not contain null");
      }
    }
    return List.copyOf(list);
  }

  private static Map<String, String> sorted(Map<String, String> map, String field) {
    if (map == null) {
      return Map.of();
    }
    TreeMap<String, String> copy = new TreeMap<>();
    map.forEach((k, v) -> {
      if (k == null || v == null) {
        throw new InvalidValueException("invalid app: " + field + " must not contain null");
      }
      copy.put(k, v);
    });
    return Collections.unmodifiableMap(copy);
  }

  public App withExec(List<String> v) {
    return new App(v, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withUser(String v) {
    return new App(exec, v, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withGroup(String v) {
    return new App(exec, user, v, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withSupplementaryGIDs(List<Long> v) {
    return new App(exec, user, group, v, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withEventHandlers(List<EventHandler> v) {
    return new App(exec, user, group, supplementaryGIDs, v, workingDirectory, environment, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withWorkingDirectory(String v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, v, environment, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withEnvironment(EnvironmentVariables v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, v, isolators,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withIsolators(List<Isolator> v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, v,
        mountPoints, ports, userAnnotations, userLabels);
  }

  public App withMountPoints(List<MountPoint> v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        v, ports, userAnnotations, userLabels);
  }

  public App withPorts(List<Port> v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, v, userAnnotations, userLabels);
  }

  public App withUserAnnotations(Map<String, String> v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, ports, v, userLabels);
  }

  public App withUserLabels(Map<String, String> v) {
    return new App(exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment, isolators,
        mountPoints, ports, userAnnotations, v);
  }
}
