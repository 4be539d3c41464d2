package org.appctools.cli.common;

import java.io.PrintWriter;

/**
 * The one-line error report of the three tools, {@code fetch: no such file: x.aci}: on a terminal
 * that allows colour (see {@link Terminal#colour()}) its prefix, up to the first {@code ": "}, is
 * bold red; elsewhere the line is plain text.
 */
public final class ErrorLine {
  private static final String RED = "\u001b[1;31m";
  private static final String RESET = "\u001b[0m";

  private ErrorLine() {}

  /** Prints {@code line} to {@code err}, coloured when stderr is a colour terminal. */
  public static void print(PrintWriter err, String line) {
    err.println(format(line, Terminal.colour()));
    err.flush();
  }

  /** {@code line}, its prefix in bold red when {@code colour}. */
  static String format(String line, boolean colour) {
    int colon = line.indexOf(": ");
    if (!colour || colon < 0) {
      return line;
    }
    return RED + line.substring(0, colon + 1) + RESET + line.substring(colon + 1);
  }
}
