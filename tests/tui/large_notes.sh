#!/bin/sh
# TUI: a case with 10 MB of Cyrillic notes opens at once and the screen
# keeps answering keys (the detail pane wraps only the lines it shows).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

# One paragraph of about 10 MB (no newline: the hardest case for a
# wrapper), then a marker at its very end.
{
	echo 'name,city,notes'
	printf 'Огромные Заметки,Алматы,"'
	yes 'задержание у здания акимата протест свидетель суд' | head -n 110000 | tr '\n' ' '
	printf 'КОНЕЦ-ЗАМЕТОК"\n'
	echo 'Второй Человек,Астана,коротко'
} > "$T/big.csv"
size=$(wc -c < "$T/big.csv")
if [ "$size" -gt 10000000 ]; then ok "the notes are over 10 MB ($size bytes)"; else not_ok "the notes are over 10 MB ($size bytes)"; fi
cb import "$T/big.csv"
same "imported" "$rc" "0"

tui_start a 80 24
# 2 s for the first screen, however busy the machine.
see "first screen with the 10 MB case selected" a "Case 1 " 20
see "the notes' first line is shown" a "задержание у здания акимата"
keys a j
see "j moves the selection within 2 s" a "Case 2 " 20
see "the next case is shown" a "Второй Человек" 20
keys a k
see "k comes back within 2 s" a "Case 1 " 20
see "the big case is shown again" a "Огромные Заметки" 20

# The detail pane scrolls through the whole text.
# line_is N TEXT: true once screen line N starts with TEXT (2 s at most).
line_is() {
	_i=0
	while [ "$_i" -lt 20 ]; do
		case "$(line_of a "$1")" in "$2"*) return 0 ;; esac
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
if line_is 14 "Огромные Заметки"; then ok "the pane starts with the name"; else not_ok "the pane starts with the name" "$(screen a)"; fi
keys a Tab
keys a j
if line_is 14 "City"; then ok "j scrolls the detail pane"; else not_ok "j scrolls the detail pane" "$(screen a)"; fi
keys a G
see "G shows the end of the notes within 2 s" a "КОНЕЦ-ЗАМЕТОК" 20
keys a g
not_see "g goes back to the top" a "КОНЕЦ-ЗАМЕТОК"
keys a Tab Tab
keys a Enter
see "Enter shows the whole case" a "line 1 of" 20
keys a G
see "the full view reaches the end" a "КОНЕЦ-ЗАМЕТОК" 20
keys a Escape
keys a q
see "quit" a "casebook-exited-0"
