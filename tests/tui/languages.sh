#!/bin/sh
# The same screens at 80x24 in English, Russian and Kazakh: the status line
# keeps its last key hint, dates are shown in the language's form (list,
# full case view, measures), the help ends with its own status line, the
# facets are labelled, the delete question ends with its answer keys, and a
# field's message in the form is shown whole, wrapped, without the field's
# English name in front.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Айгерим Датова" date=2021-05-01 hearing=2021-06-10 city=Алматы \
    'measures=admin_arrest:days=5:date=2021-05-02' >/dev/null

# check_language LOCALE COUNT QUIT DATE HEARING MEASURE_DATE HELP_END
#     FORM_TITLE MESSAGE_END FACET QUESTION_END
check_language() {
	s=$1
	if [ "$s" != C ] && ! locale -a 2>/dev/null | grep -qix "$s.utf8"; then
		not_ok "the $s.UTF-8 locale is installed (run make deps as root)"
		return
	fi
	tui_start "$s" 80 24 -u LC_ALL -u LANGUAGE LANG="$s.UTF-8"
	see "$s: the status line's count" "$s" "$2"
	matches "$s: the status line ends with the quit hint" "$(line_of "$s" 24)" "*$3"
	see "$s: the list shows the date as $4" "$s" "$4"
	keys "$s" Enter
	see "$s: the full case view shows the date" "$s" "$4"
	see "$s: and the hearing as $5" "$s" "$5"
	see "$s: and the measure's date" "$s" "$6"
	keys "$s" Escape
	keys "$s" '?'
	keys "$s" End
	see "$s: the help's end and its status line" "$s" "$7"
	keys "$s" Escape
	keys "$s" f
	see "$s: the filter pane's facets, labelled" "$s" "${10}"
	keys "$s" f
	keys "$s" d
	matches "$s: the delete question fits the line with its answer keys" "$(wait_for "$s" "${11}"; line_of "$s" 24)" "*${11}"
	keys "$s" Escape
	keys "$s" e
	see "$s: the form" "$s" "$8"
	for _ in 1 2 3 4 5 6 7; do keys "$s" Down; done
	keys "$s" C-u
	type_text "$s" "31.02.2021"
	keys "$s" Down
	see "$s: a bad date's message is shown whole, wrapped" "$s" "$9"
	not_see "$s: without the field's key in front" "$s" "↳ date:"
	keys "$s" Escape
	# The changed form asks first; yes discards it (and leaves no draft).
	keys "$s" y
	TM kill-session -t "$s"
}

check_language C "1 of 1 case" "q:quit" "2021-05-01" "2021-06-10" "2021-05-02" \
    "Help · line" "Edit case 1" "YYYY-MM-DD)" "[ ] administrative arrest" "(y/n)"
check_language ru_RU "1 из 1 дела" "q:выход" "01.05.2021" "10.06.2021" "02.05.2021" \
    "Справка · строка" "Правка дела 1" "ГГГГ-ММ-ДД)" "[ ] административный арест" "(д/н)"
check_language kk_KZ "1 / 1 іс" "q:шығу" "01.05.2021" "10.06.2021" "02.05.2021" \
    "Көмек ·" "№1 істі өңдеу" "ЖЖЖЖ-АА-КК)" "[ ] әкімшілік қамаққа алу" "(и/ж)"
