package org.appctools.cli.actool;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "gc",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool gc",
      "  actool gc --grace-period 0s"},
    description = {
    "Remove pods that exited more than the grace period ago, and whatever a killed executor left",
    "",
    "Undoes the CNI networks a killed executor left (DEL with the recorded configuration, the network namespace",
    "unmounted), removes their state directories and their cgroups (killing any process left in them), and cgroups of pods that",
    "no longer exist. Running pods are kept. The images are not touched: actool image gc removes those."})
final class GcCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PodsOptions pods;

  @Option(names = "--grace-period", paramLabel = "DURATION", defaultValue = "30m", converter = GoDuration.class,
      description = "Keep pods that exited within this long (e.g. 30m, 1h, 0; default ${DEFAULT-VALUE})")
  Duration gracePeriod;

  @Override
  public Integer call() {
    try {
      for (UUID u : pods.pods().gc(gracePeriod, Instant.now())) {
        spec.commandLine().getOut().println("Removed pod " + u);
      }
      return 0;
    } catch (AppcException e) {
      return PodCommands.failed(spec, e);
    }
  }
}
