#!/bin/sh
# Checks the generated confab-server.service with systemd-analyze: `verify`
# finds unknown or misspelled directives, and `security --offline` scores
# the sandboxing, failing above an exposure of 2.0 ("OK" on systemd's scale
# of 0 to 10, where lower is safer). --threshold takes the level in tenths.
#
# Usage: validate-service.sh UNIT_FILE CONFAB_SERVER_BINARY
#
# The unit names the installed binary, which need not exist yet, so the check
# runs on a copy whose ExecStart names the binary from the build directory.
set -eu

unit=$1
# Meson passes the build target relative to the build directory.
binary=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
max_exposure_tenths=20

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

copy="$workdir/confab-server.service"
sed "s|^ExecStart=[^ ]*/confab-server |ExecStart=$binary |" "$unit" > "$copy"

if ! grep -q "^ExecStart=$binary " "$copy"; then
  echo "validate-service: no ExecStart line naming confab-server in $unit" >&2
  exit 1
fi

# systemd-analyze verify exits non-zero on fatal errors only. It ignores an
# unknown or misspelled directive with a warning, which this check treats as
# an error, because a sandboxing option lost that way weakens the unit.
messages="$workdir/verify.log"
if ! systemd-analyze verify "$copy" > "$messages" 2>&1; then
  cat "$messages" >&2
  exit 1
fi
if grep -E "Unknown (key|section|lvalue)|Failed to parse|Invalid" "$messages" >&2; then
  echo "validate-service: systemd-analyze verify ignored the lines above in $unit" >&2
  exit 1
fi

systemd-analyze security --offline=true --threshold="$max_exposure_tenths" "$copy"
