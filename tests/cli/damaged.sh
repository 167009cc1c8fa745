#!/bin/sh
# Damaged, empty, foreign and unsafe database files are refused with one
# clear line, never a crash and never mistaken for a good (or a new)
# database; a database nobody may write can still be read with -r.
. "$(dirname "$0")/../lib.sh"

"$CASEBOOK" -d "$T/good" demo >/dev/null 2>&1
size=$(stat -c %s "$T/good/data.mdb")

# runs casebook on database $1 with the rest as arguments; $out/$rc
on() { d=$1; shift; out=$("$CASEBOOK" -d "$d" "$@" 2>&1); rc=$?; }

# A data.mdb cut at any length, whole pages or not, is refused: exit 3,
# one line naming the file and the way back, never SIGBUS (exit 135).
for cut in 100 4096 8192 12000 100000 $((size - 8192)) $((size - 4096)) $((size - 1)); do
	rm -rf "$T/cut"
	cp -r "$T/good" "$T/cut"
	truncate -s "$cut" "$T/cut/data.mdb"
	for cmd in check "list --count" "add name=X"; do
		# shellcheck disable=SC2086
		on "$T/cut" $cmd
		same "cut to $cut bytes: $cmd exits 3" "$rc" 3
	done
	lines=$(printf '%s\n' "$out" | wc -l)
	same "cut to $cut bytes: one line" "$lines" 1
	contains "cut to $cut bytes: names the file" "$out" "$T/cut/data.mdb"
	if [ "$cut" -ge 8192 ]; then
		contains "cut to $cut bytes: says restore from a backup" "$out" "backup"
	fi
	same "cut to $cut bytes: the file is left as it was" "$(stat -c %s "$T/cut/data.mdb")" "$cut"
done

# A healthy file may end before its last free pages (LMDB never writes a
# page it allocated and freed in one transaction): cutting only free pages
# at the end must still open, cutting one page more must not.
"$CASEBOOK" -d "$T/tail" add name=A >/dev/null
big=$(head -c 60000 /dev/zero | tr '\0' x)
for i in 1 2; do
	"$CASEBOOK" -d "$T/tail" add name=B$i "notes=$big" >/dev/null
	"$CASEBOOK" -d "$T/tail" rm $((i + 1)) --rev 1 >/dev/null
	# rm keeps the record in the trash: purge frees its pages.
	"$CASEBOOK" -d "$T/tail" purge $((i + 1)) --yes >/dev/null
