package org.appctools.cli.common;

import org.appctools.WarmUp;
import org.appctools.compress.Compression;
import org.appctools.hash.Hashes;
import org.appctools.schema.ManifestJson;
import org.appctools.schema.PodManifest;

/**
 * What a tool's warm-up thread prepares after the command's annotations ({@link WarmUp}): the
 * manifest codecs, and libdeflate, ISA-L and libcrypto for the commands that write gzip or read
 * whole ACIs (which hash them). A class rather than a lambda (see {@link WarmUp}), shared by the
 * tools so that their class-data archives hold it.
 */
public final class StartUpWork implements Runnable {
  private final boolean pods;
  private final boolean gzip;

  /**
   * @param pods the pod manifest codec too (actool, whose run, status and list read pod manifests)
   * @param gzip the command writes gzip or reads whole ACIs: libdeflate and libcrypto are loaded
   */
  public StartUpWork(boolean pods, boolean gzip) {
    this.pods = pods;
    this.gzip = gzip;
  }

  @Override
  public void run() {
    ManifestJson.warmUp();
    if (pods) {
      PodManifest.empty().toJson();
    }
    if (gzip) {
      Compression.prepareGzip();
      Hashes.nativeChosen();
    }
  }
}
