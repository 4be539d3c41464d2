/**
 * The JSON of Docker and OCI images as they are on the wire: descriptors, image indexes and
 * manifest lists, image manifests (Docker schema 2 and OCI), image configurations, and the
 * {@code manifest.json} of {@code docker save} archives. Records mirror the JSON and do no
 * checking beyond its shape; {@link org.appctools.docker.json.DockerJson} reads them leniently
 * (unknown fields ignored, field names case-insensitive, as Go's encoding/json reads them). No IO.
 */
package org.appctools.docker.json;
