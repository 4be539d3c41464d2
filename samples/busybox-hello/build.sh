#!/usr/bin/env bash
# Build busybox-hello.aci from a busybox root filesystem with actool, reproducibly,
# then validate it and show its manifest and Image ID.
#
#   samples/busybox-hello/build.sh [ROOTFS] [OUTPUT.aci]
#     ROOTFS  default: the busybox tree .ci/fixtures.sh makes (~/.cache/aci-fixtures/rootfs/busybox)
#     OUTPUT  default: ./busybox-hello.aci
#   With SIGNING_KEY (a secret key file) and SIGNING_PUBKEY (its public key) set, the image is also
#   signed (OUTPUT.asc), the key is trusted for example.com/busybox-hello in a trust directory of
#   its own (TRUST_DIR, default: a temporary one) and the signature is verified; then, as root
#   (pods need it; NO_RUN=1 skips this), the signed image is run with actool run, which checks the
#   signature again as it takes the file into a store of its own.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
actool=$here/../../bin/actool
rootfs=${1:-${ACI_FIXTURES:-$HOME/.cache/aci-fixtures}/rootfs/busybox}
out=${2:-./busybox-hello.aci}
[ -x "$rootfs/bin/busybox" ] || { echo "build.sh: no busybox tree at $rootfs (run .ci/fixtures.sh busybox)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/layout"
cp -a "$rootfs" "$work/layout/rootfs"
cp "$here/manifest.json" "$work/layout/manifest"

# fixed time: the same inputs give the same bytes and the same Image ID on any machine
id=$(SOURCE_DATE_EPOCH=1700000000 "$actool" build --overwrite "$work/layout" "$out")
"$actool" validate "$out"
"$actool" cat-manifest --pretty-print "$out"
if [ -n "${SIGNING_KEY:-}" ] && [ -n "${SIGNING_PUBKEY:-}" ]; then
  trust=${TRUST_DIR:-$work/trust}
  "$actool" sign --overwrite --key "$SIGNING_KEY" "$out"
  "$actool" trust --prefix example.com/busybox-hello --skip-fingerprint-review --trust-dir "$trust" "$SIGNING_PUBKEY"
  "$actool" verify --trust-dir "$trust" "$out"
  if [ "$(id -u)" = 0 ] && [ -z "${NO_RUN:-}" ]; then
    "$actool" run --store-dir "$work/store" --pods-dir "$work/pods" --trust-dir "$trust" "$out"
  fi
fi
echo "image: $out"
echo "id:    $id"
