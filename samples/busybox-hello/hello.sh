#!/bin/sh
# The busybox-hello app: greets from inside its pod.
echo "$GREETING from $AC_APP_NAME"
echo "running as $(id -un) in $(pwd) on $(uname -s)"
