package org.appctools.docker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.appctools.tar.TarNames;

/** An OCI image layout directory. Paths that would leave it are treated as missing. */
final class LayoutDirectory implements ImageFiles {
  private final Path root;

  LayoutDirectory(Path root) {
    this.root = root;
  }

  private Path resolve(String path) throws NoSuchFileException {
    if (TarNames.problem(path) != null) {
      throw new NoSuchFileException(path);
    }
    return root.resolve(TarNames.clean(path));
  }

  @Override
  public boolean exists(String path) {
    try {
      return Files.isRegularFile(resolve(path));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    return Files.newInputStream(resolve(path));
  }

  @Override
  public String describe() {
    return root.toString();
  }
}
