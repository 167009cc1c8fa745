#!/bin/sh
# CLI tests of `list` and `facets`: filters, counts, sort orders, the four
# output formats, a table that fits the terminal, facets, and bad input.
. "$(dirname "$0")/../lib.sh"

unset COLUMNS
add() { "$CASEBOOK" -d "$T/db" add "$@" >/dev/null || echo "setup: add $* failed" >&2; }
add name='Нинагүл Джуманиязова' city=Алматы date=2021-05-01 \
	injuries='strangulation:body=neck|head_trauma' measures='admin_arrest:days=15|fine' \
	status=in_court lawyer=Ivanova
add name='Kazbek Ospanov' city=АЛМАТЫ date=2021-04-24 measures='detention:days=3' \
	injuries=bruise event='2021-05-01 DCK rallies'
add name='Асет Казбеков' city=Shymkent date=2021-05 measures=admin_arrest:days=10 \
	event='2021-05-01 DCK rallies'
add name="$(printf 'Evil\033[2JName')" city=Taraz date=2021 measures=warning
add city=алматы measures=preventive

# --count
expect_rc "count all" 0 list --count
same "five cases" "$out" "5"
expect_rc "city in any case form" 0 list city:алматы --count
same "three in Almaty" "$out" "3"
expect_rc "city and injury" 0 list city:Алматы injury:head_trauma --count
same "one in Almaty with a head injury" "$out" "1"
cb list 'event:2021-05-01 DCK rallies' --count
same "event with spaces, one argument" "$out" "2"
cb list 'event:"2021-05-01 dck rallies"' --count
same "event quoted, folded" "$out" "2"
cb list measure:admin_arrest days:'>=10' date:2021-05 --count
same "arrests of 10 days or more in May" "$out" "2"
cb list date:2021-05-01..2021-05-30 --count
same "a month-only date is not inside part of its month" "$out" "1"
cb list --count -- -city:алматы
same "exclusion" "$out" "2"
cb list -city:алматы --count
same "exclusion without --" "$out" "2"
cb list kaz --format ids
same "bare word is a name prefix, in either script (Kazbek, Казбеков)" "$(echo $out)" "2 3"
cb list KAZB Osp --count
same "two bare words: both prefixes must match" "$out" "1"
cb list каз --format ids
same "Cyrillic name prefix finds the Latin name too" "$(echo $out)" "2 3"
cb list lawyer:ivanova status:in_court --count
same "lawyer and status" "$out" "1"
cb list city:Nowhere --count
same "no match counts zero" "$out" "0"

# --format ids and sorting
expect_rc "ids" 0 list --format ids
same "ids in id order" "$(echo $out)" "1 2 3 4 5"
cb list --format=ids --sort date
same "by date, undated last" "$(echo $out)" "4 2 3 1 5"
cb list --format ids --sort -date
same "by date descending, undated last" "$(echo $out)" "1 3 2 4 5"
cb list --format ids --sort name
same "by name, unidentified last" "$(echo $out)" "4 2 3 1 5"
# Places sort by their Russian name (Алматы before Тараз), however spelt.
cb list --format ids --sort city city:алматы,Taraz
same "by city" "$(echo $out)" "1 2 5 4"
cb list --format ids --sort -id
same "by id descending" "$(echo $out)" "5 4 3 2 1"

# table
export COLUMNS=100
expect_rc "table" 0 list
contains "table header" "$out" "ID  Name"
contains "table has a Cyrillic name" "$out" "Нинагүл Джуманиязова"
contains "table summarises measures" "$out" "admin_arrest 15d, fine"
contains "table lists injuries" "$out" "strangulation, head_trauma"
contains "control characters are made visible" "$out" "Evil^[[2JName"
case "$out" in *"$(printf '\033')"*) not_ok "no raw escape reaches the terminal" ;; *) ok "no raw escape reaches the terminal" ;; esac
# Cyrillic and Latin rows line up: the Date column starts at the same display column.
col1=$(printf '%s\n' "$out" | grep 'Нинагүл' | sed 's/2021-05-01.*//' | wc -L)
col2=$(printf '%s\n' "$out" | grep 'Kazbek' | sed 's/2021-04-24.*//' | wc -L)
same "columns line up by display width" "$col1" "$col2"
export COLUMNS=44
cb list
widest=$(printf '%s\n' "$out" | wc -L)
check "narrow table fits 44 columns" [ "$widest" -le 44 ]
contains "cut text ends with an ellipsis" "$out" "…"
unset COLUMNS
cb list
widest=$(printf '%s\n' "$out" | wc -L)
check "not a terminal: fits 80 columns" [ "$widest" -le 80 ]

# csv
expect_rc "csv" 0 list city:алматы --format csv --sort date
first=$(printf '%s\n' "$out" | head -1)
contains "csv header starts with the export columns" "$first" "id,rev,name,name_latin,aliases,sex"
same "csv: header and three rows" "$(printf '%s\n' "$out" | wc -l)" "4"
second=$(printf '%s\n' "$out" | sed -n 2p)
contains "csv rows in sort order" "$second" "2,1,Kazbek Ospanov"
contains "csv measures in list syntax" "$out" "admin_arrest:days=15|fine"

