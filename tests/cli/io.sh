#!/bin/sh
# import, export, report, backup and demo through the built binary.
. "$(dirname "$0")/../lib.sh"

cbd() { # cbd DIR ARGS...: casebook on another database
	d=$1; shift
	"$CASEBOOK" -d "$T/$d" "$@"
}

# ---- demo and report ------------------------------------------------------

expect_rc "demo loads" 0 demo
contains "demo says how many" "$out" "223 cases"
expect_rc "demo again" 0 demo
contains "demo is idempotent" "$out" "already loaded"
cb export
same "demo loaded once" "$(printf '%s\n' "$out" | tail -n +2 | grep -c ',2021-0')" 223

expect_rc "report" 0 report
r=$out
contains "report: DPK refusal" "$r" "1 refusal in 1 town or locality: Almaty"
contains "report: DPK arrest" "$r" "1 political persecution on the day of 1 person in 1 town or locality (including 1 administrative arrest): Shymkent"
contains "report: DPK threat" "$r" "1 threat of prosecution of 1 person in 1 town or locality: Almaty"
contains "report: Zher refusals" "$r" "3 refusals in 3 towns and localities: Astana, Uralsk, Zaisan"
contains "report: Zher preventive" "$r" "19 preventive political persecutions of 19 people in 13 towns and localities (including 4 administrative arrests)"
contains "report: Zher on the day" "$r" "33 political persecutions on the day of 33 people in 12 towns and localities (including 13 administrative arrests)"
contains "report: DCK refusals" "$r" "18 refusals in 11 towns and localities"
contains "report: DCK preventive" "$r" "53 preventive political persecutions of 53 people in 21 towns and localities (including 14 administrative arrests)"
contains "report: DCK on the day" "$r" "90 political persecutions on the day of 90 people in 20 towns and localities (including 49 detentions, 2 administrative arrests, 2 administrative fines, 2 administrative cases awaiting trial)"
contains "report: DCK threats" "$r" "4 threats of prosecution of 4 people in 4 towns and localities: Aktobe Region, Almaty, Astana, Shymkent"
contains "report: injured named" "$r" "Ninagul DZHUMANIYAZOVA (Almaty): strangulation"
contains "report: shoulder" "$r" "Dastan BAZENOV (Almaty): joint injury (left shoulder"
expect_rc "report with a filter" 0 report event:"2021-05-01 DCK rallies"
lacks "filtered report leaves out other events" "$out" "DPK rally"
contains "filtered report keeps its event" "$out" "90 political persecutions on the day"
expect_rc "report --format md" 0 report --format md
contains "markdown headings" "$out" "## 2021-04-24 Жер Сатылмасын"
expect_rc "report: bad format" 2 report --format pdf

# ---- export and import round trips ----------------------------------------

cb export --no-meta; printf '%s\n' "$out" > "$T/a.csv"
cbd b import "$T/a.csv" >/dev/null 2>&1
cbd b export --no-meta > "$T/b.csv"
check "CSV round trip is byte-identical" cmp -s "$T/a.csv" "$T/b.csv"

cb export --format json --no-meta; printf '%s\n' "$out" > "$T/a.json"
cbd c import "$T/a.json" >/dev/null 2>&1
cbd c export --format json --no-meta > "$T/c.json"
check "JSON round trip is byte-identical" cmp -s "$T/a.json" "$T/c.json"

cb export; printf '%s\n' "$out" > "$T/full.csv"
"$CASEBOOK" -d "$T/e" import "$T/full.csv" >"$T/o" 2>"$T/e.err"; rc=$?
same "ids unknown to an empty database: refused" "$rc" 1
contains "the refusal says how to add them" "$(cat "$T/e.err")" "--ignore id,rev"
cbd e import --ignore id,rev,created,updated,updated_by "$T/full.csv" >/dev/null 2>&1
cbd e export --no-meta > "$T/e.csv"
check "full export imports as new cases with --ignore" cmp -s "$T/a.csv" "$T/e.csv"

expect_rc "re-importing an export changes nothing" 0 import "$T/full.csv"
contains "all unchanged" "$out" "223 unchanged"

# ---- spreadsheet features --------------------------------------------------

printf '\357\273\277ФИО,Город,Дата,Меры\r\n"КАЗИЕВ, Еркин",Алматы,2021-05-01,"detention|admin_arrest:days=5"\r\nБазенов,"Усть-\r\nКаменогорск",2021-05,\r\n' > "$T/office.csv"
expect_rc "office headers known without --map (dry run)" 0 import --dry-run "$T/office.csv"
contains "the headers read are named" "$err" '"ФИО" as name, "Город" as city, "Дата" as date, "Меры" as measures'
printf 'Любимый цвет,ФИО\nсиний,X\n' > "$T/unknown.csv"
expect_rc "an unknown Cyrillic header refused" 1 import "$T/unknown.csv"
contains "the error names the column and the fix" "$err" 'unknown column "Любимый цвет"'
expect_rc "--map with Cyrillic headers, BOM, CRLF" 0 import "$T/office.csv" --map 'ФИО=name,Город=city,Дата=date,Меры=measures'
contains "two new cases" "$out" "2 new"
cb export name:казиев
contains "quoted comma kept" "$out" '"КАЗИЕВ, Еркин"'
contains "measures parsed" "$out" "detention|admin_arrest:days=5"

