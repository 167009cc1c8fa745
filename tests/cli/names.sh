#!/bin/sh
# Names across scripts: a generated data set where every person's name is
# spelt a different way from row to row (Kazakh Cyrillic, Russian-style
# Cyrillic without the Kazakh letters, passport Latin, the 2021 Kazakh Latin
# alphabet, surname first). `name:` in every spelling must count exactly the
# rows the generator wrote for that person, and near names (Марат and Мурат,
# Серік and Сергей, Ахмет and Ахмед) must stay apart. Then a database in the
# layout of an earlier version (no name_skel index) gets the keys on its
# first writable open, is still searched when opened read-only, and check
# finds a damaged skeleton key.
. "$(dirname "$0")/../lib.sh"

# One person a line: first names and surnames in five spellings, and the
# number of rows to write. The spellings are the ones the issue quotes;
# a person's rows cycle through them.
cat > "$T/people" <<'EOF'
Нұржан|Нуржан|Nurzhan|Nurjan|Нуржан;Төлегенов|Толегенов|Tolegenov|Tölegenov|Tolegenov;7
Жанар|Жанар|Zhanar|Janar|Zhanar;Джуманиязова|Джуманиязова|Dzhumaniyazova|Jumaniyazova|Djumaniyazova;9
Гүлнар|Гульнар|Gulnar|Gülnar|Гулнар;Шәріпова|Шарипова|Sharipova|Şäripova|Sharipova;6
Ерлан|Ерлан|Yerlan|Erlan|Yerlan;Бекмұхамбетов|Бекмухамбетов|Bekmukhambetov|Bekmuhambetov|Бекмухамбетов;5
Марат|Марат|Marat|Marat|Марат;Құсайынов|Кусаинов|Kussainov|Qusaiynov|Kusainov;8
Мурат|Мурат|Murat|Murat|Мурат;Құсайынов|Кусаинов|Kussainov|Qusaiynov|Kusainov;4
Серік|Серик|Serik|Serik|Серик;Ахметов|Ахметов|Akhmetov|Ahmetov|Ахметов;6
Сергей|Сергей|Sergey|Sergei|Сергей;Ахмедов|Ахмедов|Akhmedov|Ahmedov|Ахмедов;3
Асель|Асель|Assel|Äsel|Asel;Казиева|Казиева|Kaziyeva|Qazieva|Kazieva;5
Айгүл|Айгуль|Aigul|Aigül|Aigul;Сейітқали-Омарова|Сеиткали-Омарова|Seitkali-Omarova|Seitqali-Omarova|Seitkali-Omarova;4
EOF

# The CSV: row r of a person uses spelling r mod 5; spelling 5 puts the
# surname first. A few rows keep the passport spelling in name_latin too.
awk -F'[|;]' '
BEGIN { print "name,name_latin,city" }
{
	for (r = 0; r < $11; r++) {
		s = r % 5
		name = (s == 4) ? $(6 + s) " " $(1 + s) : $(1 + s) " " $(6 + s)
		latin = (r == 1) ? $3 " " $8 : ""
		print name "," latin ",Алматы"
	}
}' "$T/people" > "$T/people.csv"
rows=$(awk -F';' '{ n += $3 } END { print n }' "$T/people")
expect_rc "the generated data set imports" 0 import "$T/people.csv"
cb list --count
same "every generated row is a case" "$out" "$rows"

# count WORDS...: the number of cases `list name:W1 name:W2 ...` finds.
count() {
	args=""
	for w in "$@"; do args="$args name:$w"; done
	# shellcheck disable=SC2086 # one argument per word
	cb list --count $args
	echo "$out"
}

# Every spelling of every person, first name and surname as two terms (in
# the order of that spelling), finds exactly that person's rows.
bad=""
while IFS=';' read -r first last n; do
	for s in 1 2 3 4 5; do
		f=$(echo "$first" | cut -d'|' -f$s)
		l=$(echo "$last" | cut -d'|' -f$s)
		got=$(count "$f" "$l")
		[ "$got" = "$n" ] || bad="$bad
$f $l: $got, wanted $n"
		got=$(count "$l" "$f")
		[ "$got" = "$n" ] || bad="$bad
$l $f (swapped): $got, wanted $n"
	done
done < "$T/people"
if [ -z "$bad" ]; then
	ok "name: in every spelling and order counts that person's rows"
else
	not_ok "name: in every spelling and order counts that person's rows" "$bad"
fi

# Single words, spellings the data set does not hold, upper case, a bare
# word, and a prefix typed on a Russian keyboard.
same "нуржан (no Kazakh letters) finds Нұржан" "$(count нуржан)" 7
same "NURZHAN in capitals" "$(count NURZHAN)" 7
same "Djanar (French-style) finds Жанар" "$(count Djanar)" 9
same "ДЖУМАНИЯЗОВА finds every spelling" "$(count ДЖУМАНИЯЗОВА)" 9
same "Шарипова finds Шәріпова and Şäripova" "$(count Шарипова)" 6
same "a prefix: нурж" "$(count нурж)" 7
same "a prefix across scripts: Bekmukh" "$(count Bekmukh)" 5
same "Kaziyev = Kaziev = Қазиева: Kazieva" "$(count Қазиева)" 5
same "Assel = Asel = Әсел" "$(count Әсел)" 5
same "a part of a hyphenated surname: Omarova finds Сеиткали-Омарова" "$(count Omarova)" 4
same "the other part, in the other script: Сейітқали" "$(count Сейітқали)" 4
cb list --count zhanar jumaniyazova
same "two bare words: both, any order and script" "$out" 9
cb list --count "name:\"Tolegenov Nurzhan\""
same "two words in one quoted name: term" "$out" 7

