#!/bin/sh
# TUI on 10,000 cases: moving, paging, g/G, the full view, `/` search with a
# Cyrillic prefix, facets (counts and list change), sorting, help.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

awk 'BEGIN {
	print "name,city,date,measures,injuries,status"
	for (i = 1; i <= 10000; i++) {
		c = i % 3 == 0 ? "Алматы" : (i % 3 == 1 ? "Астана" : "Shymkent")
		n = i % 100 == 0 ? sprintf("Ержан Сатпаев %d", i) : sprintf("Person %05d", i)
		printf "%s,%s,2021-05-%02d,admin_arrest:days=%d,%s,%s\n", n, c, i % 28 + 1, i % 15,
		    (i % 2 ? "bruise" : "strangulation"), (i % 5 ? "open" : "closed")
	}
}' > "$T/cases.csv"
cb import "$T/cases.csv"
same "10,000 cases imported" "$rc" "0"

tui_start a 80 24
see "first screen on 10,000 cases" a "10000 of 10000 cases"
see "first case selected" a "Case 1 "
keys a j
see "j moves down" a "Case 2 "
same "the hardware cursor rests on the selected row" "$(TM display -p -t a '#{cursor_y}')" "2"
keys a Down Down
see "Down moves down" a "Case 4 "
keys a k
see "k moves up" a "Case 3 "
keys a NPage
see "PgDn moves a page (10 rows at 80x24)" a "Case 13 "
keys a PPage
see "PgUp moves back a page" a "Case 3 "
keys a G
see "G goes to the last case" a "Case 10000 "
see "G scrolls the list to the end" a "  10000 Ержан Сатпаев 10000"
keys a g
see "g goes back to the first" a "Case 1 "
keys a Enter
see "Enter shows the whole case" a "line 1 of"
keys a Escape
see "Esc goes back to the list" a "10000 of 10000 cases"

# Incremental search: the list narrows as each letter is typed.
keys a /
see "/ opens the search line" a "Search name:"
type_text a "Ерж"
see "search narrows to the Cyrillic prefix as typed" a " 100 of 10000"
keys a Enter
see "Enter keeps the search in the filter" a "name:Ерж"
s=$(screen a)
contains "the list shows matching names" "$s" "Ержан Сатпаев 100"
lacks "the list hides other names" "$s" "Person 0"
type_text a "/"
type_text a "ержан с"
see "search folds case, two words" a " 100 of 10000"
keys a Escape
see "Esc undoes the search edit" a "name:Ерж"
keys a c
see "c clears the search" a "10000 of 10000 cases"

# Facets: choose a city, then an injury; counts and list follow.
keys a f
see "f opens the filter pane with counts" a "Алматы"
# The counts follow the list in a second screen update: wait for them.
wait_for a "3333" || true
s=$(screen a)
contains "city count" "$(printf '%s\n' "$s" | grep 'Алматы')" "3333"
# Walk down until Алматы is under the (hardware) cursor (its pane row: the
# list beside the pane shows cities too).
down_to a "] Алматы" 6
keys a Space
see "choosing a city filters the list" a "3333 of 10000 cases"
see "the filter shows in the status line" a "city:Алматы"
s=$(screen a)
inj=$(printf '%s\n' "$s" | grep 'bruise')
contains "injury counts follow the city" "$inj" "1667"
down_to a "] bruise" 12
keys a Space
see "a second facet narrows further" a "1667 of 10000 cases"
keys a Space
see "space again unselects it" a "3333 of 10000 cases"
keys a Escape
not_see "Esc closes the filter pane" a "1 City 2 Region"
s=$(screen a)
lacks "only the chosen city in the list" "$s" "Астана"
keys a s
see "s cycles the sort" a "sort -date"
keys a c
see "c clears the filter" a "10000 of 10000 cases"
keys a '?'
see "? shows the help from the key table" a "Search by name"
keys a Escape
keys a :
type_text a "citty:x"
keys a Enter
see "a bad filter line says what is wrong" a 'unknown field "citty"'
keys a q
see "quits" a "casebook-exited-0"
