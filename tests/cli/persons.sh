#!/bin/sh
# People across cases: automatic linking by the skeleton rule, possible
# duplicates on add/edit/import, link/unlink/merge (each checked by
# `casebook check` and undone by its inverse), bad input that changes
# nothing, the person view and its totals, the person:/cases:/repeat:
# filters, a generated data set whose expected counts the generator knows,
# an older database without people, and two processes at once.
. "$(dirname "$0")/../lib.sh"

# state: everything about people that a change could touch.
state() {
	"$CASEBOOK" -d "$T/db" persons --format csv 2>&1
	"$CASEBOOK" -d "$T/db" audit 2>&1 | wc -l
}
check_ok() { # what
	cb check
	if [ "$rc" -eq 0 ]; then
		contains "$1: check passes and checks the links" "$out" "agree both ways"
	else
		not_ok "$1: check passes" "$out$err"
	fi
}

# ---- Automatic linking -------------------------------------------------------

cb add "name=Жанар Төлегенов" birth_year=1990 city=Алматы date=2021-04-24 \
	"event=2021-04-24 DCK rallies" "measures=preventive|detention:days=1"
same "a first case" "$rc:$out" "0:1"
lacks "a first case has no possible duplicate" "$err" "possible duplicate"
cb add "name=TOLEGENOV Zhanar" birth_year=1990 date=2021-05-01 \
	"measures=admin_arrest:days=15:article=KoAP 488 part 6:court=Almaly district court"
same "the same person in passport Latin, other order" "$rc:$out" "0:2"
lacks "a certain match is linked, not offered" "$err" "possible duplicate"
cb show 2 --json
contains "show --json gives the case's person" "$out" '"person": 1'
cb show 1 --json
contains "both cases are person 1" "$out" '"person": 1'
cb add "name=Janar Tolegenov" date=2021-06-01 "measures=fine:fine=100 MRP"
same "without a birth year: added (exit 0)" "$rc" 0
contains "without a birth year: a possible duplicate on stderr" "$err" \
	"possible duplicate of person 1 (2 cases: 1, 2"
cb show 3 --json
contains "without a birth year: its own person" "$out" '"person": 2'
cb add "name=Жанар Төлегенов Маратовна" birth_year=1990
contains "an extra patronymic: a possible duplicate" "$err" "possible duplicate of person 1"
cb add "name=" city=Алматы
same "an unidentified case is added" "$rc:$out" "0:5"
cb show 5 --json
contains "an unidentified case has no person" "$out" '"person": null'
cb add "name=Ерлан Ким" birth_year=1970 date=2021-05-01
cb persons --count
same "five identified cases, four people" "$out" 4
check_ok "after adds"

# ---- The person view -------------------------------------------------------

cb add "name=Жанар Толегенова" birth_year=1991 "measures=fine:fine=50 MRP:date=2021-09-01"
cb link 7 1
same "link a case to a person" "$rc" 0
cb person 1
contains "every spelling" "$out" "Жанар Төлегенов; TOLEGENOV Zhanar; Жанар Толегенова"
contains "birth year" "$out" "1990"
contains "arrest days in the totals" "$out" "arrest 15 days"
contains "detention days in the totals" "$out" "detention 1 day"
contains "the article and court of a measure" "$out" "KoAP 488 part 6, Almaly district court"
contains "a fine within 12 months of an arrest is a repeat" "$out" "50 MRP, 2021-09-01  [repeat]"
out=$(env -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8 "$CASEBOOK" -d "$T/db" report)
contains "the bulletin's repeat list dates the sanction in the local form" "$out" "01.09.2021 административный штраф"
cb person 1 --json
contains "json: names" "$out" '"TOLEGENOV Zhanar"'
contains "json: totals" "$out" '"arrest_days": 15'
contains "json: repeat marks" "$out" '"repeat": true'
cb list --format ids person:1
same "person:1" "$(echo $out)" "1 2 7"
cb list --count 'cases:>=3'
same "cases:>=3" "$out" 3
cb list --count repeat:yes
same "repeat:yes finds the case with the repeated sanction" "$out" 1
cb list --format ids repeat:yes
same "repeat:yes is case 7" "$out" 7
cb list --count repeat:no
same "repeat:no is every other case" "$out" 6
cb list --count -person:1
same "-person:1" "$out" 4
mkdir -p "$HOME/.config/casebook"
printf 'repeat_window_months = 3\n' > "$HOME/.config/casebook/config"
cb list --count repeat:yes
same "a 3-month window: no repeat" "$out" 0
rm "$HOME/.config/casebook/config"
cb persons
matches "persons: most cases first" "$(echo "$out" | sed -n 2p)" "1 * 3 * 3 *1990*"
cb persons --format json city:Алматы
contains "persons under a filter, json" "$out" '"matching": 1'
cb persons --duplicates
contains "duplicates: a pair with the evidence" "$out" "persons 1 and 2 may be one person"
contains "duplicates: the events (the town named in the interface language)" "$out" "2021-04-24 DCK rallies, Almaty"
check_ok "after link"

