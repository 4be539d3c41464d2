package org.appctools.cli.common;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings for picocli that every tool applies before its first command line is built: two
 * lookups picocli makes at start, which the tools do not need and which cost a large part of a
 * short command's time. Both properties are picocli's own; a value the user set is kept.
 *
 * <ul>
 *   <li>{@code picocli.disable.closures}: picocli's default factory looks for Groovy's
 *       {@code groovy.lang.Closure}. The tools ship no Groovy, so the lookup fails, and a class
 *       the class path lacks is looked for in every jar of it: the JDK opens each of the tools'
 *       jars and reads its manifest, about 30 ms, a third of a manifest-only acbuild command.
 *   <li>{@code picocli.converters.excludes}: picocli registers converters for the
 *       {@code java.sql} and {@code java.time} types by reflection, which loads and links those
 *       classes. No option of the tools has such a type without its own converter (durations are
 *       Go durations, {@code GoDuration}); {@link #optionsNeedingExcludedConverters} checks it.
 * </ul>
 */
public final class PicocliStartUp {
  /** The types whose built-in converters are not registered. */
  static final String EXCLUDED_CONVERTERS = "java\\.(sql|time)\\..*";

  private PicocliStartUp() {}

  /** Sets both properties unless they are set already. */
  public static void apply() {
    if (System.getProperty("picocli.disable.closures") == null) {
      System.setProperty("picocli.disable.closures", "true");
    }
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", EXCLUDED_CONVERTERS);
    }
  }

  /**
   * The options and parameters of {@code cl} and its subcommands, at any depth, whose type is one
   * of the excluded ones and that name no converter of their own: each would fail when given a
   * value. Empty for every tool (tested).
   */
  public static List<String> optionsNeedingExcludedConverters(CommandLine cl) {
    List<String> found = new ArrayList<>();
    collect(cl, found);
    return found;
  }

  private static void collect(CommandLine cl, List<String> found) {
    for (ArgSpec arg : cl.getCommandSpec().args()) {
      boolean ownConverter = arg.converters().length > 0;
      for (Class<?> type : arg.auxiliaryTypes()) {
        if (type.getName().matches(EXCLUDED_CONVERTERS) && !ownConverter) {
          String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
          found.add(cl.getCommandSpec().qualifiedName() + " " + name + " (" + type.getName() + ")");
        }
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collect(sub, found);
    }
  }
}
