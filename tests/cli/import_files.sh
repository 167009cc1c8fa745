#!/bin/sh
# Office files imported as offices save them: Windows-1251 with semicolons
# and Russian headers, UTF-16 with a byte-order mark and tabs, KOI8-R told from
# Windows-1251 or named with --encoding; problems grouped and named by the file's own column
# names; --partial and --rejects; free text with colons in filters; dates
# shown in the form of the interface's language.
. "$(dirname "$0")/../lib.sh"

# In Russian or Kazakh: cbl LANG ARGS... (stdout in $out, stderr in $err).
cbl() {
	l=$1; shift
	out=$(env -u LC_ALL -u LANGUAGE LANG="$l" "$CASEBOOK" -d "$T/db" "$@" 2>"$T/stderr"); rc=$?
	err=$(cat "$T/stderr")
}

# ---- Windows-1251, semicolons, Russian headers, CRLF ----------------------

printf 'ФИО;Город;Дата задержания;Травмы;Меры;Примечание\r\n'"\
Иванов Иван;Алматы;01.05.2021;ушиб;задержание;«задержан», протокол №5\r\n"\
'Петрова Анна;Шымкент;24.04.2021;;штраф:fine=100 МРП;\r\n' > "$T/utf8.csv"
iconv -f UTF-8 -t WINDOWS-1251 "$T/utf8.csv" > "$T/excel.csv"
check "the test file really is Windows-1251" sh -c "! iconv -f UTF-8 -t UTF-8 '$T/excel.csv' >/dev/null 2>&1"
expect_rc "Excel's Windows-1251 file with semicolons imports" 0 import "$T/excel.csv"
contains "two new cases" "$out" "imported 2 cases (2 new"
contains "how it was read, on one line" "$err" 'read as Windows-1251 (Cyrillic), columns separated by semicolon; columns: "ФИО" as name, "Город" as city, "Дата задержания" as date, "Травмы" as injuries, "Меры" as measures, "Примечание" as notes'
same "that line is the only one on stderr" "$(printf '%s\n' "$err" | wc -l)" 1
cb export --format json name:иванов
contains "the name converted" "$out" '"name": "Иванов Иван"'
contains "the date stored as ISO" "$out" '"date": "2021-05-01"'
contains "the injury's Russian name read" "$out" '"injuries": [{"type": "bruise"}]'
contains "a comma inside an unquoted cell kept" "$out" '«задержан», протокол №5'
cb export --format json name:петрова
contains "a measure with a Cyrillic part" "$out" '"fine": "100 МРП"'

# The same file as Excel's "Unicode text": UTF-16 LE with a mark, tabs.
tr ';' '\t' < "$T/utf8.csv" | iconv -f UTF-8 -t UTF-16LE > "$T/body16"
{ printf '\377\376'; cat "$T/body16"; } > "$T/unicode.txt"
expect_rc "UTF-16 with a byte-order mark and tabs" 0 import --dry-run "$T/unicode.txt"
contains "read as UTF-16, tabs" "$err" "read as UTF-16 (little-endian), columns separated by tab"
contains "both rows would be imported" "$out" "would import 2 cases"

# UTF-8 with a byte-order mark and Excel's sep= line.
{ printf '\357\273\277sep=;\r\n'; cat "$T/utf8.csv"; } > "$T/bom.csv"
expect_rc "UTF-8 with a mark and sep=;" 0 import --dry-run "$T/bom.csv"
contains "read as UTF-8 with its mark" "$err" "read as UTF-8 with byte-order mark, columns separated by semicolon"

# KOI8-R (the older Unix code page) is told from Windows-1251 by how the
# letters read as Russian; --encoding can still name it.
# KOI8-R has no «, » or №.
sed "s/[«»№]//g" "$T/utf8.csv" | iconv -f UTF-8 -t KOI8-R > "$T/koi.csv"
check "the test file really is KOI8-R, not Windows-1251 text" sh -c "! cmp -s '$T/koi.csv' '$T/excel.csv'"
expect_rc "a KOI8-R file with Russian headers imports without --encoding" 0 import --dry-run "$T/koi.csv"
contains "it says it read KOI8-R" "$err" 'read as KOI8-R (Cyrillic), columns separated by semicolon; columns: "ФИО" as name, "Город" as city'
printf 'ФИО;Город;Травмы\nЖанна Сергеевна Петрова;Караганда;ушиб\nОлжас Ермеков;Костанай;перелом\n' |
    iconv -f UTF-8 -t KOI8-R > "$T/koi2.csv"
