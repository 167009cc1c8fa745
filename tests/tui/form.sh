#!/bin/sh
# TUI form: add a case (pick lists, a validation error), resize while the
# form is open, edit, Esc asks before discarding, delete; each checked in
# the list and with `casebook show`. Also read-only mode.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы >/dev/null
cb add name="Aigerim Nurlanovna" city=Astana >/dev/null

tui_start a 80 24
see "start" a "2 of 2 cases"
keys a a
see "a opens the add form" a "Add a case"
type_text a "Тестовый Человек"
keys a Down Down Down Down
type_text a "19x0"
see "a bad year is refused next to the field, which it need not name" a '↳ bad number "19x0"'
keys a C-s
see "nothing is saved while a field is invalid" a "Not saved"
keys a BSpace BSpace BSpace BSpace
type_text a "1990"
not_see "the message goes once the year is valid" a "bad number"
keys a Down Down Down
type_text a "2021-13"
see "a partial date is checked as typed" a "2021-13"
see "a bad month is reported" a "↳"
keys a BSpace BSpace
type_text a "05"
not_see "a valid partial date is accepted" a "↳"
keys a Down Down
type_text a "Алматы"
keys a Down Enter
see "Enter on Measures opens the measure type pick list" a "Choose measure type"
keys a Down Enter
see "the chosen measure type is shown" a "[ administrative arrest"
type_text a "15"
keys a Down Down Down Down Down Down Down
see "on the status field" a "Status"
keys a Enter
see "the status pick list" a "Choose status"
keys a Down Down Enter
see "status chosen from the list" a "[ in court"

# Resize with the form open: the input survives and the form redraws.
TM resize-window -t a -x 100 -y 30
see "resized form keeps the typed name" a "Тестовый Человек"
TM resize-window -t a -x 50 -y 12
see "too small inside the form: a message" a "at least 60x16"
TM resize-window -t a -x 80 -y 24
see "back to 80x24: the form again" a "Add a case"
see "the input is still there" a "Тестовый Человек"

keys a C-s
see "^S saves and says so" a "Added case 3"
see "the new case is in the list" a "3 of 3 cases"
see "the list shows it" a "      3 Тестовый Человек"
cb show 3
contains "casebook show: name" "$out" "Тестовый Человек"
contains "casebook show: birth year" "$out" "1990"
contains "casebook show: date" "$out" "2021-05"
contains "casebook show: measure from the pick list" "$out" "admin_arrest:days=15"
contains "casebook show: status from the pick list" "$out" "in_court"

# Edit: the lawyer field (20 rows down: 10 fields, one measure of 6 rows, 2 add rows, status, verification).
keys a e
see "e opens the edit form" a "Edit case 3 (rev 1)"
i=0; while [ $i -lt 20 ]; do keys a Down; i=$((i + 1)); done
type_text a "Адвокат Иванова"
keys a C-s
see "edit saved" a "Saved case 3"
cb show 3
contains "casebook show: the edit" "$out" "Адвокат Иванова"
contains "casebook show: rev 2" "$out" "rev              2"
see "the detail pane shows the edit" a "Адвокат Иванова"

# Esc on a changed form asks first.
keys a e
see "edit form again" a "Edit case 3 (rev 2)"
type_text a "XYZ"
keys a Escape
see "Esc on a changed form asks" a "Discard your changes?"
keys a n
not_see "n answers the question" a "Discard your changes?"
see "n keeps the form" a "Тестовый ЧеловекXYZ"
# The form's question takes the Cyrillic answers as the main screen's
# does: н (нет) keeps the form though it is typed by the key of y, and т
# (the key of n) is no answer.
keys a Escape
see "asks again" a "Discard your changes?"
type_text a "н"
not_see "н answers no" a "Discard your changes?"
see "н keeps the form" a "Edit case 3 (rev 2)"
keys a Escape
see "asks a third time" a "Discard your changes?"
type_text a "т"
sleep 0.3
see "т is no answer: still asking" a "Discard your changes?"
type_text a "д"
see "д discards" a "3 of 3 cases"
cb show 3
lacks "nothing saved by the discarded form" "$out" "XYZ"

keys a d
see "d asks before moving it to the trash" a "Move case 3 (Тестовый Человек) to the trash?"
keys a n
see "n keeps it" a "3 of 3 cases"
keys a d
see "asks again" a "Move case 3"
keys a y
see "deleted" a "2 of 2 cases"
not_see "gone from the list" a "Тестовый Человек"
expect_rc "casebook show: the case is gone" 1 show 3

keys a h
see "h shows the history" a "History of case"
see "the history view uses the lines of casebook history" a ": created (revision 1)"
keys a Escape
keys a q
see "quit" a "casebook-exited-0"

# Read-only: editing keys say why they do nothing.
TM kill-session -t a
TM new-session -d -s r -x 80 -y 24 "'$CASEBOOK' -r -d '$T/db'; sleep 30"
see "read-only start" r "2 of 2 cases"
keys r a
see "read-only: a says why" r "read-only database: editing is disabled"
keys r e
see "read-only: e says why" r "read-only database"
keys r d
see "read-only: d says why" r "read-only database"
lacks "read-only: no form opened" "$(screen r)" "Add a case"
