package org.appctools.aci;

import org.appctools.tar.TarFormatException;

/** A {@link ReadLimits} bound was exceeded; the message names the limit and how to raise it. */
final class ReadLimitException extends TarFormatException {
  ReadLimitException(String message) {
    super(message);
  }
}