# ---- bad files: all or nothing ---------------------------------------------

cb export; before=$out
cat > "$T/bad.csv" <<'EOF'
name,city,date,birth_year,injuries
Good One,Almaty,2021-05-01,1990,bruise
Bad Term,Almaty,2021-05-01,1990,bruses
Bad Date,Almaty,2021-13-01,1990,
"Multi
Line",Almaty,2021-05-01,19x0,
Short,Almaty
EOF
printf 'Bad Bytes,Alm\377ty,2021-05-01,1990,\n' >> "$T/bad.csv"
expect_rc "a stray byte: the file is in no encoding" 1 import "$T/bad.csv"
contains "the stray byte named by line and byte" "$err" "line 8, byte 210: not UTF-8 (0xFF), nor Cyrillic Windows-1251"
expect_rc "bad file refused" 1 import --encoding utf-8 "$T/bad.csv"
contains "unknown term, line 3" "$err" 'line 3: injuries: unknown injury type "bruses"'
contains "bad date, line 4" "$err" "line 4: date"
contains "bad number, line 5 (after an embedded newline)" "$err" 'line 5: birth_year: bad number "19x0"'
contains "wrong column count, line 7" "$err" "line 7: wrong column count"
contains "invalid UTF-8, line 8" "$err" "line 8: city: invalid UTF-8"
contains "nothing imported" "$err" "nothing imported"
contains "the error count is counted" "$err" "5 errors; nothing imported"
printf 'name,city,injuries\nOne Bad,Almaty,bruses\n' > "$T/bad1.csv"
expect_rc "one bad row refused" 1 import "$T/bad1.csv"
contains "one error is singular" "$err" "1 error; nothing imported"
lacks "no \"1 errors\"" "$err" "1 errors"
printf '[{"name": "A", "injuries": "bruses"}]\n' > "$T/bad1.json"
expect_rc "one bad JSON object refused" 1 import "$T/bad1.json"
contains "one JSON error is singular" "$err" "1 error; nothing imported"
cb export
same "database unchanged after a refused import" "$out" "$before"

printf 'name,city\nDry Run,Almaty\n' > "$T/dry.csv"
expect_rc "--dry-run" 0 import --dry-run "$T/dry.csv"
contains "dry run reports" "$out" "would import 1 case (1 new"
cb export
same "--dry-run writes nothing" "$out" "$before"
"$CASEBOOK" -d "$T/nodb" import --dry-run "$T/dry.csv" >/dev/null 2>&1
check "--dry-run creates no database" test ! -e "$T/nodb"

# ---- updates by id with revision checks ------------------------------------

printf 'id,rev,city\n2,1,Taraz\n' > "$T/upd.csv"
expect_rc "update with the current rev" 0 import "$T/upd.csv"
contains "one updated" "$out" "1 updated"
expect_rc "the same rev again is a conflict" 1 import "$T/upd.csv"
contains "conflict names the case and revs" "$err" "case 2 was changed after this file was exported (the file has rev 1, the database rev 2"
printf 'id,rev,city\n2,9,Taraz\n' > "$T/ahead.csv"
expect_rc "a revision the database never had is a conflict" 1 import "$T/ahead.csv"
contains "it says so, without \"changed since\"" "$err" "case 2: the file says rev 9, but the database has only rev 2"
lacks "no false \"changed since\"" "$err" "changed since"
cb show 2
contains "update kept the other fields" "$out" "DPK supporter"

# ---- export options ----------------------------------------------------------

expect_rc "export -o" 0 export -o "$T/out.csv" city:Shymkent
same "export file is owner-only" "$(stat -c %a "$T/out.csv")" 600
lacks "filtered export: only Shymkent" "$(tail -n +2 "$T/out.csv" | grep -v Shymkent)" ","
cb list --count city:Shymkent
same "filtered export: every Shymkent case" "$(tail -n +2 "$T/out.csv" | grep -c Shymkent)" "$out"
expect_rc "export: bad format" 2 export --format xml
expect_rc "import: missing file" 1 import "$T/nope.csv"

# ---- backup while another process writes ----------------------------------

(
	i=0
	while [ $i -lt 200 ] && [ ! -e "$T/stop" ]; do
		"$CASEBOOK" -d "$T/db" add name="Writer $i" city=Almaty >/dev/null 2>&1
		i=$((i + 1))
		touch "$T/started"
	done
) &
writer=$!
while [ ! -e "$T/started" ]; do sleep 0.05; done
expect_rc "backup while writing" 0 backup "$T/backup"
contains "backup says where" "$out" "$T/backup"
touch "$T/stop"
wait $writer
check "the copy passes check" sh -c '"$1" -d "$2" check >/dev/null' - "$CASEBOOK" "$T/backup"
same "backup directory is owner-only" "$(stat -c %a "$T/backup")" 700
n=$("$CASEBOOK" -d "$T/backup" export | tail -n +2 | grep -c ',2021-0\|Writer')
check "the copy holds the demo cases" test "$n" -ge 226
expect_rc "backup needs a destination" 2 backup

echo "1..$_n"
