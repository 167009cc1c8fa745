#!/bin/sh
# Human output in Russian and Kazakh: show and the list table name fields,
# vocabulary terms, measure and injury parts and places in the language
# (no English word a reader must understand), and every value show prints
# reads back through edit unchanged. Machine forms (--json, csv) keep keys.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

for loc in ru_RU.utf8 kk_KZ.utf8; do
	if ! locale -a 2>/dev/null | grep -qix "$loc"; then
		not_ok "the $loc locale is installed (run make deps as root)"
		exit 0
	fi
done

# under LOCALE ARGS...: casebook under that locale, as a user's terminal sets it.
under() {
	loc=$1
	shift
	out=$(env -u LC_ALL -u LANGUAGE LANG="$loc" "$CASEBOOK" -d "$T/db" "$@" 2>"$T/stderr"); rc=$?
	err=$(cat "$T/stderr")
}

"$CASEBOOK" -d "$T/db" import "$ROOT/examples/demo.csv" >/dev/null 2>&1
check "the demo data imports" [ "$("$CASEBOOK" -d "$T/db" list --count)" -gt 200 ]

# English words the old output printed: vocabulary keys and labels, field
# keys, part keys, unit suffixes and the Latin spellings of the demo's towns.
ENGLISH='detention|admin_arrest|administrative arrest|fine|admin_case|criminal_case|warning|preventive|refusal|threat|surveillance|hacking|internet_block|search|strangulation|bruise|abrasion|head_trauma|joint_injury|fracture|laceration|burn|chemical|other|open|awaiting_trial|in_court|appeal|closed|confirmed|likely|possible|unknown|public|internal|restricted|female|male|sex|city|region|measures|injuries|status|verification|confidentiality|date|days|article|court|body|note|exam|yes|no|created|updated|updated_by|rev|id|[0-9]+d|Almaty|Astana|Shymkent|Uralsk|Aktobe|Karaganda|Semey|Zaisan|Taraz|Pavlodar|Kostanay|Atyrau|Aktau|Petropavlovsk|Kokshetau'

# english WHAT TEXT: passes when TEXT holds none of the words above.
english() {
	left=$(printf '%s\n' "$2" | grep -owiE "$ENGLISH" | sort -u | tr '\n' ' ')
	if [ -z "$left" ]; then ok "$1"; else not_ok "$1" "English left: $left"; fi
}

# Free text as staff wrote it (names, events, notes, sources, an injury's
# body and note) is data, not
# interface: those lines of show are left out of the check.
FREE='^(ФИО|Аты-жөні|Принадлежность|Тиесілілігі|Мероприятие|Іс-шара|Источники|Дереккөздер|Примечания|Ескертпелер|Кем изменено|Өзгерткен) '
FREE_WORDS='^(ФИО|Аты-жөні|Мероприятие|Іс-шара|Принадлежность|Тиесілілігі|Источники|Дереккөздер|Примечания|Ескертпелер|Кем изменено|Өзгерткен)$'

for loc in ru_RU.UTF-8 kk_KZ.UTF-8; do
	l=${loc%%_*}
	for id in 1 2 7 130 131 132; do
		under "$loc" show "$id"
		same "$l: show $id works" "$rc" "0"
		# A continuation line of notes starts with spaces: data too.
		english "$l: show $id: no English field name or term" \
		    "$(printf '%s\n' "$out" | grep -vE "$FREE" | grep -v '^ ' |
		    sed -E 's/(примечание|ескертпе|часть тела|дене бөлігі)=[^:|]*//g')"
	done
	under "$loc" list
	english "$l: list: no English term or Latin town in the table" \
	    "$(printf '%s\n' "$out" | cut -c1-6,29-)"
	under "$loc" list --format text
	english "$l: list --format text: no English term or Latin town" \
	    "$(printf '%s\n' "$out" | grep -v 'casebook')"
	under "$loc" list injury:head_trauma
	contains "$l: the injured's town is named in the language" "$out" "Алматы"
	under "$loc" report
	english "$l: report: no Latin town" "$(printf '%s\n' "$out" | grep -vE 'DPK|DCK|^ +[A-Z][a-z]+ [A-Z]+')"
