#!/bin/sh
# CLI tests of the core commands: add, show, edit, rm, history, check,
# database selection, read-only, exit codes, and bad input that must leave
# the database unchanged.
. "$(dirname "$0")/../lib.sh"

expect_rc "add prints an id" 0 add name='Ninagul DZHUMANIYAZOVA' city=Almaty measures=detention \
	injuries='strangulation:body=neck|bruise|head_trauma'
same "first id is 1" "$out" "1"
expect_rc "show" 0 show 1
contains "show has the name" "$out" "Ninagul DZHUMANIYAZOVA"
contains "show has the injuries" "$out" "strangulation:body=neck|bruise|head_trauma"
contains "show has rev 1" "$out" "rev              1"
expect_rc "show --json" 0 show 1 --json
contains "json has the city" "$out" '"city": "Almaty"'

perm=$(stat -c %a "$T/db")
same "database directory is 0700" "$perm" "700"
perm=$(stat -c %a "$T/db/data.mdb")
same "data file is 0600" "$perm" "600"

expect_rc "edit with the right --rev" 0 edit 1 --rev 1 city=Алматы
contains "edit says the new revision" "$out" "revision 2"
expect_rc "edit with a stale --rev is a conflict" 1 edit 1 --rev 1 city=Shymkent
contains "conflict message names who changed it" "$err" "was changed by"
cb show 1
contains "stale edit changed nothing" "$out" "Алматы"

before=$("$CASEBOOK" -d "$T/db" show 1)
expect_rc "unknown field is a user error" 1 edit 1 citty=Almaty
contains "unknown field named" "$err" 'unknown field "citty"'
expect_rc "unknown injury term" 1 edit 1 injuries=bruses
contains "unknown term listed with known ones" "$err" '"bruses"'
contains "known terms listed" "$err" "strangulation"
expect_rc "bad date" 1 edit 1 date=2021-13-40
contains "bad date named" "$err" "2021-13-40"
expect_rc "bad id" 1 show 12x
contains "bad id named" "$err" '"12x"'
expect_rc "unknown id" 1 show 999
contains "unknown id named" "$err" "999"
expect_rc "add with a bad term adds nothing" 1 add name=X measures=arest
after=$("$CASEBOOK" -d "$T/db" show 1)
same "bad input left the case as it was" "$after" "$before"
expect_rc "no case 2 was created by the refused add" 1 show 2

expect_rc "usage error: add without fields" 2 add
expect_rc "usage error: unknown command" 2 frobnicate
expect_rc "usage error: edit without fields" 2 edit 1

expect_rc "history" 0 history 1
contains "history has the creation" "$out" "created"
contains "history has the change, field by field" "$out" "city «Almaty» → «Алматы»"

expect_rc "check on a good database" 0 check
contains "check summary" "$out" "ok: 1 case,"

expect_rc "rm with a stale --rev refused" 1 rm 1 --rev 1
expect_rc "rm" 0 rm 1
expect_rc "show after rm" 1 show 1
cb history 1
contains "history keeps the deletion" "$out" "deleted"
expect_rc "new add gets a new id" 0 add name=Next
same "ids are never reused" "$out" "2"

# Database selection: $CASEBOOK_DB, then the XDG default.
out=$(CASEBOOK_DB="$T/envdb" "$CASEBOOK" add name=Env 2>&1)
check "CASEBOOK_DB is used" test -f "$T/envdb/data.mdb"
out=$(XDG_DATA_HOME="$T/xdg" "$CASEBOOK" add name=Xdg 2>&1)
check "XDG_DATA_HOME default is used" test -f "$T/xdg/casebook/data.mdb"
out=$("$CASEBOOK" add name=Home 2>&1)
check "~/.local/share/casebook default is used" test -f "$HOME/.local/share/casebook/data.mdb"

# Read-only.
out=$("$CASEBOOK" -d "$T/db" -r add name=Nope 2>&1); rc=$?
same "-r refuses writes with exit 1" "$rc" "1"
contains "-r says read-only" "$out" "read-only"
out=$("$CASEBOOK" -d "$T/db" -r show 2 2>&1); rc=$?
same "-r still reads" "$rc" "0"
out=$("$CASEBOOK" -d "$T/nothing" show 1 2>&1); rc=$?
same "reading a missing database is a user error" "$rc" "1"
check "reading does not create a database" test ! -e "$T/nothing"

# A foreign or corrupt database file is a database error (3), not a crash.
mkdir -p "$T/bad" && head -c 65536 /dev/urandom > "$T/bad/data.mdb"
out=$("$CASEBOOK" -d "$T/bad" show 1 2>&1); rc=$?
same "garbage data.mdb gives exit 3" "$rc" "3"
contains "garbage data.mdb is named" "$out" "not a casebook database"
echo hi > "$T/plainfile"
out=$("$CASEBOOK" -d "$T/plainfile" add name=x 2>&1); rc=$?
same "a plain file as database gives exit 3" "$rc" "3"

# Control characters in data never reach the terminal raw.
expect_rc "add a name with an escape sequence" 0 add "name=$(printf 'Evil\033]2;pwned\007Name')"
id=$out
cb show "$id"
lacks "show never prints ESC" "$out" "$(printf '\033')"
contains "show prints the escape visibly" "$out" "Evil^[]2;pwned^GName"

# On a terminal, every command's output is sanitised (CSV and JSON too);
# into a pipe or file the data stays exact.
if command -v script >/dev/null 2>&1; then
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' list --format csv" /dev/null)
	lacks "csv on a terminal carries no ESC" "$tty_out" "$(printf '\033')"
	contains "csv on a terminal shows the escape visibly" "$tty_out" "Evil^[]2;pwned^GName"
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' show $id --json" /dev/null)
	lacks "json on a terminal carries no ESC" "$tty_out" "$(printf '\033')"
	cb add name='Жанар Ахметова' city='Жаңатас-Тест ауылы'
	tty_out=$(script -qc "'$CASEBOOK' -d '$T/db' list" /dev/null)
	contains "multi-byte text survives the terminal guard" "$tty_out" "Жанар Ахметова"
	contains "multi-byte city (one the gazetteer lacks, shown as written) survives the terminal guard" "$tty_out" "Жаңатас-Тест ауылы"
else
	skip "output on a terminal is sanitised" "script(1) is not installed"
fi
cb list --format csv
contains "csv into a pipe keeps the data exact" "$out" "$(printf 'Evil\033]2;pwned\007Name')"
