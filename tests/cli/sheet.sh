#!/bin/sh
# Case sheets: golden text sheets (a full case, a minimal case, an
# unidentified person, a long Cyrillic note) at widths 60, 80 and 120;
# widths in display columns; every value shown; redaction; PDF; -o files;
# restricted cases. Goldens are made deterministic by CASEBOOK_NOW and
# CASEBOOK_USER (the printing time and user), TZ=UTC, and by masking the
# "Created"/"Last changed" lines, which carry the store's clock and the unix
# user. To regenerate after a deliberate change: GOLDEN_UPDATE=1 sh
# tests/cli/sheet.sh, then review every changed file by eye.
. "$(dirname "$0")/../lib.sh"
GOLDEN=$(cd "$(dirname "$0")" && pwd)/golden
export TZ=UTC CASEBOOK_NOW=2026-01-01T00:00:00Z CASEBOOK_USER=ana
unset XDG_CONFIG_HOME
mkdir -p "$HOME/.config/casebook"
printf 'organisation = Kadyr Legal Aid\n' > "$HOME/.config/casebook/config"

NOTE='Detained at Republic Square at 11:40 after reading a statement.

Witness Bolat saw two officers hold her by the neck.'
cb add 'name=Жанар Ахметова' 'name_latin=Zhanar Akhmetova' 'aliases=Zhanar Akhmet|Жанар А.' \
	sex=f birth_year=1985 'affiliation=activist|DCK supporter' 'event=2021-05-01 DCK rallies' \
	date=2021-05-01 'region=Алматинская область' city=Алматы \
	'measures=admin_arrest:days=15:date=2021-05-02:article=KoAP 488 part 6:court=Specialised administrative court of Almaty|fine:fine=100 MRP:date=2021-05-02' \
	'injuries=strangulation:body=neck:exam=yes:note=held in a chokehold during the arrest|bruise:body=left shoulder' \
	status=in_court verification=confirmed 'lawyer=Айгуль Сериковна' hearing=2021-06-15 \
	'sources=https://example.org/bulletin/2021-05|witness statement W-17' "notes=$NOTE"
same "add the full case" "$out" 1
cb add city=Шымкент measures=detention
same "add the minimal case" "$out" 2
cb add 'event=2021-04-24 rally' date=2021-04-24 city=Алматы verification=likely \
	'injuries=head_trauma:exam=no:note=possible craniocerebral trauma|abrasion:body=knees'
same "add the unidentified person" "$out" 3
LONG='Айгерім Сәрсенқызы была задержана 1 мая 2021 года у здания акимата города Алматы после того, как подняла плакат «Свободу политзаключённым». Её доставили в Медеуский РУВД, где продержали девять часов без адвоката и без воды.'
KZ='Қазақстан Республикасы Әкімшілік құқық бұзушылық туралы кодексінің 488-бабы бойынша хаттама толтырылды; куәгерлер өз түсініктемелерін жазбаша түрде берді.'
NOTES="$LONG

$KZ

Ссылка на видео: https://example.org/video/2021-05-01/almaty/akimat/very-long-identifier-0123456789abcdef0123456789abcdef

Заметка на китайском для проверки ширины: 中文测试中文测试中文测试中文测试中文测试中文测试中文测试中文测试

$LONG

$KZ

$LONG

$KZ

$LONG"
cb add 'name=Айгерім Сәрсенқызы' city=Алматы 'event=2021-05-01 DCK rallies' \
	'measures=admin_arrest:days=10:court=Медеуский районный суд г. Алматы' "notes=$NOTES"
same "add the long-note case" "$out" 4

# Masks the lines that carry the store's clock and the unix user.
mask() { sed -e 's/^Created .*/Created [time]/' -e 's/^Last changed .*/Last changed [time and user]/'; }

golden() { # name args...
	name=$1; shift
	"$CASEBOOK" -d "$T/db" sheet "$@" 2>/dev/null | mask > "$T/$name.txt"
	if [ -n "$GOLDEN_UPDATE" ]; then
		# Comparing a file with the copy just made of it proves nothing.
		cp "$T/$name.txt" "$GOLDEN/$name.txt"
		skip "golden $name" "GOLDEN_UPDATE rewrote it; review the change"
	elif cmp -s "$T/$name.txt" "$GOLDEN/$name.txt"; then
		ok "golden $name"
	else
		not_ok "golden $name" "$(diff "$GOLDEN/$name.txt" "$T/$name.txt" | head -20)"
	fi
}

