package org.appctools.cli.acbuild;

import org.appctools.AppcException;
import org.appctools.build.BuildSession;
import org.appctools.build.ManifestEdit;

/** A command that only changes the manifest: one {@link ManifestEdit}. */
abstract class ManifestEditStep extends BuildStep {
  abstract ManifestEdit edit() throws AppcException;

  @Override
  final void apply(BuildSession session, String history) throws AppcException {
    session.edit(history, edit());
  }
}
