#!/bin/sh
# People across cases where the work happens: a person with six cases in
# six spellings and one birth year; the detail pane says so, o opens the
# person view at 80x24 (totals, repeat marks, Enter opens a case), in
# English, Russian and Kazakh; the form warns of a possible duplicate; the
# case sheet (text, redacted, PDF) lists the other cases; the bulletin
# counts the people and names the one with repeated sanctions.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

# Six cases of one woman. What the test knows: 4 days of detention
# (1 + 3), 25 of arrest (15 + 10), one fine of 100 MRP, and two repeated
# administrative sanctions (the arrests of February and May 2021 follow the
# January fine within 12 months; the warning of August 2022 follows the
# last sanction after 15 months, so it is not marked).
cb add name='Жанар Төлегенова' birth_year=1990 sex=f event='2021-01-10 picket' city=Алматы \
    date=2021-01-10 'measures=fine:fine=100 MRP:date=2021-01-12:article=KoAP 488'
cb add name='TOLEGENOVA Zhanar' birth_year=1990 event='2021-02-22 rally' city=Almaty \
    date=2021-02-22 'measures=admin_arrest:days=15:date=2021-02-23:article=KoAP 488 part 6:court=Specialised inter-district administrative court of Almaty' \
    injuries='bruise:body=arm'
cb add name='Толегенова Жанар' birth_year=1990 event='2021-05-01 DCK rallies' city=Almaty \
    date=2021-05-01 'measures=detention:days=1|admin_arrest:days=10:date=2021-05-02'
cb add name='Zhanar Tolegenova' birth_year=1990 event='2021-09-01 summons' city=Almaty \
    date=2021-09-01 measures=preventive
cb add name='ТӨЛЕГЕНОВА ЖАНАР' birth_year=1990 event='2022-08-01 picket' city=Almaty \
    date=2022-08-01 'measures=warning:date=2022-08-01'
cb add name='Janar Tolegenova' birth_year=1990 event='2023-01-10 rally' city=Almaty \
    date=2023-01-10 'measures=detention:days=3'
cb add name='Other Person' birth_year=1970 city=Astana date=2021-05-01 measures=warning

cb persons --count
same "the six spellings are one person (two people in all)" "$out" 2
cb person 1 --json
pid=$(printf '%s\n' "$out" | sed -n 's/^  "id": \([0-9]*\),$/\1/p' | head -1)
contains "the person has the six cases" "$out" '"cases": 6'

tui_start p 80 24 NO_COLOR=1 TERM=vt100
see "first screen" p "7 of 7 cases"
see "the detail pane: also 5 other cases of this person" p "also 5 other cases of this person"
see "the detail pane: one line for another case" p "2021-02-22 rally: administrative arrest, 15"
keys p o
see "o opens the person view" p "Person $pid · line 1 of"
see "every spelling" p "TOLEGENOVA Zhanar"
see "the birth year" p "birth year: 1990"
see "the totals" p "Total: 6 cases; detention 4 days; arrest 25 days; 1 fine (100 MRP)"
see "the repeat count" p "2 administrative sanctions repeated within 12 months"
see "the mark on a repeated arrest" p "[repeat] administrative arrest, 15 days, 2021-02-23"
see "a long court wraps whole under its measure, no word cut" p "      Specialised inter-district administrative court of Almaty"
keys p G
see "the end of the timeline" p "2023-01-10  case 6"
marks=$(screen p | grep -c '\[repeat\] warning')
same "the warning 15 months after the last sanction is not marked" "$marks" 0
keys p g Down Enter
see "Enter opens the case under the cursor (case 2)" p "Case 2 · line 1 of"
keys p Escape
see "Esc comes back to the person view" p "Person $pid · line"
keys p u
see "unlink asks first, saying what happens" p "It becomes a person of its own"
keys p n
keys p Escape
keys p a
see "the form opens" p "Add a case"
type_text p 'Жанар Толегенова'
keys p C-s
see "the form says the case may be a person already here" p "possible duplicate of person $pid (6 cases): o to see them"
keys p o
see "o shows that person from the form" p "Person $pid · line 1 of"
keys p Escape
wait_gone p "Person $pid · line" >/dev/null
keys p C-s
see "^S again saves the case" p "Added case 8"
TM kill-session -t p

# The person view in Russian and Kazakh at 80x24.
for l in ru kk; do
	case $l in
	ru) total="Итого: 6 дел" mark="[повторно]" ;;
	kk) total="Барлығы: 6 іс" mark="[қайталама]" ;;
	esac
	tui_start "v$l" 80 24 -u LC_ALL LANGUAGE=$l LANG=ru_RU.UTF-8
	keys "v$l" o
	see "$l: the totals" "v$l" "$total"
	see "$l: the repeat mark" "v$l" "$mark"
	see "$l: the status line of the view" "v$l" " ·"
	TM kill-session -t "v$l"
done

cb sheet 1
contains "the sheet lists the other cases" "$out" "Other cases of this person"
contains "one line for each, with every measure" "$out" "2021-05-01 DCK rallies: detention, 1 day; administrative arrest, 10 days"
cb sheet 1 --redact
contains "a redacted sheet keeps the section" "$out" "Other cases of this person"
case "$out" in *Төлегенова* | *TOLEGENOVA*) not_ok "a redacted sheet names nobody" "$out" ;; *) ok "a redacted sheet names nobody" ;; esac
if command -v pdftotext >/dev/null 2>&1; then
	cb sheet 1 --format pdf -o "$T/s.pdf"
	txt=$(pdftotext "$T/s.pdf" - 2>/dev/null)
	contains "the PDF sheet has the section" "$txt" "Other cases of this person"
	contains "and the lines" "$txt" "2023-01-10 rally: detention, 3 days"
else
	skip "the PDF sheet has the section" "pdftotext is not installed"
fi

cb report
contains "the bulletin counts the people" "$out" "8 cases of 3 people"
contains "and names the person with repeated sanctions" "$out" "Жанар Төлегенова: 2 repeats"
