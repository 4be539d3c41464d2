package org.appctools;

/**
 * The base of every failure that {@code core} reports to its callers: bad input, a format
 * violation, an IO problem with a named file. The message names the operation, the value and,
 * where there is one, the fix, so a command line can print it as it is.
 */
public class AppcException extends Exception {
  public AppcException(String message) {
    super(message);
  }

  public AppcException(String message, Throwable cause) {
    super(message, cause);
  }
}
