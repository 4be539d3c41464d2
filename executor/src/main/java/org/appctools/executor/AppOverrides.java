package org.appctools.executor;

import java.util.List;
import org.appctools.schema.Mount;
import org.appctools.schema.types.EnvironmentVariable;
import org.appctools.schema.types.Isolator;

/**
 * The per-app options of {@code actool run}, as rkt's: each null (or empty) leaves the image's
 * value. {@code exec} replaces the image's command (its arguments too); {@code args} are appended
 * to the command (rkt's {@code -- ARGS}); {@code isolators} replace the image's isolators of the
 * same names ({@code --memory}, {@code --cpu}, {@code --caps-retain}...).
 */
public record AppOverrides(String name, String exec, List<String> args, String user, String group,
    List<Long> supplementaryGids, String workingDirectory, List<EnvironmentVariable> environment,
    List<Mount> mounts, List<Isolator> isolators, boolean readOnlyRootfs) {
  public AppOverrides {
    args = args == null ? List.of() : List.copyOf(args);
    environment = environment == null ? List.of() : List.copyOf(environment);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    isolators = isolators == null ? List.of() : List.copyOf(isolators);
    supplementaryGids = supplementaryGids == null ? null : List.copyOf(supplementaryGids);
  }

  /** No overrides: the image as it is. */
  public static AppOverrides none() {
    return new AppOverrides(null, null, null, null, null, null, null, null, null, null, false);
  }
}
