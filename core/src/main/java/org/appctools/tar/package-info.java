/**
 * Tar reading and writing for ACI archives. {@link org.appctools.tar.TarStreamReader} parses
 * tar (ustar, GNU, PAX) with names checked for escapes and cleaned like Go's {@code
 * filepath.Clean} and PAX values kept as raw bytes (binary {@code SCHILY.xattr} values such as
 * {@code security.capability}), skipping entry bodies nobody reads; {@link
 * org.appctools.tar.SafeTarReader} is that parser for ACIs, strict or listing name problems, with
 * the failures of a decompressor under it classified; {@link
 * org.appctools.tar.ReproducibleTarWriter} is the one writer of tar bytes (PAX, numeric owners,
 * no atime/ctime). Depends on no library.
 */
package org.appctools.tar;