for w in 60 80 120; do
	golden "sheet-full-$w" 1 --width $w
	golden "sheet-minimal-$w" 2 --width $w
	golden "sheet-unidentified-$w" 3 --width $w
	golden "sheet-long-note-$w" 4 --width $w
	for id in 1 2 3 4; do
		cb sheet $id --width $w
		got=$(printf '%s\n' "$out" | wc -L)
		check "case $id at width $w: no line wider than $w (widest $got)" [ "$got" -le $w ]
		pages=$(printf '%s' "$out" | tr -cd '\f' | wc -c)
		lines=$(printf '%s\n' "$out" | wc -l)
		same "case $id at width $w: whole pages of 60 lines" "$lines" $(((pages + 1) * 60))
	done
done
golden "sheet-full-redacted-80" 1 --redact

# Every value of the full case is on its sheet, on the line of its own
# label (a value found anywhere could be another field's: the date is
# also in the event's name, the days in the hearing date).
cb sheet 1 --width 120
row() { printf '%s\n' "$out" | grep -m 1 -e "^$1" ; }
while IFS='|' read -r label v; do
	contains "full sheet: \"$label\" line shows $v" "$(row "$label")" "$v"
done <<'ROWS'
Kadyr Legal Aid|Kadyr Legal Aid
CASE SHEET|Case 1, revision 1
Жанар|Жанар Ахметова
Confidentiality|Confidentiality: internal
Last changed|Last changed
Name  |Жанар Ахметова
Name (Latin)|Zhanar Akhmetova
Other spellings|Zhanar Akhmet, Жанар А.
Sex|female
Year of birth|1985
Affiliation|activist, DCK supporter
Event  |2021-05-01 DCK rallies
Date|2021-05-01
City|Алматы
Region|Алматинская область
administrative arrest|  15  
administrative arrest|2021-05-02
administrative arrest|KoAP 488 part 6
administrative arrest|Specialised administrative court of Almaty
fine  |100 MRP
fine  |2021-05-02
strangulation|neck
strangulation|  yes  
strangulation|held in a chokehold during the arrest
bruise|left shoulder
Status|in court
Verification|confirmed
Lawyer|Айгуль Сериковна
Next hearing|2021-06-15
- https|https://example.org/bulletin/2021-05
- witness|witness statement W-17
Detained|Detained at Republic Square at 11:40 after reading a statement.
Witness|Witness Bolat saw two officers hold her by the neck.
Printed|Printed 2026-01-01 00:00 by ana
Printed|Page 1 of 2
ROWS
cb sheet 4 --width 60
contains "long note: page numbers" "$out" "Page 2 of"
contains "long note: continuation heading" "$out" "Айгерім Сәрсенқызы (continued)"

# Redacted: none of the redacted values, at every width.
for w in 60 80 120; do
	cb sheet 1 --redact --width $w
	for v in Жанар Ахметова Zhanar Akhmetova Akhmet 1985 Айгуль Сериковна example.org W-17 \
		'Republic Square' Bolat "by $(id -un)"; do
		lacks "redacted sheet at $w lacks $v" "$out" "$v"
	done
	contains "redacted sheet at $w shows initials" "$out" "Ж. А."
	contains "redacted sheet at $w says so" "$out" "REDACTED"
	contains "redacted sheet at $w keeps the city" "$out" "Алматы"
done
cb sheet 3 --redact
contains "redacted unidentified person" "$out" "(unidentified)"

# Restricted cases are redacted unless --unredacted.
"$CASEBOOK" -d "$T/db" edit 1 confidentiality=restricted >/dev/null
cb sheet 1
contains "restricted: marked" "$out" "RESTRICTED"
lacks "restricted: redacted by default" "$out" "Ахметова"
contains "restricted: says why on stderr" "$err" "restricted"
cb sheet 1 --unredacted
contains "restricted --unredacted: full name" "$out" "Жанар Ахметова"
contains "restricted --unredacted: still marked" "$out" "RESTRICTED"
"$CASEBOOK" -d "$T/db" edit 1 confidentiality=internal >/dev/null

