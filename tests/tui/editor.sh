#!/bin/sh
# TUI: notes edited in $EDITOR through a private owner-only file that is
# removed afterwards; multi-line notes shown wrapped in the detail pane.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы >/dev/null
cat > "$T/ed.sh" <<EOS
#!/bin/sh
stat -c '%a' "\$(dirname "\$1")" > "$T/dirmode"
stat -c '%a' "\$1" > "$T/filemode"
echo "\$1" > "$T/path"
printf 'Первая строка заметки\nsecond line\n' > "\$1"
EOS
chmod +x "$T/ed.sh"

notes_editor_open a EDITOR="$T/ed.sh"
see "notes came back from the editor" a "Первая строка заметки … (2 lines"
same "the editor's file is owner-only (0600)" "$(cat "$T/filemode")" "600"
same "in a private directory (0700)" "$(cat "$T/dirmode")" "700"
case "$(cat "$T/path")" in "$T/run/casebook/"*) ok "under XDG_RUNTIME_DIR" ;; *) not_ok "under XDG_RUNTIME_DIR" "$(cat "$T/path")" ;; esac
if [ -e "$(cat "$T/path")" ]; then not_ok "the file is removed afterwards"; else ok "the file is removed afterwards"; fi
keys a C-s
see "saved" a "Saved case 1"
cb show 1
contains "notes saved with both lines" "$out" "second line"
see "the detail pane shows the notes" a "Первая строка заметки"
keys a q
