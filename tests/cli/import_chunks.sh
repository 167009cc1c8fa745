#!/bin/sh
# An import of more new cases than one transaction holds is written in
# chunks (CASEBOOK_IMPORT_CHUNK makes them small here) and is still all or
# nothing: a bad update row writes nothing, a signal or a full disk in a
# later chunk removes the chunks already written, a killed importer's cases
# are removed by the next open; a concurrent `add` gets an id after the
# reserved range and survives; the import's cases cannot be changed while
# it runs; `check` names a pending import.
. "$(dirname "$0")/../lib.sh"
export CASEBOOK_IMPORT_CHUNK=100

"$CASEBOOK" -d "$T/db" add name=Kept city=Almaty >/dev/null
awk 'BEGIN { print "name,city"; for (i = 0; i < 1000; i++) printf "P%d,Astana\n", i }' > "$T/small.csv"
# Big enough to be caught in the middle: 500 transactions.
awk 'BEGIN { print "name,city,notes"; for (i = 0; i < 50000; i++) printf "Q%d,Karaganda,Note %d\n", i, i }' > "$T/big.csv"
before=$("$CASEBOOK" -d "$T/db" export)
cp -r "$T/db" "$T/db0"

# A bad update row among 1000 new ones: found before anything is written.
awk 'BEGIN { print "id,name"; for (i = 0; i < 1000; i++) printf ",New %d\n", i; print "1,Kept changed"; print "77,Nobody" }' > "$T/badupd.csv"
cb import "$T/badupd.csv"
same "a bad update row in a chunked import: exit 1" "$rc" 1
contains "the bad row is named by its line" "$err" "line 1003"
same "a bad update row: the database is exactly as before" "$("$CASEBOOK" -d "$T/db" export)" "$before"
cb add name=Probe
same "a bad update row: no ids were used up" "$out" 2
rm -rf "$T/db" && cp -r "$T/db0" "$T/db"

# A good chunked import: every case, its index entries and its audit entry.
cb import "$T/small.csv"
same "1000 rows in chunks of 100: exit 0" "$rc" 0
contains "all counted" "$out" "imported 1000 cases (1000 new"
cb list --count
same "all 1000 are there" "$out" 1001
cb list city:Astana --count
same "and found by the index" "$out" 1000
cb history 1001
contains "the last case has its creation in the audit log" "$out" "created (revision 1)"
cb check
same "check passes after a chunked import" "$rc" 0
contains "the audit chain is intact" "$out" "hash chain intact"
same "nothing is left in the database directory" "$(ls "$T/db")" "data.mdb
lock.mdb"

# Updates of existing cases together with chunked new cases.
awk 'BEGIN { print "id,rev,name"; print "1,1,Kept Updated"; for (i = 0; i < 500; i++) printf ",,Added %d\n", i }' > "$T/mixed.csv"
cb import "$T/mixed.csv"
same "updates and 500 new rows in chunks: exit 0" "$rc" 0
contains "updates and new rows: counted" "$out" "(500 new, 1 updated"
cb show 1
contains "the update is written" "$out" "Kept Updated"
rm -rf "$T/db" && cp -r "$T/db0" "$T/db"

# The lock file is never used through a link.
echo "not to be touched" > "$T/victim"
ln -s "$T/victim" "$T/db/import.lock"
cb import "$T/small.csv"
same "import.lock is a symbolic link: refused, exit 3" "$rc" 3
contains "the message names the lock file" "$err" "import.lock"
same "the link's target is untouched" "$(cat "$T/victim")" "not to be touched"
same "import.lock a link: nothing imported" "$("$CASEBOOK" -d "$T/db" export)" "$before"
rm -rf "$T/db" && cp -r "$T/db0" "$T/db"

# --partial: the new cases in chunks, the bad rows with ids refused.
cb import --partial --rejects "$T/rej.csv" "$T/badupd.csv"
same "--partial, chunked: exit 0" "$rc" 0
contains "--partial, chunked: the good rows are imported" "$out" "imported 1001 cases (1000 new, 1 updated"
contains "--partial, chunked: the bad row is refused" "$(cat "$T/rej.csv")" "77,Nobody"
cb check
same "--partial, chunked: check passes" "$rc" 0
rm -rf "$T/db" && cp -r "$T/db0" "$T/db"