expect_rc "a second KOI8-R file imports" 0 import "$T/koi2.csv"
cb export --format json name:петрова
contains "its names are converted from KOI8-R" "$out" '"name": "Жанна Сергеевна Петрова"'
contains "its terms read" "$out" '"injuries": [{"type": "bruise"}]'
cb list city:Костанай --count
same "its towns are found" "$out" "1"
expect_rc "--encoding koi8-r" 0 import --dry-run --encoding koi8-r "$T/koi.csv"
contains "the given encoding is named" "$err" "read as koi8-r, columns separated by semicolon"
expect_rc "an unknown encoding refused" 1 import --dry-run --encoding klingon "$T/koi.csv"
contains "it says which and gives examples" "$err" 'unknown encoding "klingon" (e.g. utf-8, windows-1251'
# --delimiter wins over detection: with commas the header is one column.
expect_rc "--delimiter comma is used as given" 1 import --dry-run --delimiter comma "$T/excel.csv"
contains "so the whole header is one unknown column" "$err" 'unknown column "ФИО;Город;'
expect_rc "an unknown delimiter is a usage error" 2 import --delimiter colon "$T/excel.csv"

# Kazakh letters Excel could not write in Windows-1251 became "?".
# (iconv has no such option: the "?" are written as Excel writes them.)
printf 'Аты-?ні;?ала\r\nН?ржан;Алматы\r\n' | iconv -f UTF-8 -t WINDOWS-1251 > "$T/lost.csv"
expect_rc "a file that lost Kazakh letters is refused" 1 import --dry-run "$T/lost.csv"
contains "it says what happened and what to do" "$err" 'save the file as "CSV UTF-8"'

# A workbook is not CSV.
printf 'PK\003\004rest of a zip' > "$T/book.xlsx"
expect_rc "a workbook is refused" 1 import --format csv "$T/book.xlsx"
contains "with what to do" "$err" 'spreadsheet workbook (.xlsx, .xls or .ods), not CSV text'

# ---- Bad rows: grouped, all or nothing, --partial, --rejects -----------------

{
	printf 'ФИО;Дата задержания;Травмы\r\n'
	for i in 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
		case $i in
		4 | 9 | 12 | 13 | 14) d=31.02.2021 ;;
		*) d=01.05.2021 ;;
		esac
		case $i in 7 | 15) t=ушибб ;; *) t= ;; esac
		printf 'Человек %s;%s;%s\r\n' "$i" "$d" "$t"
	done
} | iconv -f UTF-8 -t WINDOWS-1251 > "$T/bad.csv"
cb list --count; before=$out
expect_rc "a file with bad rows is refused whole" 1 import "$T/bad.csv"
contains "the same bad date on many lines is one line" "$err" 'casebook: import: lines 4, 9, 12–14: column "Дата задержания": bad date "31.02.2021": no such day (use DD.MM.YYYY or YYYY-MM-DD)'
contains "the other problem with its lines" "$err" 'lines 7, 15: column "Травмы": unknown injury type "ушибб"'
contains "nothing imported" "$err" "7 errors; nothing imported"
cb list --count
same "the database is as it was" "$out" "$before"

expect_rc "--partial --dry-run" 0 import --partial --dry-run "$T/bad.csv"
contains "the good rows counted" "$out" "would import 8 cases (8 new"
contains "the refused rows counted" "$out" "7 rows would be refused"
cb list --count
same "a dry run writes nothing" "$out" "$before"

