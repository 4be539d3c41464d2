package org.appctools.cli.common;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process's standard error is a terminal, the one test behind every piece of
 * terminal-only output (progress bars, colour). Pipes, files and logs get neither.
 */
public final class Terminal {
  /** The width assumed when the terminal's cannot be read. */
  static final int DEFAULT_COLUMNS = 80;

  private static volatile Boolean stderr;
  private static volatile int columns;

  private Terminal() {}

  /**
   * True when file descriptor 2 is a terminal: on Linux what {@code /proc/self/fd/2} links to,
   * elsewhere the JVM's console (which needs stdin and stdout to be terminals too).
   */
  public static boolean stderrIsTerminal() {
    Boolean b = stderr;
    if (b == null) {
      b = isTerminal(Path.of("/proc/self/fd/2"));
      stderr = b;
    }
    return b;
  }

  /**
   * The width of the controlling terminal in columns, as {@code stty size} reads it from
   * {@code /dev/tty} (asked once), or {@value #DEFAULT_COLUMNS} when there is none.
   */
  public static int columns() {
    int c = columns;
    if (c == 0) {
      c = sttyColumns();
      columns = c;
    }
    return c;
  }

  private static int sttyColumns() {
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      return p.waitFor() == 0 ? parseColumns(out) : DEFAULT_COLUMNS;
    } catch (IOException e) {
      return DEFAULT_COLUMNS;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return DEFAULT_COLUMNS;
    }
  }

  /** The columns of {@code stty size}'s "ROWS COLUMNS", or the default for anything else. */
  static int parseColumns(String sttySize) {
    String[] rowsColumns = sttySize.split(" ");
    try {
      int c = rowsColumns.length == 2 ? Integer.parseInt(rowsColumns[1]) : 0;
      return c > 0 ? c : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }

  /** True when colour may be written to stderr: it is a terminal and {@code NO_COLOR} is unset or empty. */
  public static boolean colour() {
    return colour(stderrIsTerminal(), System.getenv("NO_COLOR"));
  }

  /** The rule of no-color.org: any non-empty {@code NO_COLOR} turns colour off. */
  static boolean colour(boolean terminal, String noColor) {
    return terminal && (noColor == null || noColor.isEmpty());
  }

  static boolean isTerminal(Path fdLink) {
    try {
      return isTerminalDevice(Files.readSymbolicLink(fdLink).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return System.console() != null;
    }
  }

  /** Pseudo-terminals, virtual consoles and serial lines: the devices a user types at. */
  static boolean isTerminalDevice(String device) {
    return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
  }
}
