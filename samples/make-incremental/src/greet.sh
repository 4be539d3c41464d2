#!/bin/sh
# The make-incremental sample's app.
echo "$(cat /etc/greeting) from $AC_APP_NAME"
