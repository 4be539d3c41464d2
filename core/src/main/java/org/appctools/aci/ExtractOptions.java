package org.appctools.aci;

import java.util.Objects;

/**
 * How {@link AciExtractor} extracts.
 *
 * @param allowDevices create character and block devices (with {@code mknod}); otherwise an
 *     archive holding one is refused
 * @param keepOwnership set the archive's owners even when not running as root (which fails
 *     unless the caller may chown); as root owners are kept unless {@code deferOwners}
 * @param deferOwners set no owners even as root: the extracted files belong to this process and
 *     {@link ExtractResult#owners()} lists the archive's, as it does when an unprivileged process
 *     extracts (ignored with {@code keepOwnership})
 * @param restoreXattrs restore extended attributes with {@code setfattr}
 * @param limits bounds on the archive read
 */
public record ExtractOptions(boolean allowDevices, boolean keepOwnership, boolean deferOwners,
    boolean restoreXattrs, ReadLimits limits) {
  public ExtractOptions {
    Objects.requireNonNull(limits, "limits");
  }

  /** No devices, owners kept only as root, xattrs restored, default limits. */
  public static ExtractOptions defaults() {
    return new ExtractOptions(false, false, false, true, ReadLimits.defaults());
  }

  public ExtractOptions withAllowDevices(boolean value) {
    return new ExtractOptions(value, keepOwnership, deferOwners, restoreXattrs, limits);
  }

  public ExtractOptions withKeepOwnership(boolean value) {
    return new ExtractOptions(allowDevices, value, deferOwners, restoreXattrs, limits);
  }

  public ExtractOptions withDeferOwners(boolean value) {
    return new ExtractOptions(allowDevices, keepOwnership, value, restoreXattrs, limits);
  }

  public ExtractOptions withRestoreXattrs(boolean value) {
    return new ExtractOptions(allowDevices, keepOwnership, deferOwners, value, limits);
  }

  public ExtractOptions withLimits(ReadLimits value) {
    return new ExtractOptions(allowDevices, keepOwnership, deferOwners, restoreXattrs, value);
  }
}
