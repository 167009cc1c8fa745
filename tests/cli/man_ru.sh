#!/bin/sh
# The Russian man page keeps step with the key table (its key list is the
# one the generator writes under the Russian locale with po/ru.po, when that
# catalog exists) and with the English page, and renders without warnings.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GEN=$ROOT/${B:-build}/man/keys_mdoc
PAGE=$ROOT/man/ru/casebook.1

check "key list generator is built" test -x "$GEN"
check "Russian man page exists" test -f "$PAGE"
if [ -f "$ROOT/po/ru.po" ]; then
	mkdir -p "$T/locale/ru/LC_MESSAGES"
	check "po/ru.po compiles" msgfmt -o "$T/locale/ru/LC_MESSAGES/casebook.mo" "$ROOT/po/ru.po"
fi
if locale -a 2>/dev/null | grep -qi '^ru_RU\.utf-\?8$'; then
	"$GEN" ru "$T/locale" > "$T/keys.mdoc"
	sed -n '/^\.\\" BEGIN KEYS/,/^\.\\" END KEYS/p' "$PAGE" | sed '1d;$d' > "$T/inpage.mdoc"
	if [ -s "$T/keys.mdoc" ] && cmp -s "$T/keys.mdoc" "$T/inpage.mdoc"; then
		ok "Russian man page key list matches the key table"
	else
		not_ok "Russian man page key list matches the key table (run make man)" \
		    "$(diff "$T/keys.mdoc" "$T/inpage.mdoc" | head -10)"
	fi
	# The generator translates: a catalog that maps a key table help text
	# to Russian changes the list (proves it is not the English one copied).
	mkdir -p "$T/fake/ru/LC_MESSAGES"
	printf 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Quit"\nmsgstr "Выход"\n' > "$T/fake.po"
	msgfmt -o "$T/fake/ru/LC_MESSAGES/casebook.mo" "$T/fake.po"
	fake=$("$GEN" ru "$T/fake")
	contains "generator translates the key list by the catalog" "$fake" "Выход"
else
	skip "Russian key list in step" "ru_RU.UTF-8 locale not installed (make deps)"
fi
"$GEN" xx >/dev/null 2>&1; rc=$?
check "generator refuses an unknown language (exit 2)" test "$rc" -eq 2

# Every command and option the English page documents is in the Russian one.
for cmd in $(sed -n 's/^\.It Cm \([a-z]*\).*/\1/p' "$ROOT/man/casebook.1" | sort -u); do
	if grep -q "^\.It Cm $cmd" "$PAGE"; then ok "Russian page documents $cmd"; else not_ok "Russian page documents $cmd"; fi
done
for o in $(grep -o 'Fl -[a-z-]*' "$ROOT/man/casebook.1" | sort -u | sed 's/^Fl //'); do
	[ "$o" = -name ] && continue # the placeholder of "--name value", translated
	if grep -q -- "Fl $o" "$PAGE"; then ok "Russian page documents $o"; else not_ok "Russian page documents $o"; fi
done
# The same sections as the English page.
check "same number of sections" test "$(grep -c '^\.Sh' "$PAGE")" = "$(grep -c '^\.Sh' "$ROOT/man/casebook.1")"

if command -v groff >/dev/null 2>&1; then
	warn=$(groff -k -mdoc -Tutf8 -ww -z "$PAGE" 2>&1)
	same "Russian man page renders without groff warnings" "$warn" ""
fi
if command -v mandoc >/dev/null 2>&1; then
	warn=$(mandoc -Tlint -Wwarning "$PAGE" 2>&1)
	same "Russian man page passes mandoc -Tlint" "$warn" ""
fi
if command -v man >/dev/null 2>&1; then
	page=$(LC_ALL=ru_RU.UTF-8 MANWIDTH=80 man -l "$PAGE" 2>&1)
	contains "Russian man page renders its sections" "$page" "ТЕРМИНАЛЬНЫЙ ИНТЕРФЕЙС"
	contains "Russian man page renders the key list" "$page" "Esc"
fi
