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
 * The metadata service of the pods this process runs: one server per host address a pod reaches
 * the host at (the host's loopback for {@code --net host}, the gateway of a CNI network, the host
 * side of its bridge, as rkt served it), started with the first pod there; each pod registered for
 * as long as it runs. A pod with no route to the host (loopback only, {@code --net none}) gets no
 * {@code AC_METADATA_URL}.
 */
public final class MetadataServiceRegistry implements PodLauncher.MetadataRegistry, AutoCloseable {
  private final Map<InetAddress, MetadataService> services = new LinkedHashMap<>();
  private final Map<UUID, MetadataService> pods = new LinkedHashMap<>();

  /** No service runs until a pod that can reach one registers. */
  public MetadataServiceRegistry() {}

  @Override
  public synchronized URI register(UUID uuid, PodManifest pod, Map<AcName, ImageManifest> images,
      Map<AcName, byte[]> imageManifestBytes, InetAddress hostAddress) throws AppcException {
    if (hostAddress == null) {
      return null;
    }
    Map<String, AppInfo> apps = new LinkedHashMap<>();
    for (RuntimeApp a : pod.apps()) {
      apps.put(a.name().value(), new AppInfo(images.get(a.name()), imageManifestBytes.get(a.name()), a.image().id(),
          a.annotations()));
    }
    try {
      MetadataService service = services.get(hostAddress);
      if (service == null) {
        service = MetadataService.start(new InetSocketAddress(hostAddress, 0));
        services.put(hostAddress, service);
      }
      URI url = service.register(new PodRegistration(uuid, pod, apps, pod.annotations()));
      pods.put(uuid, service);
      return url;
    } catch (IOException | IllegalArgumentException e) {
      throw new AppcException("run: cannot serve the pod's metadata: " + e.getMessage()
          + " (pass --mds-register=false to run without AC_METADATA_URL)", e);
    }
  }

  @Override
  public synchronized void unregister(UUID uuid) {
    MetadataService service = pods.remove(uuid);
    if (service != null) {
      service.unregister(uuid);
    }
  }

  @Override
  public synchronized void close() {
    services.values().forEach(MetadataService::close);
    services.clear();
    pods.clear();
  }
}
