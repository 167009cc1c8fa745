#!/bin/sh
# TUI measurement (not a timed test): bytes written to the terminal and
# key-to-update times for moves, pages and filter changes, and the time to
# the first screen, on 1,000,000 synthetic cases at 80x24 and 160x48.
#   sh bench/tui_measure.sh              (uses build/casebook)
#   B=build-foo N=100000 sh bench/tui_measure.sh
# The database is generated once (CSV through `casebook import`) and kept
# in $B/bench/tui-N; results go to stdout (recorded in bench/TUI.md).
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
N=${N:-1000000}
CASEBOOK=${CASEBOOK:-$PWD/$B/casebook}
DB=$B/bench/tui-$N
mkdir -p "$B/bench"
if [ ! -x "$CASEBOOK" ]; then
	echo "tui_measure: $CASEBOOK is not built (run make)" >&2
	exit 2
fi
if [ ! -x "$B/bench/tui_measure" ] || [ bench/tui_measure.c -nt "$B/bench/tui_measure" ]; then
	${CC:-cc} -std=c11 -O2 -o "$B/bench/tui_measure" bench/tui_measure.c || exit 2
fi
if [ ! -d "$DB" ]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/casebook-tui.XXXXXX") || exit 2
	chmod 700 "$tmp"
	awk -v n="$N" 'BEGIN {
		srand(42)
		split("Алматы Астана Шымкент Актобе Караганда Тараз Павлодар Усть-Каменогорск Семей Атырау Костанай Кызылорда Уральск Петропавловск Актау Туркестан Кокшетау Талдыкорган Экибастуз Жанаозен Темиртау", city, " ")
		split("Ержан Айгерим Нурлан Данияр Жанна Асель Марат Гульнара Бауыржан Сауле Ivan Olga Timur Dana", first, " ")
		split("Сатпаев Нурланова Садыков Бекова Ахметов Kim Petrov Ospanova Zhakupov Abenov", last, " ")
		split("detention admin_arrest fine warning preventive threat surveillance search", meas, " ")
		split("bruise abrasion strangulation head_trauma joint_injury chemical", inj, " ")
		split("open awaiting_trial in_court appeal closed", st, " ")
		print "name,city,event,date,measures,injuries,status"
		for (i = 1; i <= n; i++) {
			m = meas[int(rand() * 8) + 1]
			if (m == "detention" || m == "admin_arrest") m = m ":days=" int(rand() * 20)
			j = rand() < 0.2 ? inj[int(rand() * 6) + 1] : ""
			ev = rand() < 0.5 ? "2021-04-24 DCK rallies" : "2021-05-01 DCK rallies"
			printf "%s %s,%s,%s,2021-%02d-%02d,%s,%s,%s\n", first[int(rand() * 14) + 1], last[int(rand() * 10) + 1],
			    city[int(rand() * 21) + 1], ev, int(rand() * 12) + 1, int(rand() * 28) + 1, m, j, st[int(rand() * 5) + 1]
		}
	}' > "$tmp/cases.csv"
	t0=$(date +%s.%N)
	"$CASEBOOK" -d "$DB" import "$tmp/cases.csv" || { rm -rf "$tmp"; exit 1; }
	t1=$(date +%s.%N)
	echo "generated $N cases in $DB (import $(echo "$t1 - $t0" | bc) s)"
	rm -rf "$tmp"
fi
echo "== $N cases, 80x24"
"$B/bench/tui_measure" "$CASEBOOK" "$DB" 24 80
echo "== $N cases, 160x48"
"$B/bench/tui_measure" "$CASEBOOK" "$DB" 48 160