done
psize=$(mdb_stat -e "$T/tail" | awk '/Page size/ { print $NF }')
pages=$(($(stat -c %s "$T/tail/data.mdb") / psize))
# Free page ranges print as "first[count]"; count the free run at the end.
free_tail=$(mdb_stat -fff "$T/tail" | awk -v n="$pages" '
	/^ *[0-9]+\[[0-9]+\]$/ { split($1, a, /[][]/); for (p = a[1]; p < a[1] + a[2]; p++) f[p] = 1 }
	END { k = 0; while (f[n - 1 - k]) k++; print k }')
if [ "$free_tail" -gt 0 ]; then
	ok "the test database ends with $free_tail free pages"
	cp -r "$T/tail" "$T/tail2"
	truncate -s $(((pages - free_tail) * psize)) "$T/tail/data.mdb"
	on "$T/tail" check
	same "only free pages cut: check passes" "$rc" 0
	on "$T/tail" add name=After
	same "only free pages cut: a case can be added" "$rc" 0
	on "$T/tail" check
	contains "only free pages cut: both cases there after the add" "$out" "ok: 2 cases"
	truncate -s $(((pages - free_tail - 1) * psize)) "$T/tail2/data.mdb"
	on "$T/tail2" check
	same "one page in use cut: refused with exit 3" "$rc" 3
	contains "one page in use cut: says it is cut short" "$out" "cut short"
else
	not_ok "the test database ends with free pages (mdb_stat -fff found none)"
fi

# An empty data.mdb is not a new database: refused by reading and writing
# commands alike, and left empty.
mkdir "$T/empty"
: > "$T/empty/data.mdb"
on "$T/empty" check
same "empty data.mdb: check exits 3" "$rc" 3
contains "empty data.mdb: says it is empty" "$out" "is empty (0 bytes)"
lacks "empty data.mdb: check does not pass it" "$out" "ok: 0 cases"
on "$T/empty" add name=X
same "empty data.mdb: add exits 3" "$rc" 3
same "empty data.mdb: still 0 bytes" "$(stat -c %s "$T/empty/data.mdb")" 0

# Some other file called data.mdb is not touched either.
mkdir "$T/foreign"
head -c 20000 /dev/urandom > "$T/foreign/data.mdb"
cp "$T/foreign/data.mdb" "$T/foreign.orig"
on "$T/foreign" add name=X
same "foreign data.mdb: add exits 3" "$rc" 3
contains "foreign data.mdb: says it is not a casebook database" "$out" "not a casebook database"
check "foreign data.mdb: left as it was" cmp -s "$T/foreign/data.mdb" "$T/foreign.orig"

# A new database is made only in a new or empty directory.
mkdir "$T/papers"
echo letter > "$T/papers/letter.txt"
on "$T/papers" add name=X
same "directory with other files: add exits 3" "$rc" 3
contains "directory with other files: says why" "$out" "only made in a new or empty directory"
check "directory with other files: no data.mdb made" test ! -e "$T/papers/data.mdb"
mkdir "$T/fresh"
on "$T/fresh" add name=X
same "an empty directory becomes a new database" "$rc" 0
on "$T/new/sub" add name=X
same "a new directory becomes a new database" "$rc" 0

# A directory anyone may write is refused (anyone could replace data.mdb),
# with the fix in the message.
cp -r "$T/good" "$T/open"
chmod 777 "$T/open"
on "$T/open" list --count
same "world-writable database directory: refused with exit 3" "$rc" 3
contains "world-writable database directory: says how to fix it" "$out" "chmod o-w"
chmod 2770 "$T/open"
on "$T/open" list --count
same "after chmod 2770 it opens" "$rc" 0

# Read-only files (0444 in a 0555 directory) can be read with -r. Mode
# bits do not stop root, so as root the check runs as nobody (setpriv):
# then casebook really cannot write a byte there.
cp -r "$T/good" "$T/ro"
cases=$("$CASEBOOK" -d "$T/good" list --count)
chmod 444 "$T/ro/data.mdb" "$T/ro/lock.mdb"
chmod 555 "$T/ro"
as_user() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		chown -R nobody "$T/ro"
		chmod 755 "$T"
		as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	else
		as_user() { echo "# skip: no setpriv to drop root" >&2; return 99; }
	fi
fi
if as_user sh -c ': >> "$1/data.mdb"' sh "$T/ro" 2>/dev/null; then
	not_ok "the read-only test user cannot write data.mdb"
else
	ok "the read-only test user cannot write data.mdb"
fi
out=$(as_user "$CASEBOOK" -d "$T/ro" -r list --count 2>&1); rc=$?
same "read-only files: -r list works" "$rc" 0
same "read-only files: -r sees every case" "$out" "$cases"
out=$(as_user "$CASEBOOK" -d "$T/ro" list --count 2>&1); rc=$?
same "read-only files: list without -r also reads" "$rc" 0
out=$(as_user "$CASEBOOK" -d "$T/ro" add name=X 2>&1); rc=$?
same "read-only files: add is refused as a user error" "$rc" 1
contains "read-only files: add says read-only" "$out" "read-only"
chmod 700 "$T"
chmod -R u+w "$T/ro"

# The second meta page overwritten: damaged, refused, not guessed at.
cp -r "$T/good" "$T/meta"
head -c 64 /dev/zero | dd of="$T/meta/data.mdb" bs=1 seek=4096 conv=notrunc 2>/dev/null
on "$T/meta" check
same "a damaged meta page: check exits 3" "$rc" 3
contains "a damaged meta page: says it is not a (whole) database" "$out" "not a casebook database (not an LMDB file, or damaged)"
