/**
 * A Docker Registry HTTP API v2 client for pulling: manifests (by tag or digest) and blobs, the
 * Bearer token flow and Basic auth, credentials from Docker's {@code config.json} and its
 * credential helpers, parallel verified downloads. Built on the JDK's {@code HttpClient}. Knows
 * nothing of image formats beyond media types: {@code org.appctools.docker} interprets what it
 * fetches.
 */
package org.appctools.registry;
