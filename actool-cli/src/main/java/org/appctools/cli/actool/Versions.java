package org.appctools.cli.actool;

import org.appctools.schema.types.SemVer;
import picocli.CommandLine.IVersionProvider;

/** The version lines of {@code actool version} and {@code --version}. */
final class Versions implements IVersionProvider {
  static String toolVersion() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"actool version " + toolVersion(), "appc version " + SemVer.CURRENT};
  }
}
