#!/bin/sh
# casebook set FILTER... -- FIELD=VALUE...: --dry-run lists what would
# change and changes nothing; a real set changes every matching case in
# one transaction; bad fields and values get the errors edit gives and
# change nothing; on a terminal more than five changes are asked about
# with their number; a case changed meanwhile refuses the whole change.
. "$(dirname "$0")/../lib.sh"

for i in 1 2 3 4 5 6 7; do
	cb add name="Person $i" city=Oral status=open
done
cb add name='Айгуль Сейткали' city=Almaty status=open measures=fine:fine=100
cb add name='Bolat Ospanov' city=Almaty status=in_court

# ---- dry run ------------------------------------------------------------------

expect_rc "set --dry-run" 0 set city:Almaty -- status=in_court --dry-run
contains "dry run lists the case that would change, old → new" "$out" \
	"8  Айгуль Сейткали: status open → in_court"
lacks "dry run leaves out a case already as asked" "$out" "Bolat"
contains "dry run says how many of how many" "$out" "would change 1 case of 2 matching"
cb show 8
contains "dry run changed nothing" "$out" "status           open"
expect_rc "-n before the -- is --dry-run too" 0 set -n city:Almaty -- status=closed
contains "-n lists both cases" "$out" "would change 2 cases of 2 matching"

# ---- a real set -------------------------------------------------------------------

expect_rc "set" 0 set city:Almaty -- status=in_court 'lawyer=Адвокат Б' --yes
contains "set says how many cases changed" "$out" "changed 2 cases"
cb show 8
contains "show after set: the new status" "$out" "status           in_court"
contains "show after set: the new lawyer" "$out" "lawyer           Адвокат Б"
contains "show after set: the measures stay" "$out" "measures         fine:fine=100"
cb show 9
contains "the second case too" "$out" "lawyer           Адвокат Б"
cb show 1
lacks "a case outside the filter is untouched" "$out" "Адвокат"
expect_rc "set again" 0 set city:Almaty -- status=in_court
contains "nothing to change when all are as asked" "$out" "nothing to change: the 2 matching cases already have these values"

expect_rc "set adds a measure" 0 set city:Almaty -- 'measure=admin_arrest:days=10:article=KoAP 488'
cb show 8
contains "the measure is added after the others" "$out" "fine:fine=100|admin_arrest:days=10:article=KoAP 488"
expect_rc "the same measure again" 0 set city:Almaty -- 'measure+=admin_arrest:days=10:article=KoAP 488'
contains "an identical measure is not added twice" "$out" "nothing to change"
expect_rc "a label in Russian" 0 set city:Almaty -- 'status=закрыто' confidentiality=restricted verification=confirmed
cb show 9
contains "the term typed in Russian is stored as its key" "$out" "status           closed"
contains "confidentiality set" "$out" "confidentiality  restricted"
contains "verification set" "$out" "verification     confirmed"
expect_rc "lawyer= clears the lawyer" 0 set city:Almaty -- lawyer=
cb show 9
lacks "the lawyer is gone" "$out" "lawyer"

cb history 8
contains "history of a case shows the bulk change field by field" "$out" "status in_court → closed"

# ---- bad input ----------------------------------------------------------------------

cb list --format csv
before=$out
expect_rc "bad status" 1 set city:Oral -- status=in_curt
contains "a bad value gets edit's did-you-mean" "$err" 'status: unknown status "in_curt"; did you mean in_court?'
expect_rc "a field that cannot be set on many cases" 1 set city:Oral -- name=X
contains "says which fields can" "$err" "name cannot be changed on many cases at once (these can: status, lawyer, verification, confidentiality, measure)"
expect_rc "an unknown field" 1 set city:Oral -- stauts=open
contains "an unknown field is named" "$err" 'unknown field "stauts"'
expect_rc "a bad measure" 1 set city:Oral -- measure=admin_arrest:days=x
contains "a bad measure part is named" "$err" 'days'
expect_rc "+= on a field other than measures" 1 set city:Oral -- status+=open
contains "+= is for measures" "$err" "+= adds measures only"
expect_rc "no --" 2 set city:Oral status=open
contains "without -- the usage says how" "$err" "then --, then what to set"
expect_rc "nothing after --" 2 set city:Oral --
expect_rc "a bad filter" 1 set citty:Oral -- status=open
contains "a bad filter is named" "$err" 'unknown field "citty"'
expect_rc "read-only" 1 -r set city:Oral -- status=closed
cb list --format csv
same "bad input changed nothing" "$out" "$before"

# ---- on a terminal --------------------------------------------------------------------

if command -v script >/dev/null 2>&1; then
	tty_out=$(printf 'n\n' | script -qc "'$CASEBOOK' -d '$T/db' set city:Oral -- status=closed" /dev/null)
	contains "more than five cases: asked with the number" "$tty_out" "Set status to closed on 7 cases? [y/N]"
	contains "no: nothing was changed" "$tty_out" "nothing was changed"
	cb list status:closed city:Oral --count
	same "after no, no case changed" "$out" "0"
	tty_out=$(printf 'д\n' | script -qc "'$CASEBOOK' -d '$T/db' set city:Oral -- status=closed" /dev/null)
	contains "yes in Russian (д) goes ahead" "$tty_out" "changed 7 cases"
	cb list status:closed city:Oral --count
	same "after yes, all seven changed" "$out" "7"
	tty_out=$(printf '' | script -qc "'$CASEBOOK' -d '$T/db' set city:Oral -name:1,2 -- status=open" /dev/null)
	lacks "five or fewer: not asked" "$tty_out" "[y/N]"
	contains "five or fewer: changed at once" "$tty_out" "changed 5 cases"

	# A case edited by someone else while the question waits: the whole
	# change is refused, as edit --rev refuses a stale edit.
	tty_out=$( (sleep 1; "$CASEBOOK" -d "$T/db" edit 3 notes=meanwhile >/dev/null; echo y) |
		script -qc "'$CASEBOOK' -d '$T/db' set city:Oral -- status=appeal" /dev/null)
	contains "a case changed meanwhile is named" "$tty_out" "case 3 was changed by"
	contains "and nothing was saved" "$tty_out" "nothing was saved"
	cb list status:appeal --count
	same "no case took the stale change" "$out" "0"
