#!/bin/sh
# The docker-to-registry sample's app, added to a converted Docker image with acbuild.
echo "$GREETING from $AC_APP_NAME, built on a Docker image"
