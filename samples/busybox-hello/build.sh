#!/usr/bin/env bash
# Build busybox-hello.aci with acbuild from a busybox root filesystem and a small shell app
# (hello.sh), reproducibly, then validate it and show its manifest and Image ID.
#
#   samples/busybox-hello/build.sh [ROOTFS] [OUTPUT.aci]
#     ROOTFS  default: $BUSYBOX_ROOTFS, else the busybox tree .ci/fixtures.sh makes
#             (${ACI_FIXTURES:-~/.cache/aci-fixtures}/rootfs/busybox)
#     OUTPUT  default: ./busybox-hello.aci
#   ACTOOL, ACBUILD: the tools (default: this checkout's bin/actool and bin/acbuild).
#   With SIGNING_KEY (a secret key file) and SIGNING_PUBKEY (its public key) set, the image is also
#   signed as it is written (OUTPUT.asc), the key is trusted for example.com/busybox-hello in a
#   trust directory of its own (TRUST_DIR, default: a temporary one) and the signature is verified;
#   then, as root (pods need it; NO_RUN=1 skips this), the signed image is run with actool run,
#   which checks the signature again as it takes the file into a store of its own.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
actool=${ACTOOL:-$here/../../bin/actool}
acbuild=${ACBUILD:-$here/../../bin/acbuild}
# paths made absolute: the build runs in this directory (see below)
rootfs=$(realpath -m "${1:-${BUSYBOX_ROOTFS:-${ACI_FIXTURES:-$HOME/.cache/aci-fixtures}/rootfs/busybox}}")
out=$(realpath -m "${2:-busybox-hello.aci}")
[ -z "${SIGNING_KEY:-}" ] || SIGNING_KEY=$(realpath -m "$SIGNING_KEY")
[ -z "${SIGNING_PUBKEY:-}" ] || SIGNING_PUBKEY=$(realpath -m "$SIGNING_PUBKEY")
[ -z "${TRUST_DIR:-}" ] || TRUST_DIR=$(realpath -m "$TRUST_DIR")
[ -x "$rootfs/bin/busybox" ] || { echo "build.sh: no busybox tree at $rootfs (run .ci/fixtures.sh busybox)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the app is copied by a path relative to this directory, so that the history annotations (and
# with them the Image ID) do not depend on where the sample lives
cd "$here"
ab() { "$acbuild" --work-path "$work" "$@"; }
ab begin "$rootfs"
ab set-name example.com/busybox-hello
ab label add version 1.0.0
ab copy --chown 0:0 --chmod 0755 hello.sh /app/hello.sh
ab set-exec /app/hello.sh
ab set-user 1000
ab set-group 1000
ab set-working-directory /home/app
ab environment add GREETING hello
ab annotation add authors "appctools samples"
# fixed time: the same inputs give the same bytes and the same Image ID on any machine
if [ -n "${SIGNING_KEY:-}" ] && [ -n "${SIGNING_PUBKEY:-}" ]; then
  id=$(SOURCE_DATE_EPOCH=1700000000 ab write --overwrite --sign --key "$SIGNING_KEY" "$out")
else
  id=$(SOURCE_DATE_EPOCH=1700000000 ab write --overwrite "$out")
fi
ab end
"$actool" validate "$out"
"$actool" cat-manifest --pretty-print "$out"
if [ -n "${SIGNING_KEY:-}" ] && [ -n "${SIGNING_PUBKEY:-}" ]; then
  trust=${TRUST_DIR:-$work/trust}
  "$actool" trust --prefix example.com/busybox-hello --skip-fingerprint-review --trust-dir "$trust" "$SIGNING_PUBKEY"
  "$actool" verify --trust-dir "$trust" "$out"
  if [ "$(id -u)" = 0 ] && [ -z "${NO_RUN:-}" ]; then
    # --net none: hello needs no network (the default one, a CNI bridge, would change the host's)
    "$actool" run --net none --store-dir "$work/store" --pods-dir "$work/pods" --trust-dir "$trust" "$out"
  fi
fi
echo "image: $out"
echo "id:    $id"
