package org.appctools.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.appctools.AppcException;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.types.AcIdentifier;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;
import org.appctools.schema.types.Dependency;
import org.appctools.schema.types.EventHandler;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.Label;
import org.appctools.schema.types.Labels;
import org.appctools.schema.types.MountPoint;
import org.appctools.schema.types.NameAndLabels;
import org.appctools.schema.types.Port;

/**
 * The manifest changes of the acbuild commands, with the Go acbuild's semantics
 * ({@code lib/appc/*.go}): an add of an existing item replaces it (labels, mounts, ports,
 * isolators, dependencies and event handlers move to the end, annotations and environment
 * variables keep their place); a removal of an absent item throws {@link NotFoundException};
 * commands that touch the app create one with user and group {@code 0} when there is none.
 * Invalid values fail with an {@link AppcException} carrying the value's own message.
 */
public final class ManifestEdits {
  private ManifestEdits() {}

  /** A function that may throw the unchecked {@link InvalidValueException}. */
  @FunctionalInterface
  private interface Unchecked {
    ImageManifest apply(ImageManifest m) throws AppcException;
  }

  private static ManifestEdit edit(Unchecked f) {
    return m -> {
      try {
        return f.apply(m);
      } catch (InvalidValueException e) {
        throw new AppcException(e.getMessage(), e);
      }
    };
  }

  /** The app, or the Go tool's minimal one (user and group {@code 0}, no exec). */
  private static App app(ImageManifest m) {
    return m.app() != null ? m.app() : App.of(List.of(), "0", "0");
  }

  private static ImageManifest withApp(ImageManifest m, Function<App, App> f) {
    return m.withApp(f.apply(app(m)));
  }

  private static <T> List<T> removed(List<T> list, Predicate<T> match) {
    List<T> out = new ArrayList<>(list);
    out.removeIf(match);
    return out;
  }

  private static <T> List<T> appended(List<T> list, T item) {
    List<T> out = new ArrayList<>(list);
    out.add(item);
    return out;
  }

  private static <T> List<T> removedOrThrow(List<T> list, Predicate<T> match, String what)
      throws NotFoundException {
    List<T> out = removed(list, match);
    if (out.size() == list.size()) {
      throw new NotFoundException(what);
    }
    return out;
  }

  private static App requireApp(ImageManifest m, String what) throws NotFoundException {
    if (m.app() == null) {
      throw new NotFoundException(what + " (the image has no app)");
    }
    return m.app();
  }

  public static ManifestEdit addLabel(String name, String value) {
    return edit(m -> {
      AcIdentifier id = AcIdentifier.parse(name);
      List<Label> list = removed(m.labels().list(), l -> l.name().equals(id));
      return m.withLabels(new Labels(appended(list, new Label(id, value))));
    });
  }

  public static ManifestEdit removeLabel(String name) {
    return edit(m -> {
      AcIdentifier id = AcIdentifier.parse(name);
      return m.withLabels(new Labels(removedOrThrow(m.labels().list(), l -> l.name().equals(id),
          "label \"" + name + "\"")));
    });
  }

  public static ManifestEdit addAnnotation(String name, String value) {
    return edit(m -> m.withAnnotations(m.annotations().with(AcIdentifier.parse(name), value)));
  }

  public static ManifestEdit removeAnnotation(String name) {
    return edit(m -> {
      AcIdentifier id = AcIdentifier.parse(name);
      if (m.annotations().list().stream().noneMatch(a -> a.name().equals(id))) {
        throw new NotFoundException("annotation \"" + name + "\"");
      }
      return m.withAnnotations(m.annotations().without(id));
    });
  }

  public static ManifestEdit addEnvironment(String name, String value) {
    return edit(m -> withApp(m, a -> a.withEnvironment(a.environment().with(name, value))));
  }

  public static ManifestEdit removeEnvironment(String name) {
    return edit(m -> {
      App a = requireApp(m, "environment variable \"" + name + "\"");
      if (a.environment().get(name).isEmpty()) {
        throw new NotFoundException("environment variable \"" + name + "\"");
      }
      return m.withApp(a.withEnvironment(a.environment().without(name)));
    });
  }

  /** Replaces any mount point of the same name or the same path. */
  public static ManifestEdit addMount(String name, String path, boolean readOnly) {
    return edit(m -> {
      AcName n = AcName.parse(name);
      MountPoint mp = new MountPoint(n, path, readOnly);
      return withApp(m, a -> a.withMountPoints(appended(removed(a.mountPoints(),
          x -> x.name().value().equals(name) || x.path().equals(name)
              || x.name().value().equals(path) || x.path().equals(path)), mp)));
    });
  }

  /** Removes the mount points whose name or path is {@code nameOrPath}. */
  public static ManifestEdit removeMount(String nameOrPath) {
    return edit(m -> {
      String what = "mount point \"" + nameOrPath + "\"";
      App a = requireApp(m, what);
      return m.withApp(a.withMountPoints(removedOrThrow(a.mountPoints(),
          x -> x.name().value().equals(nameOrPath) || x.path().equals(nameOrPath), what)));
    });
  }

