#!/bin/sh
# TUI: p saves the sheet of the selected case (owner-only) and says where;
# P asks with the count whether to print the sheets of every case of the
# filtered list or the list as a table, then prints.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

three_cases

tui_start a 80 24
see "start" a "3 of 3 cases"
keys a p
see "p says where the sheet went" a "Saved to"
f=$(ls "$HOME/casebook-sheets/" 2>/dev/null | head -1)
if [ -n "$f" ]; then ok "a sheet file was written"; else not_ok "a sheet file was written"; fi
grep -q "Иван Петров" "$HOME/casebook-sheets/$f" 2>/dev/null && ok "the sheet is of the selected case" || not_ok "the sheet is of the selected case"
same "the sheet is owner-only" "$(stat -c %a "$HOME/casebook-sheets/$f" 2>/dev/null)" "600"
keys a :
type_text a "city:astana"
keys a Enter
see "filtered" a "2 of 3 cases"
keys a P
see "P asks with the count" a "The sheets of all 2 cases"
see "P offers the list as a table too" a "The list as a table"
keys a Escape
not_see "Esc: nothing printed" a "Saved to"
keys a P
see "asks again" a "all 2 cases"
keys a Enter
see "Enter on the sheets prints them" a "Saved to"
n=$(ls "$HOME/casebook-sheets/" | wc -l)
same "a second file holds the filtered sheets" "$n" "2"
keys a q

# One case in the list: the question is in the singular.
tui_start b 80 24
see "b: start" b "3 of 3 cases"
keys b :
type_text b "city:алматы"
keys b Enter
see "b: one case" b "1 of 3 cases"
keys b P
see "P with one case: singular" b "The sheet of the 1 case"
not_see "P with one case: no \"all 1 cases\"" b "all 1 cases"
keys b Escape
keys b q
