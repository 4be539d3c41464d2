package org.appctools.executor;

import java.net.URI;
import java.nio.file.Path;
import org.appctools.schema.types.AcName;

/**
 * How a pod runs, apart from its apps: the network, whether it gets PID, UTS and IPC namespaces
 * of its own, its hostname, the {@code /etc/resolv.conf} its apps see, the one app whose standard
 * input is attached, and the metadata service URL its apps get as {@code AC_METADATA_URL}.
 *
 * @param isolated PID, UTS and IPC namespaces of its own; false runs the apps in the host's (acbuild's chroot engine)
 * @param hostname the pod's hostname; null keeps the host's
 * @param resolvConf the content bind-mounted at {@code /etc/resolv.conf}; null leaves the image's
 * @param hosts the content bind-mounted at {@code /etc/hosts}; null: localhost and the hostname,
 *     and only where the image has no {@code /etc/hosts}
 * @param stdinApp the app whose standard input is the executor's; null gives every app /dev/null
 * @param metadataUrl {@code AC_METADATA_URL}; null when no metadata service registered the pod
 * @param buildStep an acbuild step: the environment is the image's with the spec's PATH, without
 *     AC_APP_NAME, and no {@code /etc/hosts} is provided
 * @param netns an existing network namespace (a bind-mounted nsfs file, attached to CNI networks)
 *     the pod joins; null gives a private network a new namespace
 */
public record PodOptions(NetMode net, boolean isolated, String hostname, byte[] resolvConf, byte[] hosts, AcName stdinApp,
    URI metadataUrl, boolean buildStep, Path netns) {
  public PodOptions {
    if (net == null) {
      throw new IllegalArgumentException("net is required");
    }
    if (netns != null && net == NetMode.HOST) {
      throw new IllegalArgumentException("a pod in the host's network namespace joins no other");
    }
    resolvConf = resolvConf == null ? null : resolvConf.clone();
    hosts = hosts == null ? null : hosts.clone();
  }

  @Override
  public byte[] resolvConf() {
    return resolvConf == null ? null : resolvConf.clone();
  }

  @Override
  public byte[] hosts() {
    return hosts == null ? null : hosts.clone();
  }
}
