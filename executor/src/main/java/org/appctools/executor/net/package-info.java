/**
 * CNI networks of pods, the parts that touch nothing: network configurations ({@code *.conf},
 * {@code *.conflist} of a {@code net.d} directory, and the built-in {@code default}), the
 * {@code --net} and {@code --port} values, what a plugin gets (its environment and the JSON on its
 * standard input, as the CNI specification says) and what it answers (results and errors).
 * {@code executor.linux.Cni} runs the plugins.
 */
package org.appctools.executor.net;
