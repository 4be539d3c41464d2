package org.appctools.cli.actool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.executor.linux.PodInfo;
import org.appctools.executor.linux.Pods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stop",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool stop 5f3b2c1e",
      "  actool stop --force --timeout 5s 5f3b2c1e 9a0d4e77"},
    description = {
    "Stop running pods: SIGTERM to the pod's init, which forwards it to the apps, then SIGKILL after a timeout",
    "",
    "Prints the UUID of each pod stopped. UUID may be a unique prefix."})
final class StopCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PodsOptions pods;

  @Option(names = "--force", description = "SIGKILL at once")
  boolean force;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = GoDuration.class,
      description = "How long the apps get to end after SIGTERM (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Parameters(paramLabel = "UUID", arity = "1..*") List<String> uuids;

  @Override
  public Integer call() {
    int code = 0;
    Pods p = pods.pods();
    for (String u : uuids) {
      try {
        PodInfo pod = p.get(u);
        if (pod.state() != PodInfo.State.RUNNING) {
          throw new AppcException("pod " + pod.uuid() + " is not running (" + pod.state() + ")");
        }
        if (!p.stop(pod, force, timeout)) {
          throw new AppcException("pod " + pod.uuid() + " did not stop");
        }
        spec.commandLine().getOut().println(pod.uuid());
      } catch (AppcException e) {
        code = PodCommands.failed(spec, e);
      }
    }
    return code;
  }
}
