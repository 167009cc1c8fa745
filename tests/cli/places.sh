#!/bin/sh
# CLI tests of places through the gazetteer: on a generated data set whose
# towns and regions are spelt differently row to row (Kazakh, Russian,
# Latin, old names, rule-derived Latin spellings), every spelling of a city:
# or region: term counts the same cases, facets show one value per place,
# and `casebook places --unknown` names the values the gazetteer lacks with
# the nearest names it has.
. "$(dirname "$0")/../lib.sh"

# Each town with the spellings its rows use, and how many rows each gets.
oral="Орал Уральск Uralsk Oral ОРАЛ uralsk"
oral_regions="|West Kazakhstan Region|Батыс Қазақстан облысы|Западно-Казахстанская область|ЗКО|"
kyzylorda="Кызылорда Қызылорда Kyzylorda Qyzylorda"
aktobe="Актобе Ақтөбе Aktobe Aqtobe Актюбинск"
zhanaozen="Жанаозен Жаңаөзен Zhanaozen Janaozen"
zaysan="Зайсан Zaisan Zaysan"

csv="$T/cases.csv"
echo "name,city,region" >"$csv"
i=0
# Oral: 3 rounds of its 6 spellings, regions cycling through 5 spellings
# and empty.
for round in 1 2 3; do
	for s in $oral; do
		i=$((i + 1))
		r=$(printf '%s' "$oral_regions" | cut -d'|' -f$((i % 6 + 1)))
		echo "Person $i,$s,$r" >>"$csv"
	done
done
n_oral=$i
for s in $kyzylorda $kyzylorda; do i=$((i + 1)); echo "Person $i,$s," >>"$csv"; done
for s in $aktobe; do i=$((i + 1)); echo "Person $i,$s,Aktobe Region" >>"$csv"; done
for s in $zhanaozen; do i=$((i + 1)); echo "Person $i,$s," >>"$csv"; done
for s in $zaysan; do i=$((i + 1)); echo "Person $i,$s," >>"$csv"; done
# Values the gazetteer does not know: a misspelling and a village.
for s in Almatu Almatu "Жаңа Ауыл"; do i=$((i + 1)); echo "Person $i,$s," >>"$csv"; done
# Aksu: two towns of one name; the region tells them apart, or nothing does.
i=$((i + 1)); echo "Person $i,Аксу,Павлодарская область" >>"$csv"
i=$((i + 1)); echo "Person $i,Aksu,Akmola Region" >>"$csv"
i=$((i + 1)); echo "Person $i,Ақсу," >>"$csv"
total=$i

expect_rc "import the generated cases" 0 import "$csv"
cb list --count
same "all $total cases are in" "$out" "$total"

# Every spelling of a town counts the same cases.
counts_of() {
	field=$1
	shift
	for s in "$@"; do
		cb list "$field:$s" --count
		printf '%s ' "$out"
	done
}
rep() { n=$1 v=$2 r=""; while [ "$n" -gt 0 ]; do r="$r$v "; n=$((n - 1)); done; printf '%s' "$r"; }

# shellcheck disable=SC2086
same "city: Орал = Уральск = Uralsk = Oral (and each spelling of the file)" \
    "$(counts_of city $oral)" "$(rep 6 $n_oral)"
# shellcheck disable=SC2086
same "city: Kyzylorda in Kazakh, Russian, Latin, Kazakh Latin" \
    "$(counts_of city $kyzylorda)" "$(rep 4 8)"
# shellcheck disable=SC2086
same "city: Aktobe, Aqtobe, Актюбинск" "$(counts_of city $aktobe)" "$(rep 5 5)"
# shellcheck disable=SC2086
same "city: Zhanaozen, Janaozen, Жаңаөзен" "$(counts_of city $zhanaozen)" "$(rep 4 4)"
# shellcheck disable=SC2086
same "city: Zaysan, Zaisan, Зайсан" "$(counts_of city $zaysan)" "$(rep 3 3)"

