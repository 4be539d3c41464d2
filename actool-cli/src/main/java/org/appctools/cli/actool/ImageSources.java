package org.appctools.cli.actool;

import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.appctools.oci.ExportSource;
import org.appctools.store.DependencyResolver;
import org.appctools.store.ImageStore;

/** IMAGE as export, push and publish take it: an ACI file, else an image of the store. */
final class ImageSources {
  private ImageSources() {}

  /** The file IMAGE if it is one (its dependencies from the store), else the stored image it names. */
  static ExportSource exportSource(String image, StoreOptions store) throws AppcException {
    Path file = Path.of(image);
    if (Files.isRegularFile(file)) {
      return ExportSource.file(file, store::store);
    }
    ImageStore s = store.store();
    return ExportSource.stored(s, s.resolve(image), DependencyResolver.storeOnly(s));
  }

  /** Docker's config directory, where registry logins are: $DOCKER_CONFIG, else ~/.docker. */
  static Path dockerConfigDir() {
    String env = System.getenv("DOCKER_CONFIG");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".docker");
  }
}
