/**
 * Running pods of ACIs: this package plans a pod without touching the host (the reified pod
 * manifest of images and rkt's per-app options, then users, environment, capabilities, cgroup
 * values, volumes and mount targets, and the files stage1 reads); {@code executor.linux} alone
 * touches the host (namespaces, mounts, cgroups, processes, the pods directory).
 */
package org.appctools.executor;