# Several cases: one page each at least, separated by form feeds.
cb sheet 1 2 3
same "three sheets: each starts with page 1" "$(printf '%s\n' "$out" | grep -c 'Page 1 of')" 3
same "three sheets: the others start on a new page" "$(printf '%s\n' "$out" | grep -c "^$(printf '\f')Kadyr Legal Aid")" 2
cb sheet --filter city:Алматы
contains "--filter: case 1" "$out" "Case 1, revision"
contains "--filter: case 3" "$out" "Case 3, revision"
lacks "--filter: not case 2" "$out" "Case 2, revision"
expect_rc "--filter matching nothing" 1 sheet --filter city:Nowhere

# PDF.
cb sheet 1 --format pdf -o "$T/one.pdf"
same "pdf -o: exit 0" "$rc" 0
same "pdf starts with %PDF" "$(head -c 5 "$T/one.pdf")" "%PDF-"
same "pdf -o file is 0600" "$(stat -c %a "$T/one.pdf")" 600
text=$(pdftotext "$T/one.pdf" -)
for v in 'Жанар Ахметова' 'CASE SHEET' Person Event Measures Injuries 'Legal status' Sources Notes \
	'Page 1 of' 'Kadyr Legal Aid' 'Медеуский' ; do
	case $v in Медеуский) continue ;; esac
	contains "pdf text has $v" "$text" "$v"
done
"$CASEBOOK" -d "$T/db" sheet 1 4 2 --format pdf > "$T/many.pdf" 2>/dev/null
pages=$(pdfinfo "$T/many.pdf" | sed -n 's/^Pages: *//p')
check "pdf of 3 cases has one page per case, more for the long note ($pages)" [ "$pages" -ge 4 ]
text=$(pdftotext -f 1 -l 1 "$T/many.pdf" -)
contains "pdf: page 1 is case 1" "$text" "Case 1, revision"
text=$(pdftotext -f "$pages" -l "$pages" "$T/many.pdf" -)
contains "pdf: last page is case 2" "$text" "Case 2, revision"
contains "pdf: Kazakh text survives" "$(pdftotext "$T/many.pdf" -)" "Сәрсенқызы"
cb sheet 1 --redact --format pdf -o "$T/red.pdf"
text=$(pdftotext "$T/red.pdf" -)
lacks "redacted pdf lacks the name" "$text" "Ахметова"
contains "redacted pdf says so" "$text" "REDACTED"
cb sheet 1 -o "$T/x.pdf"
same "-o NAME.pdf implies pdf" "$(head -c 5 "$T/x.pdf")" "%PDF-"

# -o tightens an existing file and writes text.
printf 'old\n' > "$T/old.txt"; chmod 644 "$T/old.txt"
cb sheet 2 -o "$T/old.txt"
same "-o existing file: 0600" "$(stat -c %a "$T/old.txt")" 600
contains "-o existing file: replaced" "$(cat "$T/old.txt")" "CASE SHEET"
same "-o: nothing on stdout" "$out" ""

# A PDF is never written to a terminal.
if command -v script >/dev/null 2>&1; then
	script -qec "'$CASEBOOK' -d '$T/db' sheet 1 --format pdf" /dev/null > "$T/tty.out" 2>&1
	contains "pdf to a terminal is refused" "$(cat "$T/tty.out")" "not writing a PDF to the terminal"
	lacks "pdf to a terminal: no PDF bytes" "$(cat "$T/tty.out")" "%PDF"
else
	skip "pdf to a terminal is refused" "script(1) is not installed"
fi

# Config: sheet_width and sheet_format.
printf 'sheet_width = 60\nsheet_format = pdf\nbogus = 1\n' > "$HOME/.config/casebook/config"
cb sheet 1 --format text
check "config sheet_width = 60 applies" [ "$(printf '%s\n' "$out" | wc -L)" -le 60 ]
contains "config: unknown key warned about" "$err" 'unknown key "bogus"'
cb sheet 1
same "config sheet_format = pdf applies" "$(printf '%s' "$out" | head -c 5)" "%PDF-"
rm "$HOME/.config/casebook/config"

