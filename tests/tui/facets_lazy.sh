#!/bin/sh
# The filter pane counts only the facet groups on screen: a group far down
# the pane (status, below 30 cities) is counted when it scrolls into view,
# and then shows the counts of the filter in effect, never those of an
# earlier one.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

# 30 cities; Алматы has the most cases, and its statuses differ from the
# whole database's (every Алматы case is open or closed, 2:1).
awk 'BEGIN {
	print "name,city,date,status"
	for (i = 1; i <= 1200; i++) {
		if (i % 4 == 0) {
			c = "Алматы"
			s = i % 3 == 0 ? "closed" : "open"
		} else {
			c = sprintf("Town%02d", i % 29)
			s = i % 5 == 0 ? "appeal" : (i % 5 == 1 ? "in_court" : "open")
		}
		printf "Person %04d,%s,2021-05-%02d,%s\n", i, c, i % 28 + 1, s
	}
}' > "$T/cases.csv"
cb import "$T/cases.csv"
same "1,200 cases imported" "$rc" "0"

# status_rows: the status values and counts the pane shows, one
# "COUNT VALUE" a line, sorted (rows below the Status header, bars left
# out).
status_pick() {
	awk '/^Status/ { on = 1; next }
	    on && !/^\[[ x]\] / { on = 0 }
	    on { v = substr($0, 5); n = $NF; sub(/ +[^ ]+ *$/, "", v)
		sub(/( |█|▏|▎|▍|▌|▋|▊|▉|#)+$/, "", v); print n, v }' | sort
}
status_rows() { screen a | status_pick; }
# cli_rows FILTER: the same from `casebook facets status FILTER`.
cli_rows() {
	cb facets status "$@"
	printf '%s\n' "$out" | awk '{ n = $1; $1 = ""; sub(/^ +/, ""); gsub(/_/, " "); print n, $0 }' | sort
}
# status_head: true when the pane (the top 12 lines at 79x24, where it covers the list) shows the
# Status header (the detail pane below has a "Status" label of its own).
status_head() { screen a | head -12 | grep -q '^Status *$'; }
# wait_rows WANT: waits until the status rows are WANT.
wait_rows() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		[ "$(status_rows)" = "$1" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

tui_start a 79 24
see "first screen" a "1200 of 1200 cases"
keys a f
see "f opens the filter pane over the list" a "Алматы"
if status_head; then not_ok "the status group is below the pane's rows" "$(screen a)"; else
	ok "the status group is below the pane's rows"; fi

# Go to the status group (6; Esc ends typing to find a value): it is
# counted (no filter yet).
keys a 6 Escape
all=$(cli_rows)
if wait_rows "$all"; then ok "scrolled to, status shows the counts of all cases"; else
	not_ok "scrolled to, status shows the counts of all cases" "wanted:
$all
got:
$(status_rows)
$(screen a)"; fi

# Back to the top; choose Алматы (the first city) while status is off screen.
keys a g
i=0
while status_head && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if status_head; then not_ok "back at the top, status is off screen" "$(screen a)"; else
	ok "back at the top, status is off screen"; fi
keys a Down
keys a Space
see "choosing a city filters the list" a "300 of 1200 cases"
see "the filter shows in the status line" a "city:Алматы"
if status_head; then not_ok "status is still off screen" "$(screen a)"; else
	ok "status is still off screen"; fi

# To status again: it now counts within Алматы, not the old numbers.
keys a 6 Escape
want=$(cli_rows city:Алматы)
same "the CLI counts Алматы's statuses" "$(printf '%s\n' "$want" | wc -l | tr -d ' ')" "2"
if wait_rows "$want"; then ok "scrolled to after the change, status shows Алматы's counts"; else
	not_ok "scrolled to after the change, status shows Алматы's counts" "wanted:
$want
got:
$(status_rows)
$(screen a)"; fi
s=$(screen a)
lacks "no status value of other cities" "$s" "appeal"

# Toggling still works from the bottom (the cursor keeps its value).
keys a g
keys a Down
keys a Space
see "unchoosing the city restores the list" a "1200 of 1200 cases"
keys a 6 Escape
if wait_rows "$all"; then ok "after unchoosing, status shows all cases' counts again"; else
	not_ok "after unchoosing, status shows all cases' counts again" "wanted:
$all
got:
$(status_rows)"; fi

# Wide layout: three panes, status below the 30 cities at 160x30.
tui_start w 160 30
see "160x30: first screen" w "1200 of 1200 cases"
keys w f
keys w Down Space
see "160x30: choosing the first city" w "300 of 1200 cases"
i=0
while [ $i -lt 40 ]; do keys w Down; i=$((i + 1)); done
want=$(cli_rows city:Алматы)
got=""
i=0
while [ $i -lt 50 ]; do
	got=$(TM capture-pane -p -t w | sed "s/│.*//" | status_pick)
	[ "$got" = "$want" ] && break
	sleep 0.1
	i=$((i + 1))
done
same "160x30: status scrolled into view counts within the city" "$got" "$want"
keys a q
keys w q
