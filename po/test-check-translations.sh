#!/bin/sh
# Runs check-translations.sh on a small source tree of its own and checks that
# it passes a complete translation and fails, naming the message, on each kind
# of incomplete or broken one.
#
# Usage: test-check-translations.sh PATH/TO/check-translations.sh
set -eu

check=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

write_tree() {
  rm -rf "$work/root"
  mkdir -p "$work/root/src" "$work/root/po"
  echo 'src/demo.c' > "$work/root/po/POTFILES.in"
  echo 'de' > "$work/root/po/LINGUAS"
  cat > "$work/root/src/demo.c" <<'EOF'
#include <glib/gi18n.h>

void
demo (const char *name, int rooms)
{
  g_print (_("Hello, %s!\n"), name);
  g_print ("%s", _("_Open"));
  g_print ("%s", _("Line one\nLine two"));
  g_print (g_dngettext (GETTEXT_PACKAGE, "%d room", "%d rooms", rooms), rooms);
}
EOF
  cat > "$work/root/po/de.po" <<'EOF'
msgid ""
msgstr ""
"Project-Id-Version: demo\n"
"PO-Revision-Date: 2026-01-01 00:00+0000\n"
"Last-Translator: Demo Translator <demo@example.org>\n"
"Language-Team: German\n"
"Language: de\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#, c-format
msgid "Hello, %s!\n"
msgstr "Hallo, %s!\n"

msgid "_Open"
msgstr "Ö_ffnen"

msgid ""
"Line one\n"
"Line two"
msgstr ""
"Zeile eins\n"
"Zeile zwei"

#, c-format
msgid "%d room"
msgid_plural "%d rooms"
msgstr[0] "%d Raum"
msgstr[1] "%d Räume"
EOF
}

# expect_result CASE pass|fail TEXT runs the check on the tree. It records a
# failure unless the exit status matches and the output contains TEXT.
expect_result() {
  case_name=$1
  expected=$2
  text=$3
  status=0
  "$check" "$work/root" > "$work/output" 2>&1 || status=$?

  if [ "$expected" = pass ] && [ "$status" -ne 0 ]; then
    echo "not ok - $case_name: the check failed (exit status $status) but should pass:"
    sed 's/^/    /' "$work/output"
    failures=$((failures + 1))
  elif [ "$expected" = fail ] && [ "$status" -eq 0 ]; then
    echo "not ok - $case_name: the check passed but should fail:"
    sed 's/^/    /' "$work/output"
    failures=$((failures + 1))
  elif ! grep -qF -- "$text" "$work/output"; then
    echo "not ok - $case_name: the output lacks \"$text\":"
    sed 's/^/    /' "$work/output"
    failures=$((failures + 1))
  else
    echo "ok - $case_name"
  fi
}

write_tree
expect_result "complete translation" pass "ok   de.po: 4 translated messages."

write_tree
sed -i 's/^msgstr "Ö_ffnen"/msgstr ""/' "$work/root/po/de.po"
expect_result "untranslated message" fail "  _Open"

write_tree
sed -i 's/^"Zeile eins\\n"$/""/; s/^"Zeile zwei"$/""/' "$work/root/po/de.po"
expect_result "untranslated multi-line message" fail '  Line one\nLine two'

write_tree
sed -i 's/^#, c-format$/#, fuzzy, c-format/' "$work/root/po/de.po"
expect_result "fuzzy message" fail '  Hello, %s!\n'

write_tree
sed -i 's/^}$/  g_print ("%s", _("Goodbye"));\n}/' "$work/root/src/demo.c"
expect_result "message added to the sources" fail "  Goodbye"

write_tree
sed -i 's/^msgstr "Ö_ffnen"/msgstr "Öffnen"/' "$work/root/po/de.po"
expect_result "mnemonic dropped" fail "keyboard accelerator"

write_tree
sed -i 's/^msgstr "Hallo, %s!\\n"/msgstr "Hallo!\\n"/' "$work/root/po/de.po"
expect_result "format directive dropped" fail "FAIL de.po: msgfmt --check"

write_tree
printf 'de\nfr\n' > "$work/root/po/LINGUAS"
expect_result "language without a .po file" fail "FAIL fr.po: the file does not exist"

if [ "$failures" -ne 0 ]; then
  echo "$failures case(s) failed."
  exit 1
fi
