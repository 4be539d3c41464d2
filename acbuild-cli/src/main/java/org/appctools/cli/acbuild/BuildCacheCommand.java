package org.appctools.cli.acbuild;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.store.BuildCache;
import org.appctools.store.ImageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code acbuild build-cache gc}: removes the step cache's entries of acbuild build and acbuild script --cache. */
@Command(name = "build-cache",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild build-cache gc",
      "  acbuild build-cache gc --unused-for 168h"},
    description = {"Manage the build step cache in the image store"},
    subcommands = BuildCacheCommand.Gc.class)
final class BuildCacheCommand {
  @Command(name = "gc",
      footerHeading = "%nExamples:%n",
      footer = {
        "  acbuild build-cache gc",
        "  acbuild build-cache gc --unused-for 168h"},
      description = {"Remove cached build steps and images",
      "Removes every entry of the build cache (acbuild build, acbuild script --cache), or with --unused-for",
      "only those not used within that long."})
  static final class Gc implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(h|m|s)");

    @Spec CommandSpec spec;

    @Option(names = "--unused-for", paramLabel = "DURATION", defaultValue = "0s",
        description = "Keep entries used within DURATION (e.g. 168h, 30m; default: ${DEFAULT-VALUE}, remove all)")
    String unusedFor;

    @Override
    public Integer call() throws AppcException {
      Acbuild root = Acbuild.of(spec);
      root.refuseModify(spec);
      Duration keep = duration(unusedFor);
      BuildCache cache = BuildCache.open(ImageStore.open(root.storeDir()));
      BuildCache.GcResult r = cache.gc(keep, Instant.now());
      spec.commandLine().getOut().println("removed " + r.states() + " cached steps and " + r.acis() + " cached images");
      return 0;
    }

    private Duration duration(String s) {
      Matcher m = DURATION.matcher(s);
      Duration d = Duration.ZERO;
      int at = 0;
      while (m.find() && m.start() == at) {
        long n = Long.parseLong(m.group(1));
        d = d.plus(switch (m.group(2)) {
          case "h" -> Duration.ofHours(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        });
        at = m.end();
      }
      if (at != s.length() || s.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--unused-for: \"" + s + "\" is not a duration such as 168h, 30m or 0s");
      }
      return d;
    }
  }
}