expect_rc "--partial --rejects" 0 import --partial --rejects "$T/rejects.csv" "$T/bad.csv"
contains "the good rows imported" "$out" "imported 8 cases (8 new"
contains "the refused rows counted" "$out" "7 rows refused"
contains "the rejects file named" "$err" "7 refused rows are in $T/rejects.csv"
cb list --count
same "eight more cases" "$out" "$((before + 8))"
same "the rejects file is the owner's only" "$(stat -c %a "$T/rejects.csv")" 600
same "the header and seven rows" "$(wc -l < "$T/rejects.csv")" 8
head -c 3 "$T/rejects.csv" | od -An -tx1 > "$T/mark"
contains "it starts with a UTF-8 byte-order mark" "$(cat "$T/mark")" "ef bb bf"
contains "the file's header, with the error column" "$(head -1 "$T/rejects.csv")" 'ФИО;Дата задержания;Травмы;"import error"'
contains "a row as the file had it, and why" "$(cat "$T/rejects.csv")" 'Человек 4;31.02.2021;;"column ""Дата задержания"": bad date ""31.02.2021"": no such day'
lacks "no good row in it" "$(cat "$T/rejects.csv")" "Человек 2;"
same "the file's line ends kept" "$(tr -d -c '\r' < "$T/rejects.csv" | wc -c)" 8

# Corrected there, the rejects file imports (its error column left out).
sed -e 's/31\.02\.2021/28.02.2021/' -e 's/ушибб/ушиб/' "$T/rejects.csv" > "$T/fixed.csv"
expect_rc "the corrected rejects file imports" 0 import "$T/fixed.csv"
contains "the seven rows" "$out" "imported 7 cases (7 new"
cb list --count
same "all fifteen rows are in" "$out" "$((before + 15))"

expect_rc "--rejects into an existing file is refused" 1 import --rejects "$T/rejects.csv" "$T/bad.csv"
contains "it says to name a new file" "$err" "exists already; give the name of a new file"
ln -s "$T/target" "$T/link.csv"
expect_rc "--rejects through a symbolic link is refused" 1 import --rejects "$T/link.csv" "$T/bad.csv"
check "nothing written through the link" test ! -e "$T/target"
expect_rc "without --partial, with --rejects" 1 import --rejects "$T/all.csv" "$T/bad.csv"
same "the refused rows still listed" "$(wc -l < "$T/all.csv")" 8
cb list --count
same "and nothing imported" "$out" "$((before + 15))"
printf 'name;city\nA;B\n' > "$T/good.csv"
expect_rc "a good file with --rejects" 0 import --rejects "$T/none.csv" "$T/good.csv"
check "leaves no rejects file" test ! -e "$T/none.csv"
printf '[{"name": "A"}]\n' > "$T/one.json"
expect_rc "--rejects with JSON is a usage error" 2 import --rejects "$T/j.csv" "$T/one.json"

# An id that appears twice: with --partial the later row is refused.
printf 'id;name\n1;A\n1;B\n' > "$T/dup.csv"
expect_rc "a repeated id: the later row refused with --partial" 0 import --partial --dry-run --rejects "$T/dup-rej.csv" "$T/dup.csv"
contains "the first row updates" "$out" "would import 1 case (0 new, 1 updated"
contains "the second is refused" "$err" "line 3: id 1 appears again (first on line 2)"
contains "and in the rejects file" "$(cat "$T/dup-rej.csv")" '1;B;"id 1 appears again'
expect_rc "without --partial the file is refused" 1 import "$T/dup.csv"

# Russian messages: the grouped line in Russian.
cbl ru_RU.UTF-8 import --dry-run "$T/bad.csv"
contains "grouped in Russian" "$err" 'строки 4, 9, 12–14: столбец «Дата задержания»:'
contains "the reading line in Russian" "$err" "прочитано как Windows-1251 (кириллица)"

# ---- Colons in free text ------------------------------------------------------

printf 'name,injuries,measures\nКолон,"ушиб:note=в 23:10:body=голова","admin_arrest:article=ст. 488 ч. 6: повторно:days=5"\n' > "$T/colon.csv"
expect_rc "a note 'в 23:10' and an article with a colon import" 0 import "$T/colon.csv"
cb export --format json name:колон
contains "the note keeps its time" "$out" '"note": "в 23:10"'
contains "the part after it is still a part" "$out" '"body": "голова"'
contains "the article keeps its colon" "$out" '"article": "ст. 488 ч. 6: повторно"'
contains "and days after it" "$out" '"days": 5'
cb export name:колон
printf '%s\n' "$out" > "$T/colon-export.csv"
expect_rc "the export imports back unchanged" 0 import "$T/colon-export.csv"
contains "as unchanged" "$out" "1 unchanged"
expect_rc "a colon after the type is still no part" 1 add name=Y 'injuries=bruise:в 23:10'
contains "it says the part has no value" "$err" 'part "в 23:10" has no value'

