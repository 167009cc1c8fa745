#!/bin/sh
# The bulletin (casebook report) of the demo data in English, Russian and
# Kazakh against golden files: numerals agree with their nouns, places are
# the gazetteer's names in the bulletin's language. Without a gazetteer the
# report still runs, with the places as the cases spell them. To
# regenerate after a deliberate change: GOLDEN_UPDATE=1 sh
# tests/cli/report.sh, then review every changed file by eye.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GOLDEN=$ROOT/tests/cli/golden
unset LANGUAGE XDG_CONFIG_HOME

expect_rc "demo loads" 0 demo

# report_in LANG LOCALE: the bulletin under that locale into $T/report-LANG.txt.
report_in() {
	LC_ALL=$2 "$CASEBOOK" -d "$T/db" report > "$T/report-$1.txt" 2>"$T/stderr"
}

for l in en:C.UTF-8 ru:ru_RU.UTF-8 kk:kk_KZ.UTF-8; do
	lang=${l%%:*} loc=${l#*:}
	if [ "$lang" != en ] && [ ! -f "$ROOT/build/locale/$lang/LC_MESSAGES/casebook.mo" ]; then
		ok "golden report-$lang # SKIP no catalog build/locale/$lang"
		continue
	fi
	if ! report_in "$lang" "$loc"; then
		not_ok "report under $loc" "$(cat "$T/stderr")"
		continue
	fi
	[ -n "$GOLDEN_UPDATE" ] && cp "$T/report-$lang.txt" "$GOLDEN/report-$lang.txt"
	if cmp -s "$T/report-$lang.txt" "$GOLDEN/report-$lang.txt"; then
		ok "golden report-$lang"
	else
		not_ok "golden report-$lang" "$(diff "$GOLDEN/report-$lang.txt" "$T/report-$lang.txt" | head -20)"
	fi
done

# The founding bulletin's sentence, whatever else the goldens hold.
en=$(cat "$T/report-en.txt")
contains "en: the day of 1 May" "$en" "90 political persecutions on the day of 90 people in 20 towns and localities (including 49 detentions, 2 administrative arrests, 2 administrative fines, 2 administrative cases awaiting trial)"
contains "en: one of one" "$en" "1 refusal in 1 town or locality: Almaty"
contains "en: the staff's spelling" "$en" "Astana, Uralsk, Zaisan"
if [ -f "$T/report-ru.txt" ]; then
	ru=$(cat "$T/report-ru.txt")
	contains "ru: the day of 1 May" "$ru" "90 фактов политического преследования в день акции в отношении 90 человек в 20 городах и населённых пунктах (в том числе 49 задержаний, 2 административных ареста, 2 административных штрафа, 2 административных дела, ожидающих суда)"
	contains "ru: one of one" "$ru" "1 отказ в проведении собрания в 1 населённом пункте: Алматы"
	contains "ru: places in Russian, in order" "$ru" "Астана, Зайсан, Уральск"
fi
if [ -f "$T/report-kk.txt" ]; then
	kk=$(cat "$T/report-kk.txt")
	contains "kk: the day of 1 May" "$kk" "20 қала мен елді мекенде 90 адамға қатысты іс-шара күні 90 саяси қудалау (оның ішінде 49 ұстау, 2 әкімшілік қамаққа алу"
	contains "kk: places in Kazakh, in its alphabet" "$kk" "Ақтөбе, Алматы, Астана, Көкшетау, Қарағанды, Қызылорда, Орал, Өскемен"
fi

# A binary with no gazetteer beside it (none installed either): the report
# still runs and names the places as spelt.
if [ ! -f /usr/local/share/casebook/places.tsv ]; then
	mkdir -p "$T/bin"
	cp "$CASEBOOK" "$T/bin/casebook"
	out=$(CASEBOOK_LOCALEDIR="$ROOT/build/locale" LC_ALL=ru_RU.UTF-8 "$T/bin/casebook" -d "$T/db" report 2>"$T/stderr"); rc=$?
	same "no gazetteer: the report still runs" "$rc" 0
	contains "no gazetteer: places as spelt" "$out" "Astana, Uralsk, Zaisan"
fi
echo "1..$_n"
