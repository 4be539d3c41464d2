/**
 * The appc metadata service (spec/ace.md, "App Container Metadata Service"): one HTTP server
 * that answers every running pod at its own {@code AC_METADATA_URL}, with the pod's and its apps'
 * manifests, annotations and image IDs, and the HMAC identity endpoint.
 */
package org.appctools.executor.metadata;
