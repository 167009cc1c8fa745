#!/bin/sh
# Text shown to people: the direction controls that can make a name display
# reversed (U+202E and the other embeddings, overrides, isolates and marks)
# are shown as <U+202E> in text output and in everything printed to a
# terminal, while pipes and files keep the exact data; table cells are cut
# to the terminal's width with an ellipsis.
. "$(dirname "$0")/../lib.sh"

rlo=$(printf '\342\200\256')
expect_rc "add a name holding U+202E" 0 add "name=Ivan ${rlo}vokhA" city=Almaty
id=$out

cb show "$id"
contains "show shows U+202E visibly" "$out" "Ivan <U+202E>vokhA"
lacks "show never prints U+202E raw" "$out" "$rlo"
cb list
contains "the list table shows it visibly" "$out" "<U+202E>"
lacks "the list table never prints it raw" "$out" "$rlo"
cb list --format csv
contains "csv into a pipe keeps the data exact" "$out" "Ivan ${rlo}vokhA"
"$CASEBOOK" -d "$T/db" export --format json > "$T/out.json"
contains "json into a file keeps the data exact" "$(cat "$T/out.json")" "Ivan ${rlo}vokhA"

# Every direction control, one case each (code point and UTF-8 in octal:
# the shell's printf has no \u).
controls='061C:\330\234 200E:\342\200\216 200F:\342\200\217 202A:\342\200\252
202B:\342\200\253 202C:\342\200\254 202D:\342\200\255 202E:\342\200\256
2066:\342\201\246 2067:\342\201\247 2068:\342\201\250 2069:\342\201\251'
for c in $controls; do
	cb add "name=N$(printf "${c#*:}")X" >/dev/null
done
cb list --format csv
for c in $controls; do
	contains "U+${c%%:*} kept exact in a pipe" "$out" "N$(printf "${c#*:}")X"
done

if command -v script >/dev/null 2>&1; then
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' list --format csv" /dev/null)
	for c in $controls; do
		contains "U+${c%%:*} shown visibly on a terminal" "$tty_out" "N<U+${c%%:*}>X"
		lacks "U+${c%%:*} never raw on a terminal" "$tty_out" "$(printf "${c#*:}")"
	done
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' show $id --json" /dev/null)
	contains "json on a terminal shows U+202E visibly" "$tty_out" "Ivan <U+202E>vokhA"
	lacks "json on a terminal never prints U+202E raw" "$tty_out" "$rlo"
	cb add name='Қайрат Әлиев' city=Өскемен >/dev/null
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' list" /dev/null)
	contains "Kazakh passes the terminal filter" "$tty_out" "Қайрат Әлиев"
else
	skip "terminal output" "script (util-linux) is not installed"
fi

# Cells are cut to the width with an ellipsis; no line is wider.
cb add "name=Абдуллаев Нурсултан Қайратұлы Жанибекович" "city=Усть-Каменогорск" >/dev/null
for cols in 40 60; do
	out=$(COLUMNS=$cols "$CASEBOOK" -d "$T/db" list)
	width=$(printf '%s\n' "$out" | wc -L)
	if [ "$width" -le "$cols" ]; then ok "list at $cols columns fits ($width)"; else not_ok "list at $cols columns fits ($width)" "$out"; fi
	contains "a cut cell ends with … at $cols columns" "$out" "…"
done
out=$(COLUMNS=200 "$CASEBOOK" -d "$T/db" list)
contains "a wide terminal shows the whole name" "$out" "Абдуллаев Нурсултан Қайратұлы Жанибекович"
