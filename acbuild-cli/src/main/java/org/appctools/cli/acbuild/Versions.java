package org.appctools.cli.acbuild;

import org.appctools.schema.types.SemVer;
import picocli.CommandLine.IVersionProvider;

final class Versions implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Acbuild.class.getPackage().getImplementationVersion();
    return new String[] {"acbuild version " + (v == null ? "dev" : v), "appc version " + SemVer.CURRENT};
  }
}
