package org.appctools.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Binds a class's {@code native} methods to the first of several system libraries that loads. */
public final class DirectMapping {
  /** JNA's system property for the directories it searches for libraries besides its own. */
  static final String PLATFORM_PATH = "jna.platform.library.path";

  private DirectMapping() {}

  /**
   * Sets JNA's {@link #PLATFORM_PATH} to the usual library directories unless the user set it:
   * without it, JNA's first use runs {@code /sbin/ldconfig -p} (a process, some milliseconds of
   * every command that loads a library) to learn them. The libraries here are loaded by soname,
   * which the dynamic loader finds through its own cache whatever the path.
   */
  static void setLibraryPath() {
    if (System.getProperty(PLATFORM_PATH) != null) {
      return;
    }
    String arch = switch (System.getProperty("os.arch", "")) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64" -> "aarch64-linux-gnu";
      default -> null;
    };
    String usual = "/usr/lib64:/lib64:/usr/lib:/lib:/usr/local/lib";
    System.setProperty(PLATFORM_PATH,
        arch == null ? usual : "/usr/lib/" + arch + ":/lib/" + arch + ":" + usual);
  }

  /**
   * Registers the native methods of {@code bindings} with the first library of {@code names}
   * (sonames or JNA library names, tried in order) that loads, on a 64-bit machine only (the
   * bindings map {@code size_t} to {@code long}). Returns false when none loads or JNA cannot
   * be used (no jar, no native part for this platform, a version mismatch, a missing symbol);
   * never throws but for a {@link VirtualMachineError}.
   */
  public static boolean register(Class<?> bindings, String... names) {
    try {
      setLibraryPath();
      if (Native.SIZE_T_SIZE != Long.BYTES) {
        return false;
      }
      for (String name : names) {
        NativeLibrary library;
        try {
          library = NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError notThisName) {
          continue;
        }
        Native.register(bindings, library);
        return true;
      }
      return false;
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable jnaUnusable) {
      return false;
    }
  }
}
