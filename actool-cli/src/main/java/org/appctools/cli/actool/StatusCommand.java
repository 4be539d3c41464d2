package org.appctools.cli.actool;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.executor.linux.PodInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool status 5f3b2c1e",
      "  actool status --json 5f3b2c1e | jq .state"},
    description = {
    "Show the status of a pod, as rkt status: state, times, the PID of its init, its networks and addresses, each",
    "app's exit status",
    "",
    "UUID may be a unique prefix of the pod's UUID."})
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PodsOptions pods;

  @Option(names = "--json", description = "Print a JSON object: uuid, state, created, started, exited, pid, net, "
      + "exitCode, apps (objects of name, imageName, imageId, exitCode); null where not known")
  boolean json;

  @Parameters(paramLabel = "UUID") String uuid;

  @Override
  public Integer call() {
    try {
      PodInfo p = pods.pods().get(uuid);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(PodJson.of(p));
        return 0;
      }
      out.println("state=" + p.state());
      out.println("created=" + p.created());
      if (p.started() != null) {
        out.println("started=" + p.started());
      }
      if (p.pid() != null) {
        out.println("pid=" + p.pid());
      }
      if (!p.networks().isEmpty()) {
        // rkt's form: networks=NAME:ip4=ADDRESS,...
        out.println("networks=" + String.join(",", p.networks().stream()
            .map(n -> n.name() + ":" + (n.addresses().isEmpty() ? "" : PodJson.rktAddress(n.addresses().get(0)))).toList()));
      }
      out.println("exited=" + (p.state() == PodInfo.State.EXITED || p.state() == PodInfo.State.ABORTED));
      for (PodInfo.App a : p.apps()) {
        if (a.exitCode() != null) {
          out.println("app-" + a.name() + "=" + a.exitCode());
        }
      }
      return 0;
    } catch (AppcException e) {
      return PodCommands.failed(spec, e);
    }
  }
}
