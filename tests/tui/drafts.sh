#!/bin/sh
# TUI drafts: what is typed in the form survives kill -9 and a dropped
# connection (SIGHUP) and is offered on the next start (resume or
# discard); Ctrl-C in the form asks like Esc; a saved or discarded form
# leaves no draft; a draft that cannot be read is kept aside.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы >/dev/null

cb_pid() { pgrep -P "$(TM display -p -t "$1" '#{pane_pid}')" | head -1; }

# ---- kill -9 while typing in the edit form ----------------------------------
tui_start a 80 24
see "start" a "1 of 1 case"
keys a e
see "edit form" a "Edit case 1 (rev 1)"
type_text a " Черновик"
see "typed" a "Иван Петров Черновик"
# Drafts are written within a few seconds of the last key.
i=0
while [ $i -lt 60 ]; do
	cb drafts
	case "$out" in *"case 1"*) break ;; esac
	sleep 0.1
	i=$((i + 1))
done
contains "casebook drafts lists the draft while the form is open" "$out" "case 1"
contains "the draft holds the typed name" "$out" "Иван Петров Черновик"
pid=$(cb_pid a)
kill -9 "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 "$pid" 2>/dev/null; then not_ok "kill -9 ends casebook"; else ok "kill -9 ends casebook"; fi
TM kill-session -t a
cb show 1
lacks "nothing was saved by the killed form" "$out" "Черновик"

tui_start b 100 24
see "on start the draft is offered" b "You have an unsaved draft of case 1 (changed just now): r resume, d discard"
keys b r
see "r resumes it in the edit form" b "Edit case 1"
see "with what was typed" b "Иван Петров Черновик"
keys b C-s
see "saved" b "Saved case 1"
cb show 1
contains "the resumed draft is saved" "$out" "Иван Петров Черновик"
cb drafts
same "no draft is left after the save" "$out" "No unsaved drafts."

# ---- Ctrl-C in the form asks, like Esc -----------------------------------------
keys b e
see "edit again" b "Edit case 1 (rev 2)"
type_text b "X"
keys b C-c
see "Ctrl-C asks before discarding" b "Discard your changes?"
keys b n
see "n keeps the form and the input" b "Иван Петров ЧерновикX"
keys b C-c
see "Ctrl-C asks again" b "Discard your changes?"
keys b y
see "y discards and closes the form" b "1 of 1 case"
lacks "casebook is still running" "$(screen b)" "casebook-exited"
cb drafts
same "a discarded form leaves no draft" "$out" "No unsaved drafts."

# ---- SIGHUP (a dropped connection) while adding a case ---------------------------
keys b a
see "add form" b "Add a case"
type_text b "Новый Человек"
sleep 0.3
kill -HUP "$(cb_pid b)"
see "SIGHUP ends casebook" b "casebook-exited-"
TM kill-session -t b
cb drafts
contains "SIGHUP writes the draft of the new case at once" "$out" "a new case"
contains "with its name" "$out" "Новый Человек"

tui_start c 100 24
see "the new-case draft is offered" c "You have an unsaved draft of a new case"
keys c d
see "d discards it" c "Draft discarded."
cb drafts
same "the discarded draft is gone" "$out" "No unsaved drafts."
keys c q
see "quit" c "casebook-exited-0"
TM kill-session -t c

# ---- a draft that cannot be read is kept aside, never dropped ------------------
if command -v mdb_dump >/dev/null && command -v mdb_load >/dev/null; then
	tui_start d 80 24
	see "start d" d "1 of 1 case"
	keys d e
	see "edit d" d "Edit case 1"
	type_text d "Z"
	sleep 0.3
	kill -HUP "$(cb_pid d)"
	see "d ended" d "casebook-exited-"
	TM kill-session -t d
	# The draft's version byte (the first byte of its value) made 9.
	mdb_dump -s drafts "$T/db" | sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" | awk '
		/^HEADER=END/ { print; data = 1; k = 0; next }
		/^DATA=END/ { data = 0 }
		data { k++; if (k % 2 == 0) $0 = " 09" substr($0, 4) }
		{ print }' >"$T/drafts.dump"
	mdb_load -s drafts -f "$T/drafts.dump" "$T/db"
	tui_start e 120 24
	see "an unreadable draft is reported" e "cannot be read"
	see "and kept aside" e "kept aside"
	cb drafts
	contains "casebook drafts still lists it" "$out" "cannot be read"
	contains "names the version" "$out" "another version"
	keys e q
	see "quit e" e "casebook-exited-0"
else
	skip "an unreadable draft is kept aside" "mdb_dump/mdb_load not installed"
fi
