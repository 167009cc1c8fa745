#!/bin/sh
# TUI form, choice fields at 80x24 in Russian and English: a letter typed on
# a choice opens its chooser narrowed to the terms it starts (in the
# interface's language and any other), more letters narrow it further and
# Backspace widens it, the status line says what the highlighted term is
# (its key, its ESF code), Enter stores that term (checked with
# `casebook show --json`); a letter that starts no term, and Space, give a
# message instead of being dropped or opening the list.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Тест Выбора" >/dev/null
cb add name="Choice Tester" injuries=bruise >/dev/null

# json_field ID FIELD: the value of FIELD in `casebook show ID --json`.
json_field() {
	cb show "$1" --json
	printf '%s\n' "$out" | sed -n "s/^  \"$2\": \"\\([^\"]*\\)\".*/\\1/p"
}

# Russian: a refused letter, Space and ж on the sex, a measure type by "ар",
# the status by "в".
tui_start r 80 24 -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8
see "ru: start" r "2 из 2 дел"
keys r Home
keys r e
see "ru: the edit form of case 1" r "Правка дела 1"
down_to r "Пол" 16
type_text r "щ"
see "ru: a letter no sex starts with gets a message" r "начинается с «щ»"
not_see "ru: and no chooser" r "Выбор: пол"
see "ru: the sex is unchanged" r "[ неизвестно ▾ ]"
keys r Space
see "ru: Space says what it does not do" r "Пробел не меняет выбор"
not_see "ru: and opens no chooser" r "Выбор: пол"
type_text r "ж"
see "ru: ж opens the sex chooser" r "Выбор: пол: ж"
see "ru: it offers женский" r "│женский"
keys r Enter
see "ru: женский chosen" r "[ женский ▾ ]"

down_to r "Меры" 16
type_text r "а"
see "ru: а on the measures row opens the type chooser" r "Выбор: вид меры: а"
see "ru: it offers административный арест" r "│административный арест"
see "ru: and административное дело" r "│административное дело"
type_text r "р"
see "ru: а р narrows to the words starting ар" r "Выбор: вид меры: ар"
not_see "ru: административное дело is gone" r "│административное дело"
see "ru: the ESF code of the highlighted term" r "HURIDOCS ESF 030102"
keys r BSpace
see "ru: Backspace widens it again" r "│административное дело"
type_text r "рщ"
see "ru: a letter that fits nothing is refused in the chooser" r "начинается с «арщ»"
see "ru: and the chooser keeps what fitted" r "Выбор: вид меры: ар"
keys r Enter
see "ru: a measure of that type is added" r "[ административный арест ▾ ]"
down_to r "Статус" 24
type_text r "в"
see "ru: в opens the status chooser with what was typed" r "Выбор: статус: в"
see "ru: it offers в суде" r "│в суде"
not_see "ru: not the statuses that do not start with в" r "апелляция"
not_see "ru: nor закрыто" r "закрыто"
see "ru: the status line says what the term is" r "в суде (in_court)"
keys r Enter
see "ru: в суде chosen" r "[ в суде ▾ ]"

keys r C-s
see "ru: saved" r "Дело 1 сохранено"
same "ru: show --json: status in_court" "$(json_field 1 status)" "in_court"
same "ru: show --json: sex f" "$(json_field 1 sex)" "f"
cb show 1 --json
contains "ru: show --json: the measure admin_arrest" "$out" '"type": "admin_arrest"'
keys r q

# English: an exam answer by "y", the status by "c" then "l".
tui_start e 80 24 -u LC_ALL -u LANGUAGE LANG=C.UTF-8
see "en: start" e "2 of 2 cases"
keys e End
keys e e
see "en: the edit form of case 2" e "Edit case 2"
down_to e "exam" 20
type_text e "y"
see "en: y opens the exam chooser" e "Forensic or medical exam: y"
not_see "en: only yes" e "│not said"
keys e Enter
see "en: yes chosen" e "exam            [ yes ▾ ]"
down_to e "Status" 20
type_text e "c"
see "en: c opens the status chooser" e "Choose status: c"
see "en: it offers closed" e "│closed"
see "en: and in court (a word of it starts with c)" e "│in court"
not_see "en: not appeal" e "│appeal"
type_text e "l"
not_see "en: cl leaves only closed" e "│in court"
see "en: closed's key on the status line" e "closed (closed)"
keys e Enter
see "en: closed chosen" e "[ closed ▾ ]"
keys e C-s
see "en: saved" e "Saved case 2"
same "en: show --json: status closed" "$(json_field 2 status)" "closed"
cb show 2
contains "en: show: the exam answer yes" "$out" "bruise:exam=yes"
keys e q

echo "1..$_n"
