#!/bin/sh
# TUI on other terminals: TERM=vt100 draws borders as lines (not "qqqq")
# and its PgDn/End work; the Linux console's F1; F1 in the form; popup
# borders without a gap.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

i=1
while [ $i -le 40 ]; do
	cb add name="Person $i" city=Astana >/dev/null
	i=$((i + 1))
done

tui_start v 80 24 TERM=vt100
see "vt100: first screen" v "40 of 40 cases"
rule=$(screen v | grep "Case 1" | head -1)
contains "vt100: the detail pane's rule is a line" "$rule" "─ Case 1 ─"
lacks "vt100: no qqqq" "$(screen v)" "qqqq"
keys v NPage
see "vt100: PgDn moves a page" v "─ Case 11 ─"
keys v End
see "vt100: End goes to the last case" v "─ Case 40 ─"
keys v Home
see "vt100: Home goes back to the first" v "─ Case 1 ─"
keys v F1
see "vt100: F1 opens the help" v "casebook: keys"
keys v Escape q
see "vt100: quits" v "casebook-exited-0"

tui_start l 80 24 TERM=linux NO_COLOR=1
see "linux console: first screen" l "40 of 40 cases"
keys l End
see "linux console: End" l "─ Case 40 ─"
keys l F1
see "linux console: F1 opens the help" l "casebook: keys"
keys l Escape q

# The form: F1 from a text field opens the help, and comes back; a popup's
# top border runs whole from corner to corner.
tui_start f 80 24
see "form: first screen" f "40 of 40 cases"
keys f Enter
see "case view opens" f "Case 1 · line 1 of"
keys f F1
see "case view: F1 opens the help" f "casebook: keys"
keys f Escape
see "case view: back from the help" f "Case 1 · line 1 of"
keys f Escape
wait_gone f "Case 1 · line" >/dev/null
keys f e
see "form: edit opens" f "Edit case 1"
keys f F1
see "form: F1 opens the help" f "casebook: keys"
keys f Escape
see "form: back in the form after the help" f "Edit case 1"
keys f Down Down Down Enter
see "form: the sex pick list opens" f "Choose sex"
top=$(screen f | grep "Choose sex" | head -1)
contains "popup: the title sits in a whole border" "$top" "┌─ Choose sex ─"
contains "popup: the border reaches the corner" "$top" "─┐"
keys f Escape Escape
see "form: closed" f "40 of 40 cases"
keys f q
