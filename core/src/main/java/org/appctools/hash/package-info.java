/**
 * SHA-512, the hash of every Image ID: the system's OpenSSL libcrypto through JNA when it loads
 * (several times faster than the JDK's code before the JIT compiler reaches it, and about as
 * fast as its C2 intrinsic after), else the JDK's provider. Depends on nothing else in {@code
 * org.appctools} but {@code org.appctools.jna}.
 */
package org.appctools.hash;
