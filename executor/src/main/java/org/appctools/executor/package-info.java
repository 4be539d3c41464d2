/**
 * Running pods of ACIs. This package plans what to run from manifests and rendered trees; the
 * host itself (namespaces, mounts, cgroups) will be touched only in {@code executor.linux}.
 */
package org.appctools.executor;