done

# ---- Values copied from show read back through edit ---------------------------

under ru_RU.UTF-8 add name='Тест Тестов' city=Уральск region='Западно-Казахстанская область' \
    'measures=admin_arrest:days=15:date=2021-04-26:article=КоАП 488 ч. 6\: повторно:court=Суд №2|fine:fine=100 MRP|preventive' \
    'injuries=bruise:body=arm:exam=yes|head_trauma:exam=no:note=в 23:10' \
    sex=m status=in_court verification=likely confidentiality=restricted \
    hearing=2021-06-10 birth_year=1990 lawyer='А. Адвокатов'
new=$out
same "a case with every kind of field is added" "$rc" "0"

# roundtrip LOCALE [ID WHAT MIN]: every settable line of show of case ID
# ($new), as LABEL=VALUE, given back to edit; the case (as JSON, less rev
# and updated) must not change. WHAT names the checks; MIN is how many
# lines show must print (12).
roundtrip() {
	lc=$1 id=${2:-$new} what=${3:+ ($3)} min=${4:-12}
	l=${lc%%_*}$what
	under "$lc" show "$id" --json
	before=$(printf '%s\n' "$out" | grep -vE '"(rev|updated)"')
	under "$lc" show "$id"
	set --
	while IFS= read -r line; do
		label=${line%%  *}
		value=$(printf '%s' "${line#"$label"}" | sed 's/^ *//')
		label=$(printf '%s' "$label" | sed 's/ *$//')
		# Not settable, or not a value of the case: the id, revision and
		# the store's own fields.
		case $label in Номер | Версия | Создано | Изменено | "Кем изменено" | "№" | Нұсқа | Құрылған | Өзгертілген | Өзгерткен) continue ;; esac
		set -- "$@" "$label=$value"
	done <<EOF
$out
EOF
	check "$l: show printed the fields to copy ($#)" [ "$#" -ge "$min" ]
	under "$lc" edit "$id" "$@"
	same "$l: edit takes show's lines back" "$rc" "0"
	[ "$rc" = 0 ] || printf '# %s\n' "$err"
	under "$lc" show "$id" --json
	after=$(printf '%s\n' "$out" | grep -vE '"(rev|updated)"')
	if [ "$before" = "$after" ]; then
		ok "$l: the case is unchanged by its own show output"
	else
		not_ok "$l: the case is unchanged by its own show output" \
		    "$(printf '%s\n' "$before" > "$T/b"; printf '%s\n' "$after" > "$T/a"; diff "$T/b" "$T/a")"
	fi
}
roundtrip ru_RU.UTF-8
under kk_KZ.UTF-8 edit "$new" city=Орал region='Батыс Қазақстан облысы'
roundtrip kk_KZ.UTF-8

# Every term of every vocabulary, shown by its label, reads back the same,
# in both languages.
all_m='detention:days=3|admin_arrest:days=15|fine:fine=10 MRP|admin_case|criminal_case|warning|preventive|refusal|threat|surveillance|hacking|internet_block|search|other'
all_i='strangulation:exam=yes|bruise|abrasion|head_trauma|joint_injury|fracture|laceration|burn|chemical|other:exam=no'
under ru_RU.UTF-8 add name='Все Термины' city=Алматы "measures=$all_m" "injuries=$all_i"
every=$out
for terms in "status=open sex=f verification=confirmed confidentiality=public" \
    "status=awaiting_trial sex=m verification=likely confidentiality=internal" \
    "status=in_court sex=unknown verification=possible confidentiality=restricted" \
    "status=appeal verification=unknown" "status=closed"; do
	# shellcheck disable=SC2086
	"$CASEBOOK" -d "$T/db" edit "$every" $terms >/dev/null 2>&1
	roundtrip ru_RU.UTF-8 "$every" "$terms" 8
	roundtrip kk_KZ.UTF-8 "$every" "$terms" 8
done

under ru_RU.UTF-8 show "$new"
contains "ru: measure type and parts in Russian" "$out" \
    "административный арест:сутки=15:дата=26.04.2021:статья=КоАП 488 ч. 6: повторно:суд=Суд №2"
