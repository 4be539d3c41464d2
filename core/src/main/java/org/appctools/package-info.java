/** The root of the appc toolchain's core: the shared exception type. See STYLE.md for the package list. */
package org.appctools;
