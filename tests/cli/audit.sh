#!/bin/sh
# The audit log: field-by-field history (text and JSON), undo, and the
# SHA-256 hash chain. Copies of the database are tampered with through
# mdb_dump/mdb_load (an entry's bytes edited, an entry removed, the newest
# entry removed, entries in the format of earlier versions), and check and
# audit --verify must name the first broken link with exit 3.
. "$(dirname "$0")/../lib.sh"

cb add name='Иван Петров' lawyer='Адвокат А' status=open   # case 1, entry 1
cb add name='Second' city=Almaty                           # case 2, entry 2
cb add name='Third'                                        # case 3, entry 3
cb edit 2 city=Алматы                                      # entry 4
cb edit 1 lawyer='Адвокат Б' status=in_court               # entry 5

# ---- history ---------------------------------------------------------------

expect_rc "history" 0 history 1
contains "history names each changed field with old and new value" "$out" \
	"lawyer «Адвокат А» → «Адвокат Б»"
contains "history shows vocabulary terms bare, joined with ;" "$out" "status open → in_court"
expect_rc "history --json" 0 history 1 --json
contains "history --json has the field" "$out" '"field": "lawyer"'
contains "history --json has the old value" "$out" '"old": "Адвокат А"'
contains "history --json has the new value" "$out" '"new": "Адвокат Б"'
contains "history --json has the hash" "$out" '"hash": "'

cb edit 3 'measures=admin_arrest:days=15' 'injuries=bruise:exam=no'
cb edit 3 'measures=admin_arrest:days=15|fine' 'injuries=bruise:exam=yes'
expect_rc "history of item changes" 0 history 3
contains "a measure added is one item" "$out" "measure 1 added: admin_arrest:days=15"
contains "a second measure added is item 2" "$out" "measure 2 added: fine"
contains "an injury's sub-field change names it" "$out" "injury 1 exam no → yes"
expect_rc "history 9999" 1 history 9999
contains "history 9999 says no case" "$err" "no case 9999"

# ---- undo ------------------------------------------------------------------

expect_rc "undo" 0 undo 3
cb show --json 3
contains "undo restored the old exam answer" "$out" '"exam": false'
lacks "undo removed the added measure" "$out" '"fine"'
cb history 3
contains "the undo is in the history with its field diff" "$out" "injury 1 exam yes → no"
expect_rc "undo again walks further back" 0 undo 3
cb show --json 3
lacks "second undo removed the measures" "$out" '"measures"'
expect_rc "nothing left to undo: refused" 1 undo 3
contains "nothing to undo says so" "$err" "nothing to undo"
same "nothing to undo is one line" "$(printf '%s\n' "$err" | wc -l)" 1
before=$("$CASEBOOK" -d "$T/db" export)
expect_rc "undo of an unknown case" 1 undo 9999
contains "undo 9999 says no case" "$err" "no case 9999"
same "refused undos changed nothing" "$("$CASEBOOK" -d "$T/db" export)" "$before"
expect_rc "undo of a case changed by undo's own write keeps lawyer" 0 undo 1
cb show --json 1
contains "undo of case 1 restored the lawyer" "$out" '"lawyer": "Адвокат А"'
contains "undo of case 1 restored the status" "$out" '"status": "open"'

# ---- the whole log -----------------------------------------------------------

expect_rc "audit" 0 audit
contains "audit lists entries with their case" "$out" "case 2  "
same "audit lists every entry" "$(printf '%s\n' "$out" | wc -l)" 10
expect_rc "audit --user of nobody" 0 audit --user nobody-at-all
same "audit --user filters" "$out" ""
expect_rc "audit --since tomorrow" 0 audit --since "$(date -d tomorrow +%Y-%m-%d)"
same "audit --since filters" "$out" ""
expect_rc "audit --since a bad date" 2 audit --since 2021-13-45
expect_rc "audit --json" 0 audit --json
contains "audit --json names the case" "$out" '"case": 2'

# ---- the hash chain ----------------------------------------------------------

