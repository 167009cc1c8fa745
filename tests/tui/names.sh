#!/bin/sh
# The `/` search finds names across scripts: «Нұржан» when «нуржан» is typed
# (a Russian keyboard has no ұ), «Жанар» when «zhanar» is typed, and two
# words in the other order and script; near names (Мурат for Марат) stay out.
# And the first writable open of a big old database shows a progress line.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

add() { "$CASEBOOK" -d "$T/db" add "$@" >/dev/null || echo "setup: add $* failed" >&2; }
add name='Нұржан Төлегенов' city=Алматы
add name='Жанар Джуманиязова' city=Астана
add name='Марат Кусаинов' city=Актобе
add name='Мурат Кусаинов' city=Актобе
add name='Person Other' city=Тараз

tui_start a 100 24
see "first screen" a "5 of 5 cases"

keys a /
see "/ opens the search line" a "Search name:"
type_text a "нуржан"
see "нуржан narrows the list to one case" a " 1 of 5"
s=$(screen a)
contains "нуржан finds «Нұржан»" "$s" "Нұржан Төлегенов"
lacks "нуржан hides the others" "$s" "Жанар"
keys a Escape
see "Esc undoes the search" a "5 of 5 cases"

keys a /
type_text a "zhanar"
see "zhanar narrows the list to one case" a " 1 of 5"
s=$(screen a)
contains "zhanar finds «Жанар»" "$s" "Жанар Джуманиязова"
lacks "zhanar hides the others" "$s" "Нұржан"
keys a Enter
see "Enter keeps the search in the filter" a "name:zhanar"
keys a c
see "c clears the search" a "5 of 5 cases"

keys a /
type_text a "jumaniyazova ЖАНАР"
see "two words, other order and script" a " 1 of 5"
contains "two words find «Жанар Джуманиязова»" "$(screen a)" "Жанар Джуманиязова"
keys a Escape
see "Esc undoes the search again" a "5 of 5 cases"

keys a /
type_text a "marat"
see "marat finds one case" a " 1 of 5"
s=$(screen a)
contains "marat finds «Марат»" "$s" "Марат Кусаинов"
lacks "marat does not find «Мурат»" "$s" "Мурат"
keys a Escape
keys a q

# A big database of an earlier layout (no name_skel index) shows a progress
# line on a terminal while its first writable open adds the index.
awk 'BEGIN { print "name"; for (i = 1; i <= 20000; i++) printf "Нұржан Person%05d\n", i }' \
	> "$T/big.csv"
"$CASEBOOK" -d "$T/big" import "$T/big.csv" >/dev/null 2>&1
mdb_dump -a "$T/big" | sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" | awk '
	/^VERSION=/ { hold = $0; next }
	hold != "" && !/^database=/ { hold = hold "\n" $0; next }
	hold != "" { block = ($0 == "database=name_skel"); if (!block) print hold; hold = "" }
	block { if ($0 == "DATA=END") block = 0; next }
	{ print }' > "$T/big.dump"
mkdir -m 700 "$T/old"
mdb_load -f "$T/big.dump" "$T/old"
TM new-session -d -s p -x 100 -y 10 \
    "'$CASEBOOK' -d '$T/old' list --count name:нуржан; echo exited-\$?; sleep 30"
see "the first writable open of a big old database shows its progress" p \
	"building the name_skel index: 20000 of 20000 cases"
see "the command ends" p "exited-0"
same "and then answers with the new keys (нуржан finds every Нұржан)" \
	"$(screen p | grep -x "[0-9]*")" 20000
