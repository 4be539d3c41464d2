/**
 * appc meta discovery ({@code spec/discovery.md}, the Go reference's {@code discovery} package):
 * fetch {@code https://PREFIX?ac-discovery=1} for the name and each parent prefix in turn, read
 * its {@code ac-discovery} and {@code ac-discovery-pubkeys} meta tags ({@link
 * org.appctools.discovery.MetaTags}), render the image templates ({@link
 * org.appctools.discovery.Discovery}). Uses {@code http} and {@code schema.types}.
 */
package org.appctools.discovery;
