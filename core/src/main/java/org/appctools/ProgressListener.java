package org.appctools;

/**
 * Told how far a long operation of {@code core} has got (writing an ACI, extracting one,
 * uploading a blob): the units done so far (bytes) and the total, or -1 when it is not known.
 * Core never prints; a command line draws what it is told, or nothing.
 */
@FunctionalInterface
public interface ProgressListener {
  /** Tells nothing. */
  ProgressListener NONE = (done, total) -> {};

  /** {@code done} of {@code total} units (-1: unknown) are done; called from the working thread. */
  void progress(long done, long total);
}
