#!/bin/sh
# Builds Confab, starts confab-server on http://127.0.0.1:8470 with its
# default settings and database, adds demo rooms on the first run, and opens
# the desktop client against it. Stopping the client stops the server.
set -eu

cd "$(dirname "$0")"
tools/install-deps

build=_build
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build"
fi
ninja -C "$build"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: no graphical session (neither DISPLAY nor WAYLAND_DISPLAY is set)." >&2
  echo "Run it from a desktop session, or under Xvfb: xvfb-run -a ./run.sh" >&2
  exit 1
fi

url="http://127.0.0.1:8470"
"$build/src/server/confab-server" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true' EXIT INT TERM

tries=0
until curl --silent --fail "$url/healthz" >/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -ge 50 ] || ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: confab-server did not start; its messages are above." >&2
    exit 1
  fi
  sleep 0.2
done

tools/seed-demo "$url"

# The client runs from the build tree, so it finds its settings schema there
# rather than in the system's schema directory, and its icon in the source
# tree's data/icons/hicolor: GTK looks for icons in icons/ under each
# directory of XDG_DATA_DIRS.
GSETTINGS_SCHEMA_DIR="$PWD/$build/data" \
XDG_DATA_DIRS="$PWD/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}" \
  "$build/src/client/confab" --server "$url"
