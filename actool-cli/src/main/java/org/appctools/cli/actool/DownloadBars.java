package org.appctools.cli.actool;

import java.io.PrintWriter;
import org.appctools.ProgressListener;
import org.appctools.cli.common.ProgressBar;
import org.appctools.store.Fetcher;

/**
 * What fetch and run show of a fetch: its notes, and a progress bar for each download (on a
 * terminal, unless quiet). {@link #end()} closes a bar a failed download left open.
 */
final class DownloadBars implements Fetcher.Listener {
  private final PrintWriter err;
  private final boolean quiet;
  private ProgressBar current;

  DownloadBars(PrintWriter err, boolean quiet) {
    this.err = err;
    this.quiet = quiet;
  }

  @Override
  public void note(String message) {
    end();
    err.println(message);
  }

  @Override
  public ProgressListener download(String what) {
    end();
    current = ProgressBar.on(err, "Downloading " + what, quiet);
    return current;
  }

  /** Ends the line of the last bar if it is still open. */
  void end() {
    if (current != null) {
      current.end();
    }
  }
}
