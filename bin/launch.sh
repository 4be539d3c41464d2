# Sourced by bin/actool and bin/acbuild: runs a CLI module's jar with its target/lib class path.
# Works from any directory and through symlinks; JAVA_HOME picks the JVM, APPCTOOLS_JAVA_OPTS adds options,
# LAUNCH_JVM_OPTS is the calling launcher's per-command choice.
# Whether SHA-512 and SHA-256 will run in OpenSSL's libcrypto (org.appctools.hash.Hashes: unless
# forced to the JDK's, and the library is in a usual place): the commands that hash then need no C2
# compiler, whose compiling would take CPU time from the work on a small machine.
native_hashes() {
  case ${APPCTOOLS_HASH,,}${APPCTOOLS_JAVA_OPTS:-} in
    java* | *-Dappctools.hash=[Jj][Aa][Vv][Aa]*) return 1 ;;
  esac
  local f
  for f in /usr/lib/*-linux-gnu/libcrypto.so.3 /lib/*-linux-gnu/libcrypto.so.3 /usr/lib64/libcrypto.so.3 \
      /usr/lib/libcrypto.so.3 /usr/local/lib/libcrypto.so.3 /usr/lib/*-linux-gnu/libcrypto.so.1.1; do
    [ -e "$f" ] && return 0
  done
  return 1
}
launch() {
  local module=$1 main=$2; shift 2
  local root jar java jsa
  # the checkout: one absolute path without . or .. (the class-data archive is tied to the class path it was made with)
  root=${BASH_SOURCE[0]%/*}/..
  case $root in
    /*/bin/..) root=${root%/bin/..}; case $root in */./* | */../* | */. | */..) root=$(cd "$root" && pwd) ;; esac ;;
    *) root=$(cd "$root" && pwd) ;;
  esac
  jar=$root/$module/target/$module.jar
  if [ ! -f "$jar" ]; then
    echo "${0##*/}: $jar is missing; build it first: (cd $root && mvn -B -q package -DskipTests)" >&2
    exit 1
  fi
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  # short-lived CLI: serial GC, no perf data file, quiet class-data-sharing messages
  local opts=(-XX:+UseSerialGC -XX:-UsePerfData -Xss4m -Xlog:cds=off -Xlog:cds+dynamic=off ${LAUNCH_JVM_OPTS:-})
  local cp="$jar:$root/$module/target/lib/*"
  # Start-up: an AppCDS archive of the classes the tool loads, made by the first run after each
  # build (dumped to a temporary name and renamed, so concurrent first runs are safe).
  jsa=$root/$module/target/$module.jsa
  if [ -f "$jsa" ] && [ "$jsa" -nt "$jar" ]; then
    opts+=(-XX:SharedArchiveFile="$jsa")
  elif [ -w "$(dirname "$jar")" ] && [ -z "${APPCTOOLS_NO_CDS:-}" ]; then
    local tmp="$jsa.$$.tmp" rc=0
    # shellcheck disable=SC2086
    "$java" "${opts[@]}" -XX:ArchiveClassesAtExit="$tmp" ${APPCTOOLS_JAVA_OPTS:-} -cp "$cp" "$main" "$@" || rc=$?
    # the JVM gives the archive an old mtime; stamp it now so the freshness test above works
    if [ -s "$tmp" ]; then touch "$tmp" && mv -f "$tmp" "$jsa"; else rm -f "$tmp"; fi
    exit $rc
  fi
  # shellcheck disable=SC2086
  exec "$java" "${opts[@]}" ${APPCTOOLS_JAVA_OPTS:-} -cp "$cp" "$main" "$@"
}
