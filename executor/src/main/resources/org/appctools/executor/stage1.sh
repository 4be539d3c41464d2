# stage1 of the appctools executor (POSIX sh). Runs as PID 2 under tini, in the pod's own mount
# namespace (and PID, UTS, IPC and network namespaces unless the plan shares the host's), started
# by the executor as:  unshare ... -- tini -s -g -- sh POD/stage1.sh POD
#
# POD/plan.sh (written by the executor) sets MOUNT, CP, CHOWN, CHMOD, PIVOT_ROOT, UMOUNT, IP, HOSTNAME_TOOL, STAGE1, HOSTNAME_SET,
# LOOPBACK, APPS, STDIN_APP, and defines copy_dev, own_files (a rootless pod's root gives the apps' files
# the owners the store could not) and one supervise_APP function per app, which runs
# the app's pre-start handler, the app, records its exit status in /status/APP, then runs its
# post-stop handler. Every mount is made in this namespace only: when its last process ends, the
# kernel removes them all, whatever killed it.
#
# Exit status: 0 once every app has ended (their own statuses are in POD/status), 254 when stage1
# itself failed, with the reason in POD/status/error (fd 4).
POD=$1
# fd 4: stage1's own error messages (POD/status/error), open across pivot_root; the apps never get it
exec 4>>"$POD/status/error" || exit 254
fail() { echo "$*" >&4; exit 254; }
. "$POD/plan.sh" || fail "stage1: cannot read $POD/plan.sh"
"$MOUNT" --all --fstab "$POD/fstab-1" 2>&4 || fail "stage1: mounting the pod's root file systems failed"
# before the volumes are mounted: only the apps' own files get owners
own_files 2>&4 || fail "stage1: giving the images' files their owners failed"
copy_dev 2>&4 || fail "stage1: populating /dev failed"
"$MOUNT" --all --fstab "$POD/fstab-2" 2>&4 || fail "stage1: mounting the apps' file systems and volumes failed"
if [ -n "$HOSTNAME_SET" ]; then
  # sethostname(2) asks for CAP_SYS_ADMIN in the pod's user namespace; the sysctl file, for the host's root
  if [ -n "$HOSTNAME_TOOL" ]; then
    "$HOSTNAME_TOOL" "$HOSTNAME_SET" 2>&4 || fail "stage1: setting the hostname failed"
  else
    printf '%s\n' "$HOSTNAME_SET" >/proc/sys/kernel/hostname 2>&4 || fail "stage1: setting the hostname failed"
  fi
fi
if [ -n "$LOOPBACK" ]; then
  "$IP" link set lo up 2>&4 || fail "stage1: bringing up the loopback interface failed"
fi
# the pod's root becomes /, the host's goes away: a chroot escape from an app reaches no further
cd "$STAGE1" && "$PIVOT_ROOT" . . 2>&4 && "$UMOUNT" -l . 2>&4 || fail "stage1: pivot_root into $STAGE1 failed"
cd /
# signals (tini forwards them to this process group: this shell, the supervisors and the apps)
# reach the apps; the shells wait for them and record how they ended. A supervisor's own stderr is
# /dev/null (no "Killed" from the shell); its apps get the pod's stderr from fd 5.
trap : TERM INT HUP
exec 3<&0
for app in $APPS; do
  if [ "$app" = "$STDIN_APP" ]; then
    "supervise_$app" 0<&3 3<&- 4>&- 5>&2 2>/dev/null &
  else
    "supervise_$app" 0</dev/null 3<&- 4>&- 5>&2 2>/dev/null &
  fi
done
exec 3<&-
until wait; do :; done
exit 0
