#!/bin/sh
# TUI: first screen at 80x24 and 160x48, colour and NO_COLOR, escape
# sequences in data, the minimum-size notice, quitting.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" city=Алматы event="2021-05-01 DCK rallies" date=2021-05-01 \
    measures="admin_arrest:days=15:date=2021-05-02" injuries="strangulation:body=neck" status=in_court >/dev/null
cb add name="Aigerim Nurlanovna" city=Astana injuries=bruise >/dev/null
cb add name="王小明 Zoë" city=Shymkent >/dev/null
evil=$(printf 'Evil\033]2;pwned\007Name')
cb add name="$evil" city=Almaty >/dev/null

tui_start a 80 24
see "80x24: status line counts the cases" a "4 of 4 cases"
see "80x24: list shows a Cyrillic name" a "Иван Петров"
s=$(screen a)
first=$(printf '%s\n' "$s" | sed -n 1p)
contains "80x24: list header on the first line" "$first" "Name"
sep=$(printf '%s\n' "$s" | grep -n "Case 1" | head -1 | cut -d: -f1)
if [ -n "$sep" ] && [ "$sep" -ge 10 ] && [ "$sep" -le 16 ]; then ok "80x24: detail pane below the list (line $sep)"; else not_ok "80x24: detail below the list" "$s"; fi
contains "80x24: detail shows the measure" "$s" "administrative arrest"
contains "80x24: CJK and Latin names shown" "$s" "王小明 Zoë"
# The CJK name takes 2 columns per character: the city column stays aligned.
# Characters before the city column: the CJK row has 3 fewer (each is 2 columns wide).
col_a=$(printf '%s\n' "$s" | grep "      1 Иван Петров" | head -1 | sed 's/Алматы.*//' | wc -m)
col_b=$(printf '%s\n' "$s" | grep "      3 王小明" | head -1 | sed 's/Shymkent.*//' | wc -m)
same "wide characters measured by display width" "$((col_b + 3))" "$((col_a))"
contains "escape sequence shown escaped" "$s" "Evil^[]2;pwned^GName"
title=$(TM display -p -t a '#{pane_title}')
lacks "escape sequence did not retitle the window" "$title" "pwned"
# Colour is on by default.
colour=$(TM capture-pane -e -p -t a | grep -c "$(printf '\033')\[[0-9;]*3[0-8]m\|$(printf '\033')\[[0-9;]*4[0-8]m" || true)
if [ "$colour" -gt 0 ]; then ok "colour theme uses colours"; else not_ok "colour theme uses colours"; fi

# Too small, then enlarged again.
TM resize-window -t a -x 50 -y 12
see "below the minimum size: a clear message" a "at least 60x16"
TM resize-window -t a -x 80 -y 24
see "enlarged: back to normal" a "4 of 4 cases"
keys a q
see "q quits with status 0" a "casebook-exited-0"

tui_start w 160 48
see "160x48: first screen" w "4 of 4 cases"
s=$(screen w)
first=$(printf '%s\n' "$s" | sed -n 1p)
contains "160x48: filter pane on the left" "$first" "Filter"
contains "160x48: list in the middle" "$first" "Name"
contains "160x48: detail on the right" "$first" "Case 1"
# Алматы and Almaty are one place: one facet value counting both cases.
matches "160x48: facets and list side by side (a city facet beside the list)" \
    "$(printf '%s\n' "$s" | grep -F '[ ] Алматы' | head -1)" '\[ \] Алматы* 2 │ *'
matches "160x48: list row and detail on one line" "$(printf '%s\n' "$s" | sed -n 2p)" \
    '*│ *1 Иван Петров *Алматы*│ Иван Петров*'
keys w q

tui_start m 80 24 NO_COLOR=1
see "NO_COLOR: first screen" m "4 of 4 cases"
colour=$(TM capture-pane -e -p -t m | grep -c "$(printf '\033')\[[0-9;]*3[0-8]m\|$(printf '\033')\[[0-9;]*4[0-8]m" || true)
same "NO_COLOR: no colour sequences" "$colour" "0"
rev=$(TM capture-pane -e -p -t m | grep -c "$(printf '\033')\[7m\|$(printf '\033')\[[0-9;]*;7m" || true)
if [ "$rev" -gt 0 ]; then ok "NO_COLOR: selection in reverse video"; else not_ok "NO_COLOR: selection in reverse video" "$(TM capture-pane -e -p -t m | cat -v | head -5)"; fi
keys m q
see "NO_COLOR: quits" m "casebook-exited-0"
