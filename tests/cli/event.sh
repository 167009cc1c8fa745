#!/bin/sh
# CLI tests of event terms: an event by the date its title starts with (ISO
# and local forms, partial dates), by a prefix of its title (with or
# without the date), by a whole word of it in any case and script, several
# events named at once, exclusion, and an exact title naming that event
# only.
. "$(dirname "$0")/../lib.sh"

add() { "$CASEBOOK" -d "$T/db" add "$@" >/dev/null || echo "setup: add $* failed" >&2; }
add name='Асель Нурланова' event='2021-05-01 DCK rallies' city=Almaty
add name='Ерлан Калиев' event='2021-05-01 DCK rallies' city=Almaty
add name='Жанар Сеитова' event='2021-04-24 Жер Сатылмасын' city=Almaty
add name='Бауыржан Омаров' event='2021-04-24 DPK rally' city=Almaty
add name='Гульнар Ахметова' event='2021-05 May summons' city=Almaty
add name='Нурлан Есенов' event='Zhanaozen anniversary' city=Almaty
add name='Марат Жумабаев' event='2021-05-01 DCK rallies in Almaty' city=Almaty
add name='Айгуль Касымова' city=Almaty

ids() { cb list "$@" --format ids; echo $out; }

same "ISO day" "$(ids event:2021-05-01)" "1 2 7"
same "local day" "$(ids event:01.05.2021)" "1 2 7"
same "local day without leading zeros" "$(ids event:1.5.2021)" "1 2 7"
same "local month: every event dated inside May, the month-only one too" \
	"$(ids event:05.2021)" "1 2 5 7"
same "ISO month" "$(ids event:2021-05)" "1 2 5 7"
same "a year" "$(ids event:2021)" "1 2 3 4 5 7"
same "a day with no event" "$(ids event:2021-05-02)" ""
same "a month-only event is not inside one of its days" "$(ids event:2021-05-10)" ""
same "whole word, upper case" "$(ids event:DCK)" "1 2 7"
same "whole word, lower case" "$(ids event:dck)" "1 2 7"
same "Cyrillic word" "$(ids event:Жер)" "3"
same "Cyrillic word, lower case" "$(ids event:жер)" "3"
same "Cyrillic word typed in Latin" "$(ids event:Zher)" "3"
same "Latin word typed in Cyrillic" "$(ids event:Жанаозен)" "6"
same "every word of the value is a word of the title" "$(ids event:'DCK rallies')" "1 2 7"
same "words in another order" "$(ids event:'rallies DCK')" "1 2 7"
same "the inside of a word is not a word" "$(ids event:CK)" ""
same "a prefix of the title" "$(ids event:'2021-05-01 DC')" "1 2 7"
same "a prefix of the title after its date" "$(ids event:'Жер Сат')" "3"
same "a prefix of a title without a date" "$(ids event:Zhanao)" "6"
same "an ambiguous word names every event that has it (OR)" "$(ids event:rally)" "4"
same "the exact title names that event only" "$(ids event:'2021-05-01 DCK rallies')" "1 2"
same "the exact title, folded" "$(ids event:'2021-05-01 dck RALLIES')" "1 2"
same "the longer title exactly" "$(ids event:'2021-05-01 DCK rallies in Almaty')" "7"
same "two values: either" "$(ids event:DCK,DPK)" "1 2 4 7"
same "local date and word together" "$(ids event:24.04.2021,Zhanaozen)" "3 4 6"
same "exclusion" "$(ids -event:DCK)" "3 4 5 6 8"
same "with another term" "$(ids event:2021-05-01 name:Асель)" "1"
same "unknown word" "$(ids event:nothing)" ""

# A bad local date is a date-shaped value, not an error: it names no event.
expect_rc "a date that does not exist is not an error" 0 list event:31.02.2021 --count
same "and names no event" "$out" "0"
# The TUI's event facet sends the exact title; its count must stay that event's.
cb facets event
contains "facets list the exact title" "$out" "2021-05-01 DCK rallies"
cb list 'event:"2021-05-01 DCK rallies"' --count
same "quoted exact title from the facets" "$out" "2"

echo "1..$_n"
