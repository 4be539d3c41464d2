package org.appctools.cli.acbuild;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "copy-to-dir",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild copy-to-dir build/bin/* /usr/bin"},
    description = {"Copy files or directories into a directory in an ACI",
    "Copies each PATH_ON_HOST into the directory PATH_IN_ACI (created if missing)."})
final class CopyToDirCommand extends BuildStep {
  @Mixin CopyOwnerOptions owner;

  @Parameters(arity = "2..*", paramLabel = "PATH_ON_HOST... PATH_IN_ACI") List<String> args;

  @Override
  void apply(BuildSession session, String history) throws AppcException {
    List<Path> sources = new ArrayList<>();
    for (String s : args.subList(0, args.size() - 1)) {
      sources.add(Cli.hostPath(s));
    }
    String dir = args.get(args.size() - 1);
    Cli.debug(spec, "Copying host:" + args.subList(0, args.size() - 1) + " to aci:" + dir);
    session.copyToDir(sources, dir, owner.options(), history);
  }
}
