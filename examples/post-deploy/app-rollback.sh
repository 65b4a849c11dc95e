#!/usr/bin/env bash
# Started by app-rollback.service: point `current` back at `previous` and
# start the app again (its ExecStartPost= gates the old release too).
set -euo pipefail
root=${APP_ROOT:-/srv/app}
previous=$(readlink -f "$root/previous")
[ -d "$previous" ] || { echo "rollback: no previous release" >&2; exit 1; }
ln -sfn "$previous" "$root/current.next"
mv -T "$root/current.next" "$root/current"
systemctl restart app.service
