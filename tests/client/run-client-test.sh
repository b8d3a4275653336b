#!/bin/sh
# Runs one client test program in a private desktop session:
#   - a D-Bus session bus (dbus-run-session),
#   - an unlocked gnome-keyring Secret Service with the password "test",
#   - an Xvfb display of 1280x800,
#   - the in-memory GSettings backend with the schemas of this build,
#   - a temporary HOME and XDG directories, deleted afterwards.
#
# Usage: run-client-test.sh [--no-keyring] TEST-PROGRAM [ARGUMENTS...]
# CONFAB_BUILD_DIR must point at the build directory (meson test sets it).
# With --no-keyring no Secret Service runs and the bus starts none on
# demand, to test the in-memory fallback.
set -eu

if [ "${1:-}" = "--no-keyring" ]; then
  CONFAB_TEST_NO_KEYRING=1
  export CONFAB_TEST_NO_KEYRING
  shift
fi

if [ $# -lt 1 ]; then
  echo "usage: $0 [--no-keyring] TEST-PROGRAM [ARGUMENTS...]" >&2
  exit 2
fi

if [ -z "${CONFAB_BUILD_DIR:-}" ]; then
  echo "$0: CONFAB_BUILD_DIR is not set; run the test with meson test" >&2
  exit 2
fi

# Step 1: re-run inside a private session bus.
if [ -z "${CONFAB_TEST_SESSION:-}" ]; then
  CONFAB_TEST_SESSION=1
  export CONFAB_TEST_SESSION
  daemon="$(dirname "$0")/dbus-daemon-to-stderr.sh"
  if [ -n "${CONFAB_TEST_NO_KEYRING:-}" ]; then
    exec dbus-run-session --dbus-daemon="$daemon" \
      --config-file="$(dirname "$0")/session-bus-without-services.conf" -- "$0" "$@"
  fi
  exec dbus-run-session --dbus-daemon="$daemon" -- "$0" "$@"
fi

# Step 2: private directories.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-client-test.XXXXXX")
xvfb_pid=
keyring_pid=

cleanup () {
  if [ -n "$keyring_pid" ]; then kill "$keyring_pid" 2>/dev/null || true; fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime"
chmod 700 "$tmp/runtime"
export HOME="$tmp/home"
export XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_RUNTIME_DIR="$tmp/runtime"

export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$CONFAB_BUILD_DIR/data"
export GDK_BACKEND=x11
export GTK_A11Y=none
export NO_AT_BRIDGE=1
export ADW_DISABLE_PORTAL=1
export GTK_USE_PORTAL=0
# Xvfb has only Mesa's software GL, and WebKit's threaded compositor crashed
# in swrast_dri.so now and then (WebKitGTK 2.50, Debian 12), ending the web
# process mid-test. The tests need no GPU, so WebKit draws on the CPU.
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export WEBKIT_SKIA_ENABLE_CPU_RENDERING=1

# Step 3: the keyring, created and unlocked with the password "test".
# It runs in the foreground so that its pid is known. The test starts only
# once it owns org.freedesktop.secrets, because otherwise the bus would start
# a second, locked daemon on the first libsecret call.
has_secret_service () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
    | grep -q 'boolean true'
}

if [ -z "${CONFAB_TEST_NO_KEYRING:-}" ]; then
  printf 'test' | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$tmp/keyring.log" 2>&1 &
  keyring_pid=$!

  tries=0
  until has_secret_service; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ] || ! kill -0 "$keyring_pid" 2>/dev/null; then
      echo "$0: gnome-keyring-daemon did not start:" >&2
      cat "$tmp/keyring.log" >&2
      exit 1
    fi
    sleep 0.1
  done
fi

# Step 4: a display. Xvfb writes the display number it picked to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset \
  3>"$tmp/display" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!

tries=0
while [ ! -s "$tmp/display" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$xvfb_pid" 2>/dev/null; then
    echo "$0: Xvfb did not start:" >&2
    cat "$tmp/xvfb.log" >&2
    exit 1
  fi
  sleep 0.1
done
DISPLAY=":$(head -n 1 "$tmp/display")"
export DISPLAY

# Step 5: the test, whose exit status is ours.
status=0
"$@" || status=$?
exit "$status"
