#!/bin/sh
# Dates typed as people in Kazakhstan write them (DD.MM.YYYY, MM.YYYY) are
# accepted by add/edit, import and the filter, exactly as their ISO forms,
# and stored as ISO; a bad date names both accepted forms.
. "$(dirname "$0")/../lib.sh"

expect_rc "add with date 01.05.2021" 0 add name=Один date=01.05.2021 hearing=10.06.2021 city=Алматы
cb show 1
contains "stored as ISO" "$out" "2021-05-01"
contains "hearing stored as ISO" "$out" "2021-06-10"
expect_rc "add with a month 05.2021" 0 add name=Два date=05.2021 'measures=admin_arrest:days=15:date=02.05.2021'
cb show 2
contains "month stored as ISO" "$out" "2021-05"
contains "measure date stored as ISO" "$out" "date=2021-05-02"
expect_rc "add with ISO" 0 add name=Три date=2021-05-20
expect_rc "add in June" 0 add name=Четыре date=2021-06-01
expect_rc "edit with 7.6.2021" 0 edit 4 date=7.6.2021
cb show 4
contains "edit stored as ISO" "$out" "2021-06-07"

printf 'name,date\nПять,24.04.2021\n' > "$T/in.csv"
expect_rc "import with DD.MM.YYYY" 0 import "$T/in.csv"
cb list --count date:2021-04-24
same "imported date found by its ISO form" "$out" 1

for pair in "01.05.2021..31.05.2021 2021-05-01..2021-05-31" "05.2021 2021-05" \
    "..31.05.2021 ..2021-05-31" "01.06.2021.. 2021-06-01.." "05.2021..2021-06 2021-05..2021-06"; do
	set -- $pair
	cb list --count "date:$1"; a=$out
	cb list --count "date:$2"; b=$out
	same "date:$1 counts as date:$2 ($b)" "$a" "$b"
done
cb list --count date:01.05.2021..31.05.2021
same "May holds three cases" "$out" 3

expect_rc "an impossible date is refused" 1 add name=X date=31.02.2021
contains "the message names both forms" "$err" "DD.MM.YYYY or YYYY-MM-DD"
expect_rc "a date with a two-digit year is refused" 1 list date:01.05.21
contains "the filter message names both forms" "$err" "DD.MM.YYYY or YYYY-MM-DD"
cb list --count
same "nothing added by the refused date" "$out" 5
