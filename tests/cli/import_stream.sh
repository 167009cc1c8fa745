#!/bin/sh
# Import keeps no row in memory: pass one validates every row and spools
# it to a private nameless file, pass two writes the spooled rows in one
# transaction. A dry run of 100,000 rows runs under a 48 MiB data limit
# (holding the rows took about 70 MiB), JSON is read in pieces, never
# whole; input from a pipe still works
# (also JSON, recognised by its content); the all-or-nothing rules hold,
# also for an id that only a row of the same file would create; nothing is
# left in the database directory.
. "$(dirname "$0")/../lib.sh"

# A sanitizer build reserves terabytes of shadow memory, so no data limit can
# apply to it: there the memory bound is reported as skipped and the rest runs.
if grep -q __asan_init "$CASEBOOK" 2>/dev/null; then
	limited() { shift; "$@"; }
	skip "imports under a data limit" "a sanitizer build cannot run under ulimit -d"
else
	limited() { (ulimit -d "$1" && shift && "$@"); }
fi

awk 'BEGIN {
	print "name,city,measures,notes"
	for (i = 0; i < 100000; i++)
		printf "Person %d,Almaty,detention:days=%d|fine,Note %0200d\n", i, i % 30 + 1, i
}' > "$T/big.csv"

out=$(limited 49152 "$CASEBOOK" -d "$T/none" import --dry-run "$T/big.csv" 2>&1); rc=$?
same "dry run of 100,000 rows under a 48 MiB data limit: exit 0" "$rc" 0
contains "dry run of 100,000 rows: all counted" "$out" "would import 100000 cases (100000 new"
[ -e "$T/none" ] && not_ok "dry run creates no database" || ok "dry run creates no database"

cb import "$T/big.csv"
same "import of 100,000 rows: exit 0" "$rc" 0
cb list --count
same "import of 100,000 rows: all there" "$out" 100000
cb show 100000
contains "the last row is whole" "$out" "Person 99999"
same "nothing left in the database directory" "$(ls "$T/db")" "data.mdb
lock.mdb"

# From a pipe: CSV, and JSON recognised by its content.
out=$(printf 'name,city\nPipe One,Astana\n' | "$CASEBOOK" -d "$T/p" import - 2>&1); rc=$?
same "CSV from a pipe: exit 0" "$rc" 0
contains "CSV from a pipe: imported" "$out" "imported 1 case"
out=$(printf '[\n{"name": "Json Pipe", "city": "Almaty"}\n]\n' | "$CASEBOOK" -d "$T/p" import - 2>&1); rc=$?
same "JSON from a pipe: exit 0" "$rc" 0
n=$("$CASEBOOK" -d "$T/p" list --count)
same "JSON from a pipe: both cases there" "$n" 2

# All or nothing: a bad row at the very end leaves the database as it was.
before=$("$CASEBOOK" -d "$T/p" export)
{ cat "$T/big.csv"; echo "Bad Row,Almaty,nosuchmeasure,x"; } > "$T/bad.csv"
out=$("$CASEBOOK" -d "$T/p" import "$T/bad.csv" 2>&1); rc=$?
same "a bad last row: exit 1" "$rc" 1
contains "a bad last row: named by its line" "$out" "line 100002"
same "a bad last row: nothing imported" "$("$CASEBOOK" -d "$T/p" export)" "$before"

# A row with an id that a new row of the same file would get is not an
# update of that new case: ids are those of the database before.
printf 'id,name\n,Fresh Case\n3,Changed\n' > "$T/ids.csv"
out=$("$CASEBOOK" -d "$T/p" import "$T/ids.csv" 2>&1); rc=$?
same "an id made by the same import: exit 1" "$rc" 1
contains "an id made by the same import: does not exist" "$out" "id 3 does not exist"
same "an id made by the same import: nothing imported" "$("$CASEBOOK" -d "$T/p" export)" "$before"

# Updates still work through the spool, and a stale rev is a conflict.
printf 'id,rev,city\n1,1,Shymkent\n' > "$T/upd.csv"
out=$("$CASEBOOK" -d "$T/p" import "$T/upd.csv" 2>&1); rc=$?
same "an update: exit 0" "$rc" 0
contains "an update: counted" "$out" "1 updated"
out=$("$CASEBOOK" -d "$T/p" import "$T/upd.csv" 2>&1); rc=$?
contains "the same update again: a conflict" "$out" "was changed after this file was exported"

# JSON is read in pieces too: 100,000 objects with Cyrillic text (so the
# pieces cut UTF-8 sequences and objects) under a 24 MiB data limit, less
# than the 26 MiB file (read whole, it did not fit), and an object larger
# than a piece.
awk 'BEGIN {
	print "["
	for (i = 0; i < 100000; i++)
		printf "{\"name\": \"Жанар Сейткали %d\", \"city\": \"Алматы\", \"notes\": \"Задержана у акимата %0150d\"}%s\n", i, i, (i < 99999 ? "," : "")
	print "]"
}' > "$T/big.json"
out=$(limited 24576 "$CASEBOOK" -d "$T/none" import --dry-run "$T/big.json" 2>&1); rc=$?
same "JSON dry run of 100,000 objects under a 24 MiB data limit: exit 0" "$rc" 0
contains "JSON dry run: all counted" "$out" "would import 100000 cases"
out=$("$CASEBOOK" -d "$T/j" import "$T/big.json" 2>&1); rc=$?
same "JSON import of 100,000 objects: exit 0" "$rc" 0
out=$("$CASEBOOK" -d "$T/j" show 77777)
contains "JSON import: a case from the middle is whole" "$out" "Жанар Сейткали 77776"
contains "JSON import: its notes are whole" "$out" "$(printf 'Задержана у акимата %0150d' 77776)"
awk 'BEGIN { printf "[{\"name\": \"Long\", \"notes\": \""; for (i = 0; i < 20000; i++) printf "Ноты %04d ", i % 10000; print "\"}]" }' > "$T/long.json"
out=$("$CASEBOOK" -d "$T/j" import "$T/long.json" 2>&1); rc=$?
same "an object larger than a piece: exit 0" "$rc" 0
n=$("$CASEBOOK" -d "$T/j" export --format json | grep -c 'Ноты 9999 Ноты 0000')
same "an object larger than a piece: its notes are whole" "$n" 1
printf '[\n{"name": "A"},\n{"name": "B" "city": "x"}\n]\n' > "$T/broken.json"
out=$("$CASEBOOK" -d "$T/j" import "$T/broken.json" 2>&1); rc=$?
same "broken JSON: exit 1" "$rc" 1
contains "broken JSON: names the line" "$out" "line 3"
