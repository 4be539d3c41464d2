#!/usr/bin/env bash
# The quick start's main job on a fresh machine (as root): install what is needed, build the
# tools, make the busybox tree, then build, validate and inspect the busybox-hello sample ACI.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
.ci/fixtures.sh packages busybox
[ -f actool-cli/target/actool-cli.jar ] || mvn -B -q package -DskipTests
samples/busybox-hello/build.sh "" "${1:-$root/busybox-hello.aci}"
