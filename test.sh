#!/bin/sh
# Builds Confab in _build-test and runs the whole test suite: unit tests,
# the server over loopback, and the client in real windows under Xvfb.
# Installs missing Debian packages first.
set -eu

cd "$(dirname "$0")"
tools/install-deps

build=_build-test
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dwerror=true
fi
ninja -C "$build"
meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