expect_rc "an intact log verifies" 0 audit --verify
contains "verify says intact" "$out" "hash chain intact"
head=${out##*head }
lasthash=$("$CASEBOOK" -d "$T/db" audit --json | grep '"hash"' | tail -1 | sed 's/.*"hash": "\([0-9a-f]*\)".*/\1/')
same "verify prints the newest entry's hash as the head" "$head" "$lasthash"
expect_rc "check on an intact log" 0 check

# tamper NAME AWK: a copy of the database in $T/NAME whose dump went through AWK.
tamper() {
	mdb_dump -a "$T/db" > "$T/dump"
	# This mdb_load knows DUPSORT as dupsort=1, not as mdb_dump writes it.
	sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" "$T/dump" | awk "$2" > "$T/dump2"
	rm -rf "${T:?}/$1"; mkdir -m 700 "$T/$1"
	mdb_load -f "$T/dump2" "$T/$1"
}
# The key of entry SEQ of case ID, as mdb_dump writes it.
key() { printf ' %016x%016x' "$1" "$2"; }

# Entry 4 (case 2): one byte of its time changed.
tamper edited "
	/^database=/ { db = \$0 }
	db == \"database=audit\" && prev == \"$(key 2 4)\" { \$0 = substr(\$0, 1, 110) (substr(\$0, 111, 1) == \"0\" ? \"1\" : \"0\") substr(\$0, 112) }
	{ prev = \$0; print }"
out=$("$CASEBOOK" -d "$T/edited" audit --verify 2>&1); rc=$?
same "an edited entry: verify exits 3" "$rc" 3
contains "an edited entry is named: number and case" "$out" "entry 4 (case 2,"
contains "an edited entry: says edited" "$out" "edited"
out=$("$CASEBOOK" -d "$T/edited" check 2>&1); rc=$?
same "an edited entry: check exits 3" "$rc" 3
contains "check names the broken link" "$out" "entry 4 (case 2,"

# Entry 4 cut short: it cannot be decoded, and is named like an edited one.
tamper short "
	/^database=/ { db = \$0 }
	db == \"database=audit\" && prev == \"$(key 2 4)\" { \$0 = substr(\$0, 1, 41) }
	{ prev = \$0; print }"
out=$("$CASEBOOK" -d "$T/short" audit --verify 2>&1); rc=$?
same "an entry cut short: verify exits 3" "$rc" 3
contains "an entry cut short is named" "$out" "entry 4 (case 2,"

# Entry 4 removed: the link of entry 5 (case 1) no longer matches.
tamper removed "
	/^database=/ { db = \$0 }
	db == \"database=audit\" && \$0 == \"$(key 2 4)\" { skip = 1; next }
	skip { skip = 0; next }
	{ print }"
out=$("$CASEBOOK" -d "$T/removed" audit --verify 2>&1); rc=$?
same "a removed entry: verify exits 3" "$rc" 3
contains "a removed entry: the next one is named" "$out" "entry 5 (case 1,"
contains "a removed entry: says removed" "$out" "removed"

# The newest entry removed: the chain's head no longer matches.
last=$("$CASEBOOK" -d "$T/db" audit --json | grep -c '"seq"')
lastcase=$("$CASEBOOK" -d "$T/db" audit | tail -1 | sed 's/^case \([0-9]*\).*/\1/')
tamper tail "
	/^database=/ { db = \$0 }
	db == \"database=audit\" && \$0 == \"$(key "$lastcase" "$last")\" { skip = 1; next }
	skip { skip = 0; next }
	{ print }"
out=$("$CASEBOOK" -d "$T/tail" audit --verify 2>&1); rc=$?
same "the newest entry removed: verify exits 3" "$rc" 3
contains "the newest entry removed: says so" "$out" "after entry $((last - 1))"

# ---- entries written before the chain ------------------------------------------

# An earlier version's entry: native time, old and new revision, action,
# padding, then the user.
v1() { printf ' 00e1f50500000000%s000000%s000000%s00000000000000%s' "$1" "$2" "$3" 6f6c64; }
rm -rf "${T:?}/db"
cb add name=Old        # entry 1
cb edit 1 city=Almaty  # entry 2
tamper old "
	/^database=/ { db = \$0 }
	db == \"database=audit\" && prev == \"$(key 1 1)\" { \$0 = \"$(v1 00 01 01)\" }
	db == \"database=audit\" && prev == \"$(key 1 2)\" { \$0 = \"$(v1 01 02 02)\" }
	db == \"database=meta\" && (\$0 == \" $(printf audit_head | od -An -tx1 | tr -d ' \n')\" ||
	    \$0 == \" $(printf audit_chain_from | od -An -tx1 | tr -d ' \n')\") { skip = 1; next }
	skip { skip = 0; next }
	{ prev = \$0; print }"
out=$("$CASEBOOK" -d "$T/old" audit --verify 2>&1); rc=$?
same "an old log verifies" "$rc" 0
contains "old entries are unchained, not broken" "$out" "2 entries unchained"
out=$("$CASEBOOK" -d "$T/old" history 1 2>&1)
contains "an old change still shows its revisions" "$out" "old: changed revision 1 → 2"
contains "an old creation still shows" "$out" "old: created"
out=$("$CASEBOOK" -d "$T/old" undo 1 2>&1); rc=$?
same "an old change cannot be undone: exit 1" "$rc" 1
contains "an old change cannot be undone: says why" "$out" "before casebook kept field history"
"$CASEBOOK" -d "$T/old" edit 1 city=Shymkent >/dev/null
out=$("$CASEBOOK" -d "$T/old" audit --verify 2>&1); rc=$?
same "the chain starts at the first new entry" "$rc" 0
contains "the new entry is chained" "$out" "3 entries"
out=$("$CASEBOOK" -d "$T/old" undo 1 2>&1); rc=$?
same "a new change after old ones undoes" "$rc" 0
out=$("$CASEBOOK" -d "$T/old" show --json 1)
contains "undo restored the value from the old revision" "$out" '"city": "Almaty"'
