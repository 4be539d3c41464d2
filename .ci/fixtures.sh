#!/usr/bin/env bash
# fixtures.sh - make the real test inputs this project's tests read, from Debian packages only.
#
#   .ci/fixtures.sh [STEP...]      default: every step, in order
#   ACI_FIXTURES=DIR .ci/fixtures.sh   where to put them (default ~/.cache/aci-fixtures)
#
# Steps:
#   packages   apt-get install the tools the steps, the tests and bench/run.sh call, libdeflate0, libssl3 and libisal2
#              (gzip and SHA-512 through JNA; libdeflate-tools for a libdeflate-gzip baseline)
#   busybox    rootfs/busybox: busybox-static, one symlink per applet, passwd/group, fixed mtimes
#   debian     rootfs/debian: debootstrap --variant=minbase bookworm
#   refactool  bin/actool: the reference Go actool 0.8.11, built from golang-github-appc-spec-dev
#   acevalidator  bin/ace-validator: the spec's ACE validator (github.com/appc/spec/ace) from the
#              same package, static, so that it runs in a bare chroot
#   webserver  nginx-light and openssl for the tests' private TLS web server (the system nginx
#              service is neither started nor enabled: each test starts its own on 127.0.0.1)
#   ocitools   apt-get install umoci, skopeo and jq (for the image steps and the docker2aci tests)
#   oci        oci/{busybox,layered,debian}: OCI image layouts made with umoci (see step_oci)
#   zstd       oci/busybox-zstd and archives/busybox-zstd.oci.tar: busybox with a zstd layer
#   multiarch  oci/multiarch: an OCI image index with linux/amd64 and linux/arm64 images
#   archives   archives/NAME.docker.tar (docker save format, by skopeo), NAME.oci.tar (OCI archive),
#              layered.legacy.tar (old Docker layout: repositories + ID/layer.tar, no manifest.json),
#              multi.docker.tar (two images in one docker archive)
#   registry   apt-get install docker-registry only, its system service kept stopped and disabled;
#              the tests start their own registry on a free 127.0.0.1 port
#   yaml       apt-get install python3-yaml, the YAML parser that reads actool pod k8s's output
#   executor   tini (the pods' init), iproute2 (loopback in a pod's network namespace), util-linux
#              (unshare, setpriv, mount, pivot_root), uidmap (newuidmap and newgidmap: rootless pods
#              with subordinate IDs)
#   samples    apt-get install make, jq and python3, which the samples/ scripts call
#   cni        containernetworking-plugins (bridge, ptp, host-local, portmap, loopback... in
#              /usr/lib/cni) and iptables, for pods' CNI networks (--net default, --net NAME, --port)
#   docs       man-db, groff-base, bash and zsh: the generated man pages and completion scripts
#
# Every output is made under a temporary name and renamed when complete, so an existing
# output is a complete one and a second run skips it. Delete an output to remake it.
# Needs root (debootstrap, mknod, chown). Touches the network only through apt.
set -euo pipefail

FIX=${ACI_FIXTURES:-$HOME/.cache/aci-fixtures}
EPOCH=1700000000            # 2023-11-14T22:13:20Z, the mtime of every hand-made file
SUITE=bookworm
export LC_ALL=C TZ=UTC DEBIAN_FRONTEND=noninteractive

