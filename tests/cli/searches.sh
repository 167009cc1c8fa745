#!/bin/sh
# Saved searches: searches add / list (with live counts) / rm, @name as a
# filter term with other terms (list, report, export, facets, set), names
# compared folded, searches that use searches, and the errors: an unknown
# @name with did-you-mean, a bad name, a search that would use itself, a
# search still used by another.
. "$(dirname "$0")/../lib.sh"

cb add name='Айгуль Сейткали' city=Almaty status=in_court measures=detention
cb add name='Bolat Ospanov' city=Almaty status=open measures=fine
cb add name='Dana Ermekova' city=Almaty status=in_court measures=admin_arrest:days=10
cb add name='Erlan Nurov' city=Oral status=in_court
cb add name='Gulnar Abenova' city=Oral status=closed

expect_rc "searches with none saved" 0 searches
contains "says there are none and how to save one" "$out" "no saved searches yet"

expect_rc "searches add" 0 searches add almaty_court city:Almaty status:in_court
contains "add says the live count" "$out" "saved @almaty_court (2 cases now)"
expect_rc "searches add of a search using a search" 0 searches add almaty_arrests @almaty_court measure:admin_arrest
expect_rc "searches add with an exclusion term" 0 searches add not_oral -city:Oral

expect_rc "searches lists" 0 searches
matches "the list shows name, live count and filter" "$out" \
	"*@almaty_court*2*city:Almaty status:in_court*"
matches "a search using another shows its own count" "$out" "*@almaty_arrests*1*@almaty_court*"

expect_rc "list @name" 0 list @almaty_court --format ids
same "list @name gives the search's cases" "$out" "1
3"
expect_rc "list @name with another term" 0 list @almaty_court measure:detention --format ids
same "@name AND-ed with another term" "$out" "1"
expect_rc "list -@name" 0 list -@almaty_court --format ids
same "-@name excludes the search's cases" "$out" "2
4
5"
expect_rc "@name inside one word of terms" 0 list "status:in_court @not_oral" --format ids
same "a quoted filter with @name" "$out" "1
3"
expect_rc "names are compared folded" 0 list @ALMATY_COURT --count
same "@ALMATY_COURT is @almaty_court" "$out" "2"

# The count is live: a case changed after saving is counted.
cb edit 2 status=in_court
expect_rc "list @name after a change" 0 list @almaty_court --count
same "the saved search finds today's cases" "$out" "3"
expect_rc "searches after a change" 0 searches
matches "the live count in the list follows" "$out" "*@almaty_court*3*"

expect_rc "facets within @name" 0 facets measure @almaty_court
contains "facets take @name" "$out" "1  fine"
expect_rc "export @name" 0 export @almaty_arrests
contains "export takes @name" "$out" "Dana Ermekova"
lacks "export @name leaves out other cases" "$out" "Bolat"
expect_rc "report @name" 0 report @almaty_court
expect_rc "set with @name" 0 set @almaty_arrests -- lawyer=Kim --yes
cb show 3
contains "set changed the @name case" "$out" "Kim"
cb show 1
lacks "set left the other cases" "$out" "Kim"

# ---- errors -------------------------------------------------------------------

expect_rc "unknown @name" 1 list @almaty_cort
contains "unknown @name says so with did-you-mean" "$err" \
	'no saved search "almaty_cort"; did you mean almaty_court?'
contains "unknown @name lists the saved ones" "$err" "(saved: almaty_arrests, almaty_court, not_oral)"
expect_rc "unknown @name far from any" 1 list @zzzzzz
lacks "no did-you-mean for a far name" "$err" "did you mean"
expect_rc "bad @name" 1 list '@a:b'
contains "a bad name is named" "$err" 'bad name "a:b"'
expect_rc "add of an existing name" 1 searches add almaty_court city:Oral
contains "refused without --replace" "$err" 'already a saved search "almaty_court"'
expect_rc "add of a bad filter" 1 searches add bad citty:Almaty
contains "a bad filter gets the filter's error" "$err" 'unknown field "citty"'
expect_rc "add using an unknown search" 1 searches add bad2 @nothing
contains "an unknown search is refused at add" "$err" 'no saved search "nothing"'
expect_rc "add of a search using itself" 1 searches add --replace almaty_court @almaty_arrests
contains "a cycle is refused" "$err" 'would use itself (through @almaty_arrests)'
expect_rc "rm of a search in use" 1 searches rm almaty_court
contains "rm names the search that uses it" "$err" 'is used by "almaty_arrests"'
expect_rc "bad name at add" 1 searches add 'two words' city:Oral
contains "bad name at add is named" "$err" 'bad name "two words"'

# ---- replace and rm -------------------------------------------------------------

expect_rc "add --replace" 0 searches add --replace not_oral city:Oral -status:closed
contains "replace says the new count" "$out" "saved @not_oral (1 case now)"
expect_rc "rm" 0 searches rm almaty_arrests
expect_rc "rm of the search it used" 0 searches rm @almaty_court
expect_rc "list @name after rm" 1 list @almaty_court
contains "a removed search is unknown" "$err" 'no saved search "almaty_court"'
expect_rc "rm of an unknown search" 1 searches rm almaty_court
expect_rc "searches after rm" 0 searches
lacks "the removed searches are gone" "$out" "almaty_court"
contains "the others stay" "$out" "@not_oral"

# Shared: another user (another HOME) sees the same searches.
out=$(HOME="$T/other" "$CASEBOOK" -d "$T/db" searches 2>&1)
contains "another user sees the saved search" "$out" "@not_oral"

# Read-only: listing works, saving is refused.
expect_rc "searches -r lists" 0 -r searches
expect_rc "searches add -r is refused" 1 -r searches add x city:Oral