# Near names stay apart.
same "Марат Кусаинов is not Мурат" "$(count Марат Кусаинов)" 8
same "Murat Kusainov is not Marat" "$(count Murat Kusainov)" 4
same "the surname alone finds both" "$(count Kusainov)" 12
same "Серік is not Сергей" "$(count Серік)" 6
same "Сергей is not Серік" "$(count Sergey)" 3
same "Ахметов is not Ахмедов" "$(count Ахметов)" 6
same "Akhmedov is not Akhmetov" "$(count Akhmedov)" 3
same "Tolegenov does not take Жанар" "$(count tolegenov жанар)" 0

# The order and sort of the result are those of any other filter.
cb list --format ids --sort name 'name:Құсайынов'
n=$(echo "$out" | wc -w)
same "a sorted page of a cross-script filter" "$n" 12

expect_rc "check passes on the new database" 0 check
contains "check counts the name_skel entries too" "$out" "index entries"

# ---- A database of an earlier version ------------------------------------

# old NAME AWK: a copy of the database in $T/NAME whose dump went through AWK.
copy_db() {
	mdb_dump -a "$T/db" > "$T/dump"
	sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" "$T/dump" | awk "$2" > "$T/dump2"
	rm -rf "${T:?}/$1"
	mkdir -m 700 "$T/$1"
	mdb_load -f "$T/dump2" "$T/$1"
}
# Without the name_skel database: the layout casebook had before it.
copy_db old '
	/^VERSION=/ { hold = $0; next }
	hold != "" && !/^database=/ { hold = hold "\n" $0; next }
	hold != "" { block = ($0 == "database=name_skel"); if (!block) print hold; hold = "" }
	block { if ($0 == "DATA=END") block = 0; next }
	{ print }'
if mdb_stat -a "$T/old" 2>/dev/null | grep -q "name_skel"; then
	not_ok "the old-layout copy has no name_skel database"
else
	ok "the old-layout copy has no name_skel database"
fi

# Read-only, the old database is still searched as before (folded words).
out=$("$CASEBOOK" -d "$T/old" -r list --count name:нұржан 2>&1)
same "read-only, an old database is searched by folded words" "$out" 2
out=$("$CASEBOOK" -d "$T/old" -r list --count name:нуржан 2>&1); rc=$?
same "read-only, нуржан finds what the earlier version found (3 of 7), no error" "$rc:$out" "0:3"

# The first writable open adds the keys; then every spelling is found.
out=$("$CASEBOOK" -d "$T/old" list --count name:нуржан 2>&1)
same "after a writable open: нуржан finds every Нұржан" "$out" 7
if mdb_stat -a "$T/old" 2>/dev/null | grep -q "name_skel"; then
	ok "the writable open made the name_skel database"
else
	not_ok "the writable open made the name_skel database"
fi
out=$("$CASEBOOK" -d "$T/old" check 2>&1); rc=$?
same "check passes on the upgraded database" "$rc" 0
same "the upgraded database has the entries of a new one" \
	"$(echo "$out" | grep -o '[0-9]* index entries')" \
	"$("$CASEBOOK" -d "$T/db" check 2>&1 | grep -o '[0-9]* index entries')"

# ---- check finds a damaged skeleton key ----------------------------------

# The key "nurjan" (6e75726a616e) becomes "nurjam" (6e75726a616d).
copy_db damaged '
	/^database=/ { db = $0 }
	db == "database=name_skel" && $0 == " 6e75726a616e" { $0 = " 6e75726a616d" }
	{ print }'
out=$("$CASEBOOK" -d "$T/damaged" -r check 2>&1); rc=$?
same "check fails on a damaged skeleton key (exit 1: problems found)" "$rc" 1
contains "check names the missing skeleton key" "$out" 'index name_skel: case 1 missing under "nurjan"'
contains "check names the extra skeleton key" "$out" 'index name_skel: extra entry for case 1 under "nurjam"'

# ---- An index made under another key version is rebuilt -----------------

# A copy saying its name_skel keys were made under key version 7 (meta
# "index_version:name_skel", hex below), keys this casebook does not make,
# and with case 1 moved from "nurjan" to "nurjam". Read-only, the index is
# not read (names match by folded words: 3; reading it would give 6); the
# first writable open empties and refills it (7).
vkey=696e6465785f76657273696f6e3a6e616d655f736b656c
copy_db stale "
	/^database=/ { db = \$0 }
	db == \"database=name_skel\" && \$0 == \" 6e75726a616e\" && !moved { \$0 = \" 6e75726a616d\"; moved = 1 }
	db == \"database=meta\" && prev == \" $vkey\" { \$0 = \" 37\" }
	{ prev = \$0 }
	{ print }"
out=$("$CASEBOOK" -d "$T/stale" -r list --count name:нуржан 2>&1)
same "read-only, an index of another key version is not read" "$out" 3
out=$("$CASEBOOK" -d "$T/stale" list --count name:нуржан 2>&1)
same "the writable open rebuilt it: нуржан finds all 7 again" "$out" 7
out=$("$CASEBOOK" -d "$T/stale" check 2>&1); rc=$?
same "check passes after the rebuild (the damaged key is gone)" "$rc" 0
stored=$(mdb_dump -s meta -p "$T/stale" | grep -A1 "^ index_version:name_skel$" | sed -n "2s/^ //p")
same "the version this casebook makes is stored" "$stored" "1"
