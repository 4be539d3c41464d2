package org.appctools.cli.acbuild;

import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "copy",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild copy ./nginx.conf /etc/nginx/nginx.conf"},
    description = {"Copy a file or directory into an ACI",
    "Copies the file or directory at PATH_ON_HOST to PATH_IN_ACI (parents are created; to copy into a directory use copy-to-dir)."})
final class CopyCommand extends BuildStep {
  @Mixin CopyOwnerOptions owner;

  @Parameters(index = "0", paramLabel = "PATH_ON_HOST") String source;
  @Parameters(index = "1", paramLabel = "PATH_IN_ACI") String dest;

  @Override
  void apply(BuildSession session, String history) throws AppcException {
    Cli.debug(spec, "Copying host:" + source + " to aci:" + dest);
    session.copy(Cli.hostPath(source), dest, owner.options(), history);
  }
}
