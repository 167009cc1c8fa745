#!/bin/sh
# The trash: rm moves a case there (out of every list, count, facet,
# report and export, its id reserved), trash lists it with who and when,
# restore brings it back with its indexes, purge (by id or by age)
# removes it for good and is audited; check accepts trashed cases and
# verifies the deleted index; bad input changes nothing.
. "$(dirname "$0")/../lib.sh"

cb add name='Айгуль Серикова' city=Almaty event='2021-05-01 DCK rallies' \
	measures='admin_arrest:days=15' injuries='bruise:body=arm' status=open # 1
cb add name='Second Person' city=Almaty event='2021-05-01 DCK rallies' \
	measures=fine status=open # 2
cb add name='Third Person' city=Astana measures=detention # 3

expect_rc "rm moves a case to the trash" 0 rm 1
contains "rm says how to bring it back" "$out" "casebook restore 1"

cb list --count
same "a trashed case is not counted" "$out" "2"
cb list --format ids
same "nor listed" "$out" "2
3"
cb list city:Almaty --format ids
same "nor found by a filter" "$out" "2"
cb list injury:bruise --count
same "nor found by its injury" "$out" "0"
cb list Айгуль --count
same "nor by its name" "$out" "0"
# A place of the gazetteer is one value, labelled with its Russian name by default.
cb facets city
contains "facets count only live cases" "$out" "1  Алматы"
lacks "facets do not count the trashed case" "$out" "2  Алматы"
cb facets injury
lacks "the trashed case's injury is no facet value" "$out" "bruise"
cb export
lacks "export leaves it out" "$out" "Серикова"
cb export --format json
lacks "JSON export leaves it out" "$out" "Серикова"
cb report
lacks "the bulletin leaves it out" "$out" "Серикова"
lacks "the bulletin counts no arrest of it" "$out" "administrative arrest"

expect_rc "show of a trashed case fails" 1 show 1
contains "show says it is in the trash, by whom" "$err" "case 1 is in the trash (deleted by $(id -un) at "
contains "show says how to restore it" "$err" "casebook restore 1"
expect_rc "edit of a trashed case fails" 1 edit 1 city=Astana
contains "edit says it is in the trash" "$err" "case 1 is in the trash"
expect_rc "rm of a trashed case fails" 1 rm 1
contains "rm again says it is in the trash" "$err" "case 1 is in the trash"

expect_rc "trash lists" 0 trash
contains "trash lists the case and its name" "$out" "Айгуль Серикова"
matches "trash says who deleted it when" "$out" "*1  deleted 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9] by $(id -un)  *"
lacks "trash lists only trashed cases" "$out" "Second Person"
expect_rc "trash --json" 0 trash --json
contains "trash --json has the deleting user" "$out" "\"deleted_by\": \"$(id -un)\""
contains "trash --json has the case's fields" "$out" '"city": "Almaty"'

expect_rc "check accepts a trashed case" 0 check
contains "check counts the trash" "$out" "1 case in the trash"

# The id stays reserved: a new case gets the next id, not 1.
cb add name='Fourth Person'
same "a new case does not reuse a trashed id" "$out" "4"

expect_rc "restore" 0 restore 1
contains "restore names the new revision" "$out" "case 1 restored (now revision 2)"
cb show 1 --json
contains "the restored case has its fields" "$out" '"name": "Айгуль Серикова"'
contains "and its measures" "$out" '"days": 15'
cb list injury:bruise --format ids
same "the restored case is in its indexes again" "$out" "1"
cb list city:Almaty --count
same "and counted again" "$out" "2"
cb trash
same "the trash is empty again" "$out" "The trash is empty."
cb history 1
contains "history shows the delete" "$out" "deleted at revision 1"
contains "history shows the restore" "$out" "restored from the trash (revision 1 → 2)"
expect_rc "check after restore" 0 check

# ---- bad input: one line, exit 1, nothing changed ---------------------------

snap() { cb list --format csv; s1=$out; cb trash; s2=$out; cb audit; s3=$out; echo "$s1$s2$s3"; }
before=$(snap)
expect_rc "restore of a live case" 1 restore 2
same "restore of a live case says it is not in the trash" "$err" "casebook: case 2 is not in the trash"
expect_rc "restore of an unknown id" 1 restore 99
same "restore of an unknown id says no case" "$err" "casebook: no case 99"
expect_rc "purge of an unknown id" 1 purge 99
same "purge of an unknown id says no case" "$err" "casebook: no case 99"
expect_rc "purge of a live case" 1 purge 2
same "purge of a live case says it is not in the trash" "$err" "casebook: case 2 is not in the trash"
expect_rc "purge with a bad age" 2 purge --older-than 90x
contains "a bad age is named" "$err" '"90x"'
expect_rc "purge with an id and an age" 2 purge 2 --older-than 90d
expect_rc "restore of a bad id" 1 restore abc
same "bad input changed nothing" "$(snap)" "$before"