# Every name of the region, and rows whose region is empty but whose town
# lies in it.
same "region: every name of West Kazakhstan Region finds all $n_oral Oral cases" \
    "$(counts_of region "West Kazakhstan Region" "Батыс Қазақстан облысы" \
        "Западно-Казахстанская область" "ЗКО" "Западно-казахстанская область")" \
    "$(rep 5 $n_oral)"
cb list region:"Kyzylorda Region" --count
same "region: an empty region takes the region of the town" "$out" 8
cb list region:"Кызылординская область" city:Qyzylorda --count
same "region and city in different scripts together" "$out" 8
cb list --count -- -city:Uralsk
same "an excluded town excludes every spelling" "$out" $((total - n_oral))

# A place the gazetteer lacks is matched by its text, as before.
cb list city:ALMATU --count
same "an unknown town matches by its folded text" "$out" 2
cb list city:"жаңа ауыл" --count
same "an unknown village is still found" "$out" 1

# A shared name matches both towns and the case that does not say which.
cb list city:Aksu --count
same "city:Aksu finds both towns of the name" "$out" 3
cb list city:"Аксу (Павлодарская область)" --count
same "the facet label of one Aksu finds that one" "$out" 1

# Facets: one value per place, in the Russian name by default.
expect_rc "facets city" 0 facets city
same "one facet value for all spellings of Oral" \
    "$(printf '%s\n' "$out" | grep -c 'Уральск')" 1
contains "Oral counted once with every spelling" "$out" "$n_oral  Уральск"
contains "Kyzylorda counted once" "$out" " 8  Кызылорда"
contains "the Aksu of Pavlodar shows its region" "$out" "Аксу (Павлодарская область)"
contains "the Aksu of Akmola shows its region" "$out" "Аксу (Акмолинская область)"
lacks "no Latin spelling left as a value of its own" "$out" "Uralsk"
same "facet lines: 5 towns, 2 Aksu, the unsure Aksu, 2 unknown values" \
    "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 10
expect_rc "facets region" 0 facets region
contains "region facet: one value for West Kazakhstan Region" "$out" \
    "$n_oral  Западно-Казахстанская область"
same "region facet: one value per region" \
    "$(printf '%s\n' "$out" | grep -c 'Западно-Казахстанская')" 1

# place_names chooses the language of the labels.
mkdir -p "$HOME/.config/casebook"
echo "place_names = kk" >"$HOME/.config/casebook/config"
cb facets city
contains "place_names = kk: Kazakh labels" "$out" "$n_oral  Орал"
echo "place_names = en" >"$HOME/.config/casebook/config"
cb facets city
contains "place_names = en: Latin labels" "$out" "$n_oral  Oral"
rm "$HOME/.config/casebook/config"
out=$(LANGUAGE=kk "$CASEBOOK" -d "$T/db" facets city 2>&1)
contains "a Kazakh interface shows Kazakh names" "$out" "Қызылорда"

# The values the gazetteer does not know, with the nearest names.
expect_rc "places --unknown" 0 places --unknown
same "places --unknown: the misspelling, the village, the unsure Aksu" "$out" \
    " 2  Almatu → Almaty?
 1  Ақсу → Аксу (Акмолинская область)? Аксу (Павлодарская область)?
 1  Жаңа Ауыл → Джамбул (Тараз)?"
expect_rc "places" 0 places
contains "places lists a town with its region" "$out" "$n_oral  Уральск (Западно-Казахстанская область)"
contains "places says how many cases name unknown towns" "$out" \
    "4 cases name a city the gazetteer does not know"
expect_rc "places takes no words" 2 places Oral
contains "places: the usage names the option" "$err" "places --unknown"
expect_rc "places --help" 0 places --help
contains "places --help names --unknown" "$out" "--unknown"

# Stored values are never rewritten.
cb list city:Qyzylorda --format csv
contains "the case keeps the spelling it was given" "$out" "Qyzylorda"

# ---- Replacing the gazetteer ----

