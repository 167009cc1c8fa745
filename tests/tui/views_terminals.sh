#!/bin/sh
# Every view on a plain terminal: under TERM=vt100 the trash (D), person
# (o), history (h), message log (M), filter pane (f), the tagged-cases
# menu (;) and the print question (P) draw their borders as lines, with
# whole popup top borders, and F1 opens the help from each of them and
# comes back. Read-only (-r), no hint line of any view offers an editing
# key, and the status line keeps "read-only" whole beside the tag count.
# At 60 columns on the Linux console the person and history hints are not
# cut (they fall back to ?:help, the help lists their keys). F1 over a
# question and over the form's pick list opens the help and brings the
# question or list back whole.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

i=1
while [ $i -le 12 ]; do
	cb add name="Person $i" city=Astana status=open "measures=detention:days=5" >/dev/null
	i=$((i + 1))
done
cb edit 1 status=closed >/dev/null
cb rm 3 >/dev/null

# view_f1 "what" SESSION OPEN-KEY SHOWN: OPEN-KEY opens a view showing
# SHOWN, drawn without "qqqq"; F1 there opens the help, Esc comes back to
# the view, and Esc again leaves it.
view_f1() {
	keys "$2" "$3"
	see "$1: opens" "$2" "$4"
	lacks "$1: borders are lines, not qqqq" "$(screen "$2")" "qqqq"
	keys "$2" F1
	see "$1: F1 opens the help" "$2" "casebook: keys"
	keys "$2" Escape
	see "$1: Esc comes back from the help" "$2" "$4"
	keys "$2" Escape
	see "$1: Esc leaves it" "$2" "11 of 11 cases"
}

tui_start v 80 24 TERM=vt100
see "vt100: first screen" v "11 of 11 cases"
view_f1 "trash" v D "Trash · r: restore"
view_f1 "person view" v o "Person 1 · line 1"
view_f1 "history" v h "History of case 1"
view_f1 "message log" v M "Messages · line"
view_f1 "full case view" v Enter "Case 1 · line 1"

keys v f
see "filter pane: opens" v "─ Filter"
lacks "filter pane: its rule is a line" "$(screen v)" "qqqq"
keys v F1
see "filter pane: F1 opens the help" v "casebook: keys"
keys v Escape Escape
see "filter pane: closed" v "11 of 11 cases"

# The tagged-cases menu: a whole top border with its title once spaced,
# F1 over it, and the menu back after the help.
keys v t t
see "two cases tagged" v "2 tagged"
keys v '\;'
see "; opens the menu" v "Set the status"
top=$(screen v | grep "tagged cases" | head -1)
contains "menu: the title sits in a whole border" "$top" "┌─ 2 tagged cases ─"
contains "menu: the border reaches the corner" "$top" "─┐"
lacks "menu: no qqqq" "$(screen v)" "qqqq"
keys v F1
see "menu: F1 opens the help" v "casebook: keys"
keys v Escape
see "menu: back after the help" v "Set the status"
keys v End
keys v Escape
not_see "menu: closed" v "Set the status"

keys v P
see "P asks how to print" v "The list as a table"
top=$(screen v | grep "Print" | head -1)
contains "print question: the title once spaced in a whole border" "$top" "┌─ Print ─"
contains "print question: the border reaches the corner" "$top" "─┐"
keys v Escape
not_see "print question: closed" v "The list as a table"
keys v q
see "vt100: quits" v "casebook-exited-0"

# Read-only: every view's hint line without editing keys.
TM new-session -d -s r -x 80 -y 24 \
    "env TERM=vt100 '$CASEBOOK' -d '$T/db' -r; echo casebook-exited-\$?; sleep 30"
see "read-only: first screen" r "11 of 11 cases · read-only"
lacks "read-only: no a:add on the status line" "$(line_of r 24)" "a:add"
keys r D
see "read-only trash: opens" r "Trash · Esc: back"
lacks "read-only trash: no r: restore" "$(line_of r 24)" "restore"
keys r Escape h
see "read-only history: opens" r "History of case 1 · Esc: back"
lacks "read-only history: no u: revert" "$(line_of r 24)" "revert"
keys r Escape o
see "read-only person view: opens" r "Person 1 · line 1 of"
lacks "read-only person view: no link keys" "$(line_of r 24)" "link"
lacks "read-only person view: no merge key" "$(line_of r 24)" "merge"
keys r Escape t t
see "read-only: cases can be tagged" r "2 tagged"
st=$(line_of r 24)
contains "read-only: the marker stays whole beside the tags" "$st" "2 tagged · read-only "
lacks "read-only: no editing key beside the tags" "$st" "e:edit"
keys r q
see "read-only: quits" r "casebook-exited-0"

# The Linux console at 60 columns: the person view's hint fits (the help
# lists the person keys).
tui_start l 60 20 TERM=linux NO_COLOR=1
see "linux 60x20: first screen" l "11 of 11 cases"
keys l o
see "linux 60x20: person view" l "Person 1 · line 1 of"
st=$(line_of l 20)
contains "linux 60x20: the person hint ends whole" "$st" "Esc:back"
lacks "linux 60x20: the person hint is not cut" "$st" "…"
keys l Escape h
see "linux 60x20: history" l "History of case 1 ·"
st=$(line_of l 20)
contains "linux 60x20: the history hint ends whole" "$st" "Esc:back"
lacks "linux 60x20: the history hint is not cut" "$st" "…"
keys l Escape q
see "linux 60x20: quits" l "casebook-exited-0"

# F1 from a dialog and from the form's pick list: the help, then the
# dialog or list back whole, over its view.
tui_start d 80 24 TERM=vt100
see "dialogs: first screen" d "11 of 11 cases"
keys d h
see "history for a question" d "History of case 1 ·"
keys d u
see "the question over the history" d "Revert this change? (y/n)"
keys d F1
see "question: F1 opens the help" d "casebook: keys"
keys d Escape
see "question: back after the help" d "Revert this change? (y/n)"
see "question: the history under it is whole again" d "status open → closed"
lacks "question: nothing of the help is left" "$(screen d)" "Move down one line"
keys d n Escape
see "question: answered, back in the list" d "11 of 11 cases"
keys d e
see "form: opens" d "Edit case 1"
keys d Down Down Down Enter
see "form: the sex pick list opens" d "Choose sex"
keys d F1
see "pick list: F1 opens the help" d "casebook: keys"
keys d Escape
see "pick list: back after the help" d "Choose sex"
top=$(screen d | grep "Choose sex" | head -1)
contains "pick list: its top border whole again" "$top" "┌─ Choose sex ─"
lacks "pick list: nothing of the help is left" "$(screen d)" "Move down one line"
keys d Escape Escape
see "form: closed" d "11 of 11 cases"
keys d q
see "dialogs: quits" d "casebook-exited-0"
