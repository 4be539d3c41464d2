/**
 * Binding system libraries through JNA's direct mapping (libdeflate for gzip, libcrypto for
 * SHA-512). Depends on nothing else in {@code org.appctools}.
 */
package org.appctools.jna;
