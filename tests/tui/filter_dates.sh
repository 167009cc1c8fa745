#!/bin/sh
# TUI: the filter pane's date group (months that open into their days) and
# days group (buckets of the days held), each count the same as the CLI's
# for the same term; the lines of group keys fit, uncut, at 60, 80 and 160
# columns in English, Russian and Kazakh, and every group is reached by its
# key; at 80 columns the list stays visible beside the pane.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name="Иван Петров" date=2021-05-01 'measures=detention:days=3' >/dev/null
cb add name="Асель Нурова" date=2021-05-01 'measures=admin_arrest:days=10' >/dev/null
cb add name="Болат Ким" date=2021-05-03 >/dev/null
cb add name="Дана Омарова" date=2021-05 'measures=admin_arrest:days=15' >/dev/null
cb add name="Aigerim Nurlanovna" date=2021-06-12 \
    'measures=admin_arrest:days=15|detention:days=3' >/dev/null
cb add name="Ержан Сапаров" date=2020-11-30 'measures=detention:days=2' >/dev/null
cb add name="Гульнара Ахметова" date=2019 >/dev/null

# pane SESSION: the filter pane's part of the screen (left of its border).
pane() { screen "$1" | sed 's/│.*//'; }
# count_of SESSION LABEL: the count at the end of the pane's row for LABEL.
count_of() { pane "$1" | grep -F -- "] $2 " | head -1 | awk '{ print $NF }'; }
# cli_count TERM: what `casebook list TERM --count` says.
cli_count() { cb list "$1" --count; printf '%s' "$out"; }
# wait_count SESSION LABEL WANT: waits until the row of LABEL counts WANT.
wait_count() {
	_i=0
	while [ "$_i" -lt 50 ]; do
		[ "$(count_of "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
# pane_lacks "what" SESSION TEXT: TEXT is not (or no longer) in the pane.
pane_lacks() {
	_i=0
	while [ "$_i" -lt 50 ] && pane "$2" | grep -qF -- "$3"; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if pane "$2" | grep -qF -- "$3"; then not_ok "$1" "unwanted in the pane: $3
$(screen "$2")"; else
		ok "$1"; fi
}
# group SESSION KEY TITLE: goes to a group by its key, then Esc ends the
# search its key starts (waiting, so Esc and the next key stay apart).
group() {
	keys "$1" "$2"
	wait_for "$1" "$3:" 30
	keys "$1" Escape
	wait_gone "$1" "$3:"
}
# row_counts "what" SESSION LABEL TERM: the row's count is the CLI's.
row_counts() {
	_want=$(cli_count "$4")
	if wait_count "$2" "$3" "$_want"; then ok "$1 ($_want)"; else
		not_ok "$1" "wanted $_want on the row of $3, got '$(count_of "$2" "$3")'
$(screen "$2")"; fi
}

# ---- The group keys: every group, uncut, reached by its key --------------

# check_keys SESSION WIDTH HEIGHT LOCALE TITLES: TITLES the eleven group
# titles, "|" between them, in the order of the keys 1-9, 0, -.
check_keys() {
	s=$1 w=$2 h=$3 loc=$4 titles=$5
	if [ "$loc" != C ] && ! locale -a 2>/dev/null | grep -qix "$loc.utf8"; then
		not_ok "the $loc.UTF-8 locale is installed (run make deps as root)"
		return
	fi
	tui_start "$s" "$w" "$h" -u LC_ALL -u LANGUAGE LANG="$loc.UTF-8"
	see "$s: start" "$s" "7"
	keys "$s" f
	see "$s: the pane opens" "$s" "1 ${titles%%|*}"
	sleep 0.3
	keylines=$(pane "$s" | sed -n '2,5p' | grep '^[0-9-] ')
	rest=$titles
	for k in 1 2 3 4 5 6 7 8 9 0 -; do
		title=${rest%%|*} rest=${rest#*|}
		contains "$s: the key lines show \"$k $title\"" "$keylines" "$k $title"
	done
	case "$keylines" in
	*…*) not_ok "$s: nothing on the key lines is cut" "$keylines" ;;
	*) ok "$s: nothing on the key lines is cut" ;;
	esac
	rest=$titles
	for k in 1 2 3 4 5 6 7 8 9 0 -; do
		title=${rest%%|*} rest=${rest#*|}
		keys "$s" "$k"
		# The message is on the status line (or the two-line message area).
		if wait_for "$s" "$title:" 30 && screen "$s" | tail -2 | grep -qF "$title:"; then
			ok "$s: key $k goes to $title"
		else
			not_ok "$s: key $k goes to $title" "$(screen "$s")"
		fi
		keys "$s" Escape
		# Esc ends the search (and its message) before the next key, which
		# would otherwise make an Alt- key of it.
		wait_gone "$s" "$title:"
	done
	keys "$s" q
	TM kill-session -t "$s"
}

EN="City|Region|Injury|Measure|Event|Status|Verification|Sex|Lawyer|Date|Days held"
RU="Город|Область|Травма|Мера|Мероприятие|Статус|Достоверность|Пол|Адвокат|Дата|Сутки"
KK="Елді мекен|Облыс|Жарақат|Шара|Іс-шара|Мәртебе|Растау дәрежесі|Жынысы|Адвокат|Күні|Тәулік"
for size in "80 24" "60 20" "160 48"; do
	set -- $size
	check_keys "en$1" "$1" "$2" C "$EN"
	check_keys "ru$1" "$1" "$2" ru_RU "$RU"
	check_keys "kk$1" "$1" "$2" kk_KZ "$KK"
done

# ---- Beside the list at 80 columns --------------------------------------

tui_start a 80 24
see "start" a "7 of 7 cases"
keys a f
see "f opens the pane" a "1 City"
# The list's other rows stay visible (the detail pane shows only case 1).
see "the list stays visible beside the pane" a "Болат Ким"
see "and its last case" a "7 Гульнара"
matches "the pane and the list share the top line" "$(line_of a 1)" "*Filter*Name*"

# ---- Dates: months open into days ---------------------------------------

group a 0 Date
row_counts "the newest month first, counted as date:2021-06" a "▸ 2021-06" date:2021-06
row_counts "May 2021 counts its days and the month-only date" a "▸ 2021-05" date:2021-05
row_counts "November 2020" a "▸ 2020-11" date:2020-11
pane_lacks "days stay hidden until their month opens" a "2021-05-01"
keys a Down Right
see "Right opens the month" a "▾ 2021-05"
row_counts "the day 2021-05-01" a "2021-05-01" date:2021-05-01
row_counts "the day 2021-05-03" a "2021-05-03" date:2021-05-03
keys a Down Space
want=$(cli_count date:2021-05-01)
see "Space on a day filters by it" a "$want of 7 cases · date:2021-05-01"
keys a c Left
pane_lacks "Left on a day closes its month" a "2021-05-03"
keys a Space
want=$(cli_count date:2021-05)
see "the cursor is on the month: Space filters by it" a "$want of 7 cases · date:2021-05"
keys a c

# ---- Days held, in buckets ----------------------------------------------

group a - "Days held"
row_counts "no days held" a "0" days:0
row_counts "1–5 days" a "1–5" days:1..5
row_counts "6–10 days" a "6–10" days:6..10
row_counts "11–15 days" a "11–15" days:11..15
row_counts "16 days or more" a "16 or more" days:16..
keys a Down Space
want=$(cli_count days:1..5)
see "Space on a bucket filters by it" a "$want of 7 cases · days:1..5"
keys a q
