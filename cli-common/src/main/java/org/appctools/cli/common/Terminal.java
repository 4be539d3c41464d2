package org.appctools.cli.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this process's standard error is a terminal, the one test behind every piece of
 * terminal-only output (progress bars, colour). Pipes, files and logs get neither.
 */
public final class Terminal {
  private static volatile Boolean stderr;

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
