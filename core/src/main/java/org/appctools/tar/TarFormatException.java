package org.appctools.tar;

import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.ZipException;

/** The tar stream is malformed, truncated or its compression is corrupt. */
public class TarFormatException extends IOException {
  public TarFormatException(String message) {
    super(message);
  }

  public TarFormatException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Classifies a failure of a decompressor or of the tar parser as truncated, corrupt or
   * otherwise unreadable, keeping the original message. A {@code TarFormatException} is returned
   * as it is.
   */
  public static TarFormatException of(IOException ex) {
    if (ex instanceof TarFormatException tfe) {
      return tfe;
    }
    String m = ex.getMessage();
    if (ex instanceof EOFException) {
      return new TarFormatException("truncated archive: unexpected end of data"
          + (m == null ? "" : " (" + m + ")"), ex);
    }
    if (ex instanceof ZipException) {
      return new TarFormatException("corrupt compressed data: " + m, ex);
    }
    String lower = String.valueOf(m).toLowerCase(Locale.ROOT);
    if (lower.contains("truncated") || lower.contains("unexpected end")
        || lower.contains("premature end") || lower.contains("eof")) {
      return new TarFormatException("truncated archive: " + m, ex);
    }
    if (lower.contains("corrupt") || lower.contains("crc") || lower.contains("checksum")
        || lower.contains("unsupported") || lower.contains("format")
        || lower.contains("magic")) {
      return new TarFormatException("corrupt archive: " + m, ex);
    }
    return new TarFormatException("unreadable archive: " + m, ex);
  }
}