# ---- purge --------------------------------------------------------------------

cb rm 2
cb rm 3
expect_rc "purge by age keeps what is younger" 0 purge --older-than 1d
contains "nothing older than a day" "$out" "0 cases purged"
cb trash
contains "case 2 still in the trash" "$out" "Second Person"
expect_rc "purge by id" 0 purge 2 </dev/null
contains "purge says so" "$out" "case 2 purged from the trash"
cb trash
lacks "a purged case has left the trash" "$out" "Second Person"
contains "the other stays" "$out" "Third Person"
expect_rc "a purged case cannot be restored" 1 restore 2
cb audit
contains "the purge is in the audit log" "$out" "purged from the trash for good"
expect_rc "audit chain intact after purges" 0 audit --verify
sleep 1
expect_rc "purge --older-than 0d" 0 purge --older-than 0d
contains "purges what was deleted before now" "$out" "1 case purged"
cb trash
same "the trash is empty after purging by age" "$out" "The trash is empty."
expect_rc "check after purges" 0 check
cb add name='Fifth Person'
same "a purged id is not reused" "$out" "5"

# ---- check finds a damaged trash --------------------------------------------

# tamper NAME AWK: a copy of the database in $T/NAME whose dump went through AWK.
tamper() {
	mdb_dump -a "$T/db" >"$T/dump"
	sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" "$T/dump" | awk "$2" >"$T/dump2"
	rm -rf "${T:?}/$1"
	mkdir -m 700 "$T/$1"
	mdb_load -f "$T/dump2" "$T/$1"
}
cb rm 4
# The deleted index emptied: the trash record has no entry there.
tamper noindex '
	/^database=/ { db = $0 }
	db == "database=deleted" && /^ / { next }
	{ print }'
out=$("$CASEBOOK" -d "$T/noindex" check 2>&1); rc=$?
same "check of a trash without its index entry exits 1" "$rc" 1
contains "check names the missing deleted-index entry" "$out" "index deleted: case 4 in the trash is missing"
# One byte of the trash record changed: its checksum fails.
tamper damaged '
	/^database=/ { db = $0 }
	db == "database=trash" && prev ~ /^ / && /^ / { $0 = substr($0, 1, 30) (substr($0, 31, 1) == "0" ? "1" : "0") substr($0, 32) }
	{ prev = $0; print }'
out=$("$CASEBOOK" -d "$T/damaged" check 2>&1); rc=$?
same "check of a damaged trash record exits 1" "$rc" 1
contains "check names the damaged trash record" "$out" "case 4 in the trash is damaged"
expect_rc "the real database still checks" 0 check

# On a terminal, purge asks; the answer is read in English, Russian or
# Kazakh (the same question as `set`'s): "нет" and anything else keep the
# case, "Да" and "иә" purge it.
if command -v script >/dev/null 2>&1; then
	rm -rf "$T/ask"
	for i in 1 2 3; do "$CASEBOOK" -d "$T/ask" add name="Asked $i" >/dev/null; done
	for i in 1 2 3; do "$CASEBOOK" -d "$T/ask" rm $i >/dev/null; done
	ask() { printf '%s\n' "$2" | script -qc "'$CASEBOOK' -d '$T/ask' purge $1" /dev/null; }
	tty_out=$(ask 1 нет)
	contains "purge on a terminal asks" "$tty_out" "[y/N]"
	contains "нет keeps the case in the trash" "$("$CASEBOOK" -d "$T/ask" trash)" "Asked 1"
	ask 1 maybe >/dev/null
	contains "an unknown answer keeps the case" "$("$CASEBOOK" -d "$T/ask" trash)" "Asked 1"
	ask 2 Да >/dev/null
	lacks "Да purges (Russian, capital)" "$("$CASEBOOK" -d "$T/ask" trash)" "Asked 2"
	ask 3 иә >/dev/null
	lacks "иә purges (Kazakh)" "$("$CASEBOOK" -d "$T/ask" trash)" "Asked 3"
else
	skip "purge asks on a terminal" "no script(1)"
fi
