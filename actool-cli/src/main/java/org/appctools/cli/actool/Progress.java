package org.appctools.cli.actool;

import java.io.PrintWriter;
import java.util.Locale;
import org.appctools.http.Http;

/**
 * A one-line progress bar on the terminal for downloads and other long work: redrawn in place at
 * most ten times a second, finished with a newline. Off when the output is not a terminal or the
 * user asked for quiet, so pipes and logs stay clean.
 */
final class Progress implements Http.ProgressListener {
  private static final int BAR = 24;
  private final PrintWriter err;
  private final String what;
  private long lastDraw;
  private boolean drawn;

  private Progress(PrintWriter err, String what) {
    this.err = err;
    this.what = what;
  }

  /** A bar for {@code what} when stderr is worth drawing on, else null (no progress). */
  static Progress on(PrintWriter err, String what, boolean quiet) {
    return quiet || System.console() == null ? null : new Progress(err, what);
  }

  @Override
  public void progress(long bytes, long total) {
    long now = System.nanoTime();
    boolean done = total > 0 && bytes >= total;
    if (!done && drawn && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    drawn = true;
    err.print("\r" + line(what, bytes, total));
    if (done) {
      err.println();
    }
    err.flush();
  }

  static String line(String what, long bytes, long total) {
    if (total <= 0) {
      return what + ": " + size(bytes);
    }
    int filled = (int) Math.min(BAR, bytes * BAR / total);
    return what + " [" + "=".repeat(filled) + " ".repeat(BAR - filled) + "] " + size(bytes) + " / " + size(total)
        + String.format(Locale.ROOT, " %3d%%", bytes * 100 / total);
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
