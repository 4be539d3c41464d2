package org.appctools.executor;

import java.util.Locale;

/**
 * The network namespace of a pod, as rkt's {@code --net} shapes it: a private one (attached to CNI
 * networks by the executor when it is root, loopback only otherwise), the host's, or a private one
 * with loopback down. {@code executor.net.NetSelection} reads {@code --net} into one of these and
 * the networks to attach.
 */
public enum NetMode {
  /**
   * A private network namespace with loopback up; as root, made beforehand and attached to CNI
   * networks ({@code default} or named ones), which stage1 joins.
   */
  DEFAULT,
  /** The host's network namespace. */
  HOST,
  /** A private network namespace with loopback down: no network at all. */
  NONE;

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
