#!/bin/sh
# The TUI in Russian at 80x24, driven from the Russian (ЙЦУКЕН) layout: the
# keys that type j/k/f/d/q there type о/л/а/в/й, and must do the same; the
# delete question takes д/н (and the Kazakh и/ж) as well as y/n.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

if ! locale -a 2>/dev/null | grep -qix 'ru_RU.utf8'; then
	not_ok "the ru_RU.UTF-8 locale is installed (run make deps as root)"
	exit 0
fi
for n in 1 2 3 4; do
	cb add name="Айгерим Тест $n" city=Шымкент
done
RU="-u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8"

tui_start r 80 24 $RU
see "Russian status line, plural of 4" r "4 из 4 дел"
see "Russian detail title" r " Дело 1 "
type_text r "о"
see "о (the j key) moves down" r " Дело 2 "
type_text r "о"
see "о again" r " Дело 3 "
type_text r "л"
see "л (the k key) moves up" r " Дело 2 "
type_text r "а"
see "а (the f key) opens the filter pane" r " Фильтр (пробел, c: сброс) "
type_text r "а"
not_see "а closes it again" r " Фильтр (пробел, c: сброс) "

type_text r "в"
see "в (the d key) asks, in Russian, with д/н" r "Переместить дело 2 (Айгерим Тест 2) в корзину? (д/н)"
type_text r "н"
not_see "н answers no" r "Переместить дело 2"
see "nothing deleted after н" r "4 из 4 дел"
type_text r "в"
see "asked again" r "Переместить дело 2"
type_text r "ж"
not_see "ж (Kazakh жоқ) answers no" r "Переместить дело 2"
see "nothing deleted after ж" r "4 из 4 дел"
type_text r "в"
see "asked a third time" r "Переместить дело 2"
type_text r "д"
see "д answers yes" r "Дело 2 перемещено в корзину"
see "one fewer case" r "3 из 3 дел"
type_text r "в"
see "asked for the next case" r "Переместить дело"
type_text r "И"
see "И (Kazakh иә, upper case) answers yes" r "2 из 2 дел"
same "two cases left in the database" "$(cb list --count; echo "$out")" "2"

type_text r "?"
see "help lists the Cyrillic twin of j" r "Вниз, j (о)"
type_text r "П"
see "П (the G key) goes to the end of the help, with the questions with choices" r "Пока ничего не выбирать"
type_text r "й"
not_see "й (the q key) closes the help" r "Вниз, j (о)"
type_text r "й"
see "й (the q key) quits" r "casebook-exited-0"

# A terminal below the minimum size: the notice is Russian, and й quits.
tui_start small 50 12 $RU
see "too small: the notice is in Russian" small "Окно терминала слишком мало: 50x12."
type_text small "й"
see "too small: й (the q key) quits" small "casebook-exited-0"
