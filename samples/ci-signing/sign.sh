#!/usr/bin/env bash
# A CI signing and verification step with a throwaway key: make a key with gpg in a temporary
# GnuPG home, sign the image, trust the key for the image's name, verify, and check that a
# tampered copy is refused. No secret key is left anywhere: the GnuPG home and the exported
# secret key are removed on exit (also on failure); what stays is ACI.asc and the public key
# ACI.pubkey.asc, to publish with the image (`actool trust --prefix NAME ACI.pubkey.asc`).
#
#   samples/ci-signing/sign.sh ACI
#   ACTOOL      the tool (default: this checkout's bin/actool)
#   TRUST_DIR   where the key is trusted (default: a temporary directory, removed on exit)
#   KEY_UID     the throwaway key's user ID (default: CI signing key <ci@example.com>)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
actool=${ACTOOL:-$here/../../bin/actool}
[ $# = 1 ] || { echo "usage: sign.sh ACI" >&2; exit 2; }
aci=$1
[ -f "$aci" ] || { echo "sign.sh: no such file: $aci" >&2; exit 1; }

scratch=$(mktemp -d)
export GNUPGHOME=$scratch/gnupg
cleanup() {
  gpgconf --kill all 2>/dev/null || true   # the agent of this GNUPGHOME only
  rm -rf "$scratch"
}
trap cleanup EXIT
mkdir -m 0700 "$GNUPGHOME"

# 1. the throwaway key: ed25519, no passphrase, never leaves $scratch
gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
  --quick-gen-key "${KEY_UID:-CI signing key <ci@example.com>}" ed25519 sign 1d
gpg --batch --armor --export-secret-keys >"$scratch/secret.asc"
gpg --batch --armor --export >"$aci.pubkey.asc"

# 2. sign: ACI.asc, a detached armored OpenPGP signature (gpg --verify reads it too)
"$actool" sign --overwrite --key "$scratch/secret.asc" "$aci"

# 3. trust the key for the image's name only, then verify as a consumer would
name=$("$actool" cat-manifest "$aci" | jq -r .name)
trust=${TRUST_DIR:-$scratch/trust}
"$actool" trust --prefix "$name" --skip-fingerprint-review --trust-dir "$trust" "$aci.pubkey.asc"
"$actool" verify --trust-dir "$trust" "$aci"

# 4. a tampered copy (one byte appended) must be refused
cp "$aci" "$scratch/tampered.aci"
cp "$aci.asc" "$scratch/tampered.aci.asc"
printf 'x' >>"$scratch/tampered.aci"
if "$actool" verify --trust-dir "$trust" "$scratch/tampered.aci" 2>"$scratch/refusal"; then
  echo "sign.sh: a tampered image verified" >&2
  exit 1
fi
echo "tampered copy refused: $(cat "$scratch/refusal")"
