#!/bin/sh
# Fails when a translation is incomplete or broken. A .po file fails when it
# has untranslated or fuzzy messages or lacks a message that the sources mark
# for translation. It also fails when `msgfmt --check` reports an error (format
# directives, header, plural forms) or `--check-accelerators=_` does, which
# rejects a msgstr that drops the mnemonic "_" of its msgid.
#
# Each .po file is merged with a template extracted from the current sources
# first, so a file that was complete before someone added or changed a string
# fails too. The extraction uses the same xgettext keywords and flags as
# meson's i18n.gettext() "glib" preset (meson 1.0), which builds po/confab.pot.
#
# Usage: check-translations.sh SOURCE_ROOT [PO_FILE...]
# Without PO_FILE arguments, it checks po/LL.po for every language LL that
# po/LINGUAS lists.
set -eu

root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
[ "$#" -gt 0 ] && shift

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "$#" -eq 0 ]; then
  languages=$(sed -e 's/#.*//' "$root/po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')
  if [ -z "$languages" ]; then
    echo "po/LINGUAS lists no languages; add one language code per line."
    exit 1
  fi
  for lang in $languages; do
    set -- "$@" "$root/po/$lang.po"
  done
fi

xgettext --package-name=confab --directory="$root" --files-from="$root/po/POTFILES.in" \
  --output="$work/confab.pot" --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  2> "$work/xgettext.log" || {
    cat "$work/xgettext.log"
    echo "xgettext failed to extract the messages listed in po/POTFILES.in."
    exit 1
  }

# Print each message of a PO file as one line, with escapes such as \n kept,
# skipping the header entry.
list_msgids() {
  awk '
    /^msgid / { id = substr($0, 8, length($0) - 8); collecting = 1; next }
    collecting && /^"/ { id = id substr($0, 2, length($0) - 2); next }
    collecting { if (id != "") print "  " id; collecting = 0 }
  '
}

status=0

for po in "$@"; do
  name=$(basename "$po")
  lang=${name%.po}

  if [ ! -f "$po" ]; then
    echo "FAIL $name: the file does not exist; create it with msginit from po/confab.pot or remove $lang from po/LINGUAS."
    status=1
    continue
  fi

  if ! grep -q "^\"Language: $lang\\\\n\"" "$po"; then
    echo "FAIL $name: the header lacks \"Language: $lang\"."
    status=1
  fi

  merged="$work/$name"
  if ! msgmerge --quiet --output-file="$merged" "$po" "$work/confab.pot" 2> "$work/msgmerge.log"; then
    cat "$work/msgmerge.log"
    echo "FAIL $name: msgmerge could not merge it with the current messages."
    status=1
    continue
  fi

  if ! msgfmt --check --check-accelerators=_ --statistics --output-file=/dev/null "$merged" \
       2> "$work/msgfmt.log"; then
    sed "s|$merged|$name|g" "$work/msgfmt.log"
    echo "FAIL $name: msgfmt --check found the errors above."
    status=1
    continue
  fi
  # The statistics are the last line. Warnings, such as a missing header
  # field, come before them.
  statistics=$(tail -n 1 "$work/msgfmt.log")
  sed -e '$d' -e "s|$merged|$name|g" "$work/msgfmt.log"

  # msgfmt adds "fuzzy" or "untranslated" to its statistics line only when
  # such messages exist, so that line decides. The lists name the messages.
  case "$statistics" in
    *untranslated*|*fuzzy*) ;;
    *)
      echo "ok   $name: $statistics"
      continue
      ;;
  esac

  status=1
  echo "FAIL $name: $statistics"
  untranslated=$(msgattrib --untranslated --no-obsolete "$merged" | list_msgids)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$merged" | list_msgids)
  if [ -n "$untranslated" ]; then
    echo "     Untranslated or missing:"
    printf '%s\n' "$untranslated"
  fi
  if [ -n "$fuzzy" ]; then
    echo "     Fuzzy (changed, or guessed from a similar message; review each):"
    printf '%s\n' "$fuzzy"
  fi
  echo "     Run \`ninja -C BUILDDIR confab-update-po\`, translate these messages in po/$name and remove their fuzzy flags."
done

exit "$status"
