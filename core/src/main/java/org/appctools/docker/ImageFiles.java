package org.appctools.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.appctools.AppcException;

/** The files of an image archive or layout directory, by their path inside it. */
interface ImageFiles {
  /** Whether a file of that path exists (symlinks followed within the archive or layout). */
  boolean exists(String path);

  /** Opens a file; a missing one is a {@link java.nio.file.NoSuchFileException}. */
  InputStream open(String path) throws IOException;

  /** The archive or directory, for messages. */
  String describe();

  /** A small file (JSON) read whole; larger than {@code max} bytes is an error. */
  default byte[] read(String path, int max) throws AppcException {
    try (InputStream in = open(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        if (out.size() > max) {
          throw new AppcException(describe() + ": " + path + " is larger than " + max
              + " bytes, too large for image metadata");
        }
      }
      return out.toByteArray();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new AppcException(describe() + ": " + path + " is missing");
    } catch (IOException e) {
      throw new AppcException(describe() + ": reading " + path + ": " + e.getMessage(), e);
    }
  }
}