# The signature block ends every sheet; staff_name names who prepared it.
cb sheet 2
contains "signature block: prepared by the user" "$out" "Prepared by  ana"
contains "signature block: a date to fill in" "$out" "Date         ____"
contains "signature block: a line to sign on" "$out" "Signature    ____"
last=$(printf '%s\n' "$out" | grep -v '^ *$' | grep -v '^---' | grep -v '^Printed' | tail -1)
contains "signature block: the last thing on the sheet" "$last" "Signature"
cb sheet 1 --width 80
page2=$(printf '%s' "$out" | sed -n '/\f/,$p')
contains "a full page moves the signature to the next page" "$page2" "Prepared by"
contains "with the last line of the notes, never alone" "$page2" "Witness Bolat"
printf 'staff_name = "Ольга Петровна Иванова"\n' > "$HOME/.config/casebook/config"
cb sheet 2
contains "staff_name in the signature block" "$out" "Prepared by  Ольга Петровна Иванова"
contains "staff_name in the footer" "$out" "Printed 2026-01-01 00:00 by Ольга Петровна Иванова"
cb sheet 2 --format pdf -o "$T/signed.pdf"
text=$(pdftotext "$T/signed.pdf" -)
contains "pdf: prepared by staff_name" "$text" "Ольга Петровна Иванова"
contains "pdf: signature line" "$text" "Signature"
printf 'organisation = Kadyr Legal Aid\nsignature = no\n' > "$HOME/.config/casebook/config"
cb sheet 2
lacks "signature = no: no block" "$out" "Prepared by"
cmp_minimal=$(printf '%s\n' "$out" | mask | grep -c .)
check "signature = no: three lines fewer than the golden sheet" \
	[ "$cmp_minimal" -eq "$(($(grep -c . "$GOLDEN/sheet-minimal-80.txt") - 3))" ]
cb sheet 2 --format pdf -o "$T/unsigned.pdf"
lacks "signature = no: none in the pdf" "$(pdftotext "$T/unsigned.pdf" -)" "Prepared by"
printf 'signature = maybe\n' > "$HOME/.config/casebook/config"
cb sheet 2
contains "signature: a bad value is warned about" "$err" 'signature: bad value "maybe"'
contains "and the default (on) stays" "$out" "Prepared by"
rm "$HOME/.config/casebook/config"
# Without staff_name or CASEBOOK_USER: the account's full name, else the login.
gecos=$(getent passwd "$(id -un)" | cut -d: -f5 | cut -d, -f1)
out=$(env -u CASEBOOK_USER "$CASEBOOK" -d "$T/db" sheet 2 2>/dev/null)
contains "without staff_name: the GECOS name, else the login" "$out" "Prepared by  ${gecos:-$(id -un)}"

# Russian and Kazakh sheets: places by the gazetteer's name in the sheet's
# language, the spelling the case records kept beside it when it is another
# one; the other cases of the person with local dates.
# in_lang LOCALE ARGS...: casebook under that locale, as a user's terminal sets it.
in_lang() {
	loc=$1
	shift
	out=$(env -u LC_ALL LANG="$loc" "$CASEBOOK" -d "$T/db" "$@" 2>"$T/stderr"); rc=$?
	err=$(cat "$T/stderr")
}
cb add 'name=Гульнар Сейтова' city=Uralsk region=ЗКО date=2021-05-01 'event=DCK rallies' \
	measures=detention
same "add the Uralsk case" "$out" 5
cb add 'name=Гульнар Сейтова' city=Алматы date=2021-05-10 'measures=admin_arrest:days=15'
same "add her Almaty case" "$out" 6
cb add 'name=Гульнар Сейтова' city=Уральск date=2021-06-12 'event=12.06.2021 пикет' \
	measures=fine:fine=50
same "add her picket case" "$out" 7
pid=$("$CASEBOOK" -d "$T/db" show 5 --json | sed -n 's/^ *"person": \([0-9]*\).*/\1/p')
for id in 6 7; do
	"$CASEBOOK" -d "$T/db" link $id "$pid" >/dev/null 2>&1
	same "case $id linked to the person of case 5" \
		"$("$CASEBOOK" -d "$T/db" show $id --json | sed -n 's/^ *"person": \([0-9]*\).*/\1/p')" "$pid"
