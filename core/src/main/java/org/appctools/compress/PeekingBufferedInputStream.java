package org.appctools.compress;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered stream whose {@link #available()} is above 0 whenever a byte follows: when nothing
 * is buffered and the underlying stream reports 0, it reads ahead one byte (blocking) and keeps
 * it. The JDK's {@link java.util.zip.GZIPInputStream} reads the next member of a multi-member
 * gzip file only when its source's {@code available()} is above 0 (or enough bytes remain in its
 * own buffer), so over a pipe or an HTTP body, which report 0 between two reads, it would end at
 * a member boundary as if the file ended there. Under this stream it reads every member, and
 * stops at the true end.
 */
final class PeekingBufferedInputStream extends BufferedInputStream {
  PeekingBufferedInputStream(InputStream in, int size) {
    super(in, size);
  }

  @Override
  public synchronized int available() throws IOException {
    int n = super.available();
    if (n > 0) {
      return n;
    }
    mark(1);
    int next = read();
    reset();
    return next < 0 ? 0 : 1;
  }
}
