/**
 * Tar reading and writing for ACI archives. {@link org.appctools.tar.SafeTarReader} streams
 * entries out of commons-compress with names cleaned like Go's {@code filepath.Clean} and
 * checked for escapes; {@link org.appctools.tar.TarStreamReader} reads container image layers
 * with the same name rules and PAX values kept as raw bytes (binary {@code SCHILY.xattr} values
 * such as {@code security.capability}, which commons-compress decodes lossily);
 * {@link org.appctools.tar.ReproducibleTarWriter} is the one writer of tar bytes (PAX, numeric
 * owners, no atime/ctime). Depends only on commons-compress.
 */
package org.appctools.tar;