out=$(CASEBOOK_PLACES= "$CASEBOOK" -d "$T/db" places 2>&1); rc=$?
same "places without a gazetteer: exit 1" "$rc" 1
contains "places without a gazetteer says how to get one" "$out" "places setting"

# A database made without a gazetteer (as by an earlier casebook) gets
# place keys on its first writable open; until then a read-only open still
# answers through the gazetteer, by reading the records.
db2="$T/db2"
CASEBOOK_PLACES= "$CASEBOOK" -d "$db2" import "$csv" >/dev/null 2>&1
out=$(CASEBOOK_PLACES= "$CASEBOOK" -d "$db2" list city:Uralsk --count 2>&1)
same "without a gazetteer a town is matched by its text (Uralsk, uralsk)" "$out" 6
out=$("$CASEBOOK" -d "$db2" -r list city:Uralsk --count 2>&1)
same "read-only, indexes of no gazetteer: every spelling still found" "$out" "$n_oral"
out=$("$CASEBOOK" -d "$db2" -r list region:ЗКО --count 2>&1)
same "read-only, indexes of no gazetteer: region from the town too" "$out" "$n_oral"
out=$("$CASEBOOK" -d "$db2" -r facets city 2>&1)
contains "read-only, indexes of no gazetteer: facets still one value per place" "$out" \
    "$n_oral  Уральск"
lacks "read-only, indexes of no gazetteer: no spelling of its own" "$out" "Uralsk"
out=$("$CASEBOOK" -d "$db2" -r facets city region:ЗКО 2>&1)
same "read-only facets within a filter" "$out" "$n_oral  Уральск"
out=$("$CASEBOOK" -d "$db2" -r check 2>&1)
contains "check -r says the place indexes wait for a writable open" "$out" \
    "made with another gazetteer"
contains "check -r: the other indexes agree" "$out" "records and indexes agree"
out=$("$CASEBOOK" -d "$db2" check 2>&1)
lacks "after a writable open the place indexes are current" "$out" "another gazetteer"
contains "the first writable open rebuilt the place indexes, check agrees" "$out" \
    "records and indexes agree"
out=$("$CASEBOOK" -d "$db2" list city:Uralsk --count 2>&1)
same "after the rebuild: every spelling" "$out" "$n_oral"

# The office's own gazetteer (the places setting): a village added.
cp "$(dirname "$CASEBOOK")/places.tsv" "$T/office.tsv"
printf 'zhana-aul\tvillage\tmangystau-region\tЖаңа Ауыл\tЖана Аул\tZhana Aul\t\t\t\t\t\n' \
    >>"$T/office.tsv"
mkdir -p "$HOME/.config/casebook"
echo "places = $T/office.tsv" >"$HOME/.config/casebook/config"
cb -r list city:"Жана Аул" --count
same "read-only with a new gazetteer: the new village by its Russian name" "$out" 1
cb -r list region:"Mangystau Region" --count
same "read-only with a new gazetteer: the village's region (and Zhanaozen's 4)" "$out" 5
cb places --unknown
lacks "after a writable open the new village is no longer unknown" "$out" "Жаңа Ауыл"
cb facets city
contains "after the rebuild the village is one place with its Russian name" "$out" " 1  Жана Аул"
cb list city:"Zhana Aul" --count
same "after the rebuild: its Latin name" "$out" 1

# A malformed gazetteer is named with its line; matching falls back to text.
printf 'id\tkind\tregion\tkk\tru\ten\nx\tcity\tnowhere\tX\tX\tX\n' >"$T/bad.tsv"
echo "places = $T/bad.tsv" >"$HOME/.config/casebook/config"
cb -r list city:Uralsk --count
contains "a malformed gazetteer: the file and line named" "$err" "bad.tsv: line 2"
same "a malformed gazetteer: towns still matched by text" "$out" 6
echo "places = relative.tsv" >"$HOME/.config/casebook/config"
cb -r list city:Uralsk --count
contains "a relative places path is refused with a warning" "$err" "not an absolute path"
rm "$HOME/.config/casebook/config"
