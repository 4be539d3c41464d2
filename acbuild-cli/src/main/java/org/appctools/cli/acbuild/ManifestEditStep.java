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

  /**
   * The OCI-mode edit; commands without an OCI meaning throw the Go acbuild's refusal
   * ("dependencies only supported in appc builds").
   */
  abstract BuildSession.StateEdit ociEdit() throws AppcException;

  @Override
  final void apply(BuildSession session, String history) throws AppcException {
    session.edit(history, edit());
  }

  @Override
  final void applyOci(BuildSession session, String history) throws AppcException {
    session.editOci(history, ociEdit());
  }
}
