#!/usr/bin/env bash
# From Docker to appc and back: convert a Docker image with docker2aci, change it with
# acbuild --modify (one command at a time, each rewriting the ACI in place), export it as an OCI
# image layout, push it to a registry, and read it back from the registry with skopeo.
#
#   samples/docker-to-registry/build.sh [OUTPUT.aci]
#     OUTPUT  default: ./docker-hello.aci (the OCI layout goes to OUTPUT without .aci, plus -oci)
#   DOCKER_IMAGE  what docker2aci converts (default: the docker save archive of busybox that
#                 .ci/fixtures.sh makes; docker://busybox:latest pulls from Docker Hub)
#   REGISTRY      HOST:PORT of a registry v2 to push to over plain HTTP (default: a throwaway
#                 docker-registry started on a free 127.0.0.1 port and stopped on exit)
#   REPOSITORY    default: samples/docker-hello, TAG default: 1.0.0
#   ACTOOL, ACBUILD, DOCKER2ACI  the tools (default: this checkout's bin/)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
bin=$here/../../bin
actool=${ACTOOL:-$bin/actool}
acbuild=${ACBUILD:-$bin/acbuild}
docker2aci=${DOCKER2ACI:-$bin/docker2aci}
image=${DOCKER_IMAGE:-${ACI_FIXTURES:-$HOME/.cache/aci-fixtures}/archives/busybox.docker.tar}
out=$(realpath -m "${1:-docker-hello.aci}")
layout=${out%.aci}-oci
repository=${REPOSITORY:-samples/docker-hello}
tag=${TAG:-1.0.0}

work=$(mktemp -d)
registry_pid=""
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "${REGISTRY:-}" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  REGISTRY=127.0.0.1:$port
  mkdir -p "$work/registry"
  cat >"$work/registry/config.yml" <<CONFIG
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: $REGISTRY
CONFIG
  docker-registry serve "$work/registry/config.yml" >"$work/registry/log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://$REGISTRY/v2/" 2>/dev/null && break
    kill -0 "$registry_pid" 2>/dev/null || { cat "$work/registry/log" >&2; exit 1; }
    sleep 0.1
  done
  echo "registry: a throwaway docker-registry on $REGISTRY"
fi

# 1. convert (the output file is named after the image: REPOSITORY-TAG.aci)
mkdir "$work/converted"
"$docker2aci" --output "$work/converted" "$image"
mv "$work/converted"/*.aci "$out"

# 2. modify in place: a new name and version, an app of our own
cd "$here"   # hello.sh by a relative path: the history annotation does not depend on where this is
"$acbuild" --modify "$out" set-name example.com/docker-hello
"$acbuild" --modify "$out" label add version "$tag"
"$acbuild" --modify "$out" copy --chown 0:0 --chmod 0755 hello.sh /app/hello.sh
"$acbuild" --modify "$out" environment add GREETING hello
"$acbuild" --modify "$out" set-exec /app/hello.sh
"$actool" validate "$out"

# 3. export as an OCI image layout (umoci, skopeo and podman read it), then push
"$actool" export --overwrite --tag "$repository:$tag" "$out" "$layout"
pushed=$("$actool" push --insecure-allow-http "$out" "docker://$REGISTRY/$repository:$tag")
echo "pushed: $REGISTRY/$repository:$tag $pushed"

# 4. what the registry has
skopeo inspect --tls-verify=false "docker://$REGISTRY/$repository:$tag" \
  | jq '{Name, Digest, Os, Architecture, Env, Layers}'
served=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$REGISTRY/$repository:$tag")
[ "$served" = "$pushed" ] || { echo "build.sh: the registry serves $served, not the pushed $pushed" >&2; exit 1; }
echo "image:  $out"
echo "oci:    $layout"
echo "digest: $pushed"