# ---- Link, unlink, merge and their inverses --------------------------------------

before=$(state)
cb unlink 7
contains "unlink: the case becomes a new person" "$out" "case 7 is now person"
new=$(echo "$out" | sed 's/.*now person \([0-9]*\).*/\1/')
check_ok "after unlink"
cb person 1
lacks "unlink: the spelling goes with the case" "$out" "Толегенова"
cb link 7 1
check_ok "after link back"
after=$(state)
same "unlink undone by link: the same people" "$(echo "$before" | sed '$d')" "$(echo "$after" | sed '$d')"
cb history 7
contains "history: the unlink is audited" "$out" "unlinked from its person: person 1 → $new"
contains "history: so is the link" "$out" "linked to a person: person $new → 1"
cb merge 1 2
same "merge" "$rc" 0
check_ok "after merge"
cb person 1
contains "a merge keeps every spelling" "$out" "Janar Tolegenov"
cb person 2
contains "the merged person says where it went" "$out" "merged into person 1"
cb persons --count
same "one person fewer" "$out" 3
cb link 3 2
same "merge undone by linking the case back to the emptied person" "$rc" 0
check_ok "after undoing the merge"
cb person 2
contains "person 2 is back" "$out" "Janar Tolegenov"

# ---- Bad input: one line, exit 1, nothing changed ------------------------------

before=$(state)
for args in "link 99 1" "link 1 99" "link 1 1" "merge 1 1" "merge 1 99" "merge 99 1" \
	"unlink 99" "unlink 6" "link 5 1" "unlink 5"; do
	# shellcheck disable=SC2086
	cb $args
	n=$(printf '%s\n' "$err" | wc -l)
	same "$args: exit 1 with one line" "$rc:$n" "1:1"
done
cb link x 1
same "a bad case id is a user error" "$rc" 1
cb merge 1 0
same "a bad person id is a user error" "$rc" 1
contains "the message names the bad id" "$err" 'bad person id "0"'
cb link 1
same "one word only is a usage error" "$rc" 2
rev=$("$CASEBOOK" -d "$T/db" person 1 --json | sed -n 's/.*"rev": \([0-9]*\).*/\1/p')
cb edit 1 "aliases=Zhanar TOLEGENOVA"
cb merge 1 2 --rev "$rev,1"
same "a merge from a stale revision is refused" "$rc" 1
contains "it says why" "$err" "was changed meanwhile"
cb edit 1 aliases=
after=$(state)
same "nothing changed by any of them (people, and no audit entries but the two edits)" \
	"$(echo "$after" | sed '$d')" "$(echo "$before" | sed '$d')"
same "only the two edits were audited" "$(echo "$after" | tail -1)" "$(($(echo "$before" | tail -1) + 2))"
check_ok "after bad input"

# ---- Edit and import ---------------------------------------------------------

cb edit 6 "name=Yerlan KIM"
same "an edit keeps the link when the name still matches" "$rc" 0
cb show 6 --json
contains "an edit keeps the link when the name still matches (person 4)" "$out" '"person": 4'
cb edit 6 birth_year=
cb show 6 --json
contains "an edit that removes the only case's birth year keeps its person" "$out" '"person": 4'
cb edit 6 "name=Ерлан Кимов"
check_ok "after edits"
cat > "$T/imp.csv" <<'EOF'
name,birth_year,date,measures
Zhanar Tolegenov,,2022-01-10,fine:fine=20 MRP
Ким Ерлан,,2022-02-01,
Асель Нурланова,2001,2022-03-01,
EOF
cb import "$T/imp.csv"
same "import" "$rc" 0
contains "import summarises the possible duplicates" "$err" \
	"1 case may belong to people already here: casebook persons --duplicates"
check_ok "after import"