else
	skip "terminal question" "no script(1)"
fi

# ---- the audit entry and undo as a whole --------------------------------------------

# Cases 10, 11 and 12.
cb add name='Undo One' city=Taraz status=open
cb add name='Undo Two' city=Taraz status=open lawyer=Old
cb add name='Undo Three' city=Taraz status=open
expect_rc "set for undo" 0 set city:Taraz -- status=in_court lawyer=New 'measure=fine:fine=50 MRP' --yes
change=$(printf '%s\n' "$out" | sed -n 's/.*(change \([0-9]*\);.*/\1/p')
check "set says the change's number" test -n "$change"
contains "and how to undo it" "$out" "casebook undo --change $change reverts all of them"
expect_rc "audit" 0 audit
contains "one audit entry lists the change and its cases" "$out" \
	"change $change: status → in_court; lawyer → «New»; measures + «fine:fine=50 MRP» on 3 cases (filter city:Taraz): 10, 11, 12"
lacks "the entry is not shown as a case 0" "$out" "case 0 "
expect_rc "audit --json" 0 audit --json
contains "the entry is a bulk action in JSON" "$out" '"action": "bulk"'
expect_rc "audit --verify after a bulk change" 0 audit --verify
cb history 11
contains "each case's history has its part of the change" "$out" "lawyer «Old» → «New»"

# Another user edits an unrelated field of one case: undo still goes through.
cb edit 10 notes='typed later'
expect_rc "undo --change" 0 undo --change "$change"
contains "undo says how many cases" "$out" "change $change undone: 3 cases have their values from before it again"
cb show 10
contains "show after undo: status back" "$out" "status           open"
lacks "show after undo: the lawyer set is gone" "$out" "lawyer"
lacks "show after undo: the measure added is gone" "$out" "fine"
contains "show after undo: a later unrelated edit stays" "$out" "typed later"
cb show 11
contains "show after undo: the old lawyer is back" "$out" "lawyer           Old"
cb audit
contains "the undo is one entry too" "$out" "undo of change $change, 3 cases back as before: 10, 11, 12"
expect_rc "undo --change twice" 1 undo --change "$change"
contains "a second undo is refused" "$err" "change $change was undone already"
expect_rc "undo --change of no change" 1 undo --change 99999
contains "an unknown change is named" "$err" "no change 99999 to several cases"
expect_rc "undo --change and an id" 2 undo 10 --change "$change"
expect_rc "check after undo" 0 check

# A case changed again in a field the change set: the whole undo is refused.
expect_rc "set again" 0 set city:Taraz -- status=appeal --yes
change=$(printf '%s\n' "$out" | sed -n 's/.*(change \([0-9]*\);.*/\1/p')
cb edit 11 status=closed
cb list --format csv
before=$out
expect_rc "undo over a later change of the same field" 1 undo --change "$change"
contains "the case and the field are named" "$err" "case 11: status was changed again after change $change"
cb list --format csv
same "a refused undo changes nothing" "$out" "$before"
# Undone one by one first: that case is left alone, the others are reverted.
cb undo 11
cb undo 11
expect_rc "undo --change after one case was undone alone" 0 undo --change "$change"
contains "only the cases still changed are reverted" "$out" "2 cases"
cb list city:Taraz status:appeal --count
same "no case keeps the undone status" "$out" "0"
# A case deleted since the change refuses the undo, saying what to do.
expect_rc "a third set" 0 set city:Taraz -- verification=confirmed --yes
change=$(printf '%s\n' "$out" | sed -n 's/.*(change \([0-9]*\);.*/\1/p')
cb rm 12
expect_rc "undo with a case deleted since" 1 undo --change "$change"
contains "the deleted case is named" "$err" "case 12 was deleted after change $change"

# The entry listing the cases is in the hash chain like every other: a
# byte of it edited (here in its stored hash) is named.
expect_rc "a change for the chain test" 0 set city:Oral -- lawyer=Chain --yes
change=$(printf '%s\n' "$out" | sed -n 's/.*(change \([0-9]*\);.*/\1/p')
mdb_dump -a "$T/db" > "$T/dump"
key=$(printf ' %016x%016x' 0 "$change")
sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" "$T/dump" | awk "
	/^database=/ { db = \$0 }
	db == \"database=audit\" && prev == \"$key\" { n = length(\$0) - 10; \$0 = substr(\$0, 1, n) (substr(\$0, n + 1, 1) == \"0\" ? \"1\" : \"0\") substr(\$0, n + 2) }
	{ prev = \$0; print }" > "$T/dump2"
mkdir -m 700 "$T/edited"
mdb_load -f "$T/dump2" "$T/edited"
out=$("$CASEBOOK" -d "$T/edited" audit --verify 2>&1); rc=$?
same "an edited change entry: verify exits 3" "$rc" 3
contains "an edited change entry is named as such" "$out" "entry $change (a change to several cases,"
