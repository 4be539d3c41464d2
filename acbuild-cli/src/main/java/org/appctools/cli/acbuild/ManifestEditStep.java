package org.appctools.cli.acbuild;

import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.ManifestEdit;

/**
 * A command that only changes the manifest: one {@link ManifestEdit}, or in OCI mode one change
 * of the image state ({@link #ociEdit}), which commands without an OCI meaning refuse as the Go
 * acbuild did.
 */
abstract class ManifestEditStep extends BuildStep {
  abstract ManifestEdit edit() throws AppcException;

  /** The OCI-mode edit; by default the refusal of {@link #appcOnly}. */
  BuildSession.StateEdit ociEdit() throws AppcException {
    throw new AppcException(appcOnly());
  }

  /** The Go acbuild's refusal of this command in an OCI build. */
  String appcOnly() {
    return Acbuild.commandPath(spec) + " is only supported in appc builds";
  }

  @Override
  final void apply(BuildSession session, String history) throws AppcException {
    session.edit(history, edit());
  }

  @Override
  final void applyOci(BuildSession session, String history) throws AppcException {
    session.editOci(history, ociEdit());
  }
}
