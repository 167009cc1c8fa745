#!/bin/sh
# Translations: the template is current, every catalog (po/*.po) translates
# every string of it with nothing fuzzy, and casebook speaks Russian under a
# Russian locale (plural forms included), or in the language the config sets.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# ---- The template and the catalogs --------------------------------------

# Message ids (with context and plural) of a catalog, one block per message,
# sorted, without the header: what two templates must share.
msgids() {
	msgcat --no-location --no-wrap --sort-output "$1" |
	    awk '/^msgid ""$/ && !h { h = 1; skip = 1; next }
		skip && /^$/ { skip = 0; next }
		skip { next }
		/^(msgctxt|msgid|msgid_plural) / { print }'
}

if make -s -C "$ROOT" pot-fresh POT_OUT="$T/fresh.pot" >"$T/pot.log" 2>&1; then
	msgids "$T/fresh.pot" > "$T/fresh.ids"
	msgids "$ROOT/po/casebook.pot" > "$T/committed.ids"
	if cmp -s "$T/fresh.ids" "$T/committed.ids"; then
		ok "po/casebook.pot is current (make pot)"
	else
		not_ok "po/casebook.pot is current (run make pot)" \
		    "$(diff "$T/committed.ids" "$T/fresh.ids" | head -10)"
	fi
else
	not_ok "the template can be made from the sources" "$(cat "$T/pot.log")"
fi

n_po=0
for po in "$ROOT"/po/*.po; do
	[ -f "$po" ] || continue
	n_po=$((n_po + 1))
	lang=$(basename "$po" .po)
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1)
	case "$stats" in
	*fuzzy* | *untranslated* | *error*)
		not_ok "po/$lang.po: every string translated, none fuzzy" "$stats" ;;
	*" translated message"*)
		ok "po/$lang.po: every string translated, none fuzzy ($stats)" ;;
	*)
		not_ok "po/$lang.po: msgfmt --statistics" "$stats" ;;
	esac
	# msgcmp counts untranslated and fuzzy entries as missing.
	if msgcmp "$po" "$ROOT/po/casebook.pot" > "$T/cmp.log" 2>&1; then
		ok "po/$lang.po: has every message of the template"
	else
		not_ok "po/$lang.po: has every message of the template (run make pot, translate)" \
		    "$(head -5 "$T/cmp.log")"
	fi
done
check "at least the Russian catalog exists" [ "$n_po" -ge 1 ] && [ -f "$ROOT/po/ru.po" ]

# ---- Russian output ---------------------------------------------------------

if ! locale -a 2>/dev/null | grep -qix 'ru_RU.utf8'; then
	not_ok "the ru_RU.UTF-8 locale is installed (run make deps as root)"
	exit 0
fi

# ru ARGS...: casebook under a Russian locale, as a user's terminal sets it.
ru() {
	out=$(env -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8 "$CASEBOOK" -d "$T/db" "$@" 2>"$T/stderr"); rc=$?
	err=$(cat "$T/stderr")
}

ru show 1
contains "ru: no database yet" "$err" "нет базы данных"
ru add name='Айгерим Тест' city=Алматы measures=detention
same "ru: add prints the id" "$out" "1"
ru check
contains "ru: 1 case (дело)" "$out" "проверено: 1 дело,"
lacks "ru: no English left in the check summary" "$out" "ok:"
ru frobnicate
contains "ru: unknown command" "$err" "неизвестная команда «frobnicate»"
ru list citty:1
contains "ru: unknown filter field" "$err" "неизвестное поле «citty»; возможно, имелось в виду city?"
ru add name=X measures=nope
contains "ru: unknown measure type, keys kept as syntax" "$err" \
    "вид меры: неизвестное значение «nope» (допустимые: detention (задержание), admin_arrest (административный арест)"
ru show 99
contains "ru: no such case" "$err" "нет дела 99"
same "ru: a missing case is a user error" "$rc" "1"
ru --help
contains "ru: usage" "$out" "использование: casebook"
contains "ru: command names stay as typed" "$out" "casebook list [ФИЛЬТР...]"

# Plural forms: 1 дело, 2 дела, 5 дел, 11 дел, 21 дело.
n=1
for want in 2:дела 5:дел 11:дел 21:дело; do
	k=${want%%:*} word=${want#*:}
	while [ "$n" -lt "$k" ]; do
		n=$((n + 1))
		ru add name="Person $n" city=Шымкент
	done
	ru check
	contains "ru: $k $word" "$out" "проверено: $k $word,"
	ru report
	contains "ru: report counts $k $word" "$out" "$k $word"
done
ru list city:Шымкент --count
same "ru: the 20 added cases are there" "$out" "20"
printf 'name,city\nA,Алматы\nB,Алматы\n' > "$T/two.csv"
ru import "$T/two.csv" --dry-run
contains "ru: import dry run, 2 дела" "$out" "будет импортировано 2 дела"
ru report
contains "ru: report: detentions" "$out" "1 задержание"

# ---- Choosing the language ------------------------------------------------

mkdir -p "$HOME/.config/casebook"
printf 'language = ru\n' > "$HOME/.config/casebook/config"
cb check # C.UTF-8, as lib.sh sets it
contains "config language = ru wins over a C.UTF-8 locale" "$out" "проверено: 21 дело,"
printf 'language = en\n' > "$HOME/.config/casebook/config"
ru check
contains "config language = en wins over a Russian locale" "$out" "ok: 21 cases,"
printf 'language = fr\n' > "$HOME/.config/casebook/config"
ru check
contains "config: an unknown language is warned about, in Russian" "$err" \
    "language: неизвестный язык «fr» (допустимые: ru, kk, en); пропущено"
contains "config: an unknown language leaves the locale's" "$out" "проверено: 21 дело,"
rm "$HOME/.config/casebook/config"

mkdir -p "$T/nolocale"
out=$(env -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8 CASEBOOK_LOCALEDIR="$T/nolocale" \
    "$CASEBOOK" -d "$T/db" check 2>&1)
contains "CASEBOOK_LOCALEDIR names where the catalogs are" "$out" "ok: 21 cases,"