  /** Replaces any port whose name, or port number, is {@code name} (the Go tool's match). */
  public static ManifestEdit addPort(String name, String protocol, int port, int count,
      boolean socketActivated) {
    return edit(m -> {
      AcName n = AcName.parse(name);
      Port p = new Port(n, protocol, port, count, socketActivated);
      return withApp(m, a -> a.withPorts(appended(removed(a.ports(), portMatch(n)), p)));
    });
  }

  /** Removes the ports whose name, or port number, is {@code nameOrPort}. */
  public static ManifestEdit removePort(String nameOrPort) {
    return edit(m -> {
      String what = "port \"" + nameOrPort + "\"";
      App a = requireApp(m, what);
      AcName n = AcName.parse(nameOrPort);
      return m.withApp(a.withPorts(removedOrThrow(a.ports(), portMatch(n), what)));
    });
  }

  private static Predicate<Port> portMatch(AcName n) {
    return p -> p.name().equals(n) || Integer.toString(p.port()).equals(n.value());
  }

  /** Adds or replaces a known isolator; {@code valueJson} is its {@code value} object. */
  public static ManifestEdit addIsolator(String name, byte[] valueJson) {
    return edit(m -> {
      AcIdentifier id = AcIdentifier.parse(name);
      if (!Isolators.isKnown(id.value())) {
        throw new AppcException("unknown isolator name: " + name);
      }
      Isolator i = Isolators.parse(id.value(), valueJson);
      return withApp(m, a -> a.withIsolators(appended(
          removed(a.isolators(), x -> x.name().equals(id)), i)));
    });
  }

  public static ManifestEdit removeIsolator(String name) {
    return edit(m -> {
      String what = "isolator \"" + name + "\"";
      App a = requireApp(m, what);
      AcIdentifier id = AcIdentifier.parse(name);
      return m.withApp(a.withIsolators(removedOrThrow(a.isolators(), x -> x.name().equals(id), what)));
    });
  }

  /**
   * Adds or replaces the dependency on {@code imageName} ({@code NAME[:VERSION][,LABEL=VALUE]...}),
   * with the labels of the name followed by {@code labelsKeyEqValue} ({@code key=value} each), an
   * optional image id ({@code sha512-...}) and size (null or 0 for none).
   */
  /** A dependency from acbuild's arguments: NAME[:VERSION][,LABEL=VALUE...], --image-id, --label K=V..., --size. */
  public static Dependency dependency(String imageName, String imageId, List<String> labelsKeyEqValue, Long size)
      throws AppcException {
    try {
      NameAndLabels nl = NameAndLabels.parse(imageName);
      Labels labels = nl.labels();
      for (String kv : labelsKeyEqValue) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new AppcException("invalid label \"" + kv + "\": must be key=value");
        }
        AcIdentifier key = AcIdentifier.parse(kv.substring(0, eq));
        if (labels.get(key.value()).isPresent()) {
          throw new AppcException("invalid label \"" + kv + "\": label \"" + key
              + "\" given more than once");
        }
        labels = labels.with(key, kv.substring(eq + 1));
      }
      ImageId id = imageId == null || imageId.isEmpty() ? null : ImageId.parse(imageId);
      return new Dependency(nl.name(), id, labels, size);
    } catch (InvalidValueException e) {
      throw new AppcException(e.getMessage(), e);
    }
  }

  /** Adds a dependency, or replaces the one of the same name and moves it to the end (the Go acbuild's order rule). */
  public static ManifestEdit addDependency(Dependency d) {
    return edit(m -> m.withDependencies(appended(
        removed(m.dependencies(), x -> x.imageName().equals(d.imageName())), d)));
  }

  public static ManifestEdit removeDependency(String imageName) {
    return edit(m -> {
      AcIdentifier id = AcIdentifier.parse(imageName);
      return m.withDependencies(removedOrThrow(m.dependencies(), x -> x.imageName().equals(id),
          "dependency \"" + imageName + "\""));
    });
  }

  public static ManifestEdit setExec(List<String> argv) {
    return edit(m -> withApp(m, a -> a.withExec(argv)));
  }

  public static ManifestEdit setUser(String user) {
    return edit(m -> withApp(m, a -> a.withUser(user)));
  }

  public static ManifestEdit setGroup(String group) {
    return edit(m -> withApp(m, a -> a.withGroup(group)));
  }

  public static ManifestEdit setSupplementaryGroups(List<Long> gids) {
    return edit(m -> withApp(m, a -> a.withSupplementaryGIDs(gids)));
  }

  /** Sets the working directory; an empty one removes it. */
  public static ManifestEdit setWorkingDirectory(String dir) {
    return edit(m -> withApp(m, a -> a.withWorkingDirectory(dir)));
  }

  /** Sets the {@code pre-start} or {@code post-stop} handler, replacing one of that name. */
  public static ManifestEdit setEventHandler(String preStartOrPostStop, List<String> argv) {
    return edit(m -> {
      EventHandler h = new EventHandler(preStartOrPostStop, argv);
      return withApp(m, a -> a.withEventHandlers(appended(
          removed(a.eventHandlers(), x -> x.name().equals(preStartOrPostStop)), h)));
    });
  }

  public static ManifestEdit setName(String name) {
    return edit(m -> m.withName(AcIdentifier.parse(name)));
  }
}