contains "ru: a colon in free text stays as written" "$out" "примечание=в 23:10"
contains "ru: the exam answer in Russian" "$out" "экспертиза=да"
# Stored in Latin letters: the Kazakh name comes from the gazetteer.
under kk_KZ.UTF-8 edit "$new" city=Uralsk
under kk_KZ.UTF-8 show "$new"
contains "kk: measure type and parts in Kazakh" "$out" "әкімшілік қамаққа алу:тәулік=15:күні=26.04.2021"
contains "kk: the exam answer in Kazakh" "$out" "сараптама=иә"
contains "kk: the town by its Kazakh name" "$out" "Орал"

under ru_RU.UTF-8 edit "$new" 'Травмы=ушиб:экспертиза=возможно'
same "ru: a bad exam answer is refused" "$rc" "1"
under ru_RU.UTF-8 list --format csv city:Уральск
contains "ru: csv keeps the keys" "$out" "admin_arrest:days=15:date=2021-04-26"
under ru_RU.UTF-8 show "$new" --json
contains "ru: json keeps the keys" "$out" '"type": "admin_arrest"'
# English output is unchanged: the keys, as the field syntax has them.
cb show "$new"
contains "en: show keeps the keys" "$out" "measures         admin_arrest:days=15:date=2021-04-26"

# ---- The bulletin names towns in one script ----------------------------------

cb report
lacks "en: the bulletin names Semey in English" "$out" "Семей"
contains "en: as Semey" "$out" "Petropavlovsk, Semey, Shymkent"
contains "en: a Latin spelling the staff wrote stays (Uralsk)" "$out" "Uralsk"
under ru_RU.UTF-8 report
contains "ru: the bulletin names towns in Russian" "$out" "Петропавловск, Семей, Тараз"
# place_names wins over the interface language (the bulletin's words stay Russian).
mkdir -p "$HOME/.config/casebook"
printf 'place_names = kk\n' > "$HOME/.config/casebook/config"
under ru_RU.UTF-8 report
contains "place_names = kk: Kazakh town names in a Russian bulletin" "$out" "Орал"
contains "place_names = kk: the bulletin's words stay Russian" "$out" "отказ"
under ru_RU.UTF-8 list city:Уральск
contains "place_names = kk: the list table too" "$out" "Орал"
under ru_RU.UTF-8 show "$new"
contains "place_names = kk: and show" "$out" "Орал"
rm "$HOME/.config/casebook/config"

# ---- History, audit and trash -------------------------------------------------

under ru_RU.UTF-8 edit "$new" status=appeal 'injuries=burn:exam=yes' hearing=2021-07-01
under ru_RU.UTF-8 history "$new"
line=$(printf '%s\n' "$out" | tail -1)
contains "ru: history names the field and the term in Russian" "$line" "Статус в суде → апелляция"
contains "ru: an item and its parts in Russian" "$line" "травма 1 вид ушиб → ожог"
contains "ru: a date in a change in the local form" "$line" "10.06.2021 → 01.07.2021"
# Text values are quoted as typed («Uralsk»): data, left out.
english "ru: no English field or term in the history" "$(printf "%s\n" "$out" | sed "s/«[^»]*»//g")"
matches "ru: history times in the local form" "$line" "[0-3][0-9].[01][0-9].20[0-9][0-9] [0-2][0-9]:[0-5][0-9] *"
under kk_KZ.UTF-8 audit
english "kk: no English field or term in the audit log" "$(printf "%s\n" "$out" | sed "s/«[^»]*»//g")"
under ru_RU.UTF-8 rm "$new"
under ru_RU.UTF-8 trash
matches "ru: trash gives the local date" "$out" "*удалено [0-3][0-9].[01][0-9].20[0-9][0-9] *"
cb history "$new"
contains "en: history keeps the keys" "$out" "status in_court → appeal"

# ---- One person --------------------------------------------------------------

under ru_RU.UTF-8 person 1
matches "ru: a person's timeline in the local date form" "$out" "*01.05.2021  дело 130*"
lacks "ru: and no ISO date of a case" "$out" "2021-05-01  "
contains "ru: the town named in Russian" "$out" ", Алматы"
