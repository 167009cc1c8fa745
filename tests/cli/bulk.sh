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
