#!/bin/sh
# The man page's key list is the one generated from the TUI's key table
# (run `make man` after changing src/tui/keys.c), and the man page renders.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GEN=$ROOT/${B:-build}/man/keys_mdoc

check "key list generator is built" test -x "$GEN"
"$GEN" > "$T/keys.mdoc"
sed -n '/^\.\\" BEGIN KEYS/,/^\.\\" END KEYS/p' "$ROOT/man/casebook.1" | sed '1d;$d' > "$T/inpage.mdoc"
if cmp -s "$T/keys.mdoc" "$T/inpage.mdoc"; then
	ok "man page key list matches the key table"
else
	not_ok "man page key list matches the key table (run make man)" "$(diff "$T/keys.mdoc" "$T/inpage.mdoc" | head -10)"
fi
if command -v man >/dev/null 2>&1; then
	page=$(MANWIDTH=80 man -l "$ROOT/man/casebook.1" 2>&1)
	contains "man page renders the key list" "$page" "Search by name"
	contains "man page renders the commands" "$page" "backup dest"
else
	skip "man page renders" "man(1) is not installed"
fi
# Every command in the usage text has a section in the man page.
usage=$("$CASEBOOK" --help)
for cmd in add show edit rm set searches list facets places import export sheet report history audit undo trash restore purge drafts check backup demo init; do
	contains "usage lists $cmd" "$usage" "casebook $cmd"
	if grep -q "^\.It Cm $cmd" "$ROOT/man/casebook.1"; then ok "man page documents $cmd"; else not_ok "man page documents $cmd"; fi
done
# Every option a command's --help lists is documented in that command's entry.
for cmd in add show edit rm set searches list facets places import export sheet report history audit undo trash restore purge drafts check backup demo init; do
	entry=$(sed -n "/^\.It Cm $cmd /,/^\.It Cm /p;/^\.It Cm $cmd\$/,/^\.It Cm /p" "$ROOT/man/casebook.1")
	for o in $("$CASEBOOK" "$cmd" --help | sed 1,2d | grep -o -- '--[a-z-]*' | sort -u); do
		[ "$o" = --help ] && continue
		contains "man page documents $cmd $o" "$entry" "Fl -${o#--}"
	done
done
