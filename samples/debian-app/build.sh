#!/usr/bin/env bash
# Build debian-app.aci: an app image that depends on a Debian base image in the image store and
# whose only content is what `acbuild run` changed: a package installed by apt-get from a local
# package directory, offline. Then run it (as root) over its base.
#
#   samples/debian-app/build.sh [OUTPUT.aci]
#     OUTPUT  default: ./debian-app.aci
#   DEBIAN_ROOTFS  the base's root filesystem (default: the debootstrap tree .ci/fixtures.sh makes,
#                  ${ACI_FIXTURES:-~/.cache/aci-fixtures}/rootfs/debian)
#   APPCTOOLS_STORE_DIR  the image store the base goes into and the app's dependency comes from
#                  (default: the tools' own, /var/lib/appctools/store as root)
#   ACTOOL, ACBUILD  the tools (default: this checkout's bin/actool and bin/acbuild)
#   NO_RUN=1       skip running the image
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
actool=${ACTOOL:-$here/../../bin/actool}
acbuild=${ACBUILD:-$here/../../bin/acbuild}
rootfs=${DEBIAN_ROOTFS:-${ACI_FIXTURES:-$HOME/.cache/aci-fixtures}/rootfs/debian}
out=$(realpath -m "${1:-debian-app.aci}")
base=example.com/debian-base:12
[ -x "$rootfs/usr/bin/apt-get" ] || { echo "build.sh: no Debian tree at $rootfs (run .ci/fixtures.sh debian)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (acbuild run over a dependency mounts an overlay)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# 1. the base image, once: the Debian tree as an ACI, imported into the store (uncompressed: it
#    stays on this machine, and writing it is twice as fast as gzip)
if "$actool" image cat-manifest "$base" >/dev/null 2>&1; then
  echo "base: $base is in the store"
else
  "$acbuild" --work-path "$work/base" begin "$rootfs"
  "$acbuild" --work-path "$work/base" set-name example.com/debian-base
  "$acbuild" --work-path "$work/base" label add version 12
  "$acbuild" --work-path "$work/base" write --compression none "$work/debian-base.aci" >/dev/null
  "$acbuild" --work-path "$work/base" end
  echo "base: imported $base as $("$actool" image import "$work/debian-base.aci")"
fi

# 2. a local package directory: a tiny package made with dpkg-deb
pkg=$work/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$work/debs"
cp "$here/hello-appc/hello-appc" "$pkg/usr/bin/hello-appc"
cat >"$pkg/DEBIAN/control" <<CONTROL
Package: hello-appc
Version: 1.0
Architecture: all
Maintainer: appctools samples <samples@example.com>
Description: the debian-app sample's app
CONTROL
dpkg-deb --root-owner-group --build "$pkg" "$work/debs/hello-appc_1.0_all.deb" >/dev/null

# 3. the app image: a dependency on the base (pinned to its Image ID), one run step, the app
ab() { "$acbuild" --work-path "$work/app" "$@"; }
ab begin
ab set-name example.com/debian-app
ab label add version 1.0.0
ab dependency add "$base"
# apt-get without its package caches (70 MB the image does not need)
ab run --net none --mount "$work/debs:/debs:ro" -- env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= /debs/hello-appc_1.0_all.deb
ab set-exec /usr/bin/hello-appc
id=$(ab write --overwrite "$out")
ab end

"$actool" validate "$out"
echo "dependencies:"
"$actool" cat-manifest "$out" | jq -r '.dependencies[] | "  \(.imageName) \(.imageID)"'
echo "size: $(du -h "$out" | cut -f1) (the base is not in it)"
if [ -z "${NO_RUN:-}" ]; then
  # --net none: the app needs no network (the default one, a CNI bridge, would change the host's)
  "$actool" run --net none --insecure-options=image --pods-dir "$work/pods" "$out"
fi
echo "image: $out"
echo "id:    $id"
