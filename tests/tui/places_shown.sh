#!/bin/sh
# Places and dates in the list, the case view and the person view as the
# command line shows them: a city stored in Latin letters is named by the
# gazetteer in Russian and Kazakh (Uralsk → Уральск, Орал), as typed in
# English; the person view's case and measure dates are in the local form.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

cb add name='Асель Нурлан' birth_year=1985 city=Uralsk date=2021-05-01 \
    'measures=admin_arrest:days=5:date=2021-05-02' >/dev/null
cb add name='Asel Nurlan' birth_year=1985 city=Uralsk date=2021-06-12 >/dev/null

# check_places LOCALE CITY DATE
check_places() {
	s=$1
	if [ "$s" != C ] && ! locale -a 2>/dev/null | grep -qix "$s.utf8"; then
		not_ok "the $s.UTF-8 locale is installed (run make deps as root)"
		return
	fi
	tui_start "$s" 80 24 -u LC_ALL -u LANGUAGE LANG="$s.UTF-8"
	wait_for "$s" "$3" >/dev/null
	matches "$s: the list row names the city as $2" "$(line_of "$s" 2)" "*$2*"
	keys "$s" Enter
	see "$s: the case view names the city as $2" "$s" "$2"
	keys "$s" Escape
	keys "$s" o
	see "$s: the person view's case date is $3" "$s" "$3"
	see "$s: and its city $2" "$s" "$2"
	TM kill-session -t "$s"
}

check_places ru_RU Уральск 12.06.2021
check_places kk_KZ Орал 12.06.2021
check_places C Uralsk 2021-06-12

