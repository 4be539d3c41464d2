#!/usr/bin/env bash
# bench/run.sh - time our tools against the reference Go actool 0.8.11 and against the plain
# baselines (tar|gzip -6, tar|pigz -6, tar|zstd -T0, tar|sha512sum) in the same run, on the same
# inputs, and write the figures (medians with min and max, peak memory, ratios) into BENCHMARKS.md.
#
#   bench/run.sh [ROUNDS]           default 3 rounds (11 for the sub-second commands); the median
#                                   of each is reported
#   bench/run.sh --quick [ROUNDS]   default 1 round on the busybox tree, without the 3x tree and
#                                   the Debian docker2aci rows: checks the script in about a
#                                   minute; prints the report and leaves BENCHMARKS.md alone
#
# Needs: root, .ci/fixtures.sh done (rootfs/debian, bin/actool, pigz and zstd; the image steps
# for the docker2aci rows), mvn -B package -DskipTests done.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FIX=${ACI_FIXTURES:-$HOME/.cache/aci-fixtures}
QUICK=""
if [ "${1:-}" = --quick ]; then QUICK=1; shift; fi
ROUNDS=${1:-$([ -n "$QUICK" ] && echo 1 || echo 3)}
# the sub-second commands (start-up dominated, where a stray process moves a single run most) get
# at least 11 rounds
SHORT_ROUNDS=$ROUNDS
if [ -z "$QUICK" ] && [ "$ROUNDS" -lt 11 ]; then SHORT_ROUNDS=11; fi
TREE=$FIX/rootfs/$([ -n "$QUICK" ] && echo busybox || echo debian)
REPORT=$([ -n "$QUICK" ] && echo /dev/null || echo BENCHMARKS.md)
REF=$FIX/bin/actool
OURS=$ROOT/bin/actool
WORK=$(mktemp -d /var/tmp/appctools-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -x "$REF" ] && [ -d "$TREE" ] && command -v pigz >/dev/null && command -v zstd >/dev/null \
  || { echo "bench: run .ci/fixtures.sh first" >&2; exit 1; }
[ -f "$ROOT/actool-cli/target/actool-cli.jar" ] || { echo "bench: run mvn -B package -DskipTests first" >&2; exit 1; }

# layout: a hard-linked copy of the Debian tree (busybox with --quick) + a manifest
mkdir -p "$WORK/layout"
cp -al "$TREE" "$WORK/layout/rootfs"
# the reference actool reads device nodes as files and never ends on /dev/zero: leave them out
# of the shared input (ours stores them; the tests check that on the full tree)
find "$WORK/layout/rootfs/dev" -mindepth 1 \( -type c -o -type b -o -type p \) -delete
printf '%s' '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/debian","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/bash"],"user":"0","group":"0"}}' >"$WORK/layout/manifest"
# a tree three times as large (three real copies of the Debian tree side by side; hard links
# would be stored once), to show that peak memory does not grow with the input
if [ -z "$QUICK" ]; then
  mkdir -p "$WORK/layout3/rootfs"
  for n in 1 2 3; do cp -a "$WORK/layout/rootfs" "$WORK/layout3/rootfs/copy$n"; done
  cp "$WORK/layout/manifest" "$WORK/layout3/manifest"
fi
TREE_MB=$(du -sm --apparent-size "$TREE" | cut -f1)
ENTRIES=$(find "$TREE" | wc -l)

# measure CMD...: prints "seconds maxrss_kib" of one run (output files removed before)
measure() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; return 1; }
  cat "$WORK/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# SEC: median seconds, MIN and MAX: the fastest and slowest round, RSS: median peak KiB
