#!/bin/sh
# TUI: notes edited in $EDITOR come back whole whatever their size (they
# were cut at 1 MiB without a word), and a file that is not text is
# refused with a message, leaving the notes as they were.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы notes=старые >/dev/null
# 1.5 MB of notes in 30,000 lines, a marker on the last one; with
# $T/mode = nul, a file holding a NUL byte instead.
cat > "$T/ed.sh" <<EOS
#!/bin/sh
if [ "\$(cat "$T/mode" 2>/dev/null)" = nul ]; then
	printf 'half\000rest\n' > "\$1"
	exit 0
fi
yes 'Первая строка заметки о задержании' | head -n 30000 > "\$1"
echo 'КОНЕЦ-ЗАМЕТОК' >> "\$1"
cp "\$1" "$T/written"
EOS
chmod +x "$T/ed.sh"

notes_editor_open a EDITOR="$T/ed.sh"
see "notes came back from the editor" a "(30001 lines" 50
size=$(wc -c < "$T/written")
if [ "$size" -gt 1500000 ]; then ok "the editor wrote over 1.5 MB ($size bytes)"; else not_ok "the editor wrote over 1.5 MB ($size bytes)"; fi
keys a C-s
see "saved" a "Saved case 1" 50
cb export --format csv
same "every line of the notes is saved" "$(printf '%s\n' "$out" | grep -c 'Первая строка заметки о задержании')" "30000"
contains "the end of the notes is saved" "$out" "КОНЕЦ-ЗАМЕТОК"
# The saved notes are the file, byte for byte (less the final newline).
printf '%s\n' "$out" | sed -n '/Первая строка/,/КОНЕЦ-ЗАМЕТОК/p' | sed '1s/.*"//; $s/".*//' > "$T/saved"
same "the notes are the file, byte for byte" "$(cmp "$T/written" "$T/saved" && echo same)" "same"

echo nul > "$T/mode"
keys a e
see "edit form again" a "Edit case 1"
keys a C-e
see "a NUL byte is refused" a "holds a NUL byte" 50
see "the notes are unchanged" a "(30001 lines"
keys a Escape
keys a q
see "quit" a "casebook-exited-0"
