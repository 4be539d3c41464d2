/**
 * appc images beyond one machine: export to an OCI image layout, an OCI archive or a {@code docker
 * save} archive ({@link org.appctools.oci.OciExporter}, the manifest mapped by {@link
 * org.appctools.oci.ConfigMapping}), push to a registry v2 ({@link org.appctools.oci.OciPush}), a
 * static site that meta discovery finds ({@link org.appctools.oci.SitePublisher}) and a Kubernetes
 * Pod from a pod manifest ({@link org.appctools.oci.KubernetesPod}). Depends on {@code store},
 * {@code docker.json} and {@code docker} (platforms, references), {@code registry}, {@code aci},
 * {@code tar}, {@code compress}, {@code sign} and {@code schema}.
 */
package org.appctools.oci;
