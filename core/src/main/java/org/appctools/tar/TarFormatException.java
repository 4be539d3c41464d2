package org.appctools.tar;

import java.io.IOException;

/** The tar stream is malformed, truncated or its compression is corrupt. */
public class TarFormatException extends IOException {
  public TarFormatException(String message) {
    super(message);
  }

  public TarFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
