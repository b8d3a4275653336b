#!/bin/sh
# Installs the build into a temporary DESTDIR with `meson install` and checks
# that every file lands in its standard place under the prefix, and nowhere
# else.
#
# Usage: check-install.sh MESON BUILD_DIR SOURCE_DIR PREFIX BINDIR DATADIR
#                         LOCALEDIR UNIT_DIR BUILD_SERVER BUILD_CLIENT
# BINDIR, DATADIR and LOCALEDIR are absolute; UNIT_DIR is empty without the
# server; BUILD_SERVER and BUILD_CLIENT are "true" or "false".
set -eu

meson=$1 build=$2 source=$3 prefix=$4 bindir=$5 datadir=$6 localedir=$7
unitdir=$8 build_server=$9
shift 9
build_client=$1

app_id=io.github.confab.Confab
failures=0

destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

expect_file() {
  if [ -f "$destdir$1" ]; then
    echo "ok: $1"
  else
    fail "$1 was not installed"
  fi
}

expect_executable() {
  if [ -x "$destdir$1" ] && [ -f "$destdir$1" ]; then
    echo "ok: $1"
  else
    fail "$1 was not installed as an executable"
  fi
}

# --no-rebuild: meson test builds everything before it starts the tests, and
# a test must not start ninja on the build directory that other tests use.
if ! "$meson" install -C "$build" --destdir "$destdir" --no-rebuild --quiet; then
  echo "FAIL: meson install into $destdir failed; its messages are above." >&2
  exit 1
fi

# Nothing may land outside the prefix: a file there means a hard-coded path.
outside=$(find "$destdir" -type f | sed "s|^$destdir||" | grep -v "^$prefix/" || true)
if [ -n "$outside" ]; then
  fail "files installed outside the prefix $prefix:
$outside"
fi

if [ "$build_client" = true ]; then
  expect_executable "$bindir/confab"

  desktop="$datadir/applications/$app_id.desktop"
  expect_file "$desktop"
  if [ -f "$destdir$desktop" ]; then
    grep -q '^MimeType=.*x-scheme-handler/confab;' "$destdir$desktop" ||
      fail "$desktop does not register the confab:// scheme"
    grep -q "^Icon=$app_id\$" "$destdir$desktop" ||
      fail "$desktop does not name the icon $app_id"
    if command -v desktop-file-validate >/dev/null; then
      desktop-file-validate "$destdir$desktop" || fail "$desktop is not valid"
    fi

    # The same cache that desktops consult to pick the handler of a
    # confab:// link when it is opened.
    if command -v update-desktop-database >/dev/null; then
      update-desktop-database "$destdir$datadir/applications"
      grep -q "^x-scheme-handler/confab=$app_id.desktop;" \
          "$destdir$datadir/applications/mimeinfo.cache" ||
        fail "update-desktop-database does not map x-scheme-handler/confab to $app_id.desktop"
    fi
  fi

  metainfo="$datadir/metainfo/$app_id.metainfo.xml"
  expect_file "$metainfo"
  if [ -f "$destdir$metainfo" ]; then
    grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$destdir$metainfo" ||
      fail "$metainfo does not launch $app_id.desktop"
  fi

  expect_file "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
  expect_file "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"

  schemas="$datadir/glib-2.0/schemas"
  expect_file "$schemas/$app_id.gschema.xml"
  if [ -d "$destdir$schemas" ]; then
    glib-compile-schemas --strict --dry-run "$destdir$schemas" ||
      fail "the installed schemas in $schemas do not compile"
  fi
fi

if [ "$build_server" = true ]; then
  expect_executable "$bindir/confab-server"

  unit="$unitdir/confab-server.service"
  expect_file "$unit"
  if [ -f "$destdir$unit" ]; then
    grep -q "^ExecStart=$bindir/confab-server " "$destdir$unit" ||
      fail "$unit does not start $bindir/confab-server"
  fi

  expect_file "$datadir/doc/confab-server/confab-server.conf.example"
fi

# Every language in LINGUAS has its catalog installed.
languages=$(grep -v '^#' "$source/po/LINGUAS" | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//')
if [ -z "$languages" ]; then
  echo "note: po/LINGUAS lists no languages, so no catalogs are expected"
fi
for language in $languages; do
  expect_file "$localedir/$language/LC_MESSAGES/confab.mo"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "All installed files are in place under $prefix."
