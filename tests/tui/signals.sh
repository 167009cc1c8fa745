#!/bin/sh
# TUI: the terminal is restored on every exit: q, SIGTERM, SIGHUP and a
# crash (SIGSEGV); a terminal is required.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы >/dev/null

# pid of casebook in session S (the pane's shell runs it as a child).
cb_pid() { pgrep -P "$(TM display -p -t "$1" '#{pane_pid}')" | head -1; }

for sig in TERM HUP SEGV; do
	tui_start s$sig 80 24
	see "SIG$sig: started" s$sig "1 of 1 case"
	same "SIG$sig: alternate screen while running" "$(TM display -p -t s$sig '#{alternate_on}')" "1"
	pid=$(cb_pid s$sig)
	kill -$sig "$pid"
	see "SIG$sig: exited" s$sig "casebook-exited-"
	same "SIG$sig: alternate screen left" "$(TM display -p -t s$sig '#{alternate_on}')" "0"
	# The terminal modes are back: typed text is echoed again.
	type_text s$sig "echo-is-back"
	see "SIG$sig: terminal modes restored (echo)" s$sig "echo-is-back"
done
status=$(screen sSEGV | grep -o 'casebook-exited-[0-9]*')
same "SIGSEGV: dies by the signal (status 139)" "$status" "casebook-exited-139"
status=$(screen sTERM | grep -o 'casebook-exited-[0-9]*')
same "SIGTERM: clean exit status 143" "$status" "casebook-exited-143"

out=$("$CASEBOOK" -d "$T/db" </dev/null 2>&1); rc=$?
same "without a terminal: usage status" "$rc" "2"
contains "without a terminal: says why" "$out" "needs a terminal"
