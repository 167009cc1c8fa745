#!/bin/sh
# TUI: when the system config names the office's shared database and
# casebook starts on another one, the status line says so; on the shared
# database itself there is no such note.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

export CASEBOOK_SYSTEM_CONFIG="$T/etc-config"
S=$T/shared
"$CASEBOOK" -d "$S" add name="Нурлан Касымов" >/dev/null
"$CASEBOOK" -d "$T/db" add name="Private Case" >/dev/null
echo "database = $S" > "$CASEBOOK_SYSTEM_CONFIG"

tui_start other 160 24 CASEBOOK_SYSTEM_CONFIG="$CASEBOOK_SYSTEM_CONFIG"
see "another database: the note is shown" other "not the office's shared database"
see "another database: the note names the shared one" other "$S"
keys other q

TM new-session -d -s shared -x 120 -y 24 \
    "env CASEBOOK_SYSTEM_CONFIG='$CASEBOOK_SYSTEM_CONFIG' '$CASEBOOK'; echo casebook-exited-\$?; sleep 30"
see "the shared database: its case is listed" shared "Нурлан"
if screen shared | grep -q "shared database"; then
	not_ok "the shared database: no note" "$(screen shared)"
else
	ok "the shared database: no note"
fi
keys shared q
