#!/bin/sh
# TUI: the filter pane's group keys (a digit jumps to a group), typing to
# find a value in any script, more groups, and a bar beside each count.
# "Injury: head trauma" is chosen in four keys from the list.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы injuries=head_trauma sex=m >/dev/null
cb add name="Асель Нурова" city=Алматы injuries='bruise|burn' sex=f >/dev/null
cb add name="Болат Ким" city=Тараз injuries=bruise verification=confirmed >/dev/null
cb add name="Aigerim Nurlanovna" city=Astana lawyer="Ержан Сапаров" >/dev/null

tui_start a 80 24
see "start" a "4 of 4 cases"
keys a f 3 h Space
see "f 3 h Space chooses head trauma" a "1 of 4 cases"
see "the case with head trauma stays" a "Иван Петров"
see "the group keys are listed" a "1 City 2 Region 3 Injury"
see "the chosen value is marked (cut with …, beside the list)" a "[x] craniocerebral trauma,…"
keys a c
see "c clears" a "4 of 4 cases"

# A Latin prefix finds a Cyrillic city, a Cyrillic one a Latin city.
keys a 1
type_text a "Ta"
keys a Space
see "Ta finds Тараз" a "1 of 4 cases"
see "the case in Тараз" a "Болат Ким"
keys a c 1
type_text a "Ас"
keys a Space
see "Ас finds Astana" a "Aigerim Nurlanovna"
keys a c 1
type_text a "Алz"
see "a prefix no value has is refused" a 'no value has a word starting with "Алz"'
keys a Escape Escape
keys a c f

# Groups further down: sex (8) and lawyer (9, by either word of the name).
keys a 8
type_text a "fe"
keys a Space
see "sex: female" a "1 of 4 cases"
see "the woman's case" a "Асель Нурова"
keys a c 9
type_text a "Sap"
keys a Space
see "lawyer by the second word, in Latin" a "Aigerim Nurlanovna"
see "lawyer: one case" a "1 of 4 cases"
keys a c q

# Bars: block characters in UTF-8, '#' in the C locale.
tui_start b 80 24 LC_ALL=C.UTF-8
see "start (UTF-8)" b "4 of 4 cases"
keys b f 1
see "Алматы has the longest bar" b "█"
TM kill-session -t b
tui_start c 80 24 LC_ALL=C
see "start (C)" c "4 of 4 cases"
keys c f 1
see "an ASCII bar" c "##"
echo "1..$_n"
