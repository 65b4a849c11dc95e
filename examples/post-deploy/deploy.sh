#!/usr/bin/env bash
# Switch the app to a new release, restart it, gate it, and roll back to the
# release that was live before when the gate fails.
#
#   deploy.sh RELEASE_DIR
#
# Environment (defaults for a systemd host):
#   APP_ROOT       /srv/app          holds `current` (a symlink to the live release)
#                                    and `previous` (the release before it)
#   RESTART        systemctl restart app.service
#   UPSTREAM_GATE  upstream-gate     the gate command
#   GATE_SPEC      /etc/app/upstream-gate.yml
#   GATE_REPORT    /var/log/app/upstream-gate.json
#
# Exit: 0 the release is live; 1 the gate failed and the previous release is
# back; 2 bad usage. The JSON report says why (reason, evidence, fix).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: deploy.sh RELEASE_DIR" >&2
  exit 2
fi
release=$(realpath "$1")
root=${APP_ROOT:-/srv/app}
spec=${GATE_SPEC:-/etc/app/upstream-gate.yml}
report=${GATE_REPORT:-/var/log/app/upstream-gate.json}
read -r -a restart <<<"${RESTART:-systemctl restart app.service}"
read -r -a gate <<<"${UPSTREAM_GATE:-upstream-gate}"

# Point `current` at a release in one rename, so nothing ever sees it missing.
switch_to() {
  ln -sfn "$1" "$root/current.next"
  mv -T "$root/current.next" "$root/current"
}

previous=$(readlink -f "$root/current" 2>/dev/null || true)
# `previous` is what app-rollback.sh (the systemd OnFailure= path) goes back to
if [ -n "$previous" ] && [ "$previous" != "$release" ]; then ln -sfn "$previous" "$root/previous"; fi
switch_to "$release"
"${restart[@]}"

status=0
"${gate[@]}" check --spec "$spec" --report "$report" || status=$?
if [ "$status" -eq 0 ]; then
  echo "deploy: $release is live"
  exit 0
fi

# 1: the gate failed with a classified reason; 2: it could not run (bad spec).
# Either way the new release is not known to work: put the old one back.
echo "deploy: the gate failed (exit $status), report: $report" >&2
if [ -z "$previous" ] || [ "$previous" = "$release" ]; then
  echo "deploy: no previous release to roll back to" >&2
  exit 1
fi
echo "deploy: rolling back to $previous" >&2
switch_to "$previous"
"${restart[@]}"
if "${gate[@]}" check --spec "$spec" --quiet >&2; then
  echo "deploy: $previous is live again" >&2
else
  echo "deploy: the previous release fails the gate too: look at the report" >&2
fi
exit 1
