package org.appctools.registry;

/** Receives the progress of blob downloads, from the downloading threads. */
public interface DownloadProgress {
  /** Reports nothing. */
  DownloadProgress NONE = new DownloadProgress() {
    @Override
    public void started(String digest, long size) {}

    @Override
    public void advanced(String digest, long done) {}

    @Override
    public void finished(String digest) {}
  };

  /** A download of {@code size} bytes (-1 if unknown) starts. */
  void started(String digest, long size);

  /** {@code done} bytes of it have arrived. */
  void advanced(String digest, long done);

  /** It is complete and verified. */
  void finished(String digest);
}
