#!/bin/sh
# Fails when a source file that marks strings for translation is missing from
# po/POTFILES.in, or when POTFILES.in names a file that does not exist (which
# makes xgettext fail).
#
# A file marks strings when it is a C file with _(), N_(), C_() or NC_(), a
# GtkBuilder file with translatable="yes", a GSettings schema with a
# gettext-domain, or a desktop or metainfo template. Tests and tools are not
# translated, so only src/ and data/ are searched.
#
# Usage: check-potfiles.sh [SOURCE_ROOT]
set -eu

root=${1:-$(dirname "$0")/..}
cd "$root"

listed=$(mktemp)
marking=$(mktemp)
trap 'rm -f "$listed" "$marking"' EXIT

grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' po/POTFILES.in | sed 's/[[:space:]]*$//' | sort -u > "$listed"

{
  find src data -type f \( -name '*.c' -o -name '*.h' \) \
    -exec grep -l -E '(^|[^A-Za-z0-9_])(N|C|NC)?_\(' {} +
  find src data -type f -name '*.ui' -exec grep -l 'translatable="yes"' {} +
  find src data -type f -name '*.gschema.xml' -exec grep -l 'gettext-domain=' {} +
  find src data -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \)
} 2>/dev/null | sed 's|^\./||' | sort -u > "$marking"

status=0

missing=$(comm -13 "$listed" "$marking")
if [ -n "$missing" ]; then
  echo "po/POTFILES.in is missing these files, which mark strings for translation:"
  echo "$missing" | sed 's/^/  /'
  echo "Add each path to po/POTFILES.in, one per line, relative to the top of the source tree."
  status=1
fi

stale=""
while read -r path; do
  [ -f "$path" ] || stale="$stale  $path
"
done < "$listed"
if [ -n "$stale" ]; then
  echo "po/POTFILES.in names files that do not exist; remove or rename them:"
  printf '%s' "$stale"
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "po/POTFILES.in lists all $(wc -l < "$marking") files that mark strings."
fi

exit "$status"
