#!/bin/sh
# casebook list --format text|pdf: the list as a document for a meeting.
# The heading has the filter, the printing date and user and the count; one
# row per case (id, name, city, date, measures in short, status); pages of
# 60 lines with the column headings and "Page N of M" on each; no line
# wider than --width; restricted cases with initials; files created 0600,
# never through a link; the PDF read back with pdftotext.
. "$(dirname "$0")/../lib.sh"
export CASEBOOK_NOW=2026-03-01T09:00:00Z CASEBOOK_USER='Aigul Tester'

cb add name='Айгуль Сейткали' city=Almaty date=2021-05-01 status=in_court \
	'measures=admin_arrest:days=15|fine:fine=100 MRP'
cb add name='Bolat Ospanov' city=Almaty date=2021-05-01 status=open measures=preventive
cb add name='Secret Person' city=Almaty status=open confidentiality=restricted
cb add name='Erlan Nurov' city=Oral status=closed
# Sixty more cases in Oral: enough for several text pages.
printf 'name,city,status,measures\n' >"$T/many.csv"
i=0
while [ $i -lt 60 ]; do
	printf 'Many Person %d,Oral,open,detention\n' $i >>"$T/many.csv"
	i=$((i + 1))
done
cb import "$T/many.csv"

# ---- text ------------------------------------------------------------------

expect_rc "list --format text" 0 list city:Almaty --format text
contains "the heading says what it is" "$out" "LIST OF CASES"
contains "the heading names the filter" "$out" "Filter: city:Almaty"
contains "the heading has date, user and count" "$out" "Printed 2026-03-01"
contains "the count" "$out" "3 cases"
contains "the printing user" "$out" "by Aigul Tester"
contains "column headings" "$out" "Measures"
matches "a row: id, name, city, date, measures in short, status" "$out" \
	"*1  Айгуль Сейткали  Almaty  2021-05-01  administrative arrest 15*in court*"
contains "a long cell wraps inside its column" "$out" "
                                         days; fine"
contains "a measure label without its explanation in brackets" "$out" "preventive measure "
lacks "the bracketed explanation is left out" "$out" "summons"
contains "a restricted case shows initials" "$out" "S. P."
lacks "a restricted case's name is not printed" "$out" "Secret Person"
lacks "a case outside the filter is not listed" "$out" "Erlan"
contains "one page: page 1 of 1" "$out" "Page 1 of 1"

expect_rc "the whole list" 0 list --format text --width 60
pages=$(printf '%s' "$out" | tr -cd '\f' | wc -c)
same "64 cases at 60 lines a page make 3 pages (2 form feeds)" "$pages" 2
contains "page numbers count the pages" "$out" "Page 3 of 3"
contains "later pages say they continue" "$out" "LIST OF CASES (continued)"
heads=$(printf '%s\n' "$out" | grep -c '^ID  Name')
same "the column headings are on every page" "$heads" 3
wide=$(printf '%s\n' "$out" | tr -d '\f' | wc -L)
same "no line is wider than --width 60 (the rule is 60)" "$wide" 60
long=$(printf '%s\n' "$out" | tr -d '\f' | awk 'BEGIN{n=0} /Page [0-9]+ of/ {print n; n=0; next} {n++}' | sort -u)
same "every page is 60 lines (59 and the footer)" "$long" 59
expect_rc "an empty result" 0 list city:Nowhere --format text
contains "says no case matches" "$out" "No case matches the filter."
contains "and the count is zero" "$out" "0 cases"

LC_ALL=ru_RU.UTF-8 cb list city:Almaty --format text
contains "Russian headings" "$out" "Статус"
contains "Russian status label" "$out" "в суде"

# ---- files -------------------------------------------------------------------

(umask 000; "$CASEBOOK" -d "$T/db" list city:Almaty --format text -o "$T/list.txt")
same "-o file is 0600 even under umask 000" "$(stat -c %a "$T/list.txt")" 600
contains "-o wrote the document" "$(cat "$T/list.txt")" "Filter: city:Almaty"
ln -s "$T/target.txt" "$T/link.txt"
expect_rc "-o through a symbolic link is refused" 1 list --format text -o "$T/link.txt"
check "nothing was written through the link" test ! -e "$T/target.txt"
expect_rc "-o with the screen table is a usage error" 2 list -o "$T/x.txt"
expect_rc "a bad --width" 2 list --format text --width 5

# ---- PDF -----------------------------------------------------------------------

(umask 000; "$CASEBOOK" -d "$T/db" list city:Almaty --format pdf -o "$T/list.pdf")
same "the PDF is 0600" "$(stat -c %a "$T/list.pdf")" 600
text=$(pdftotext "$T/list.pdf" -)
contains "pdf: the title" "$text" "LIST OF CASES"
contains "pdf: the filter" "$text" "Filter: city:Almaty"
contains "pdf: the count" "$text" "3 cases"
contains "pdf: a Cyrillic name survives" "$text" "Айгуль Сейткали"
contains "pdf: measures in short" "$text" "administrative arrest 15 days"
contains "pdf: the status" "$text" "in court"
contains "pdf: page numbers" "$text" "Page 1 of 1"
lacks "pdf: the restricted name is not printed" "$text" "Secret Person"
"$CASEBOOK" -d "$T/db" list --format pdf > "$T/all.pdf"
pages=$(pdfinfo "$T/all.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ -n "$pages" ] && [ "$pages" -ge 2 ]; then ok "pdf: 64 cases run over several pages"; else not_ok "pdf: 64 cases run over several pages" "pages: $pages"; fi
last=$(pdftotext -f "$pages" -l "$pages" "$T/all.pdf" -)
contains "pdf: the last page says it continues" "$last" "LIST OF CASES (continued)"
contains "pdf: the headings are repeated on the last page" "$last" "Measures"
contains "pdf: the last page's number" "$last" "Page $pages of $pages"
if command -v script >/dev/null 2>&1; then
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' list --format pdf" /dev/null)
	contains "no PDF to a terminal" "$tty_out" "not writing a PDF to the terminal"
else
	skip "no PDF to a terminal" "no script(1)"
fi
