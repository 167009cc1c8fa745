#!/bin/sh
# TUI: a save after a colleague's save merges three ways (one-sided changes
# silently; a field both changed only by the user's choice: keep mine,
# take theirs, edit; Esc saves nothing and ^S asks again); a save after a
# colleague deleted the case offers restore with the changes, save as new,
# discard (two instances: one deletes with d while the other edits); the
# trash view restores; u in the history view reverts one change.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city="Посёлок Один" lawyer="Адвокат А" >/dev/null

# to_lawyer S: from the first row of the edit form to the lawyer row (10
# fields, the two add rows, status, verification).
to_lawyer() { i=0; while [ $i -lt 14 ]; do keys "$1" Down; i=$((i + 1)); done; }
field_of() { cb show "$1" --json; printf '%s\n' "$out" | sed -n "s/^  \"$2\": \"\(.*\)\",*\$/\1/p"; }

tui_start a 120 30
see "start" a "1 of 1 case"

# ---- both changed the lawyer: keep mine; their city is merged silently -----
keys a e
see "edit form" a "Edit case 1 (rev 1)"
to_lawyer a
type_text a " мой"
cb edit 1 lawyer="Адвокат Б" city="Посёлок Два"
keys a C-s
see "^S names the field both changed, with both values" a "theirs «Адвокат Б», yours «Адвокат А мой»"
see "and offers the choices" a "t take theirs, m keep mine, e edit"
keys a Escape
see "Esc saves nothing" a "Not saved: a colleague changed the same fields"
same "the colleague's lawyer stands" "$(field_of 1 lawyer)" "Адвокат Б"
keys a C-s
see "^S asks again, never saves over them silently" a "theirs «Адвокат Б», yours «Адвокат А мой»"
keys a m
see "m saves with my value" a "merged with the changes"
same "my lawyer is saved" "$(field_of 1 lawyer)" "Адвокат А мой"
same "their city is kept" "$(field_of 1 city)" "Посёлок Два"

# ---- take theirs -------------------------------------------------------------------
keys a e
see "edit again" a "Edit case 1 (rev 3)"
to_lawyer a
type_text a " 2"
cb edit 1 lawyer="Адвокат В"
keys a C-s
see "asked again" a "theirs «Адвокат В», yours «Адвокат А мой 2»"
keys a t
see "t saves with their value" a "merged with the changes"
same "their lawyer is kept" "$(field_of 1 lawyer)" "Адвокат В"

# ---- two instances: b deletes while a edits ----------------------------------------
tui_start b 120 30
see "second instance" b "1 of 1 case"
keys a e
see "a edits" a "Edit case 1"
to_lawyer a
type_text a " после"
keys b d
see "b asks before moving it to the trash" b "Move case 1"
keys b y
see "b moved it to the trash" b "0 of 0 cases"
keys a C-s
see "a is told who deleted it and is offered a restore" a "This case was deleted by $(id -un) at"
see "and the other choices" a "r restore it with your changes, n save as a new case, d discard"
keys a r
see "r restores it with the changes" a "Saved case 1"
same "the restored case has a's change" "$(field_of 1 lawyer)" "Адвокат В после"
cb trash
same "the trash is empty again" "$out" "The trash is empty."

# Deleted again while a edits: save as a new case.
keys a e
see "a edits once more" a "Edit case 1"
to_lawyer a
type_text a " новое"
cb rm 1
keys a C-s
see "offered again" a "n save as a new case"
keys a n
see "n saves a new case" a "Added case 2"
same "the new case holds the changes" "$(field_of 2 lawyer)" "Адвокат В после новое"
cb trash
contains "case 1 stays in the trash" "$out" "Иван Петров"

# ---- the trash view ----------------------------------------------------------------
keys a D
see "D opens the trash view" a "Trash · r: restore"
see "it lists the deleted case and who deleted it" a "1  Иван Петров  (deleted"
keys a r
see "r asks first" a "Restore case 1?"
keys a y
see "restored" a "Case 1 restored (now revision"
see "the trash view is empty" a "The trash is empty."
keys a Escape
see "both cases are listed" a "2 of 2 cases"

# ---- u in the history view -----------------------------------------------------------
cb edit 2 city=Караганда
cb edit 2 city=Шымкент
cb edit 2 notes="заметка"
keys a h
see "history view" a "History of case 2"
see "with the field changes" a "city «Караганда» → «Шымкент»"
keys a Up
keys a u
see "u asks first" a "Revert this change?"
keys a y
see "u reverts the selected change" a "Change reverted"
same "the selected city change is reverted" "$(field_of 2 city)" "Караганда"
same "the later notes stay" "$(field_of 2 notes)" "заметка"
# An older change whose field later ones touched is refused, naming it.
keys a Up Up Up
keys a u
see "asks for the older change" a "Revert this change?"
keys a y
see "refused, naming the field later changes touched" a "later changes touched city"
same "nothing changed by the refusal" "$(field_of 2 city)" "Караганда"
keys a Escape
keys a q
see "quit" a "casebook-exited-0"