# wait_mid DB PID: until the import (PID) has written a first chunk.
wait_mid() {
	i=0
	while [ "$i" -lt 2000 ]; do
		n=$("$CASEBOOK" -r -d "$1" list --count 2>/dev/null)
		[ -n "$n" ] && [ "$n" -gt 1 ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		i=$((i + 1))
	done
	return 1
}

# A signal in the middle: the chunks written so far are removed again
# (the pause: the import is still running when the signal comes).
CASEBOOK_IMPORT_PAUSE_MS=20 "$CASEBOOK" -d "$T/db" import "$T/big.csv" >"$T/out" 2>"$T/err" &
pid=$!
if wait_mid "$T/db" "$pid"; then
	kill -TERM "$pid"
	wait "$pid"; rc=$?
	same "SIGTERM in the middle of a chunked import: exit 1" "$rc" 1
	contains "SIGTERM: the message says so" "$(cat "$T/err")" "interrupted; nothing was imported"
	same "SIGTERM: the database is exactly as before" "$("$CASEBOOK" -d "$T/db" export)" "$before"
	cb check
	same "SIGTERM: check passes" "$rc" 0
	cb add name=After
	same "SIGTERM: the reserved ids are given back" "$out" 2
else
	wait "$pid"
	not_ok "SIGTERM: caught the import in the middle" "$(cat "$T/err")"
fi
rm -rf "$T/db" && cp -r "$T/db0" "$T/db"

# In the middle of an import others read, and add cases between its
# transactions, but may not change its cases; stopped and killed there,
# its cases are removed by the next open and the other case stays. (A
# writer waits for the import's current transaction, so only readers run
# while it is stopped; the pause between its transactions keeps it running
# while the test acts, however fast the machine.)
CASEBOOK_IMPORT_PAUSE_MS=20 "$CASEBOOK" -d "$T/db" import "$T/big.csv" >"$T/out" 2>"$T/err" &
pid=$!
if wait_mid "$T/db" "$pid"; then
	cb add name=Concurrent city=Almaty
	same "an add during the import: exit 0" "$rc" 0
	id=$out
	[ "$id" -gt 50001 ] 2>/dev/null && ok "an add during the import gets an id after the reserved range ($id)" ||
		not_ok "an add during the import gets an id after the reserved range" "id $id"
	cb edit 2 name=Changed
	same "a case of the running import cannot be edited: exit 1" "$rc" 1
	contains "editing it says the import has not finished" "$err" "has not finished"
	kill -STOP "$pid"
	cb -r check
	contains "check names the running import" "$out" "is still running: cases 2 to 50001"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	cb -r check
	contains "read-only check names the interrupted import" "$out" "was interrupted: its cases 2 to 50001"
	cb -r list --count
	same "read-only, the partial import is still shown, no crash: exit 0" "$rc" 0
	cb list --count
	same "after kill -9 the next open removes the import's cases" "$out" 2
	cb check
	same "after kill -9: check passes" "$rc" 0
	lacks "after kill -9: no import is pending any more" "$out" "note:"
	cb show "$id"
	contains "the concurrent case survives the roll-back" "$out" "Concurrent"
	cb list name:concurrent --count
	same "the concurrent case is still in the index" "$out" 1
	cb history "$id"
	contains "the concurrent case keeps its audit entry" "$out" "created (revision 1)"
	same "the lock file is gone" "$(ls "$T/db")" "data.mdb
lock.mdb"
	cb add name=Next
	[ "$out" -gt "$id" ] 2>/dev/null && ok "ids of a range someone added after are not used again" ||
		not_ok "ids of a range someone added after are not used again" "$out"
else
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	not_ok "kill -9: caught the import in the middle" "$(cat "$T/err")"
fi

# Two imports at once: the second is refused, nothing of it written (the
# pause keeps the first running while the second starts, however fast).
rm -rf "$T/db" && cp -r "$T/db0" "$T/db"
CASEBOOK_IMPORT_PAUSE_MS=20 "$CASEBOOK" -d "$T/db" import "$T/big.csv" >"$T/out" 2>"$T/err" &
pid=$!
if wait_mid "$T/db" "$pid"; then
	cb import "$T/small.csv"
	same "a second import meanwhile: refused, exit 3" "$rc" 3
	contains "the second import is told another one runs" "$err" "another import into this database is running"
	wait "$pid"; rc=$?
	same "the first import then finishes: exit 0" "$rc" 0
	cb list --count
	same "only the first import's cases are there" "$out" 50001
else
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	not_ok "two imports: caught the first in the middle" "$(cat "$T/err")"
fi

# A full disk in a later chunk: the chunks written are removed by the
# importer itself (read-only checks after it: no open has rolled anything
# back), the database is as before. 5 MiB hold the import's 2 MiB spool
# and the first few chunks of 400 (measured: the failure comes in the
# third or fourth of ten). Needs root to mount a small tmpfs.
mkdir -p "$T/small"
if mount -t tmpfs -o size=5m,mode=700 tmpfs "$T/small" 2>/dev/null; then
	trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
	"$CASEBOOK" -d "$T/small/db" add name=Kept city=Almaty >/dev/null
	full_before=$("$CASEBOOK" -d "$T/small/db" export)
	awk 'BEGIN { print "name,notes"; for (i = 0; i < 4000; i++) printf "P%d,%0500d\n", i, i }' > "$T/fill.csv"
	CASEBOOK_IMPORT_CHUNK=400 "$CASEBOOK" -d "$T/small/db" import "$T/fill.csv" >"$T/out" 2>"$T/err"; rc=$?
	same "a full disk in a later chunk: exit 3" "$rc" 3
	contains "a full disk: the message says so" "$(cat "$T/err")" "disk full"
	out=$("$CASEBOOK" -r -d "$T/small/db" check 2>&1); rc=$?
	same "a full disk: check passes" "$rc" 0
	lacks "a full disk: the importer removed its chunks itself" "$out" "note:"
	same "a full disk: the database is exactly as before" "$("$CASEBOOK" -r -d "$T/small/db" export)" "$full_before"
	umount "$T/small"
else
	skip "a full disk in a later chunk is rolled back" "cannot mount a tmpfs here (not root?)"
fi

# The map grows in the middle of a chunk (a small first map: every chunk
# of 1,000 cases with 1.5 KB of notes outgrows it): the chunk is written
# again, and the growth is nobody's fault — before, the row that met the
# full map was reported as an error and a good file was refused. With
# --partial and --rejects the bad rows are refused once each.
awk 'BEGIN { print "name,birth_year,city,date,notes"
	for (i = 1; i <= 3000; i++) {
		d = i % 601 == 0 ? "2021-13-45" : "2021-05-01"
		printf "Имя%d Фамилия%d,19%02d,Алматы,%s,%01500d\n", i, i % 97, i % 90, d, i } }' >"$T/grow.csv"
