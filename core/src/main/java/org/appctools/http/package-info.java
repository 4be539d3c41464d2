/**
 * The one HTTP client of the project ({@link org.appctools.http.Http}): TLS trust (the JDK's, plus
 * a CA file, or none), plain HTTP only when allowed, redirects, timeouts on connecting and on
 * stalled reads, size limits, and credentials per host from rkt's {@code auth.d} files. Discovery
 * uses it now; fetch and the registry client later. Uses the JDK's {@code java.net.http} and
 * Jackson (for {@code auth.d}).
 */
package org.appctools.http;
