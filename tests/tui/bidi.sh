#!/bin/sh
# TUI: a direction control in data (U+202E would make the name display
# reversed) is shown as <U+202E> in the list, the detail pane and the edit
# form, and never reaches the terminal raw; saving the form keeps it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

rlo=$(printf '\342\200\256')
cb add "name=Ivan ${rlo}vokhA" "city=Ал${rlo}маты" "notes=note ${rlo}here"
tui_start a 100 30
see "start" a "1 of 1 case"
see "the list and the detail pane show U+202E visibly" a "Ivan <U+202E>vokhA"
see "the city too" a "Ал<U+202E>маты"
see "the notes too" a "note <U+202E>here"
lacks "the screen never holds U+202E raw" "$(screen a)" "$rlo"
keys a e
see "edit form" a "Edit case 1"
see "the form's name field shows it visibly" a "Ivan <U+202E>vokhA"
lacks "the form never shows it raw" "$(screen a)" "$rlo"
keys a End
type_text a "x"
keys a C-s
see "saved" a "Saved case 1"
cb show 1 --json
contains "the control is kept in the data" "$out" "Ivan ${rlo}vokhAx"
keys a q
see "quit" a "casebook-exited-0"
