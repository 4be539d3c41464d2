package org.appctools.cli.common;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.appctools.ProgressListener;
import org.appctools.registry.DownloadProgress;

/**
 * The one progress bar of the three tools: a line on stderr, redrawn in place at most ten times a
 * second: {@code Writing app.aci [=======     ] 12.0 MiB / 40.0 MiB  30%}, or the bytes alone when
 * the total is unknown. It draws only on a terminal and not under {@code --quiet}; otherwise
 * every method does nothing, so pipes and logs stay clean.
 *
 * <p>As a {@link ProgressListener} it shows one piece of work, and ends its line when the work is
 * complete. As a {@link DownloadProgress} it sums the blobs of a registry download, which start
 * one after another, so its line ends only at {@link #end()}. Call {@link #end()} when the work
 * is over, also when it failed: a line left open would run into the error message.
 */
public final class ProgressBar implements ProgressListener, DownloadProgress {
  private static final int WIDTH = 24;
  private static final long INTERVAL_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final String what;
  private final boolean drawing;
  private final Map<String, long[]> blobs = new LinkedHashMap<>();
  private long lastDraw;
  private boolean open;
  private boolean ended;

  private ProgressBar(PrintWriter err, String what, boolean drawing) {
    this.err = err;
    this.what = what;
    this.drawing = drawing;
  }

  /** A bar for {@code what} ("Writing app.aci") that draws when stderr is a terminal and not {@code quiet}. */
  public static ProgressBar on(PrintWriter err, String what, boolean quiet) {
    return new ProgressBar(err, what, !quiet && Terminal.stderrIsTerminal());
  }

  /** Whether this bar draws at all. */
  public boolean drawing() {
    return drawing;
  }

  @Override
  public synchronized void progress(long done, long total) {
    if (!drawing || ended) {
      return;
    }
    boolean complete = total > 0 && done >= total;
    draw(fit(line(what, done, total), what, Terminal.columns()), complete);
    if (complete) {
      end();
    }
  }

  @Override
  public synchronized void started(String digest, long size) {
    blobs.put(digest, new long[] {0, size});
    drawBlobs(true);
  }

  @Override
  public synchronized void advanced(String digest, long done) {
    long[] b = blobs.get(digest);
    if (b != null) {
      b[0] = done;
    }
    drawBlobs(false);
  }

  @Override
  public synchronized void finished(String digest) {
    long[] b = blobs.get(digest);
    if (b != null && b[1] >= 0) {
      b[0] = b[1];
    }
    drawBlobs(true);
  }

  /** Ends the bar's line if one was drawn; later progress is not drawn. */
  public synchronized void end() {
    if (open) {
      err.println();
      err.flush();
    }
    open = false;
    ended = true;
  }

  private void drawBlobs(boolean force) {
    if (!drawing || ended) {
      return;
    }
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
    String label = what + " (" + complete + "/" + blobs.size() + ")";
    draw(fit(line(label, done, total), label, Terminal.columns()), force);
  }

  private void draw(String line, boolean force) {
    long now = System.nanoTime();
    if (!force && open && now - lastDraw < INTERVAL_NANOS) {
      return;
    }
    lastDraw = now;
    open = true;
    // carriage return, the line, then erase what a longer earlier line left
    err.print("\r" + line + "\u001b[K");
    err.flush();
  }

  /** The text of the bar: {@code what [====    ] 1.0 MiB / 2.0 MiB  50%}, or {@code what: 1.0 MiB} without a total. */
  static String line(String what, long done, long total) {
    if (total <= 0) {
      return what + ": " + size(done);
    }
    long shown = Math.min(done, total);
    int filled = (int) (shown * WIDTH / total);
    return what + " [" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + size(shown) + " / " + size(total)
        + String.format(Locale.ROOT, " %3d%%", shown * 100 / total);
  }

  /**
   * {@code line} made to fit {@code columns - 1} columns (a full line would wrap, and the next
   * carriage return would then draw below it): its {@code label} loses its middle to "...".
   */
  static String fit(String line, String label, int columns) {
    int over = line.length() - (columns - 1);
    if (over <= 0) {
      return line;
    }
    int keep = label.length() - over - 3;
    if (keep < 2) {
      return line.substring(0, columns - 1);
    }
    String shortened = label.substring(0, keep / 2) + "..." + label.substring(label.length() - (keep - keep / 2));
    return shortened + line.substring(label.length());
  }

  /** Bytes as people read them: {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 MiB}. */
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
