#!/bin/sh
# Two processes writing one database at once, and a writer killed with
# SIGKILL mid-write: the database must open, pass check and count exactly.
. "$(dirname "$0")/../lib.sh"

writer() { # tag count
	i=0
	while [ $i -lt "$2" ]; do
		"$CASEBOOK" -d "$T/db" add "name=$1 $i" city=Almaty "measures=detention:days=$((i % 15))" >/dev/null || echo "add failed: $1 $i" >> "$T/failures"
		i=$((i + 1))
	done
}
N=${CONCURRENCY_N:-1000}
"$CASEBOOK" -d "$T/db" add name=seed >/dev/null
writer A "$N" &
pa=$!
writer B "$N" &
pb=$!
wait $pa $pb
check "no add failed" test ! -s "$T/failures"
cb check
same "check passes after concurrent writers" "$rc" "0"
contains "count is exact" "$out" "ok: $((2 * N + 1)) cases"

# (A writer killed with SIGKILL mid-write is tested in tests/unit/test_store.c,
# where the kill can land inside a transaction rather than between commands.)
