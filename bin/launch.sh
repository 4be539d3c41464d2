# Sourced by bin/actool and bin/acbuild: runs a CLI module's jar with its target/lib class path.
# Works from any directory and through symlinks; JAVA_HOME picks the JVM, APPCTOOLS_JAVA_OPTS adds options.
launch() {
  local module=$1 main=$2; shift 2
  local self root jar java
  self=$(readlink -f "${BASH_SOURCE[1]}")
  root=$(cd "$(dirname "$self")/.." && pwd)
  jar=$root/$module/target/$module.jar
  if [ ! -f "$jar" ]; then
    echo "$(basename "$self"): $jar is missing; build it first: (cd $root && mvn -B -q package -DskipTests)" >&2
    exit 1
  fi
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  # short-lived CLI: serial GC, class data sharing, no perf data file
  # shellcheck disable=SC2086
  exec "$java" -XX:+UseSerialGC -Xshare:auto -XX:-UsePerfData -Xss4m ${APPCTOOLS_JAVA_OPTS:-} \
    -cp "$jar:$root/$module/target/lib/*" "$main" "$@"
}