log()  { printf 'fixtures: %s\n' "$*"; }
fail() { printf 'fixtures: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap, mknod and chown need it)"
mkdir -p "$FIX/logs"

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
apt_updated=""
install_pkgs() {
  local want=() p
  for p in "$@"; do have_pkg "$p" || want+=("$p"); done
  [ ${#want[@]} -gt 0 ] || return 0
  log "installing ${want[*]}"
  if [ -z "$apt_updated" ]; then apt-get update -qq >"$FIX/logs/apt-update.log" 2>&1; apt_updated=1; fi
  apt-get install -y -q -o DPkg::Lock::Timeout=900 --no-install-recommends "${want[@]}" \
    >>"$FIX/logs/apt-install.log" 2>&1 || { tail -20 "$FIX/logs/apt-install.log"; fail "apt-get install ${want[*]} failed"; }
}

step_packages() {
  install_pkgs debootstrap busybox-static gnupg attr libcap2-bin xz-utils zstd bzip2 gzip tar tmux \
    golang-go golang-github-appc-spec-dev pigz libdeflate0 libdeflate-tools libssl3 libisal2
}

# the mirror apt uses for $SUITE (deb822 or one-line sources)
mirror() {
  local m
  m=$(awk -v s="$SUITE" 'BEGIN{RS="";FS="\n"} { u="";ok=0
        for(i=1;i<=NF;i++){ if($i~/^URIs:/){sub(/^URIs:[ \t]*/,"",$i);split($i,a," ");u=a[1]}
                            if($i~/^Suites:/){n=split($i,b," ");for(j=2;j<=n;j++)if(b[j]==s)ok=1} }
        if(ok&&u!=""){print u;exit} }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$m" ] || m=$(awk -v s="$SUITE" '$1=="deb" && $3==s {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  printf '%s' "${m:-http://deb.debian.org/debian}"
}

step_busybox() {
  local out=$FIX/rootfs/busybox tmp=$FIX/rootfs/.busybox.tmp
  [ -x "$out/bin/busybox" ] && { log "rootfs/busybox present"; return; }
  log "making rootfs/busybox"
  rm -rf "$tmp"; mkdir -p "$tmp"
  (
    cd "$tmp"
    mkdir -p bin sbin usr/bin usr/sbin etc root home/app tmp var/tmp proc sys dev
    cp /bin/busybox bin/busybox
    for applet in $(/bin/busybox --list-full); do
      [ "$applet" = bin/busybox ] || [ "$applet" = linuxrc ] || ln -s /bin/busybox "$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >etc/passwd
    printf 'root:x:0:\napp:x:1000:\n' >etc/group
    chmod 0644 etc/passwd etc/group
    chmod 0700 root; chmod 1777 tmp var/tmp
    chown 1000:1000 home/app
    find . -exec touch -h -d "@$EPOCH" {} +
  )
  mv "$tmp" "$out"
}

step_debian() {
  local out=$FIX/rootfs/debian tmp=$FIX/rootfs/.debian.tmp
  [ -x "$out/bin/bash" ] && { log "rootfs/debian present"; return; }
  log "debootstrap --variant=minbase $SUITE (a few minutes; log in $FIX/logs/debootstrap.log)"
  findmnt -rn -o TARGET | awk -v p="$tmp/" 'index($0"/",p)==1' | sort -r | xargs -r umount -l
  rm -rf --one-file-system "$tmp"; mkdir -p "$FIX/rootfs"
  debootstrap --variant=minbase "$SUITE" "$tmp" "$(mirror)" >"$FIX/logs/debootstrap.log" 2>&1 \
    || { tail -20 "$FIX/logs/debootstrap.log"; fail "debootstrap failed"; }
  findmnt -rn -o TARGET | awk -v p="$tmp/" 'index($0"/",p)==1' | sort -r | xargs -r umount -l
  mv "$tmp" "$out"
}

step_refactool() {
  local bin=$FIX/bin/actool
  [ -x "$bin" ] && { log "bin/actool present"; return; }
  log "building the reference actool from Debian's golang-github-appc-spec-dev"
  mkdir -p "$FIX/bin"
  GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE="$FIX/.gocache" GOFLAGS= \
    go build -o "$bin.tmp" github.com/appc/spec/actool
  mv "$bin.tmp" "$bin"
  rm -rf "$FIX/.gocache"
  "$bin" version
}

step_acevalidator() {
  local bin=$FIX/bin/ace-validator
  [ -x "$bin" ] && { log "bin/ace-validator present"; return; }
  log "building the ACE validator from Debian's golang-github-appc-spec-dev"
  mkdir -p "$FIX/bin"
  CGO_ENABLED=0 GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE="$FIX/.gocache" GOFLAGS= \
    go build -o "$bin.tmp" github.com/appc/spec/ace
  mv "$bin.tmp" "$bin"
  rm -rf "$FIX/.gocache"
}

# installs packages that ship a system service without starting it (Debian starts a package's
# service on install; a policy-rc.d that says "no" (exit 101) stops that, and is removed after
# unless it was there before), then disables (and stops) the service: the tests start their own
install_service_pkgs() {
  local service=$1 policy=/usr/sbin/policy-rc.d ours="" p missing=""; shift
  for p in "$@"; do have_pkg "$p" || missing=1; done
  if [ -n "$missing" ]; then
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# temporary, from .ci/fixtures.sh\nexit 101\n' >"$policy"; chmod 0755 "$policy"; ours=1
    fi
    ( trap '[ -z "$ours" ] || rm -f "$policy"' EXIT; install_pkgs "$@" )
  fi
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now "$service" >>"$FIX/logs/apt-install.log" 2>&1 || true
  else
    [ ! -x "/etc/init.d/$service" ] || "/etc/init.d/$service" stop >>"$FIX/logs/apt-install.log" 2>&1 || true
    update-rc.d "$service" disable >>"$FIX/logs/apt-install.log" 2>&1 || true
  fi
}

step_webserver() {
  install_service_pkgs nginx nginx-light openssl
  command -v nginx >/dev/null || fail "nginx is not on PATH after installing nginx-light"
  log "webserver: $(nginx -v 2>&1)"
}

# ---- container images: umoci and skopeo write them, the docker2aci tests read them ----

step_ocitools() {
  install_pkgs umoci skopeo jq
}

# deterministic tar of the named members of $1 (no recursion: exactly the members given)
det_tar() {
  local dir=$1 out=$2; shift 2
  tar -C "$dir" --sort=name --numeric-owner --mtime="@$EPOCH" --format=pax --no-recursion \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$out" "$@"
}
# runs "$@" with errexit in force, output in logs/NAME.log (a subshell whose status is tested
# with || or if would run with errexit off, so it runs in the background and is waited for)
logged() {
  local name=$1; shift
  ( set -e; "$@" ) >"$FIX/logs/$name.log" 2>&1 &
  wait $! || { tail -20 "$FIX/logs/$name.log"; fail "$name failed (log: $FIX/logs/$name.log)"; }
}
oci_created() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# path of the manifest blob of tag latest in the layout $1
oci_manifest() {
  local d; d=$(jq -r '.manifests[]|select(.annotations["org.opencontainers.image.ref.name"]=="latest").digest' "$1/index.json")
  printf '%s' "$1/blobs/${d%%:*}/${d#*:}"
}
# a new layout $1 whose tag latest holds the tree $2 as one layer, plus a config from "$@"
oci_from_tree() {
  local layout=$1 tree=$2 bundle=$1.bundle; shift 2
  rm -rf "$layout" "$bundle"
  umoci init --layout "$layout" && umoci new --image "$layout:latest"
  umoci unpack --image "$layout:latest" "$bundle" >/dev/null
  cp -a "$tree/." "$bundle/rootfs/"
  umoci repack --image "$layout:latest" --history.created "$(oci_created "$EPOCH")" \
    --history.created_by "fixtures.sh: $(basename "$tree") tree (umoci repack)" "$bundle"
  rm -rf "$bundle"
  umoci config --image "$layout:latest" --created "$(oci_created "$EPOCH")" --author fixtures.sh \
    --architecture amd64 --os linux "$@" \
    --history.created "$(oci_created "$EPOCH")" --history.created_by "umoci config"
  umoci gc --layout "$layout"
}

oci_busybox() {
  local out=$FIX/oci/busybox tmp=$FIX/oci/.busybox.tmp
  [ -f "$out/index.json" ] && return
  log "making oci/busybox"
  logged oci-busybox oci_from_tree "$tmp" "$FIX/rootfs/busybox" \
    --config.entrypoint=/bin/sh --config.entrypoint=-c --config.cmd "echo hello" \
    --config.env FOO=bar --config.workingdir /tmp --config.user 1000:1000 \
    --config.exposedports 8080/tcp --config.exposedports 53/udp --config.volume /data \
    --config.label org.opencontainers.image.title=corpus-busybox
  mv "$tmp" "$out"
}

oci_debian() {
  local out=$FIX/oci/debian tmp=$FIX/oci/.debian.tmp
  [ -f "$out/index.json" ] && return
  log "making oci/debian"
  logged oci-debian oci_from_tree "$tmp" "$FIX/rootfs/debian" --config.cmd bash \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.label org.opencontainers.image.title=corpus-debian
  mv "$tmp" "$out"
}

# Four layers with everything a squash must get right; umoci unpack of the result is checked.
#  1 (umoci repack) the busybox tree, usr/share/corpus/{a,b}.txt, opt/h/a-target.txt hard-linked
#    as opt/h/b-link.txt (the tar holds a-target.txt, then b-link.txt as a hard link to it)
#  2 (hand-made tar) app/file, whiteout bin/.wh.vi, opaque usr/share/corpus/.wh..wh..opq + new.txt
#  3 (umoci repack) hard links app/data.txt = app/data-hardlink.txt, symlinks (relative, absolute,
#    ../), a user xattr, a security.capability, dev/null (char 1:3), a FIFO, home/app/.profile
#  4 (hand-made tar, no directory entries for the parents of its files) whiteouts of the hard-link
#    target opt/h/a-target.txt, of the symlink app/link-to-busybox and of the directory home/app;
#    root/.profile under root/ (0700 in layer 1), tmp/note.txt under tmp/ (1777),
#    usr/local/share/deep/file.txt (no parent anywhere), app/file replaced by a directory,
#    etc/group replaced (mode 0600, group 42)
oci_layered() {
  local out=$FIX/oci/layered tmp=$FIX/oci/.layered.tmp w=$FIX/oci/.layered.work
  [ -f "$out/index.json" ] && return
  log "making oci/layered"
  rm -rf "$w"; mkdir -p "$w"
  logged oci-layered make_layered "$tmp" "$w"
  rm -rf "$w"
  mv "$tmp" "$out"
}

make_layered() {
  local tmp=$1 w=$2
  cp -a "$FIX/rootfs/busybox" "$w/tree1"
  mkdir -p "$w/tree1/usr/share/corpus" "$w/tree1/opt/h"
  echo "old file a (layer 1)" >"$w/tree1/usr/share/corpus/a.txt"
  echo "old file b (layer 1)" >"$w/tree1/usr/share/corpus/b.txt"
  echo "hard-link target (layer 1), whited out by layer 4" >"$w/tree1/opt/h/a-target.txt"
  ln "$w/tree1/opt/h/a-target.txt" "$w/tree1/opt/h/b-link.txt"
  chmod 0644 "$w"/tree1/usr/share/corpus/*.txt "$w"/tree1/opt/h/*.txt
  find "$w/tree1" -exec touch -h -d "@$EPOCH" {} +
  oci_from_tree "$tmp" "$w/tree1" --config.cmd /bin/sh \
    --config.env PATH=/usr/sbin:/usr/bin:/sbin:/bin --config.workingdir /app \
    --config.label org.opencontainers.image.title=corpus-layered

  # layer 2
  local s=$w/l2
  mkdir -p "$s/app" "$s/bin" "$s/usr/share/corpus"
  echo "file added in layer 2" >"$s/app/file"
  : >"$s/bin/.wh.vi"
  : >"$s/usr/share/corpus/.wh..wh..opq"
  echo "new file (layer 2, after the opaque whiteout)" >"$s/usr/share/corpus/new.txt"
  chmod -R u=rwX,go=rX "$s"
  det_tar "$s" "$w/layer2.tar" app app/file bin bin/.wh.vi usr usr/share usr/share/corpus \
    usr/share/corpus/.wh..wh..opq usr/share/corpus/new.txt
  umoci raw add-layer --image "$tmp:latest" --history.created "$(oci_created $((EPOCH+2)))" \
    --history.created_by "layer 2: hand-made tar (whiteout, opaque whiteout)" "$w/layer2.tar"

  # layer 3
  local b=$w/bundle3 r
  umoci unpack --image "$tmp:latest" "$b" >/dev/null
  r=$b/rootfs
  echo "data written in layer 3" >"$r/app/data.txt"
  ln "$r/app/data.txt" "$r/app/data-hardlink.txt"
  ln -s file "$r/app/link-relative"
  ln -s /app/file "$r/app/link-absolute"
  ln -s ../bin/busybox "$r/app/link-to-busybox"
  echo "file with a user xattr" >"$r/app/xattr.txt"
  setfattr -n user.corpus.note -v "hello xattr" "$r/app/xattr.txt"
  printf '#!/bin/sh\necho capability demo\n' >"$r/app/cap-file"; chmod 0755 "$r/app/cap-file"
  setcap cap_net_bind_service=+ep "$r/app/cap-file"
  mknod -m 0666 "$r/dev/null" c 1 3
  mkfifo -m 0640 "$r/app/fifo"
  printf 'export PS1=app\n' >"$r/home/app/.profile"; chown 1000:1000 "$r/home/app/.profile"
  find "$r/app" "$r/dev" "$r/home/app" -exec touch -h -d "@$((EPOCH+3))" {} +
  umoci repack --image "$tmp:latest" --history.created "$(oci_created $((EPOCH+3)))" \
    --history.created_by "layer 3: hard links, symlinks, xattrs, device node, FIFO (umoci repack)" "$b"
  rm -rf "$b"

  # layer 4
  s=$w/l4
  mkdir -p "$s/opt/h" "$s/app/file" "$s/home" "$s/root" "$s/tmp" "$s/usr/local/share/deep" "$s/etc"
  : >"$s/opt/h/.wh.a-target.txt"; : >"$s/app/.wh.link-to-busybox"; : >"$s/home/.wh.app"
  echo "directory that replaces the file app/file (layer 4)" >"$s/app/file/inner.txt"
  echo "export HOME=/root" >"$s/root/.profile"
  echo "a note in /tmp (layer 4)" >"$s/tmp/note.txt"
  echo "deep file whose parents no layer has (layer 4)" >"$s/usr/local/share/deep/file.txt"
  printf 'root:x:0:\napp:x:1000:\nstaff:x:42:\n' >"$s/etc/group"
  chmod 0644 "$s"/opt/h/.wh.* "$s"/app/.wh.* "$s"/home/.wh.* "$s/app/file/inner.txt" \
    "$s/root/.profile" "$s/tmp/note.txt" "$s/usr/local/share/deep/file.txt"
  chmod 0755 "$s/app/file"; chmod 0600 "$s/etc/group"; chgrp 42 "$s/etc/group"
  det_tar "$s" "$w/layer4.tar" opt/h/.wh.a-target.txt app/.wh.link-to-busybox home/.wh.app \
    app/file app/file/inner.txt root/.profile tmp/note.txt usr/local/share/deep/file.txt etc/group
  umoci raw add-layer --image "$tmp:latest" --history.created "$(oci_created $((EPOCH+4)))" \
    --history.created_by "layer 4: hand-made tar without parent directories (whiteouts)" "$w/layer4.tar"
  umoci gc --layout "$tmp"

  # the applied image must look like this (one test per line: errexit ignores all but the last
  # command of an && list)
  b=$w/check
  umoci unpack --image "$tmp:latest" "$b" >/dev/null
  cd "$b/rootfs"
  [ ! -e bin/vi ]
  [ -L bin/sh ]
  [ "$(ls -A usr/share/corpus)" = new.txt ]
  [ ! -e opt/h/a-target.txt ]
  [ "$(cat opt/h/b-link.txt)" = "hard-link target (layer 1), whited out by layer 4" ]
  [ "$(stat -c %i app/data.txt)" = "$(stat -c %i app/data-hardlink.txt)" ]
  [ "$(readlink app/link-absolute)" = /app/file ]
  [ ! -L app/link-to-busybox ]
  [ "$(getfattr --only-values -n user.corpus.note app/xattr.txt)" = "hello xattr" ]
  getcap app/cap-file | grep -q cap_net_bind_service
  [ -c dev/null ]
  [ -p app/fifo ]
  [ ! -e home/app ]
  [ -f app/file/inner.txt ]
  [ "$(stat -c %a root)" = 700 ]
  [ "$(stat -c %a tmp)" = 1777 ]
  [ -f usr/local/share/deep/file.txt ]
  [ "$(stat -c %a:%g etc/group)" = 600:42 ]
}

step_oci() {
  mkdir -p "$FIX/oci"
  oci_busybox; oci_layered; oci_debian
}

step_zstd() {
  local out=$FIX/oci/busybox-zstd tmp=$FIX/oci/.busybox-zstd.tmp
  if [ ! -f "$out/index.json" ]; then
    log "making oci/busybox-zstd"
    rm -rf "$tmp"
    skopeo copy -q --dest-compress-format zstd "oci:$FIX/oci/busybox:latest" "oci:$tmp:latest"
    jq -e '.layers[0].mediaType=="application/vnd.oci.image.layer.v1.tar+zstd"' "$(oci_manifest "$tmp")" >/dev/null \
      || fail "skopeo did not write a zstd layer"
    mv "$tmp" "$out"
  fi
  out=$FIX/archives/busybox-zstd.oci.tar
  if [ ! -f "$out" ]; then
    mkdir -p "$FIX/archives"; rm -f "$out.tmp"
    skopeo copy -q "oci:$FIX/oci/busybox-zstd:latest" "oci-archive:$out.tmp:latest"
    mv "$out.tmp" "$out"
  fi
}

# blob of $2 bytes (file) into layout $1; prints "sha256:HEX SIZE"
oci_put_blob() {
  local hex size
  hex=$(sha256sum "$2" | cut -d' ' -f1); size=$(stat -c %s "$2")
  cp "$2" "$1/blobs/sha256/$hex"
  printf 'sha256:%s %s' "$hex" "$size"
}

step_multiarch() {
  local out=$FIX/oci/multiarch tmp=$FIX/oci/.multiarch.tmp
  [ -f "$out/index.json" ] && return
  log "making oci/multiarch (an image index: linux/amd64 = busybox, linux/arm64 = busybox relabelled)"
  rm -rf "$tmp"; mkdir -p "$tmp/blobs/sha256"
  cp -a "$FIX/oci/busybox/blobs/sha256/." "$tmp/blobs/sha256/"
  cp "$FIX/oci/busybox/oci-layout" "$tmp/"
  local amd64 cfg arm cfgd cfgs armm armd arms amdd amds idx idxd idxs
  amd64=$(oci_manifest "$FIX/oci/busybox")
  cfg=$FIX/oci/busybox/blobs/sha256/$(jq -r '.config.digest' "$amd64" | cut -d: -f2)
  jq -c '.architecture="arm64" | .variant="v8"' "$cfg" >"$tmp/config-arm64.json"
  read -r cfgd cfgs <<<"$(oci_put_blob "$tmp" "$tmp/config-arm64.json")"
  jq -c --arg d "$cfgd" --argjson s "$cfgs" '.config.digest=$d | .config.size=$s' "$amd64" >"$tmp/manifest-arm64.json"
  read -r armd arms <<<"$(oci_put_blob "$tmp" "$tmp/manifest-arm64.json")"
  amdd=sha256:$(basename "$amd64"); amds=$(stat -c %s "$amd64")
  jq -nc --arg a "$amdd" --argjson asz "$amds" --arg r "$armd" --argjson rs "$arms" '{schemaVersion:2,
      mediaType:"application/vnd.oci.image.index.v1+json", manifests:[
      {mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$a,size:$asz,platform:{architecture:"amd64",os:"linux"}},
      {mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$r,size:$rs,platform:{architecture:"arm64",os:"linux",variant:"v8"}}]}' \
    >"$tmp/index-blob.json"
  read -r idxd idxs <<<"$(oci_put_blob "$tmp" "$tmp/index-blob.json")"
  jq -nc --arg d "$idxd" --argjson s "$idxs" '{schemaVersion:2, mediaType:"application/vnd.oci.image.index.v1+json",
      manifests:[{mediaType:"application/vnd.oci.image.index.v1+json",digest:$d,size:$s,
      annotations:{"org.opencontainers.image.ref.name":"latest"}}]}' >"$tmp/index.json"
  rm -f "$tmp/config-arm64.json" "$tmp/manifest-arm64.json" "$tmp/index-blob.json"
  mv "$tmp" "$out"
}

# old Docker save layout from a skopeo docker archive: no manifest.json, ID/layer.tar files
legacy_archive() {
  local src=$1 out=$2 w=$2.work
  rm -rf "$w"; mkdir -p "$w"
  tar -C "$w" -xf "$src"
  rm -f "$w/manifest.json"
  find "$w" -mindepth 2 -name layer.tar -type l | while read -r l; do
    cp --remove-destination "$(readlink -f "$l")" "$l"
  done
  find "$w" -maxdepth 1 -type f -name '*.tar' -delete
  ( cd "$w" && det_tar . "$out.tmp" $(find . -mindepth 1 | sed 's|^\./||' | sort) )
  rm -rf "$w"
  mv "$out.tmp" "$out"
}

# two images in one docker archive (manifest.json and repositories merged)
multi_archive() {
  local out=$1 w=$1.work; shift
  rm -rf "$w"; mkdir -p "$w/m"
  local a i=0
  for a in "$@"; do
    mkdir -p "$w/m/$i"; tar -C "$w/m/$i" -xf "$a"
    tar -C "$w" -xf "$a" --exclude=manifest.json --exclude=repositories
    i=$((i+1))
  done
  jq -s 'add' "$w"/m/*/manifest.json >"$w/manifest.json"
  jq -s 'add' "$w"/m/*/repositories >"$w/repositories"
  rm -rf "$w/m"
  ( cd "$w" && det_tar . "$out.tmp" $(find . -mindepth 1 | sed 's|^\./||' | sort) )
  rm -rf "$w"
  mv "$out.tmp" "$out"
}

step_archives() {
  mkdir -p "$FIX/archives"
  local n out
  for n in busybox layered debian; do
    out=$FIX/archives/$n.docker.tar
    if [ ! -f "$out" ]; then
      log "making archives/$n.docker.tar"
      rm -f "$out.tmp"
      skopeo copy -q "oci:$FIX/oci/$n:latest" "docker-archive:$out.tmp:$n:latest"
      mv "$out.tmp" "$out"
    fi
    out=$FIX/archives/$n.oci.tar
    if [ ! -f "$out" ]; then
      log "making archives/$n.oci.tar"
      rm -f "$out.tmp"
      skopeo copy -q "oci:$FIX/oci/$n:latest" "oci-archive:$out.tmp:latest"
      mv "$out.tmp" "$out"
    fi
  done
  out=$FIX/archives/layered.legacy.tar
  [ -f "$out" ] || { log "making archives/layered.legacy.tar"; legacy_archive "$FIX/archives/layered.docker.tar" "$out"; }
  out=$FIX/archives/multi.docker.tar
  [ -f "$out" ] || { log "making archives/multi.docker.tar"; multi_archive "$out" "$FIX/archives/busybox.docker.tar" "$FIX/archives/layered.docker.tar"; }
}

# Only the package: its maintainer scripts would start the system service on *:5000, which a
# policy-rc.d that exits 101 forbids (made here only if there is none); the service is also
# disabled so that a reboot does not start it. The tests run registries of their own.
step_registry() {
  install_service_pkgs docker-registry docker-registry
}

# A YAML parser the tests read actool pod k8s's output with (python3 and its yaml module).
step_yaml() {
  install_pkgs python3 python3-yaml
}

# The man pages the CLI modules generate are rendered with man -l (man-db, groff) by the tests,
# and the completion scripts sourced by bash and zsh.
step_docs() {
  install_pkgs man-db groff-base bash zsh
}

step_executor() {
  install_pkgs tini iproute2 util-linux uidmap
  command -v tini >/dev/null || fail "tini is not on PATH after installing it"
  log "executor: $(tini --version 2>&1)"
}

step_samples() {
  install_pkgs make jq python3
}

step_cni() {
  install_pkgs containernetworking-plugins iptables
  [ -x /usr/lib/cni/bridge ] || fail "/usr/lib/cni/bridge is missing after installing containernetworking-plugins"
  log "cni: $(ls /usr/lib/cni | tr '\n' ' ')"
}

ALL=(packages busybox debian refactool acevalidator webserver executor cni ocitools oci zstd multiarch archives registry yaml docs samples)
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=("${ALL[@]}")
for s in "${steps[@]}"; do declare -F "step_$s" >/dev/null || fail "unknown step '$s' (steps: ${ALL[*]})"; done
for s in "${steps[@]}"; do "step_$s"; done
log "ready in $FIX"
