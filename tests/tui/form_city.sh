#!/bin/sh
# TUI form: the city field offers places as they are typed, in any script
# (the gazetteer, and cities already in the cases it does not know), Right
# at the end takes the first offer, and a known city fills an empty region;
# what was typed stays when no offer is taken.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city="Жаңа Ауыл" >/dev/null
cb add name="Aigerim Nurlanovna" city=Astana >/dev/null

tui_start a 100 30
see "start" a "2 of 2 cases"
keys a a
see "a opens the add form" a "Add a case"
type_text a "Тест Городов"
# name, name_latin, aliases, sex, birth_year, affiliation, event, date,
# region, city.
keys a Down Down Down Down Down Down Down Down Down
type_text a "Ural"
see "Latin letters offer the town by its Russian name" a "→ Уральск"
see "the message says which key takes it" a "Right at the end of the city"
keys a Right
see "Right takes the offer" a "Уральск"
see "and fills the empty region" a "Region filled in from the city: Западно-Казахстанская область"
keys a C-s
see "saved" a "Added case 3"
cb show 3
contains "the city is the place's name" "$out" "Уральск"
contains "the region was filled" "$out" "Западно-Казахстанская область"

# Kazakh letters typed on a Russian keyboard, and a city of the cases the
# gazetteer does not know.
keys a a
see "a second add form" a "Add a case"
type_text a "Второй Тест"
keys a Down Down Down Down Down Down Down Down Down
type_text a "жана ау"
see "a village already in the cases is offered" a "→ Жаңа Ауыл"
keys a Right
keys a Down
keys a C-s
see "saved the second" a "Added case 4"
cb show 4
contains "the village as the cases spell it" "$out" "Жаңа Ауыл"
lacks "an unknown village fills no region" "$out" "region"

# Nothing offered is taken unless asked: typed text stays, Right moves.
keys a a
see "a third add form" a "Add a case"
type_text a "Третий Тест"
keys a Down Down Down Down Down Down Down Down Down
type_text a "Орал"
keys a Left Right
keys a Down
see "leaving a known city fills the region" a "Region filled in from the city"
keys a C-s
see "saved the third" a "Added case 5"
cb show 5
contains "the Kazakh name as typed is kept" "$out" "Орал"
contains "its region filled" "$out" "Западно-Казахстанская область"
cb list city:Uralsk --count
same "all three spellings are one town" "$out" 2
