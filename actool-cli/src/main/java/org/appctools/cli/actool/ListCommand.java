package org.appctools.cli.actool;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.appctools.AppcException;
import org.appctools.executor.linux.PodInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list",
    footerHeading = "%nExamples:%n",
    footer = {
      "  actool list",
      "  actool list --no-legend --full",
      "  actool list --json | jq -r '.[] | select(.state == \"running\") | .uuid'"},
    description = {
    "List the pods, as rkt list: one line per app, tab-separated",
    "",
    "Columns: UUID (the first 8 characters, all with --full), APP, IMAGE NAME, STATE, CREATED, STARTED, NETWORK (the",
    "--net mode, or the CNI networks with the pod's addresses: default:ip4=172.16.28.2)."})
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PodsOptions pods;

  @Option(names = "--full", description = "Full UUIDs, times in RFC 3339")
  boolean full;

  @Option(names = "--no-legend", description = "Leave out the header line")
  boolean noLegend;

  @Option(names = "--json", description = "Print a JSON array of objects, one a pod: uuid, state, created, started, "
      + "exited, pid, net, exitCode, apps (objects of name, imageName, imageId, exitCode); null where not known")
  boolean json;

  @Override
  public Integer call() {
    try {
      List<PodInfo> all = pods.pods().list();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(PodJson.of(all));
        return 0;
      }
      if (!noLegend) {
        out.println("UUID\tAPP\tIMAGE NAME\tSTATE\tCREATED\tSTARTED\tNETWORK");
      }
      Instant now = Instant.now();
      for (PodInfo p : all) {
        boolean first = true;
        for (PodInfo.App a : p.apps()) {
          String uuid = full ? p.uuid().toString() : p.uuid().toString().substring(0, 8);
          out.println(String.join("\t", first ? uuid : "", a.name(), a.imageName() == null ? a.imageId() : a.imageName(),
              first ? p.state().toString() : "", first ? time(p.created(), now) : "",
              first ? time(p.started(), now) : "", first ? network(p) : ""));
          first = false;
        }
      }
      return 0;
    } catch (AppcException e) {
      return PodCommands.failed(spec, e);
    }
  }

  /** rkt's NETWORKS column: {@code NAME:ip4=ADDRESS,...}, or the --net mode without CNI networks. */
  private static String network(PodInfo p) {
    if (p.networks().isEmpty()) {
      return p.net();
    }
    return String.join(",", p.networks().stream().map(n -> n.addresses().isEmpty() ? n.name()
        : n.name() + ":" + PodJson.rktAddress(n.addresses().get(0))).toList());
  }

  private String time(Instant t, Instant now) {
    if (t == null) {
      return "";
    }
    if (full) {
      return t.toString();
    }
    long s = Math.max(0, Duration.between(t, now).toSeconds());
    if (s < 60) {
      return s + (s == 1 ? " second ago" : " seconds ago");
    }
    if (s < 3600) {
      return s / 60 + (s / 60 == 1 ? " minute ago" : " minutes ago");
    }
    if (s < 86400) {
      return s / 3600 + (s / 3600 == 1 ? " hour ago" : " hours ago");
    }
    return s / 86400 + (s / 86400 == 1 ? " day ago" : " days ago");
  }
}
