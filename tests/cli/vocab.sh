#!/bin/sh
# CLI tests of vocabulary terms as staff type them: labels in Russian and
# Kazakh, synonyms, prefixes, ambiguity and "did you mean", through the
# filter, add/edit and import.
. "$(dirname "$0")/../lib.sh"

add() { "$CASEBOOK" -d "$T/db" add "$@" >/dev/null || echo "setup: add $* failed" >&2; }
add name='Нинагүл Джуманиязова' city=Алматы injuries='strangulation|head_trauma' \
	measures='admin_arrest:days=15|fine'
add name='Kazbek Ospanov' city=Алматы measures='detention|fine' injuries=bruise
add name='Асет Казбеков' city=Shymkent measures=admin_arrest:days=10 status=in_court

# ---- filters ---------------------------------------------------------------
cb list injury:head_trauma --count; by_key=$out
cb list 'injury:"травма головы"' --count
same "a Russian label finds what the key finds" "$out" "$by_key"
same "one case with a head injury" "$out" "1"
cb list injury:ЧМТ --count
same "a synonym in capitals" "$out" "1"
cb list injury:head --count
same "a unique English prefix" "$out" "1"
cb list 'injury:бас сүйек-ми жарақаты' --count
same "a Kazakh label" "$out" "1"
cb list measure:fine --count; by_key=$out
cb list measure:штраф --count
same "measure:штраф counts as measure:fine" "$out" "$by_key"
same "two fines" "$out" "2"
cb list measure:айыппұл --count
same "the Kazakh label of fine" "$out" "2"
cb list 'status:в суде' --count
same "a status in Russian" "$out" "1"

expect_rc "an ambiguous prefix is refused" 1 list measure:адм
contains "the rivals are named" "$err" 'ambiguous measure type "адм": could be admin_arrest'
contains "with the name that matched" "$err" 'admin_case (административное дело)'
expect_rc "a near miss is refused" 1 list injury:bruse
contains "and the nearest term named first" "$err" 'unknown injury type "bruse"; did you mean bruise? (known:'
expect_rc "a Russian near miss" 1 list measure:штарф
contains "is named too" "$err" 'did you mean fine?'

# ---- add and edit ----------------------------------------------------------
expect_rc "add with Russian terms" 0 add name='Ерлан' measures='арест:days=5|задержание' \
	injuries='ушиб:note=рука' sex=мужской status=закрыто
id=$out
cb show "$id" --json
contains "stored as keys: measure" "$out" '"type": "admin_arrest"'
contains "stored as keys: injury" "$out" '"type": "bruise"'
contains "stored as keys: sex" "$out" '"sex": "m"'
contains "stored as keys: status" "$out" '"status": "closed"'
expect_rc "edit with a near miss is refused" 1 edit "$id" status=clsoed
contains "edit names the nearest" "$err" 'did you mean closed?'
cb show "$id" --json
contains "and the case is unchanged" "$out" '"status": "closed"'

# ---- import ----------------------------------------------------------------
printf 'name,city,measures,injuries\nЖанар,Тараз,штраф,перелом\nАйгүл,Тараз,задержание|штраф,слезоточивый газ\n' > "$T/ru.csv"
expect_rc "import with Russian labels" 0 import "$T/ru.csv"
contains "two new cases" "$out" "2 new"
cb list city:Тараз measure:fine --count
same "imported as fines" "$out" "2"
cb list city:Тараз injury:chemical --count
same "imported as chemical" "$out" "1"
printf 'name,measures\nБолат,штарф\n' > "$T/bad.csv"
expect_rc "import of a near miss is refused" 1 import "$T/bad.csv"
contains "import names the line and the nearest" "$err" 'did you mean fine?'
cb list --count
same "nothing was imported" "$out" "6"

# ---- field names as staff write them ------------------------------------------
# A field named in Russian or Kazakh (the words office files head their
# columns with) is that field, whatever the interface language: each counts
# what the English field name counts (and finds something).
same_as() {
	cb list "$2" --count; want=$out
	cb list "$3" --count
	if [ "$want" -gt 0 ] 2>/dev/null; then same "$1" "$out" "$want"; else not_ok "$1 (none found by $2)"; fi
}
same_as "травма: is injury:" injury:bruise 'травма:ушиб'
same_as "Мера: (capital) is measure:" measure:fine 'Мера:штраф'
same_as "город: is city:" city:Almaty 'город:Алматы'
same_as "қала: (Kazakh) is city:" city:Shymkent 'қала:Шымкент'
same_as "шара: (Kazakh) is measure:" measure:fine 'шара:айыппұл'
same_as "сутки: is days:" days:10..15 'сутки:10..15'
same_as "статус: is status:" status:in_court 'статус:в суде'
same_as "the field's own name, plural: injuries: is injury:" injury:bruise 'injuries:bruise'
same_as "a name followed by a colon is still a name word" Kazbek 'Kazbek:'
cb list 'травма:ушибб' --count
contains "a bad term after a Russian field name names the term" "$err" "did you mean"

# Every filter word the catalogs offer for Tab completion (msgctxt "filter
# word") is read as its field: WORD:VALUE finds what FIELD:VALUE finds, in
# a database where every field has a value (and as a name word it would
# find nothing).
rm -rf "$T/fw"
"$CASEBOOK" -d "$T/fw" add name="Иван Петров" city=Алматы region=Алматы event="2021-05-01 Митинг" \
    measures=admin_arrest:days=5 injuries=bruise status=closed verification=confirmed lawyer=Жанна \
    hearing=2021-06-01 sex=male confidentiality=public date=2021-05-01 >/dev/null
"$CASEBOOK" -d "$T/fw" add name="Асель Нурова" city=Тараз >/dev/null
value_of() {
	case $1 in
	city | region) echo Алматы ;; event) echo Митинг ;; measure) echo admin_arrest ;;
	injury) echo bruise ;; status) echo closed ;; verification) echo confirmed ;;
	lawyer) echo Жанна ;; date) echo 2021-05-01 ;; hearing) echo 2021-06-01 ;; days) echo 5 ;;
	name) echo Иван ;; sex) echo male ;; confidentiality) echo public ;;
	esac
}
for po in "$(dirname "$0")/../../po/ru.po" "$(dirname "$0")/../../po/kk.po"; do
	awk '/^msgctxt "filter word"/ { c = 1; next }
		c && /^msgid / { id = $2; next }
		c && /^msgstr / { s = $0; sub(/^msgstr "/, "", s); sub(/"$/, "", s); gsub(/"/, "", id); print id, s; c = 0 }' "$po" >"$T/words"
	[ -s "$T/words" ] || not_ok "filter words found in $po"
	while read -r field word; do
		v=$(value_of "$field")
		a=$("$CASEBOOK" -d "$T/fw" list "$field:$v" --count 2>&1)
		b=$("$CASEBOOK" -d "$T/fw" list "$word:$v" --count 2>&1)
		if [ "$a" = 1 ] && [ "$b" = 1 ]; then
			ok "$(basename "$po"): «$word:» reads as $field:"
		else
			not_ok "$(basename "$po"): «$word:» reads as $field:" "$field:$v gives $a, $word:$v gives $b"
		fi
	done <"$T/words"
done

echo "1..$_n"