# json
expect_rc "json" 0 list injury:bruise --format json
contains "json has the case" "$out" '"name": "Kazbek Ospanov"'
n=$(printf '%s' "$out" | jq length 2>/dev/null)
same "json is an array of one case" "$n" "1"
cb list city:Nowhere --format json
same "empty json array" "$out" "[]"
cb list measure:admin_arrest --format json
same "json array of two" "$(printf '%s' "$out" | jq 'map(.id) | join(",")' 2>/dev/null)" '"1,3"'

# facets
expect_rc "facets city" 0 facets city
# Places known to the gazetteer are labelled with their Russian name.
same "facets: most first, one label per place" "$out" "3  Алматы
1  Тараз
1  Шымкент"
expect_rc "facets measure filtered" 0 facets measure city:алматы
same "filtered facets" "$out" "1  admin_arrest
1  detention
1  fine
1  preventive"
cb facets injury -- -injury:bruise
same "facets with an exclusion" "$out" "1  head_trauma
1  strangulation"

# errors
expect_rc "unknown field" 1 list citty:Almaty
contains "unknown field named with the known ones" "$err" 'unknown field "citty"; did you mean city? (fields: city, region'
expect_rc "unknown vocabulary term" 1 list measure:arest
contains "bad term named" "$err" 'filter "measure:arest": unknown measure type "arest"; did you mean admin_arrest? (known:'
expect_rc "bad date" 1 list date:2021-13-40
contains "bad date named" "$err" 'bad date "2021-13-40"'
expect_rc "bad days" 1 list days:lots
contains "bad days named" "$err" 'bad days "lots"'
expect_rc "unknown option" 2 list --colour
expect_rc "bad sort key" 2 list --sort colour
contains "sort keys listed" "$err" "date, name, city"
expect_rc "bad format" 2 list --format xml
expect_rc "--sort needs a value" 2 list --sort
expect_rc "facets needs a field" 2 facets
expect_rc "facets of a field without facets" 1 facets date
contains "facet fields listed" "$err" 'no facets for "date"'
expect_rc "facets with a bad filter" 1 facets city citty:x

# Field names are case-insensitive; a colon with no field before it is an error.
cb list CITY:Алматы --count
upper=$out
cb list city:Алматы --count
same "field names are case-insensitive" "$upper" "$out"
expect_rc "a colon with no field is free text" 0 list :x
expect_rc "so is a word that is no field's name" 0 list --count 'Meeting: 1 May'
same "(a name search that finds nothing)" "$out" 0

# exam: an injury whose forensic-exam answer is yes / no.
ex() { "$CASEBOOK" -d "$T/exam" "$@"; }
ex add name=Yes injuries='bruise:exam=yes|burn:exam=no' >/dev/null
ex add name=No injuries='burn:exam=no' >/dev/null
ex add name=Unsaid injuries='burn' >/dev/null
ex add name=NoInjury >/dev/null
out=$(ex list exam:yes --format=ids 2>&1)
same "exam:yes finds the case with a yes answer" "$out" "1"
out=$(ex list exam:no --format=ids 2>&1 | tr '\n' ' ')
same "exam:no finds both cases with a no answer" "$out" "1 2 "
out=$(ex list exam:no -exam:yes --format=ids 2>&1)
same "exam:no without yes" "$out" "2"
out=$(ex list -exam:yes,no --format=ids 2>&1 | tr '\n' ' ')
same "no exam answer at all" "$out" "3 4 "
out=$(ex list EXAM:YES --count 2>&1)
same "exam answers are case-insensitive" "$out" "1"
ex edit 1 injuries='bruise:exam=no' >/dev/null 2>&1
out=$(ex list exam:yes --count 2>&1)
same "an edit moves the case out of exam:yes" "$out" "0"
if ex list exam:maybe >/dev/null 2>"$T/err"; then rc=0; else rc=$?; fi
same "a bad exam answer is refused" "$rc" "1"
contains "the error names the answers" "$(cat "$T/err")" 'unknown exam answer "maybe" (known: yes, no)'
out=$(ex check 2>&1)
contains "check agrees with the exam index" "$out" "records and indexes agree"

# Index keys are cut at 480 bytes: two 2,000-character cities that differ
# only at the end share a key, and a match must be confirmed on the record.
long=$(printf '%2000s' '' | tr ' ' 'x')
"$CASEBOOK" -d "$T/long" add name=A city="${long}a" >/dev/null
"$CASEBOOK" -d "$T/long" add name=B city="${long}b" >/dev/null
"$CASEBOOK" -d "$T/long" add name=C city=x >/dev/null
out=$("$CASEBOOK" -d "$T/long" list city:"${long}a" --format=ids 2>&1)
same "a long city finds only its own case" "$out" "1"
out=$("$CASEBOOK" -d "$T/long" list city:"${long}b" --count 2>&1)
same "the other long city: one case" "$out" "1"
out=$("$CASEBOOK" -d "$T/long" list -city:"${long}a" --format=ids 2>&1 | tr '\n' ' ')
same "excluding a long city keeps the other" "$out" "2 3 "
out=$("$CASEBOOK" -d "$T/long" list city:"${long}a,${long}b" --count 2>&1)
same "either long city: both" "$out" "2"
out=$("$CASEBOOK" -d "$T/long" list city:"${long}c" --count 2>&1)
same "a third long city: none" "$out" "0"

echo "1..$_n"
