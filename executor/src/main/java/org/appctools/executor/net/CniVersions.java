package org.appctools.executor.net;

/** Comparing CNI versions ({@code 0.3.1}, {@code 1.0.0}). */
final class CniVersions {
  private CniVersions() {}

  /** Whether {@code v} is {@code min} or later; an unreadable version counts as older. */
  static boolean atLeast(String v, String min) {
    int[] a = parts(v);
    int[] b = parts(min);
    for (int i = 0; i < 3; i++) {
      if (a[i] != b[i]) {
        return a[i] > b[i];
      }
    }
    return true;
  }

  private static int[] parts(String v) {
    int[] out = new int[3];
    String[] f = v == null ? new String[0] : v.split("\\.");
    for (int i = 0; i < 3 && i < f.length; i++) {
      try {
        out[i] = Integer.parseInt(f[i]);
      } catch (NumberFormatException e) {
        return new int[] {-1, -1, -1};
      }
    }
    return out;
  }
}