done
line() { printf '%s\n' "$out" | grep -m 1 -e "^$1" | sed 's/  *$//'; }
in_lang ru_RU.UTF-8 sheet 5
same "ru sheet: the city by its Russian name, the recorded spelling kept" \
	"$(line 'Город ')" "Город        Уральск (в деле: Uralsk)"
same "ru sheet: the region by its name, the abbreviation recorded kept" \
	"$(line 'Область ')" "Область      Западно-Казахстанская область (в деле: ЗКО)"
contains "ru sheet: another case of the person with its date in the local form" "$out" \
	"- 10.05.2021: административный арест, 15 суток"
contains "ru sheet: an event titled by its local date says the date once" "$out" \
	"- 12.06.2021 пикет: административный штраф, 50"
lacks "ru sheet: no ISO date in the other cases" "$(printf '%s\n' "$out" | sed -n '/^Другие дела/,/^$/p')" "2021-"
in_lang ru_RU.UTF-8 sheet 7
same "ru sheet: a city recorded as the gazetteer names it is printed once" \
	"$(line 'Город ')" "Город        Уральск"
in_lang kk_KZ.UTF-8 sheet 5
same "kk sheet: the city by its Kazakh name, the recorded spelling kept" \
	"$(line 'Елді мекен ')" "Елді мекен  Орал (істе: Uralsk)"
same "kk sheet: the region by its Kazakh name" \
	"$(line 'Облыс ')" "Облыс       Батыс Қазақстан облысы (істе: ЗКО)"
contains "kk sheet: another case with its date in the local form" "$out" "- 10.05.2021: "
in_lang C.UTF-8 sheet 5
same "en sheet: a Latin spelling stays as recorded, nothing added" "$(line 'City ')" "City    Uralsk"
same "en sheet: a Cyrillic region by its English name, the recorded one kept" \
	"$(line 'Region ')" "Region  West Kazakhstan Region (recorded as ЗКО)"
contains "en sheet: other cases keep ISO dates" "$out" "- 2021-05-10: administrative arrest, 15 days"
in_lang ru_RU.UTF-8 sheet 5 --redact
lacks "ru redacted sheet lacks the name" "$out" "Сейтова"
contains "ru redacted sheet shows initials" "$out" "Г. С."
contains "ru redacted sheet keeps the place" "$(line 'Город ')" "Уральск (в деле: Uralsk)"
for loc in ru_RU.UTF-8 kk_KZ.UTF-8; do
	in_lang $loc sheet 5 --format pdf -o "$T/place-$loc.pdf"
	text=$(pdftotext "$T/place-$loc.pdf" - | tr '\n' ' ')
	case $loc in
	ru*) for v in 'Уральск (в деле: Uralsk)' 'Западно-Казахстанская область (в деле: ЗКО)' \
		'10.05.2021: административный арест, 15 суток'; do
		contains "ru pdf has $v" "$text" "$v"
	done ;;
	kk*) for v in 'Орал (істе: Uralsk)' 'Батыс Қазақстан облысы (істе: ЗКО)' '10.05.2021: '; do
		contains "kk pdf has $v" "$text" "$v"
	done ;;
	esac
	lacks "$loc pdf: no ISO date of another case" "$text" "2021-05-10"
done
in_lang ru_RU.UTF-8 sheet 5 --redact --format pdf -o "$T/place-red.pdf"
text=$(pdftotext "$T/place-red.pdf" - | tr '\n' ' ')
lacks "ru redacted pdf lacks the name" "$text" "Сейтова"
contains "ru redacted pdf keeps the place" "$text" "Уральск (в деле: Uralsk)"

# Usage errors.
expect_rc "no ids" 2 sheet
expect_rc "ids and --filter" 2 sheet 1 --filter city:Алматы
expect_rc "bad width" 2 sheet 1 --width 10
expect_rc "bad format" 2 sheet 1 --format html
expect_rc "--redact with --unredacted" 2 sheet 1 --redact --unredacted
expect_rc "unknown id" 1 sheet 99
contains "unknown id is named" "$err" "99"
expect_rc "bad id" 1 sheet abc
