package org.appctools.executor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.RuntimeImage;
import org.appctools.schema.types.AcName;
import org.appctools.schema.types.App;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.EnvironmentVariables;
import org.appctools.schema.types.ImageId;
import org.appctools.schema.types.InvalidValueException;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.Isolators;
import org.appctools.schema.types.Volume;
import org.appctools.schema.ImageManifest;

/**
 * Makes the reified pod manifest of {@code actool run IMAGE...} (spec pods.md): one app per image,
 * named as rkt names it unless {@code --name} says, referenced by Image ID, with the image's app
 * section and the command line's changes; the volumes given; {@code --set-env} on every app.
 */
public final class PodAssembler {
  private PodAssembler() {}

  /** One image of the pod: its ID and manifest, and the options that follow it on the command line. */
  public record Input(ImageId id, ImageManifest manifest, AppOverrides overrides) {}

  /** The pod manifest of {@code apps}. */
  public static PodManifest assemble(List<Input> apps, List<Volume> volumes, List<EnvironmentVariable> setEnv)
      throws AppcException {
    List<RuntimeApp> out = new ArrayList<>();
    Set<AcName> names = new HashSet<>();
    for (Input in : apps) {
      AppOverrides o = in.overrides();
      AcName name;
      try {
        name = o.name() != null ? AcName.parse(o.name()) : appName(in.manifest().name().value());
      } catch (InvalidValueException e) {
        throw new AppcException("--name: " + e.getMessage());
      }
      if (!names.add(name)) {
        throw new AppcException("two apps are named \"" + name + "\" (give one another name with --name)");
      }
      App app;
      try {
        app = app(in.manifest(), o, setEnv);
      } catch (InvalidValueException e) {
        throw new AppcException("app \"" + name + "\": " + e.getMessage(), e);
      }
      out.add(new RuntimeApp(name, new RuntimeImage(in.manifest().name(), in.id(), in.manifest().labels()), app,
          o.readOnlyRootfs(), o.mounts(), null));
    }
    try {
      return PodManifest.empty().withApps(out).withVolumes(volumes);
    } catch (InvalidValueException e) {
      throw new AppcException(e.getMessage(), e);
    }
  }

  /**
   * rkt's app name for an image name ({@code common.ImageNameToAppName}): the last path element,
   * lower-cased, every character outside {@code [a-z0-9-]} a dash, dashes trimmed.
   */
  public static AcName appName(String imageName) throws AppcException {
    String last = imageName.substring(imageName.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    String s = last.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    if (s.isEmpty()) {
      throw new AppcException("cannot make an app name of the image name " + imageName + " (give one with --name)");
    }
    return AcName.parse(s);
  }

  private static App app(ImageManifest m, AppOverrides o, List<EnvironmentVariable> setEnv) {
    App app = m.app() != null ? m.app() : App.of(List.of(), "0", "0");
    List<String> exec = new ArrayList<>(app.exec());
    if (o.exec() != null) {
      exec = new ArrayList<>(List.of(o.exec()));
    }
    exec.addAll(o.args());
    app = app.withExec(exec);
    if (o.user() != null) {
      app = app.withUser(o.user());
    }
    if (o.group() != null) {
      app = app.withGroup(o.group());
    }
    if (o.supplementaryGids() != null) {
      app = app.withSupplementaryGIDs(o.supplementaryGids());
    }
    if (o.workingDirectory() != null) {
      app = app.withWorkingDirectory(o.workingDirectory());
    }
    EnvironmentVariables env = app.environment();
    for (EnvironmentVariable v : o.environment()) {
      env = env.with(v.name(), v.value());
    }
    for (EnvironmentVariable v : setEnv) {
      env = env.with(v.name(), v.value());
    }
    app = app.withEnvironment(env);
    if (!o.isolators().isEmpty()) {
      Set<String> replaced = new HashSet<>();
      for (Isolator i : o.isolators()) {
        replaced.add(i.name().value());
        if (i.name().value().equals(Isolators.CAPABILITIES_RETAIN_SET)) {
          replaced.add(Isolators.CAPABILITIES_REMOVE_SET);
        } else if (i.name().value().equals(Isolators.CAPABILITIES_REMOVE_SET)) {
          replaced.add(Isolators.CAPABILITIES_RETAIN_SET);
        }
      }
      List<Isolator> isolators = new ArrayList<>();
      for (Isolator i : app.isolators()) {
        if (!replaced.contains(i.name().value())) {
          isolators.add(i);
        }
      }
      isolators.addAll(o.isolators());
      app = app.withIsolators(isolators);
    }
    return app;
  }
}