# ---- A generated data set ------------------------------------------------------
# 64 people (8 first names x 8 surnames), each with 1-4 cases whose names are
# written in turn in Kazakh Cyrillic, passport Latin (surname first, capitals),
# the Russian keyboard's spelling and the 2021 Latin alphabet, in both orders;
# the last case of every fifth person has no birth year. The generator knows
# how many people the rule must find and how many cases belong to people
# with two or more.
rm -rf "$T/db"
awk 'BEGIN {
	split("Жанар Асель Нұржан Ерлан Айдар Бауыржан Джамиля Гүлнар", fc)
	split("ZHANAR ASSEL NURZHAN YERLAN AIDAR BAURZHAN JAMILYA GULNAR", fl)
	split("Жанар Асель Нуржан Ерлан Айдар Бауржан Джамиля Гульнар", fr)
	split("Janar Asel Nurjan Erlan Aidar Baurjan Jamilya Gulnar", fj)
	split("Төлегенов Ахметов Серіков Нұрланов Қасымов Омаров Жұмабаев Ысқақов", sc)
	split("TOLEGENOV AKHMETOV SERIKOV NURLANOV KASYMOV OMAROV ZHUMABAYEV YSKAKOV", sl)
	split("Толегенов Ахметов Сериков Нурланов Касымов Омаров Жумабаев Ыскаков", sr)
	split("Tolegenov Ahmetov Serikov Nurlanov Qasymov Omarov Jumabaev Yskaqov", sj)
	print "name,birth_year,date,measures" > "'"$T"'/gen.csv"
	people = 0; multi = 0
	for (p = 0; p < 64; p++) {
		f = p % 8 + 1; s = int(p / 8) + 1; k = p % 4 + 1; dated = 0
		for (c = 0; c < k; c++) {
			v = (p + c) % 4
			if (v == 0) n = fc[f] " " sc[s]
			else if (v == 1) n = sl[s] " " fl[f]
			else if (v == 2) n = sr[s] " " fr[f]
			else n = fj[f] " " sj[s]
			year = (p % 5 == 0 && c == k - 1) ? "" : 1950 + p
			if (year == "") people++; else dated++
			printf "%s,%s,%d-%02d-01,fine:fine=10 MRP\n", n, year, 2020 + c, p % 12 + 1 > "'"$T"'/gen.csv"
		}
		if (dated) people++
		if (dated >= 2) multi += dated
	}
	print people, multi > "'"$T"'/gen.expect"
}'
read -r want_people want_multi < "$T/gen.expect"
cb import "$T/gen.csv"
same "the generated set imports" "$rc" 0
cb persons --count
same "persons --count is what the generator knows ($want_people)" "$out" "$want_people"
cb list --count 'cases:>=2'
same "list --count cases:>=2 is what the generator knows ($want_multi)" "$out" "$want_multi"
check_ok "the generated set"

# ---- An older database: people are built on the first writable open -----------------

mdb_dump -a "$T/db" > "$T/dump"
# The dump without the databases named by the pattern dbs and without the
# meta keys (hex) in keys: a database as an earlier casebook made it.
strip_dump() {
	sed "s/^duplicates=1\$/dupsort=1/; /^db_pagesize=/d" "$T/dump" | awk -v dbs="$1" -v keys="$2" '
	/^VERSION=/ { hold = $0; next }
	hold != "" && !/^database=/ { hold = hold "\n" $0; next }
	hold != "" {
		block = ($0 ~ ("^database=(" dbs ")$"))
		meta = ($0 == "database=meta")
		if (!block) print hold
		hold = ""
	}
	block { if ($0 == "DATA=END") block = 0; next }
	meta && skip { skip = 0; next }
	meta && index(" " keys " ", " " substr($0, 2) " ") && substr($0, 1, 1) == " " { skip = 1; next }
	{ print }'
}
strip_dump "persons|case_person|person_cases|person_key|person_part|person_count|person_blocks|person_key_year" \
	"706572736f6e735f6275696c74 6e6578745f706572736f6e 706572736f6e5f626c6f636b73 706572736f6e5f6b65795f79656172" > "$T/dump2"
mkdir -m 700 "$T/old"
mdb_load -f "$T/dump2" "$T/old"
if mdb_stat -a "$T/old" 2>/dev/null | grep -q "person"; then
	not_ok "the old-layout copy has no person databases"
else
	ok "the old-layout copy has no person databases"
