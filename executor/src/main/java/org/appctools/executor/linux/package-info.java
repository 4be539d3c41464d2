/**
 * The executor's host side, the only code that touches the host: finding the programs stage1
 * runs, cgroups (v1 and v2), the pods directory with its states, running a planned pod in new
 * namespaces (stage1: POSIX sh under tini, started by util-linux's unshare) and cleaning up after
 * it on every exit path, {@code actool run}'s launch and {@code acbuild run}'s step.
 */
package org.appctools.executor.linux;
