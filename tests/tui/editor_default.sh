#!/bin/sh
# TUI: with VISUAL and EDITOR unset, notes open in sensible-editor when it
# is on PATH, else nano, and vi only when neither is there.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы >/dev/null
# fake NAME DIR: an editor called NAME in DIR that writes its name as the notes.
fake() {
	mkdir -p "$2"
	printf '#!/bin/sh\nprintf "written by %s\\n" > "$1"\n' "$1" > "$2/$1"
	chmod +x "$2/$1"
}
fake sensible-editor "$T/all"; fake nano "$T/all"; fake vi "$T/all"
fake nano "$T/nano"; fake vi "$T/nano"
fake vi "$T/vi"

# editor_run SESSION PATH: opens the notes of case 1 in the default editor.
editor_run() {
	notes_editor_open "$1" -u EDITOR -u VISUAL PATH="$2"
}

# PATH holds only the fakes (they need nothing but sh's built-ins), so a
# sensible-editor or nano of the system running the tests does not count.
editor_run a "$T/all"
see "sensible-editor comes first" a "written by sensible-editor"
keys a Escape
editor_run b "$T/nano"
see "nano second" b "written by nano"
editor_run c "$T/vi"
see "vi only when neither is there" c "written by vi"
echo "1..$_n"