declare -A SEC MIN MAX RSS
PREPARE=""   # a command run before each round of the next run_case, outside the timing
run_case() { # name, command...
  local name=$1; shift
  local s=() m=() i line
  for ((i = 0; i < ROUNDS; i++)); do
    rm -f "$WORK"/*.aci.out
    [ -z "$PREPARE" ] || bash -c "$PREPARE"
    line=$(measure "$@")
    s+=("${line% *}"); m+=("${line#* }")
  done
  PREPARE=""
  record "$name" s m
}
# record NAME SECONDS_ARRAY RSS_ARRAY: the median, min, max and median peak memory of the rounds
record() {
  local name=$1
  local -n secs=$2 rss=$3
  SEC[$name]=$(printf '%s\n' "${secs[@]}" | median)
  MIN[$name]=$(printf '%s\n' "${secs[@]}" | sort -n | head -1)
  MAX[$name]=$(printf '%s\n' "${secs[@]}" | sort -n | tail -1)
  RSS[$name]=$(printf '%s\n' "${rss[@]}" | median)
  printf 'bench: %-22s %6ss (%s-%s) %7s KiB\n' "$name" "${SEC[$name]}" "${MIN[$name]}" "${MAX[$name]}" "${RSS[$name]}"
}
# run_pair BASE BASE_CMD NAME CMD [BASE_PREPARE [PREPARE]]: a baseline and the operation it explains
# (bash command strings) in turns, round by round, so both see the machine in the same state (this
# one's disk slows down tenfold for minutes at a time); also records NAME-less-BASE, the median of
# the per-round differences
run_pair() {
  local bn=$1 bc=$2 n=$3 c=$4 bp=${5:-} p=${6:-}
  local bs=() bm=() s=() m=() d=() i line a b
  for ((i = 0; i < ROUNDS; i++)); do
    [ -z "$bp" ] || bash -c "$bp"
    line=$(measure bash -c "$bc"); a=${line% *}; bs+=("$a"); bm+=("${line#* }")
    [ -z "$p" ] || bash -c "$p"
    line=$(measure bash -c "$c"); b=${line% *}; s+=("$b"); m+=("${line#* }")
    d+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b - a }')")
  done
  record "$bn" bs bm
  record "$n" s m
  record "$n-less-$bn" d m
}

sync
# the baselines: what the machine's own tools take to read the same tree into one tar stream and
# compress it into a file, as a build does, or hash it
TAR_CMD="tar -C '$WORK/layout' --numeric-owner -cf - ."
run_case base-tar-gzip    bash -c "$TAR_CMD | gzip -6 >'$WORK/baseline.out'"
run_case base-tar-pigz    bash -c "$TAR_CMD | pigz -6 >'$WORK/baseline.out'"
run_case base-tar-zstd    bash -c "$TAR_CMD | zstd -T0 -3 -q >'$WORK/baseline.out'"
run_case base-tar-sha512  bash -c "$TAR_CMD | sha512sum >/dev/null"
rm -f "$WORK/baseline.out"
run_case ref-build   "$REF"  build --overwrite "$WORK/layout" "$WORK/ref.aci"
run_case ours-build  "$OURS" build --overwrite "$WORK/layout" "$WORK/ours.aci"
run_case ours-build-zstd "$OURS" build --overwrite --compression zstd "$WORK/layout" "$WORK/ours-zstd.aci"
run_case ref-build-none  "$REF"  build --overwrite --no-compression "$WORK/layout" "$WORK/ref-none.aci"
run_case ours-build-none "$OURS" build --overwrite --compression none "$WORK/layout" "$WORK/ours-none.aci"
if [ -z "$QUICK" ]; then
  run_case ref-build3  "$REF"  build --overwrite "$WORK/layout3" "$WORK/ref3.aci"
  run_case ours-build3 "$OURS" build --overwrite "$WORK/layout3" "$WORK/ours3.aci"
  run_case ours-validate3 "$OURS" validate "$WORK/ours3.aci"
fi
run_case ref-validate  "$REF"  validate "$WORK/ref.aci"
run_case ours-validate "$OURS" validate "$WORK/ours.aci"
run_case ours-validate-refaci "$OURS" validate "$WORK/ref.aci"
run_case ours-validate-zstd "$OURS" validate "$WORK/ours-zstd.aci"
run_case ours-image-id "$OURS" image-id "$WORK/ours.aci"
ROUNDS=$SHORT_ROUNDS run_case ref-cat-manifest  "$REF"  cat-manifest "$WORK/ref.aci"
ROUNDS=$SHORT_ROUNDS run_case ours-cat-manifest "$OURS" cat-manifest "$WORK/ours.aci"
REF_SIZE=$(stat -c %s "$WORK/ref.aci"); OURS_SIZE=$(stat -c %s "$WORK/ours.aci")

# acbuild: a whole session on the Debian tree (one script, timed as one command), and one
# manifest-only command on a build holding that tree
ACB=$ROOT/bin/acbuild
cat >"$WORK/session.sh" <<EOS
set -e
rm -rf "$WORK/acb-session"; mkdir -p "$WORK/acb-session"; cd "$WORK/acb-session"
"$ACB" begin "$WORK/layout/rootfs"
"$ACB" set-name example.com/debian
"$ACB" set-exec -- /bin/bash
"$ACB" label add version 1.0
"$ACB" port add www tcp 80
"$ACB" write --overwrite "$WORK/acb.aci"
"$ACB" end
EOS
# each round with the same copy as begin DIR made by cp just before: on this machine's disk,
# creating the tree's files takes from 0.3 s to 5 s depending on the minute, for every tool alike
run_pair base-cp-tree "cp -a -T '$WORK/layout/rootfs' '$WORK/cp-tree'" acbuild-session "bash '$WORK/session.sh'" \
  "rm -rf '$WORK/cp-tree'"
rm -rf "$WORK/cp-tree"
# each round with the same extraction as begin ACI made by tar just before
run_pair base-tar-extract "tar -C '$WORK/tar-x' -xzf '$WORK/ours.aci'" acbuild-begin-aci "cd '$WORK/acb-aci' && '$ACB' begin '$WORK/ours.aci'" \
  "rm -rf '$WORK/tar-x'; mkdir -p '$WORK/tar-x'" "rm -rf '$WORK/acb-aci'; mkdir -p '$WORK/acb-aci'"
rm -rf "$WORK/tar-x"
# then end a build begun from our ACI of the tree
PREPARE="rm -rf '$WORK/acb-aci'; mkdir -p '$WORK/acb-aci'; cd '$WORK/acb-aci' && '$ACB' begin '$WORK/ours.aci' >/dev/null"
run_case acbuild-end-aci bash -c "cd '$WORK/acb-aci' && '$ACB' end"
mkdir -p "$WORK/acb-held" && (cd "$WORK/acb-held" && "$ACB" begin "$WORK/layout/rootfs" >/dev/null)
ROUNDS=$SHORT_ROUNDS run_case acbuild-label-add "$ACB" --work-path "$WORK/acb-held" label add key value
ROUNDS=$SHORT_ROUNDS run_case acbuild-cat-manifest "$ACB" --work-path "$WORK/acb-held" cat-manifest
(cd "$WORK/acb-held" && "$ACB" end)

# acbuild build: a Debian Dockerfile (COPY, RUN, COPY, CMD); the first build (one round), a
# rebuild with nothing changed (every step and the written image from the step cache), and a
# rebuild after the last COPY's input changed (only that COPY runs again, and the write)
mkdir -p "$WORK/dctx"
printf 'one\n' >"$WORK/dctx/a.txt"
printf 'FROM %s\nCOPY a.txt /opt/a.txt\nRUN ["/bin/sh", "-c", "echo ran > /opt/ran.txt"]\nCOPY b.txt /opt/b.txt\nCMD ["/bin/cat", "/opt/a.txt"]\n' \
  "$WORK/layout/rootfs" >"$WORK/dctx/Dockerfile"
printf 'b0\n' >"$WORK/dctx/b.txt"
DSTORE=$WORK/build-store
measure "$ACB" --store-dir "$DSTORE" build --tag example.com/debian-app -o "$WORK/dfile.aci" --overwrite "$WORK/dctx" >"$WORK/first-dbuild"
FIRST_DBUILD=$(cut -d' ' -f1 "$WORK/first-dbuild")
run_case build-unchanged "$ACB" --store-dir "$DSTORE" build --tag example.com/debian-app -o "$WORK/dfile.aci" --overwrite "$WORK/dctx"
run_case build-copy-changed bash -c "printf 'b%s\n' \$RANDOM\$RANDOM >'$WORK/dctx/b.txt' && '$ACB' --store-dir '$DSTORE' build --tag example.com/debian-app -o '$WORK/dfile.aci' --overwrite '$WORK/dctx'"

# the image store: the Debian ACI imported and rendered into the tree cache by fetch, then
# fetched again by its ID (the cached tree is reused: no extraction), against a plain extraction
STORE=$WORK/store
DEB_ID=$("$OURS" image-id "$WORK/ours.aci")
measure "$OURS" fetch --store-dir "$STORE" --insecure-options=image "$WORK/ours.aci" >"$WORK/first-fetch"
FIRST_FETCH=$(cut -d' ' -f1 "$WORK/first-fetch")
run_case store-fetch-cached "$OURS" fetch --store-dir "$STORE" "$DEB_ID"
PREPARE="rm -rf '$WORK/rendered'"
run_case store-render-dir "$OURS" image render --store-dir "$STORE" "$DEB_ID" "$WORK/rendered"
# render with dependencies: a small app image whose one dependency is the image of the tree
mkdir -p "$WORK/app/rootfs/opt/app"
echo hello >"$WORK/app/rootfs/opt/app/hello"
printf '%s' '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/sh"],"user":"0","group":"0"},"dependencies":[{"imageName":"example.com/debian"}]}' >"$WORK/app/manifest"
"$OURS" build "$WORK/app" "$WORK/app.aci" >/dev/null
APP_ID=$("$OURS" image import --store-dir "$STORE" "$WORK/app.aci")
PREPARE="rm -rf '$WORK/rendered-app'"
run_case store-render-deps "$OURS" image render --store-dir "$STORE" "$APP_ID" "$WORK/rendered-app"
[ -f "$WORK/rendered-app/rootfs/opt/app/hello" ] && [ -d "$WORK/rendered-app/rootfs/etc" ] \
  || { echo "bench: the app was not rendered over its dependency" >&2; exit 1; }

# docker2aci: the Debian image from a docker save archive (uncompressed layer) and from an OCI
# layout (gzip layer), and busybox, to show that memory does not grow with the image
D2A=$ROOT/bin/docker2aci
HAVE_D2A=""
if [ -z "$QUICK" ] && [ -f "$FIX/archives/debian.docker.tar" ] && [ -d "$FIX/oci/debian" ] && [ -d "$FIX/oci/busybox" ]; then
  HAVE_D2A=1
  run_case d2a-debian-archive "$D2A" --output "$WORK/d2a" "$FIX/archives/debian.docker.tar"
  run_case d2a-debian-oci "$D2A" --output "$WORK/d2a" "$FIX/oci/debian"
  run_case d2a-busybox "$D2A" --output "$WORK/d2a" "$FIX/oci/busybox"
  D2A_SIZE=$(stat -c %s "$WORK/d2a/library-debian-latest.aci")
fi

# actool run: start to exit of /bin/true in busybox with a warm store (the image stored and its
# tree rendered by a first run; issue 7's target is 0.3 s, JVM included); --net none: a private namespace, as
# the default was before CNI networks (which add their plugins' time and change the host's network)
BB=$WORK/busybox
mkdir -p "$BB/layout"
cp -a "$FIX/rootfs/busybox" "$BB/layout/rootfs"
printf '%s' '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/busybox","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/true"],"user":"0","group":"0"}}' >"$BB/layout/manifest"
"$OURS" build "$BB/layout" "$BB/busybox.aci" >/dev/null
"$OURS" image import --store-dir "$BB/store" "$BB/busybox.aci" >/dev/null
"$OURS" run --net none --store-dir "$BB/store" --pods-dir "$BB/pods" example.com/busybox
TREES=$(ls "$BB/store/trees" | wc -l)
ROUNDS=$SHORT_ROUNDS run_case ours-run-true "$OURS" run --net none --store-dir "$BB/store" --pods-dir "$BB/pods" example.com/busybox
[ "$(ls "$BB/store/trees" | wc -l)" = "$TREES" ] || { echo "bench: a warm run rendered a tree again" >&2; exit 1; }
"$OURS" gc --pods-dir "$BB/pods" --grace-period 0 >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
# time NAME: "median (min-max)"
t() { printf '%s (%s-%s)' "${SEC[$1]}" "${MIN[$1]}" "${MAX[$1]}"; }
# row LABEL OURS [REF [NOBASE]]: a row of the main table: ours, its memory, the reference (when
# there is one) and the ratios of ours to the reference and to each baseline (not for NOBASE rows:
# the baselines read the 1x tree)
row() {
  local label=$1 ours=$2 ref=${3:-} nobase=${4:-} b refcells="– | – | –"
  [ -z "$ref" ] || refcells="$(t "$ref") | $(mib "${RSS[$ref]}") | $(ratio "${SEC[$ours]}" "${SEC[$ref]}")"
  printf '| %s | %s | %s | %s' "$label" "$(t "$ours")" "$(mib "${RSS[$ours]}")" "$refcells"
  for b in base-tar-gzip base-tar-pigz base-tar-zstd base-tar-sha512; do
    if [ -n "$nobase" ]; then printf ' | –'; else printf ' | %s' "$(ratio "${SEC[$ours]}" "${SEC[$b]}")"; fi
  done
  echo " |"
}
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(java -version 2>&1 | head -1)); median of $ROUNDS rounds ($SHORT_ROUNDS for the sub-second commands: both cat-manifest rows, acbuild label add and cat-manifest, actool run), with the fastest and the slowest round in brackets."
  echo "Input: the $([ -n "$QUICK" ] && echo "busybox tree" || echo "Debian bookworm minbase tree") from \`.ci/fixtures.sh\` ($TREE_MB MiB, $ENTRIES entries), without its device nodes, on which the reference actool hangs."
  echo "Reference: the Go actool 0.8.11 built from Debian's source package, run in the same script on the same files."
  echo "Baselines, run in the same script on the same files: the tree read by GNU tar into one stream and compressed into a file (as a build writes one) or hashed by the system's tools."
  echo "A ratio below 1.00 means ours takes less time. Times include JVM start. Peak memory is the largest resident set of the command's processes (GNU time %M)."
  echo
  echo "| baseline | s | peak RSS (MiB) |"
  echo "| --- | --- | --- |"
  echo "| \`tar \\| gzip -6\` | $(t base-tar-gzip) | $(mib "${RSS[base-tar-gzip]}") |"
  echo "| \`tar \\| pigz -6\` ($(nproc) threads) | $(t base-tar-pigz) | $(mib "${RSS[base-tar-pigz]}") |"
  echo "| \`tar \\| zstd -T0 -3\` | $(t base-tar-zstd) | $(mib "${RSS[base-tar-zstd]}") |"
  echo "| \`tar \\| sha512sum\` | $(t base-tar-sha512) | $(mib "${RSS[base-tar-sha512]}") |"
  echo
  echo "| operation | ours (s) | ours peak RSS (MiB) | reference (s) | ref peak RSS (MiB) | ours/ref | ours/tar\\|gzip | ours/tar\\|pigz | ours/tar\\|zstd | ours/tar\\|sha512sum |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
  row "build, gzip" ours-build ref-build
  row "build, zstd (the reference has no zstd)" ours-build-zstd
  row "build, none" ours-build-none ref-build-none
  [ -n "$QUICK" ] || row "build, gzip, 3x the tree ($((TREE_MB * 3)) MiB)" ours-build3 ref-build3 nobase
  [ -n "$QUICK" ] || row "validate, 3x the tree" ours-validate3 "" nobase
  row "validate (each tool's own ACI)" ours-validate ref-validate
  row "validate (the reference's ACI)" ours-validate-refaci ref-validate
  row "validate, zstd ACI" ours-validate-zstd
  row "cat-manifest" ours-cat-manifest ref-cat-manifest
  row "image-id (no reference command)" ours-image-id
  echo
  echo "acbuild (the Go acbuild is not packaged for Debian and cannot be built here, so its column cites the figures the issue gives for this machine, not a same-run measurement):"
  echo
  echo "| operation | Go acbuild (s, cited) | ours (s) | ours peak RSS (MiB) | ours/tar\\|pigz | baseline (s) | ours/baseline |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  echo "| acbuild session on the tree: begin DIR, set-name, set-exec, label add, port add, write, end | 9.0 | $(t acbuild-session) | $(mib "${RSS[acbuild-session]}") | $(ratio "${SEC[acbuild-session]}" "${SEC[base-tar-pigz]}") | \`cp -a\` of the tree, the copy begin makes, in the same rounds: $(t base-cp-tree) | the session less the copy: $(t acbuild-session-less-base-cp-tree) |"
  echo "| acbuild begin from the ACI of the tree (an extraction) | – | $(t acbuild-begin-aci) | $(mib "${RSS[acbuild-begin-aci]}") | – | \`tar -xzf\` of the ACI, in the same rounds: $(t base-tar-extract) | $(ratio "${SEC[acbuild-begin-aci]}" "${SEC[base-tar-extract]}") |"
  echo "| acbuild end of that build | – | $(t acbuild-end-aci) | $(mib "${RSS[acbuild-end-aci]}") | – | – | – |"
  echo "| acbuild label add, build holding the tree (JVM start included) | <0.01 | $(t acbuild-label-add) | $(mib "${RSS[acbuild-label-add]}") | – | – | – |"
  echo "| acbuild cat-manifest, build holding the tree | – | $(t acbuild-cat-manifest) | $(mib "${RSS[acbuild-cat-manifest]}") | – | – | – |"
  echo
  echo "The session and begin from an ACI create the tree's 6,768 files; this machine's disk (ext4 on a virtual disk) creates files ten times slower for minutes at a time (\`cp -a\` of the tree: 0.3 s in a good minute, 5 s in a bad one), for every tool alike, so each of their rounds runs right after the same work done by \`cp\` or \`tar\`, and the session is also given less its copy."
  echo
  echo "acbuild build of a Debian Dockerfile (FROM the tree, COPY, RUN, COPY, CMD; gzip), the step cache in the image store:"
  echo
  echo "| operation | ours (s) | ours peak RSS (MiB) |"
  echo "| --- | --- | --- |"
  echo "| first build (one round) | $FIRST_DBUILD | $(mib "$(cut -d' ' -f2 "$WORK/first-dbuild")") |"
  echo "| rebuild with nothing changed: every step and the image from the cache, same Image ID (target: at most 2 s) | $(t build-unchanged) | $(mib "${RSS[build-unchanged]}") |"
  echo "| rebuild after the last COPY's input changed: that COPY and the write run again | $(t build-copy-changed) | $(mib "${RSS[build-copy-changed]}") |"
  echo
  echo "Image store (the ACI of the tree above; \`actool fetch\` renders an image with its dependencies into the store's tree cache, as rkt's fetch does):"
  echo
  echo "| operation | ours (s) | ours peak RSS (MiB) |"
  echo "| --- | --- | --- |"
  echo "| first fetch of the file: import (hash, copy) and render into the tree cache (one round) | $FIRST_FETCH | $(mib "$(cut -d' ' -f2 "$WORK/first-fetch")") |"
  echo "| fetch again by Image ID: the cached tree is reused, nothing extracted | $(t store-fetch-cached) | $(mib "${RSS[store-fetch-cached]}") |"
  echo "| image render into a new directory (a full extraction) | $(t store-render-dir) | $(mib "${RSS[store-render-dir]}") |"
  echo "| image render with dependencies: a one-file app image over the image of the tree, into a new directory | $(t store-render-deps) | $(mib "${RSS[store-render-deps]}") |"
  echo
  echo "Revalidating a fetched image (\`--pull-policy update\` on a URL) costs one conditional request answered 304 and no download; \`ActoolFetchIT.fetch_urlAgainWithPullPolicyUpdate_oneConditionalRequestAnswered304\` checks it against nginx's access log."
  echo
  if [ -n "$HAVE_D2A" ]; then
    echo "docker2aci (the Go docker2aci is not packaged for Debian and its Go dependencies cannot be fetched here, so there is no same-run comparison; inputs from \`.ci/fixtures.sh\`):"
    echo
    echo "| conversion (gzip output) | ours (s) | ours peak RSS (MiB) |"
    echo "| --- | --- | --- |"
    echo "| Debian image, docker save archive (skopeo), 1 uncompressed layer -> ACI of $D2A_SIZE bytes | $(t d2a-debian-archive) | $(mib "${RSS[d2a-debian-archive]}") |"
    echo "| Debian image, OCI layout, 1 gzip layer | $(t d2a-debian-oci) | $(mib "${RSS[d2a-debian-oci]}") |"
    echo "| busybox image, OCI layout | $(t d2a-busybox) | $(mib "${RSS[d2a-busybox]}") |"
    echo
  fi
  echo "Executor (no reference: rkt, the Go executor, is archived):"
  echo
  echo "| operation | ours (s) | ours peak RSS (MiB) |"
  echo "| --- | --- | --- |"
  echo "| actool run /bin/true in busybox, warm store: start to exit, JVM included (target 0.3 s) | $(t ours-run-true) | $(mib "${RSS[ours-run-true]}") |"
  echo
  echo "ACI sizes: reference $REF_SIZE bytes, ours $OURS_SIZE bytes (ratio $(ratio "$OURS_SIZE" "$REF_SIZE")); ours with zstd $(stat -c %s "$WORK/ours-zstd.aci") bytes."
  [ -n "$QUICK" ] || echo "Ours streams: the 3x tree needs no more memory than the 1x tree; what there is is mostly the JVM's young generation, filled with short-lived buffers between collections."
} | tee "$REPORT"
