/**
 * ACI archives and layouts: building ({@link org.appctools.aci.AciBuilder}), reading ({@link
 * org.appctools.aci.AciArchive}), validating ({@link org.appctools.aci.AciValidator}),
 * extracting ({@link org.appctools.aci.AciExtractor}, and several archives layered into one tree
 * with {@link org.appctools.aci.LayeredExtractor}) and rewriting the manifest ({@link
 * org.appctools.aci.AciRewriter}). Depends on {@code org.appctools}, {@code .schema}, {@code
 * .tar} and {@code .compress}. Every reader takes {@link org.appctools.aci.ReadLimits}.
 */
package org.appctools.aci;
