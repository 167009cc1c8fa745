#!/bin/sh
# TUI form: the forensic-exam answer of an injury. Each answer chosen in the
# form (pick list and Left/Right) is the one `casebook show` reports,
# and a case reopens in the form showing the answer it holds. (The form once
# stored "yes" as exam=no and "no" as exam=yes.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Проверка Экспертизы" injuries="bruise"
cb add name="Second" injuries="abrasion:exam=yes|burn:exam=no"

# exam_of ID N: the exam answer of injury N (1-based) as `casebook show`
# prints it ("yes", "no"), "absent" when not said.
exam_of() {
	cb show "$1"
	printf '%s\n' "$out" | sed -n 's/^injuries *//p' | tr '|' '\n' | sed -n "${2}p" |
	    sed -n 's/.*:exam=\([a-z]*\).*/\1/p;t;s/.*/absent/p'
}

# to_exam: from the first field of the edit form down to injury 1's exam row
# (10 fields, the measures add row, injury type, body, note).
to_exam() { i=0; while [ $i -lt 14 ]; do keys a Down; i=$((i + 1)); done; }

tui_start a 80 30
see "start" a "2 of 2 cases"
keys a /
type_text a "Проверка"
keys a Enter
see "case 1 selected" a "Проверка Экспертизы"

keys a e
see "edit form of case 1" a "Edit case 1 (rev 1)"
see "exam not said at first" a "exam            [ not said ▾ ]"
to_exam
keys a Enter
see "the exam pick list" a "Forensic or medical exam"
keys a Down Enter
see "yes chosen" a "exam            [ yes ▾ ]"
keys a C-s
see "saved" a "Saved case 1"
same "show: exam yes" "$(exam_of 1 1)" "yes"

keys a e
see "reopened: the form shows yes" a "exam            [ yes ▾ ]"
to_exam
keys a Enter
see "pick list again" a "Forensic or medical exam"
keys a Down Enter
see "no chosen" a "exam            [ no ▾ ]"
keys a C-s
see "saved again" a "Saved case 1"
same "show: exam no" "$(exam_of 1 1)" "no"

keys a e
see "reopened: the form shows no" a "exam            [ no ▾ ]"
to_exam
keys a Enter
see "pick list a third time" a "Forensic or medical exam"
keys a Up Up Enter
see "not said chosen" a "exam            [ not said ▾ ]"
keys a C-s
see "saved a third time" a "Saved case 1"
same "show: exam not said" "$(exam_of 1 1)" "absent"

# Left/Right step through the answers in the order shown: not said, yes, no.
keys a e
see "reopened for Right" a "Edit case 1"
to_exam
keys a Right
see "Right from not said gives yes" a "exam            [ yes ▾ ]"
keys a Right
see "Right from yes gives no" a "exam            [ no ▾ ]"
keys a Right
see "Right from no wraps to not said" a "exam            [ not said ▾ ]"
keys a Left
see "Left from not said gives no" a "exam            [ no ▾ ]"
keys a C-s
see "saved after Left" a "Saved case 1"
same "show: exam no after Left" "$(exam_of 1 1)" "no"

# A case written from the command line opens with its own answers.
keys a /
type_text a "Second"
keys a Enter
keys a e
see "edit form of case 2" a "Edit case 2 (rev 1)"
# exam_after TYPE: the exam row that follows the injury of TYPE on the screen.
exam_after() { screen a | awk -v t="[ $1 ▾ ]" 'index($0, t) { f = 1 } f && /exam/ { print; exit }'; }
contains "exam=yes opens as yes" "$(exam_after abrasion)" "[ yes ▾ ]"
contains "exam=no opens as no" "$(exam_after burn)" "[ no ▾ ]"
keys a Escape
keys a q
see "quit" a "casebook-exited-0"
