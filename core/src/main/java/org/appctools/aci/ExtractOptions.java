package org.appctools.aci;

import java.util.Objects;

/**
 * How {@link AciExtractor} extracts.
 *
 * @param allowDevices create character and block devices (with {@code mknod}); otherwise an
 *     archive holding one is refused
 * @param keepOwnership set the archive's owners even when not running as root (which fails
 *     unless the caller may chown); as root owners are always kept
 * @param restoreXattrs restore extended attributes with {@code setfattr}
 * @param limits bounds on the archive read
 */
public record ExtractOptions(boolean allowDevices, boolean keepOwnership, boolean restoreXattrs,
    ReadLimits limits) {
  public ExtractOptions {
    Objects.requireNonNull(limits, "limits");
  }

  /** No devices, owners kept only as root, xattrs restored, default limits. */
  public static ExtractOptions defaults() {
    return new ExtractOptions(false, false, true, ReadLimits.defaults());
  }

  public ExtractOptions withAllowDevices(boolean value) {
    return new ExtractOptions(value, keepOwnership, restoreXattrs, limits);
  }

  public ExtractOptions withKeepOwnership(boolean value) {
    return new ExtractOptions(allowDevices, value, restoreXattrs, limits);
  }

  public ExtractOptions withRestoreXattrs(boolean value) {
    return new ExtractOptions(allowDevices, keepOwnership, value, limits);
  }

  public ExtractOptions withLimits(ReadLimits value) {
    return new ExtractOptions(allowDevices, keepOwnership, restoreXattrs, value);
  }
}
