#!/bin/sh
# The `/` search finds names across scripts: «Нұржан» when «нуржан» is typed
# (a Russian keyboard has no ұ), «Жанар» when «zhanar» is typed, and two
# words in the other order and script; near names (Мурат for Марат) stay out.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

add() { "$CASEBOOK" -d "$T/db" add "$@" >/dev/null || echo "setup: add $* failed" >&2; }
add name='Нұржан Төлегенов' city=Алматы
add name='Жанар Джуманиязова' city=Астана
add name='Марат Кусаинов' city=Актобе
add name='Мурат Кусаинов' city=Актобе
add name='Person Other' city=Тараз

tui_start a 100 24
see "first screen" a "5 of 5 cases"

keys a /
see "/ opens the search line" a "Search name:"
type_text a "нуржан"
see "нуржан narrows the list to one case" a " 1 of 5"
s=$(screen a)
contains "нуржан finds «Нұржан»" "$s" "Нұржан Төлегенов"
lacks "нуржан hides the others" "$s" "Жанар"
keys a Escape
see "Esc undoes the search" a "5 of 5 cases"

keys a /
type_text a "zhanar"
see "zhanar narrows the list to one case" a " 1 of 5"
s=$(screen a)
contains "zhanar finds «Жанар»" "$s" "Жанар Джуманиязова"
lacks "zhanar hides the others" "$s" "Нұржан"
keys a Enter
see "Enter keeps the search in the filter" a "name:zhanar"
keys a c
see "c clears the search" a "5 of 5 cases"

keys a /
type_text a "jumaniyazova ЖАНАР"
see "two words, other order and script" a " 1 of 5"
contains "two words find «Жанар Джуманиязова»" "$(screen a)" "Жанар Джуманиязова"
keys a Escape
see "Esc undoes the search again" a "5 of 5 cases"

keys a /
type_text a "marat"
see "marat finds one case" a " 1 of 5"
s=$(screen a)
contains "marat finds «Марат»" "$s" "Марат Кусаинов"
lacks "marat does not find «Мурат»" "$s" "Мурат"
keys a Escape
keys a q
