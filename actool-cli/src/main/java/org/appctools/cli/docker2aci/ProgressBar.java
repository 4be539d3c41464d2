package org.appctools.cli.docker2aci;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.appctools.registry.DownloadProgress;

/**
 * Download progress on a terminal: one line, rewritten in place at most five times a second,
 * with the bytes of all layers so far against their total.
 */
final class ProgressBar implements DownloadProgress {
  private static final long INTERVAL_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final Map<String, long[]> blobs = new LinkedHashMap<>();
  private long lastPrint;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void started(String digest, long size) {
    blobs.put(digest, new long[] {0, size});
    print(true);
  }

  @Override
  public synchronized void advanced(String digest, long done) {
    long[] b = blobs.get(digest);
    if (b != null) {
      b[0] = done;
    }
    print(false);
  }

  @Override
  public synchronized void finished(String digest) {
    long[] b = blobs.get(digest);
    if (b != null && b[1] >= 0) {
      b[0] = b[1];
    }
    boolean all = blobs.values().stream().allMatch(x -> x[1] >= 0 && x[0] >= x[1]);
    print(true);
    if (all) {
      err.println();
    }
  }

  private void print(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastPrint < INTERVAL_NANOS) {
      return;
    }
    lastPrint = now;
    long done = 0;
    long total = 0;
    int complete = 0;
    for (long[] b : blobs.values()) {
      done += b[0];
      total += Math.max(b[1], 0);
      if (b[1] >= 0 && b[0] >= b[1]) {
        complete++;
      }
    }
    int width = 30;
    int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
    err.print("\rDownloading " + blobs.size() + " layers [" + "=".repeat(filled)
        + " ".repeat(width - filled) + "] " + mib(done) + " / " + mib(total) + " MiB, "
        + complete + " done ");
    err.flush();
  }

  private static String mib(long bytes) {
    return String.format("%.1f", bytes / (1024.0 * 1024.0));
  }
}
