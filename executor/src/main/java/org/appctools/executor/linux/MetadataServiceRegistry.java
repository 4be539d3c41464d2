package org.appctools.executor.linux;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.appctools.AppcException;
import org.appctools.executor.metadata.AppInfo;
import org.appctools.executor.metadata.MetadataService;
import org.appctools.executor.metadata.PodRegistration;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.AcName;

/**
 * The metadata service of the pods this process runs: started on loopback with the first pod that
 * can reach it, each pod registered for as long as it runs. Only a pod in the host's network
 * namespace ({@code --net host}) reaches the host's loopback; a pod in a private namespace gets no
 * {@code AC_METADATA_URL} until CNI networking gives it a route (rkt required a routable network too).
 */
public final class MetadataServiceRegistry implements PodLauncher.MetadataRegistry, AutoCloseable {
  private final boolean reachable;
  private MetadataService service;

  /** {@code reachable}: whether the pods share the host's network namespace. */
  public MetadataServiceRegistry(boolean reachable) {
    this.reachable = reachable;
  }

  @Override
  public synchronized URI register(UUID uuid, PodManifest pod, Map<AcName, ImageManifest> images,
      Map<AcName, byte[]> imageManifestBytes) throws AppcException {
    if (!reachable) {
      return null;
    }
    Map<String, AppInfo> apps = new LinkedHashMap<>();
    for (RuntimeApp a : pod.apps()) {
      apps.put(a.name().value(), new AppInfo(images.get(a.name()), imageManifestBytes.get(a.name()), a.image().id(),
          a.annotations()));
    }
    try {
      if (service == null) {
        service = MetadataService.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      }
      return service.register(new PodRegistration(uuid, pod, apps, pod.annotations()));
    } catch (IOException | IllegalArgumentException e) {
      throw new AppcException("run: cannot serve the pod's metadata: " + e.getMessage()
          + " (pass --mds-register=false to run without AC_METADATA_URL)", e);
    }
  }

  @Override
  public synchronized void unregister(UUID uuid) {
    if (service != null) {
      service.unregister(uuid);
    }
  }

  @Override
  public synchronized void close() {
    if (service != null) {
      service.close();
      service = null;
    }
  }
}
