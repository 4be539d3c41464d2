/**
 * docker2aci: Docker and OCI images (registries, {@code docker save} archives, OCI archives and
 * layouts) converted to ACIs. {@link org.appctools.docker.Docker2Aci} is the entry point; the
 * layers are squashed top-down in one streaming pass ({@code LayerSquasher}) into the one tar
 * writer of {@code org.appctools.tar}; the manifest follows {@link
 * org.appctools.docker.DockerToAciTranslator}.
 */
package org.appctools.docker;
