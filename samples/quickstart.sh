#!/usr/bin/env bash
# The quick start's main job on a fresh machine (as root): install what is needed, build the
# tools, make the busybox tree, then build, validate, inspect, sign, verify and run the
# busybox-hello sample ACI.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
.ci/fixtures.sh packages busybox executor
[ -f actool-cli/target/actool-cli.jar ] && [ -f acbuild-cli/target/acbuild-cli.jar ] || mvn -B -q package -DskipTests
# a throwaway signing key, made with gpg in a temporary home (use your own with SIGNING_KEY)
keys=$(mktemp -d)
trap 'gpgconf --homedir "$keys" --kill all 2>/dev/null; rm -rf "$keys"' EXIT
if [ -z "${SIGNING_KEY:-}" ]; then
  gpg --homedir "$keys" --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key 'busybox-hello sample <sample@example.com>' ed25519 sign never
  gpg --homedir "$keys" --batch --armor --export-secret-keys >"$keys/secret.asc"
  gpg --homedir "$keys" --batch --armor --export >"$keys/public.asc"
  export SIGNING_KEY=$keys/secret.asc SIGNING_PUBKEY=$keys/public.asc
fi
samples/busybox-hello/build.sh "" "${1:-$root/busybox-hello.aci}"
