/**
 * Compression codecs for ACI archives: detection by magic bytes and streaming codecs for gzip,
 * bzip2, xz (all in the appc spec) and zstd (an extension). Depends on nothing else in {@code
 * org.appctools} but {@code org.appctools.jna}.
 */
package org.appctools.compress;
