#!/bin/sh
# TUI: views that fit at 60x20, 80x24, 120x40 and 200x50 — table cells wrap
# inside their columns (the court of a measure is always whole), the full
# view scrolls, list cells end in "…" with a gap, the selection bar covers
# the row, and the last column keeps its last character.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

court="Specialised Inter-District Administrative Court of the City of Almaty No 2"
article="Article 488 part 6 of the Code of Administrative Offences"
cb add name="Person With A Very Long Name Indeed Longer Than The Column" \
    city="Ust-Kamenogorsk-Severny-Extended" date=2021-05-01 status=in_court \
    measures="preventive:days=15:date=2021-05-02:fine=1000000 KZT:article=$article:court=$court" >/dev/null
cb add name=Short city=Astana date=2021-06-02 status=open >/dev/null

# court_column SESSION: the court of the measure in the full view, read
# down its column from the head to the end of the table (or, where the
# table is shown as records, from the Court line), spaces removed.
court_column() {
	screen "$1" | awk '
		/Type.*Court/ && !col { col = index($0, "Court"); next }
		!col && /^ +Court +/ { match($0, /Court +/); col = RSTART + RLENGTH; rec = 1 }
		rec && substr($0, 1, col - 1) ~ /[^ ]/ && !/Court/ { exit }
		col && ($0 ~ /^[A-Z]/ || $0 ~ /^$/ || $0 ~ / · line /) { exit }
		col { printf "%s", substr($0, col) }' | tr -d ' '
}

want=$(printf '%s' "$court" | tr -d ' ')
for size in "60 20" "80 24" "120 40" "200 50"; do
	set -- $size
	s="v$1"
	tui_start "$s" "$1" "$2"
	see "${1}x$2: first screen" "$s" "2 of 2 cases"
	keys "$s" Enter
	see "${1}x$2: full view opens" "$s" "Case 1 · line 1 of"
	got=$(court_column "$s")
	same "${1}x$2: the court is whole, wrapped in its own column" "$got" "$want"
	keys "$s" Escape
	wait_gone "$s" "Case 1 · line" >/dev/null
	row=$(line_of "$s" 2)
	contains "${1}x$2: a long name ends in … with a gap" "$row" "… Ust-Kamen"
	# Below 70 columns of list there is no status column: the date is last.
	case "$1" in
	60 | 120) contains "${1}x$2: the last column keeps its last character" "$row" "2021-05-01" ;;
	*) contains "${1}x$2: the last column keeps its last character" "$row" "in court" ;;
	esac
	keys "$s" q
done

# At 80 columns the measures table cuts nothing: the article ends whole too.
tui_start a 80 24
see "80x24: first screen" a "2 of 2 cases"
keys a Enter
see "80x24: full view" a "Case 1 · line 1 of"
s=$(screen a)
contains "80x24: the Court column has its head" "$s" "Court"
contains "80x24: the article's last word shown" "$s" "Offences"
keys a Escape

# The detail pane at 200x50 shows the whole measure type.
tui_start w 200 50
see "200x50: first screen" w "2 of 2 cases"
s=$(screen w)
contains "200x50: the detail pane shows the end of the measure type" "$s" "detention)"
keys w q

# The full view scrolls: a case with a long note, PgDn and End move on.
note=$(i=1; while [ $i -le 400 ]; do printf 'note line %d. ' "$i"; i=$((i + 1)); done)
cb add name="Noted" notes="$note" >/dev/null
tui_start n 80 24
see "notes case listed" n "3 of 3 cases"
keys n End Enter
see "full view of the noted case" n "Case 3 · line 1 of"
keys n NPage
see "PgDn scrolls the full view" n "Case 3 · line 23 of"
keys n End
see "End shows the last line" n "note line 400."
keys n q

# The selection bar covers the whole row (NO_COLOR: reverse video up to
# the last column, no reset before it).
tui_start m 80 24 NO_COLOR=1
see "NO_COLOR: first screen" m "3 of 3 cases"
e=$(printf '\033')
row=$(TM capture-pane -e -p -t m | sed -n 2p)
pre=${row%%in court*}
case "$pre" in *"$e["*7m*) ok "selected row is in reverse video" ;; *) not_ok "selected row is in reverse video" "$row" ;; esac
after=${pre#*7m}
case "$after" in
*"$e[0m"* | *"$e[m"* | *"$e[27m"*) not_ok "the bar reaches the status column" "$(printf '%s' "$row" | cat -v)" ;;
*) ok "the bar reaches the status column" ;;
esac
keys m q