grep -v 2021-13-45 "$T/grow.csv" >"$T/grow_good.csv"
rm -rf "$T/gdb"
CASEBOOK_TEST_MAP_KB=512 CASEBOOK_IMPORT_CHUNK=1000 "$CASEBOOK" -d "$T/gdb" import "$T/grow_good.csv" >"$T/out" 2>"$T/err"; rc=$?
same "the map grows inside chunks: a good file imports (exit 0)" "$rc" 0
lacks "the map grows inside chunks: no row is blamed" "$(cat "$T/err")" "map is full"
same "the map grows inside chunks: every case is there" "$("$CASEBOOK" -d "$T/gdb" list --count)" 2996
"$CASEBOOK" -d "$T/gdb" check >"$T/out" 2>&1; rc=$?
same "the map grows inside chunks: check passes" "$rc" 0
rm -rf "$T/gdb" "$T/grow_rej.csv"
CASEBOOK_TEST_MAP_KB=512 CASEBOOK_IMPORT_CHUNK=1000 "$CASEBOOK" -d "$T/gdb" import --partial --rejects "$T/grow_rej.csv" "$T/grow.csv" >"$T/out" 2>"$T/err"; rc=$?
same "the map grows, --partial: exit 0" "$rc" 0
contains "the map grows, --partial: the four bad rows refused, once each" "$(cat "$T/out")" "4 rows refused"
same "the map grows, --partial: the rejects file holds the header and four rows" "$(wc -l <"$T/grow_rej.csv")" 5
same "the map grows, --partial: the good rows are there" "$("$CASEBOOK" -d "$T/gdb" list --count)" 2996
