#!/bin/sh
# TUI with several users on one database: another process's add appears
# within about a second, keeping the selection; an edit of a case another
# user saved meanwhile merges their change with the editor's (three-way).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

three_cases

tui_start a 80 24
tui_start b 80 24
see "instance A started" a "3 of 3 cases"
see "instance B started" b "3 of 3 cases"
keys b j
see "B selects case 2" b "Case 2 "

# An add in A shows up in B.
keys a a
see "A: add form" a "Add a case"
type_text a "Новый Человек"
keys a C-s
see "A: added" a "Added case 4"
see "B: the new case appears within two seconds" b "4 of 4 cases" 20
see "B: its name is listed" b "Новый Человек" 20
see "B: the selection stayed on case 2" b "Case 2 "

# An add from the command line, while B is idle.
cb add name="Zhanna Bekova" city=Astana >/dev/null
see "B: a CLI add appears" b "5 of 5 cases" 20

# Conflict: A edits case 2 while B changes it and saves first.
keys a g
see "A: back to the top" a "Case 1 "
keys a j
see "A selects case 2" a "Case 2 "
keys a e
see "A: edit form at rev 1" a "Edit case 2 (rev 1)"
type_text a " Updated"
keys b e
see "B: edit form" b "Edit case 2 (rev 1)"
i=0; while [ $i -lt 9 ]; do keys b Down; i=$((i + 1)); done
keys b C-u
type_text b "Шымкент"
keys b C-s
see "B: saved first" b "Saved case 2"
keys a C-s
# A changed the name, B the city: one-sided changes merge on A's first ^S.
see "A: the save merges B's change" a "merged with the changes"
cb show 2
contains "A's name is saved" "$out" "Aigerim Nurlanovna Updated"
contains "B's city is kept" "$out" "Шымкент"
contains "revision 3" "$out" "rev              3"
see "B sees A's change" b "Aigerim Nurlanovna Updated" 20
keys a q
keys b q
see "A quits" a "casebook-exited-0"
see "B quits" b "casebook-exited-0"
