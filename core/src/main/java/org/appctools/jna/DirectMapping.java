package org.appctools.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** Binds a class's {@code native} methods to the first of several system libraries that loads. */
public final class DirectMapping {
  private DirectMapping() {}

  /**
   * Registers the native methods of {@code bindings} with the first library of {@code names}
   * (sonames or JNA library names, tried in order) that loads, on a 64-bit machine only (the
   * bindings map {@code size_t} to {@code long}). Returns false when none loads or JNA cannot
   * be used (no jar, no native part for this platform, a version mismatch, a missing symbol);
   * never throws but for a {@link VirtualMachineError}.
   */
  public static boolean register(Class<?> bindings, String... names) {
    try {
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
