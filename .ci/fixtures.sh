#!/usr/bin/env bash
# fixtures.sh - make the real test inputs this project's tests read, from Debian packages only.
#
#   .ci/fixtures.sh [STEP...]      default: every step, in order
#   ACI_FIXTURES=DIR .ci/fixtures.sh   where to put them (default ~/.cache/aci-fixtures)
#
# Steps:
#   packages   apt-get install the tools the steps and the tests call
#   busybox    rootfs/busybox: busybox-static, one symlink per applet, passwd/group, fixed mtimes
#   debian     rootfs/debian: debootstrap --variant=minbase bookworm
#   refactool  bin/actool: the reference Go actool 0.8.11, built from golang-github-appc-spec-dev
#   webserver  nginx-light and openssl for the tests' private TLS web server (the system nginx
#              service is neither started nor enabled: each test starts its own on 127.0.0.1)
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
  install_pkgs debootstrap busybox-static gnupg attr libcap2-bin xz-utils zstd bzip2 gzip tar \
    golang-go golang-github-appc-spec-dev
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

step_webserver() {
  if ! have_pkg nginx-light || ! have_pkg openssl; then
    # Debian starts a package's service on install; a policy-rc.d that says "no" (exit 101)
    # stops that for this install only, and is removed after it unless it was there before
    local policy=/usr/sbin/policy-rc.d ours=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 0755 "$policy"; ours=1
    fi
    ( trap '[ -z "$ours" ] || rm -f "$policy"' EXIT; install_pkgs nginx-light openssl )
  fi
  # nor started at boot: the tests never use the system service
  if [ -d /run/systemd/system ]; then
    systemctl disable nginx >/dev/null 2>&1 || true
  else
    update-rc.d nginx disable >/dev/null 2>&1 || true
  fi
  command -v nginx >/dev/null || fail "nginx is not on PATH after installing nginx-light"
  log "webserver: $(nginx -v 2>&1)"
}

ALL=(packages busybox debian refactool webserver)
steps=("$@"); [ ${#steps[@]} -gt 0 ] || steps=("${ALL[@]}")
for s in "${steps[@]}"; do declare -F "step_$s" >/dev/null || fail "unknown step '$s' (steps: ${ALL[*]})"; done
for s in "${steps[@]}"; do "step_$s"; done
log "ready in $FIX"
