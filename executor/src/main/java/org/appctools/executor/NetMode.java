package org.appctools.executor;

import java.util.Locale;
import org.appctools.AppcException;

/** The network of a pod, as rkt's {@code --net}: a private namespace with loopback, the host's, or none. */
public enum NetMode {
  /** A private network namespace with loopback up (CNI networks are a later addition). */
  DEFAULT,
  /** The host's network namespace. */
  HOST,
  /** A private network namespace with loopback down: no network at all. */
  NONE;

  /** {@code default}, {@code host} or {@code none}. */
  public static NetMode parse(String s) throws AppcException {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "default":
        return DEFAULT;
      case "host":
        return HOST;
      case "none":
        return NONE;
      default:
        throw new AppcException("invalid --net \"" + s + "\" (use default, host or none)");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
