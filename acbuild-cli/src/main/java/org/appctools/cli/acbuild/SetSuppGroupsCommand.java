package org.appctools.cli.acbuild;

import org.appctools.build.BuildSession;

import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.build.ManifestEdit;
import org.appctools.build.ManifestEdits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "set-supp-groups",
    footerHeading = "%nExamples:%n",
    footer = {
      "  acbuild set-supp-groups 10 20",
      "  acbuild set-supp-groups   # no supplementary groups"},
    description = {"Set the app's supplementary groups",
    "Sets the app's supplementary group IDs (none clears them). Example: acbuild set-supp-groups 10 33"})
final class SetSuppGroupsCommand extends ManifestEditStep {
  @Parameters(arity = "0..*", paramLabel = "GID") List<String> gids = new ArrayList<>();

  @Override
  BuildSession.StateEdit ociEdit() throws AppcException {
    throw new AppcException("supplementary groups only supported in appc builds");
  }

  @Override
  ManifestEdit edit() throws AppcException {
    List<Long> values = new ArrayList<>();
    for (String g : gids) {
      try {
        long v = Long.parseLong(g);
        if (v < 0 || v > 0xFFFFFFFFL) {
          throw new NumberFormatException();
        }
        values.add(v);
      } catch (NumberFormatException e) {
        throw new AppcException("supplementary group " + g + " is not a GID (a number in 0..4294967295)");
      }
    }
    Cli.debug(spec, "Setting supplementary groups to " + values);
    return ManifestEdits.setSupplementaryGroups(values);
  }
}