expect_rc "a filter word with a colon is free text" 0 list --count 'Meeting: 1 May'
same "it matches no name" "$out" 0
expect_rc "a time is free text" 0 list --count 10:30
expect_rc "a URL is free text" 0 list --count https://example.org/a:b
expect_rc "Cyrillic text with a colon is free text" 0 list --count 'Митинг: 1 мая'
expect_rc "a known field still starts a term" 0 list --count 'name:колон'
same "and finds its case" "$out" 1
expect_rc "a word with a colon continues a value" 0 list --count 'name:колон 10:30'
same "(one term: name words колон and 10:30)" "$out" 0
expect_rc "a field name one letter off is refused" 1 list injry:head
contains "naming the field it was meant to be" "$err" 'unknown field "injry"; did you mean injury?'

# ---- Dates shown in the interface language's form -----------------------------

expect_rc "a dated case" 0 add name=Датов date=2021-05-01 hearing=2021-06-10 event='2021-05-01 Митинг' city=Алматы
id=$(printf '%s\n' "$out" | grep -o '[0-9][0-9]*' | head -1)
for l in ru_RU.UTF-8 kk_KZ.UTF-8; do
	cbl "$l" list name:датов
	contains "$l: the list table shows 01.05.2021" "$out" "01.05.2021"
	lacks "$l: and not the ISO form" "$out" "2021-05-01"
	cbl "$l" show "$id"
	check "$l: show gives the local date" sh -c "printf '%s\\n' \"\$1\" | grep -qE '^(Дата|Күні) +01\\.05\\.2021\$'" sh "$out"
	contains "$l: and the hearing" "$out" "10.06.2021"
	cbl "$l" sheet "$id"
	contains "$l: the sheet too" "$out" "10.06.2021"
	matches "$l: and its time stamps" "$out" "*[0-3][0-9].[01][0-9].20[0-9][0-9] [0-2][0-9]:[0-5][0-9]*"
	lacks "$l: none in ISO" "$out" "$(date +%Y-%m-%d)"
	cbl "$l" report name:датов
	contains "$l: the bulletin's event heading" "$out" "01.05.2021 Митинг"
	cbl "$l" list name:датов --format csv
	contains "$l: CSV stays ISO" "$out" ",2021-05-01,"
	cbl "$l" list name:датов --format json
	contains "$l: JSON stays ISO" "$out" '"date": "2021-05-01"'
done
cbl C.UTF-8 list name:датов
contains "en: the list table shows ISO" "$out" "2021-05-01"
cbl C.UTF-8 show "$id"
matches "en: show gives ISO" "$out" "*date*2021-05-01*"
cbl C.UTF-8 report name:датов
contains "en: the bulletin heading as written" "$out" "2021-05-01 Митинг"
mkdir -p "$HOME/.config/casebook"
printf 'date_format = iso\n' > "$HOME/.config/casebook/config"
cbl ru_RU.UTF-8 list name:датов
contains "date_format = iso wins over Russian" "$out" "2021-05-01"
printf 'date_format = local\n' > "$HOME/.config/casebook/config"
cbl C.UTF-8 list name:датов
contains "date_format = local wins over English" "$out" "01.05.2021"
printf 'language = kk\n' > "$HOME/.config/casebook/config"
cbl C.UTF-8 list name:датов
contains "language = kk in the config gives the local form" "$out" "01.05.2021"
printf 'date_format = dd.mm\n' > "$HOME/.config/casebook/config"
cbl C.UTF-8 list name:датов
contains "a bad date_format is warned about" "$err" 'date_format: bad value "dd.mm" (iso, local or auto); ignored'
contains "and ignored" "$out" "2021-05-01"
rm -f "$HOME/.config/casebook/config"
