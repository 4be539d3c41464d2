/**
 * The appc manifests: {@link org.appctools.schema.ImageManifest} and
 * {@link org.appctools.schema.PodManifest} records that cannot be built invalid, the one configured
 * Jackson mapper ({@link org.appctools.schema.ManifestJson}: lenient read like Go's encoding/json,
 * canonical write in the Go structs' field order), and {@link org.appctools.schema.ManifestCheck},
 * which reports every problem of a manifest for {@code actool validate}. Depends only on
 * {@code org.appctools} and {@code org.appctools.schema.types}; does no IO.
 */
package org.appctools.schema;
