#!/bin/sh
# TUI: no heading or hint line of the filter pane or the form is cut
# without "…", at 60 and 160 columns, in English, Russian and Kazakh. A
# line either reads whole (one of its wordings, as the catalog gives it)
# or ends in "…"; beside the list, where the pane is narrow, the pane's
# headings take their shorter wording and read whole. A choice whose label
# is too long keeps its "▾ ]" and cuts the label inside; a field not being
# edited shows the start of its value, ending in "…" when it is longer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

LOC=$(cd "$(dirname "$CASEBOOK")" && pwd)/locale
AFF="Демократический выбор Казахстана и другие объединения граждан"
cb add name="Айгерим Датова" city=Алматы injuries=chemical affiliation="$AFF" >/dev/null
cb searches add almaty_court_with_a_rather_long_name city:Алматы status:in_court >/dev/null

# tr_msg LOCALE MSGID: the message as casebook shows it in that locale.
tr_msg() {
	TEXTDOMAINDIR=$LOC LANGUAGE='' LC_ALL=$1.UTF-8 gettext casebook "$2"
}

# trim TEXT: TEXT without the blanks around it.
trim() { printf '%s' "$1" | sed 's/^ *//; s/ *$//'; }

# pane_text LINE: the filter pane's part of a screen line: up to its
# border, without the rule and blanks around a title.
pane_text() { printf '%s' "$1" | sed 's/│.*//; s/^─ //; s/[ ─]*$//'; }

# whole_or_cut "what" TEXT WORDING...: TEXT is one of the wordings, whole,
# or ends in "…".
whole_or_cut() {
	_what=$1 _got=$2; shift 2
	for _w in "$@"; do
		[ "$_got" = "$(trim "$_w")" ] && { ok "$_what"; return; }
	done
	case "$_got" in *…) ok "$_what" ;; *) not_ok "$_what" "cut without …: $_got" ;; esac
}

# whole "what" TEXT WORDING...: TEXT is one of the wordings, whole.
whole() {
	_what=$1 _got=$2; shift 2
	for _w in "$@"; do
		[ "$_got" = "$(trim "$_w")" ] && { ok "$_what"; return; }
	done
	not_ok "$_what" "not whole: $_got"
}

# check_lines LOCALE WIDTH HEIGHT
check_lines() {
	l=$1 w=$2 h=$3 s="$1-$2"
	if [ "$l" != C ] && ! locale -a 2>/dev/null | grep -qix "$l.utf8"; then
		not_ok "the $l.UTF-8 locale is installed (run make deps as root)"
		return
	fi
	tui_start "$s" "$w" "$h" -u LC_ALL -u LANGUAGE LANG="$l.UTF-8"
	see "$s: start" "$s" "Айгерим Датова"
	keys "$s" f
	label=$(tr_msg "$l" "Filter line: ")
	see "$s: the filter pane" "$s" "$label"
	scr=$(screen "$s")
	title=$(pane_text "$(printf '%s\n' "$scr" | sed -n 1p)")
	n=$(printf '%s\n' "$scr" | grep -n -m1 "^$label" | cut -d: -f1)
	fline=$(pane_text "$(printf '%s\n' "$scr" | sed -n "${n}p")")
	saved=$(pane_text "$(printf '%s\n' "$scr" | sed -n "$((n + 1))p")")
	t1=$(tr_msg "$l" " Filter (space: choose, c: clear) ")
	t2=$(tr_msg "$l" " Filter (space, c: clear) ")
	f1="$label$(tr_msg "$l" "(: or Enter to type)")"
	f2="$label$(tr_msg "$l" "(: or Enter)")"
	s1=$(tr_msg "$l" "Saved searches (S saves the filter)")
	s2=$(tr_msg "$l" "Saved searches (S: save)")
	whole_or_cut "$s: the pane's title" "$title" "$t1" "$t2"
	whole_or_cut "$s: the filter line's hint" "$fline" "$f1" "$f2"
	whole_or_cut "$s: the saved searches heading" "$saved" "$s1" "$s2"
	if [ "$w" -ge 80 ]; then
		whole "$s: beside the list, the title reads whole" "$title" "$t1" "$t2"
		whole "$s: and the filter line's hint" "$fline" "$f1" "$f2"
		whole "$s: and the saved searches heading" "$saved" "$s1" "$s2"
	fi
	keys "$s" f
	keys "$s" e
	see "$s: the edit form" "$s" "$(tr_msg "$l" "Edit case %llu (rev %u)" | sed "s/%llu/1/; s/%u/1/")"
	hint=$(trim "$(line_of "$s" "$h")")
	whole_or_cut "$s: the form's key hints" "$hint" \
	    "$(tr_msg "$l" "^S save · Esc cancel · Enter choose · ^X remove · ^E notes in editor · ? keys")" \
	    "$(tr_msg "$l" "^S save · Esc cancel · ? keys")"
	whole "$s: the key hints read whole" "$hint" \
	    "$(tr_msg "$l" "^S save · Esc cancel · Enter choose · ^X remove · ^E notes in editor · ? keys")" \
	    "$(tr_msg "$l" "^S save · Esc cancel · ? keys")"
	item=$(tr_msg "$l" "Injury %zu" | sed "s/%zu/1/")
	choice=$(trim "$(screen "$s" | grep -F "$item")")
	matches "$s: the injury's choice keeps its ▾ ]" "$choice" "*▾ ]"
	aff=$(trim "$(screen "$s" | grep "^$(tr_msg "$l" "Affiliation") ")")
	if [ "$w" -ge 80 ]; then
		contains "$s: a long value in the form reads whole" "$aff" "$AFF"
	else
		matches "$s: a long value in the form ends in …" "$aff" "*Демократический выбор*…"
	fi
	TM kill-session -t "$s"
}

for l in C ru_RU kk_KZ; do
	check_lines "$l" 60 20
	check_lines "$l" 160 48
done
