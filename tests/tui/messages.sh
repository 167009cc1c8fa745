#!/bin/sh
# TUI messages: a message too long for the status line takes two lines or
# ends in "…" with M, and M shows it whole in the session's log; the
# configuration's warnings are shown once the screen is up; help lines wrap
# and the help scrolls; read-only hints have no editing keys.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Алия Маратовна" city=Almaty >/dev/null
mkdir -p "$HOME/.config/casebook"
long=no-such-printer-command-with-a-very-long-name-to-make-the-message-long
printf 'print_command = %s --copies 2 --media A4 --sides two-sided-long-edge\nmouse = maybe\nthis line is not a setting\n' \
    "$long" > "$HOME/.config/casebook/config"

tui_start a 80 24
see "configuration warning shown once the screen is up" a "configuration:"
s=$(screen a)
contains "the first warning names its line" "$s" "config:2: mouse"
contains "the others are counted with a pointer to M" "$s" "1 more warning: press M"
keys a M
see "M opens the message log" a "Messages of this session"
s=$(screen a)
contains "log: first warning" "$s" "config:2: mouse"
contains "log: second warning" "$s" "config:3: expected"
keys a Escape
wait_gone a "Messages of this session" >/dev/null

# A failed print command: its message needs three lines at 80 columns.
keys a p
see "the failure is on the screen" a "failed (exit"
s=$(screen a)
contains "a cut message says where to read it" "$s" "(M: all)"
lacks "the end of the message is not on the status line" "$(line_of a 24)" "not found"
contains "the message takes the row above the status line too" "$(line_of a 23)" "print command"
keys a M
see "log opened" a "Messages of this session"
s=$(screen a)
contains "the whole message is in the log, to its end" "$s" "not found"
contains "the log keeps the command's words" "$s" "two-sided-long-edge"
keys a Escape
wait_gone a "Messages of this session" >/dev/null
keys a j
see "the next key clears the message" a "1 of 1 case"
contains "the row above the status line is the pane's again" "$(line_of a 23)" ""
lacks "no message left on the row above" "$(line_of a 23)" "print command"

# Help: the long line about / wraps under its text, and the help scrolls.
keys a '?'
see "help opens" a "casebook: keys"
s=$(screen a)
contains "help: the search line is not cut" "$s" "(Enter keeps,"
contains "help: its continuation is shown" "$s" "Esc undoes)"
cont=$(screen a | grep "Esc undoes)" | head -1)
search=$(screen a | grep "Search by name" | head -1)
before_cont=${cont%%Esc undoes)*}
before_search=${search%%Search by name*}
same "help: the continuation hangs under the text" "${#before_cont}" "${#before_search}"
keys a NPage
see "help: PgDn scrolls" a "Help · line 23 of"
keys a End
see "help: End reaches the last line" a "date:2021-05"
keys a Escape
keys a q
see "quits" a "casebook-exited-0"

# Read-only: the hints and the empty-list hint have no editing keys.
rm -f "$HOME/.config/casebook/config"
TM new-session -d -s r -x 80 -y 24 "'$CASEBOOK' -r -d '$T/db'; echo casebook-exited-\$?; sleep 30"
see "read-only: first screen" r "1 of 1 case"
s=$(line_of r 24)
contains "read-only: said on the status line" "$s" "read-only"
lacks "read-only: no add hint" "$s" "a:add"
lacks "read-only: no edit hint" "$s" "e:edit"
contains "read-only: the messages key is hinted" "$s" "M:messages"
keys r a
see "read-only: a says why it does nothing" r "read-only database: editing is disabled"
keys r q
