package org.appctools.aci;

import java.io.IOException;

/** A {@link ReadLimits} bound was exceeded; the message names the limit and how to raise it. */
final class ReadLimitException extends IOException {
  ReadLimitException(String message) {
    super(message);
  }
}
