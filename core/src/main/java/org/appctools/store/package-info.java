/**
 * The local image store: a content-addressed store of ACIs indexed by name and labels ({@link
 * org.appctools.store.ImageStore}), the HTTP cache entries of fetch, and rendered trees of
 * images with their dependencies ({@link org.appctools.store.Renderer}). Depends on {@code
 * org.appctools}, {@code .schema}, {@code .aci} and {@code .tar}, and Jackson for its records.
 *
 * <p>Layout of a store directory:
 *
 * <pre>
 * lock                          shared lock for readers, exclusive for writers (flock)
 * blobs/sha512/HEX              an ACI, byte for byte as imported (HEX: the 128 hex digits of
 *                               its Image ID)
 * blobs/sha512/HEX.asc          its detached signature, if it came with one
 * images/HEX.manifest           its manifest, as stored in the archive
 * images/HEX.json               its record: id, name, labels, importTime, lastUsed, size,
 *                               source, signed; written last, so an image exists once this does
 * remotes/SHA256(URL).json      what was downloaded from URL: url, imageId, etag, downloaded,
 *                               expires
 * trees/HEX-KEY/                the rendered tree of image HEX with the layers KEY digests:
 *   manifest, rootfs/           the top image's manifest and the rendered root filesystem
 *   tree.json                   image, layers (top first) and the tree's checksum
 * build-cache/states/KEY/       the step cache of acbuild build: the build after a step
 * build-cache/acis/KEY/         an image acbuild build wrote (see BuildCache)
 * tmp/OP-PID-*                  work in progress of process PID; renamed into place when
 *                               complete, removed by gc once PID is gone
 * </pre>
 *
 * A blob, manifest or tree without its image's record is garbage, removed by {@link
 * org.appctools.store.ImageStore#gc}.
 */
package org.appctools.store;