fi
out=$("$CASEBOOK" -d "$T/old" -r list --count 2>&1); rc=$?
same "read-only, an old database still lists its cases" "$rc:$out" "0:$(wc -l < "$T/gen.csv" | awk '{print $1 - 1}')"
out=$("$CASEBOOK" -d "$T/old" -r persons --count 2>&1); rc=$?
same "read-only, persons says they are not built yet" "$rc" 1
contains "and how to build them" "$out" "not built yet"
out=$("$CASEBOOK" -d "$T/old" -r check 2>&1)
contains "read-only check says people are not built" "$out" "not built yet"
out=$("$CASEBOOK" -d "$T/old" persons --count 2>&1)
same "the first writable open builds the people" "$out" "$want_people"
out=$("$CASEBOOK" -d "$T/old" check 2>&1); rc=$?
same "check passes on the upgraded database" "$rc" 0
contains "and counts its people" "$out" "ok: $want_people people"

# ---- An older database with people but without the blocks of links and year keys ----

strip_dump "person_blocks|person_key_year" "706572736f6e5f626c6f636b73 706572736f6e5f6b65795f79656172" > "$T/dump3"
mkdir -m 700 "$T/noblocks"
mdb_load -f "$T/dump3" "$T/noblocks"
if mdb_stat -a "$T/noblocks" 2>/dev/null | grep -q "person_blocks"; then
	not_ok "the copy has people but no blocks of links"
else
	ok "the copy has people but no blocks of links"
fi
cb persons --count 'cases:>=2'
multi_people=$out
out=$("$CASEBOOK" -d "$T/noblocks" -r persons --count 2>&1)
same "read-only without blocks, persons --count reads the links one by one" "$out" "$want_people"
out=$("$CASEBOOK" -d "$T/noblocks" -r persons --count 'cases:>=2' 2>&1)
same "and finds the same people with two cases or more ($multi_people)" "$out" "$multi_people"
out=$("$CASEBOOK" -d "$T/noblocks" persons --count 2>&1)
same "the first writable open fills the blocks; persons --count is the same" "$out" "$want_people"
out=$("$CASEBOOK" -d "$T/noblocks" persons --count 'cases:>=2' 2>&1)
same "and so is persons --count cases:>=2" "$out" "$multi_people"
if mdb_stat -a "$T/noblocks" 2>/dev/null | grep -q "person_blocks"; then
	ok "the blocks of links are there now"
else
	not_ok "the blocks of links are there now"
fi
if mdb_stat -a "$T/noblocks" 2>/dev/null | grep -q "person_key_year"; then
	ok "and so are the name keys with the birth year"
else
	not_ok "and so are the name keys with the birth year"
fi
out=$("$CASEBOOK" -d "$T/noblocks" check 2>&1); rc=$?
same "check passes with the filled blocks and year keys" "$rc:$(echo "$out" | grep -c 'people: ')" "0:0"
# Blocks marked made but short (an earlier casebook wrote cases): filled again.
strip_dump "person_blocks" "" > "$T/dump4"
mkdir -m 700 "$T/short"
mdb_load -f "$T/dump4" "$T/short"
out=$("$CASEBOOK" -d "$T/short" persons --count 'cases:>=2' 2>&1)
same "blocks left short are filled again on a writable open" "$out" "$multi_people"
out=$("$CASEBOOK" -d "$T/short" check 2>&1); rc=$?
same "and check passes" "$rc" 0

# ---- Two processes: merging and editing at once ----------------------------------------

cb list --format ids 'cases:>=4'
set -- $out
a=$1 b=$2
cb show "$a" --json
pa=$(echo "$out" | sed -n 's/.*"person": \([0-9]*\).*/\1/p')
(
	i=0
	while [ $i -lt 15 ]; do
		"$CASEBOOK" -d "$T/db" unlink "$a" > /dev/null 2>> "$T/m.err" || echo "unlink failed" >> "$T/fail"
		"$CASEBOOK" -d "$T/db" link "$a" "$pa" > /dev/null 2>> "$T/m.err" || echo "link failed" >> "$T/fail"
		i=$((i + 1))
	done
) &
w1=$!
(
	i=0
	while [ $i -lt 30 ]; do
		"$CASEBOOK" -d "$T/db" edit "$b" "notes=edit $i" "aliases=Alias $i" > /dev/null 2>> "$T/e.err" || echo "edit failed" >> "$T/fail"
		i=$((i + 1))
	done
) &
w2=$!
wait $w1 $w2
check "no operation failed while the other process wrote" test ! -s "$T/fail"
check_ok "after concurrent merging and editing"
cb show "$a" --json
contains "the linked case is back with its person" "$out" "\"person\": $pa"
