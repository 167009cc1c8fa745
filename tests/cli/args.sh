#!/bin/sh
# The command line's arguments: every command's --help, options parsed from
# each command's table (all spellings kept), unknown and malformed options;
# user text echoed in any error is escaped (no raw ESC reaches a terminal);
# every command that takes an id says "no case N" (exit 1) for an unknown one.
. "$(dirname "$0")/../lib.sh"

ESC=$(printf '\033')
CMDS="add show edit rm list facets import export sheet report history audit undo check backup demo"

# noesc "what" TEXT: TEXT holds no raw ESC, and shows it as ^[ instead.
noesc() {
	case "$2" in
	*"$ESC"*) not_ok "$1: no raw ESC" "$(printf '%s' "$2" | od -c | head -3)" ;;
	*) ok "$1: no raw ESC" ;;
	esac
	contains "$1: ESC shown as ^[" "$2" "^["
}

# ---- help ------------------------------------------------------------------

out=$("$CASEBOOK" --help); rc=$?
same "casebook --help: exit 0" "$rc" 0
for c in $CMDS; do
	contains "casebook --help lists $c" "$out" "casebook $c"
done
contains "casebook --help points to COMMAND --help" "$out" "COMMAND --help"

for c in $CMDS; do
	out=$("$CASEBOOK" -d "$T/nodb" "$c" --help 2>"$T/stderr"); rc=$?
	same "$c --help: exit 0" "$rc" 0
	contains "$c --help: synopsis" "$out" "usage: casebook $c"
	contains "$c --help: lists --help itself" "$out" "--help"
	same "$c --help: nothing on stderr" "$(cat "$T/stderr")" ""
	# Every long option of the synopsis is described.
	for o in $(printf '%s\n' "$out" | sed -n 1p | grep -o -- '--[a-z-]*' | sort -u); do
		contains "$c --help describes $o" "$(printf '%s\n' "$out" | sed 1d)" "$o"
	done
done
check "--help opens no database" test ! -e "$T/nodb"
cb list --help
lacks "list --help is no longer an unknown option" "$out$err" "unknown option"
contains "list --help: --sort" "$out" "--sort KEY"
contains "list --help: --count" "$out" "--count"
cb sheet --help
contains "sheet --help: short and long -o" "$out" "-o, --output FILE"
cb import --help
contains "import --help: -n" "$out" "-n, --dry-run"
# After "--", --help is a word, not an option.
expect_rc "list -- --help is a filter word" 1 list -- --help

# ---- options, every spelling -------------------------------------------------

cb add name=Бота city=Almaty date=2021-05-01 >/dev/null
cb add name=Alma city=Astana date=2021-04-24 >/dev/null
cb add name=Zhan city=Almaty date=2021-06-01 >/dev/null
expect_rc "list --sort KEY" 0 list --sort -date --format ids
same "--sort -date orders newest first" "$(echo $out)" "3 1 2"
expect_rc "list --sort=KEY --format=ids" 0 list --sort=date --format=ids
same "--sort=date" "$(echo $out)" "2 1 3"
expect_rc "options after filter words" 0 list city:Almaty --count
same "--count after a filter" "$out" "2"
expect_rc "options before filter words" 0 list --count city:Almaty
same "--count before a filter" "$out" "2"
expect_rc "export -o FILE" 0 export -o "$T/a.csv" city:Astana
check "export -o wrote the file" grep -q Alma "$T/a.csv"
expect_rc "export -o FILE, no filter" 0 export -o "$T/b.csv"
check "export -o FILE wrote every case" grep -q Zhan "$T/b.csv"
expect_rc "sheet -oFILE" 0 sheet 1 "-o$T/s1.txt"
check "sheet -oFILE wrote the sheet" grep -q "Бота" "$T/s1.txt"
expect_rc "a filter term beginning with a dash is a term" 0 list -city:Almaty --format ids
same "-city:Almaty excludes Almaty" "$out" "2"
expect_rc "export -city:Almaty" 0 export -city:Almaty
lacks "export -city:Almaty leaves Almaty out" "$out" "Бота"
(cd "$T" && "$CASEBOOK" -d "$T/db" export -ocity:x >/dev/null 2>"$T/stderr"); rc=$?
same "export -ocity:x is a (bad) filter term, not -o city:x" "$rc" 1
check "export -ocity:x wrote no file" test ! -e "$T/city:x"
expect_rc "export --output=FILE" 0 export --output="$T/c.csv" --format json
check "export --output=FILE wrote JSON" grep -q '"name": "Zhan"' "$T/c.csv"
expect_rc "import -n" 0 import -n "$T/b.csv"
contains "import -n is a dry run" "$out" "nothing written"
expect_rc "edit --rev=N" 0 edit 1 --rev=1 status=closed
expect_rc "edit --rev N after the assignment" 0 edit 1 status=open --rev 2
expect_rc "rm --rev N" 0 rm 3 --rev 1
expect_rc "show --json" 0 show 1 --json
contains "show --json is JSON" "$out" '"status": "open"'

# ---- bad options ---------------------------------------------------------------

expect_rc "unknown option: usage status" 2 list --bogus
contains "unknown option named" "$err" "list: unknown option --bogus"
contains "unknown option points to --help" "$err" "casebook list --help"
contains "unknown option: the synopsis follows" "$err" "usage: casebook list"
expect_rc "a flag given a value" 2 list --count=3
contains "a flag given a value: says so" "$err" "--count takes no value"
expect_rc "a value missing" 2 list --sort
contains "a value missing: says so" "$err" "--sort needs a value"
expect_rc "show: single-dash unknown option" 2 show -x 1
expect_rc "show: two ids" 2 show 1 2
contains "show: two ids: says so" "$err" "give one case id"
expect_rc "check takes no arguments" 2 check extra
expect_rc "edit without an assignment" 2 edit 1 --rev 1
contains "edit without an assignment: says so" "$err" "give at least one FIELD=VALUE"
expect_rc "edit: bad --rev" 2 edit 1 --rev x status=open
expect_rc "global: unknown option" 2 -x list
contains "global: unknown option named" "$err" "unknown option -x"
"$CASEBOOK" -d >/dev/null 2>"$T/stderr"; rc=$?
same "global: -d without a value" "$rc" 2
contains "global: -d without a value: says so" "$(cat "$T/stderr")" "-d needs a value"

# ---- user text in errors is escaped --------------------------------------------------

e2j=$(printf '\033[2J')
cb list --sort "$e2j"; noesc "list --sort ESC" "$err"
cb list --format "$e2j"; noesc "list --format ESC" "$err"
cb list "--$e2j"; noesc "list: unknown option with ESC" "$err"
cb show "-$e2j"; noesc "show: unknown option with ESC" "$err"
cb show "$e2j"; noesc "show: bad id with ESC" "$err"
cb export --format "$e2j"; noesc "export --format ESC" "$err"
cb report --format "$e2j"; noesc "report --format ESC" "$err"
cb import --format "$e2j" x.csv; noesc "import --format ESC" "$err"
cb import "$T/missing$e2j.csv"; noesc "import: cannot open a file named with ESC" "$err"
cb export -o "$T/no/such/dir/$e2j"; noesc "export -o: cannot create a file named with ESC" "$err"
cb sheet --width "$e2j" 1; noesc "sheet --width ESC" "$err"
cb sheet --format "$e2j" 1; noesc "sheet --format ESC" "$err"
cb sheet --filter "city:$e2j"; noesc "sheet --filter matching nothing" "$err"
cb edit 1 --rev "$e2j" status=open; noesc "edit --rev ESC" "$err"
cb rm 1 --rev "$e2j"; noesc "rm --rev ESC" "$err"
cb edit 1 "na${e2j}me=x"; noesc "edit: unknown field with ESC" "$err"
cb add "city=x" "$e2j=1"; noesc "add: bad assignment with ESC" "$err"
cb facets "$e2j"; noesc "facets: unknown field with ESC" "$err"
cb "$e2j"; noesc "unknown command with ESC" "$err"
out=$("$CASEBOOK" "--$e2j" 2>&1); noesc "global: unknown long option with ESC" "$out"
out=$("$CASEBOOK" "-$e2j" 2>&1); noesc "global: unknown short option with ESC" "$out"
out=$("$CASEBOOK" -d "/x$e2j" list 2>&1); rc=$?
same "-d to a missing directory with ESC: user error" "$rc" 1
noesc "-d to a missing directory with ESC" "$out"
: > "$T/plainfile"
out=$("$CASEBOOK" -d "$T/plainfile/x$e2j" add name=x 2>&1)
noesc "-d that cannot be created, with ESC" "$out"
out=$("$CASEBOOK" -d "$T/plainfile$e2j" list 2>&1)
noesc "-d naming a file, with ESC" "$out"

# ---- unknown ids: "no case N", exit 1, nothing changed -----------------------------------

before=$("$CASEBOOK" -d "$T/db" export)
for c in show history undo sheet rm; do
	expect_rc "$c 9999: user error" 1 $c 9999
	contains "$c 9999: says no case 9999" "$err" "no case 9999"
	same "$c 9999: prints nothing" "$out" ""
done
expect_rc "edit 9999: user error" 1 edit 9999 status=open
contains "edit 9999: says no case 9999" "$err" "no case 9999"
expect_rc "sheet of a good and an unknown id: user error" 1 sheet 1 9999
contains "sheet 1 9999: names the unknown one" "$err" "no case 9999"
same "sheet 1 9999: no partial output" "$out" ""
expect_rc "sheet -o of an unknown id" 1 sheet 9999 -o "$T/s.txt"
check "sheet -o of an unknown id writes no file" test ! -e "$T/s.txt"
same "unknown ids changed nothing" "$("$CASEBOOK" -d "$T/db" export)" "$before"
# A deleted case keeps its history; history of it is not "no case".
expect_rc "history of a deleted case" 0 history 3
contains "history of a deleted case shows the deletion" "$out" "deleted"

# The config file's text is the user's too.
mkdir -p "$HOME/.config/casebook"
printf 'sheet_format = %s\n' "$e2j" > "$HOME/.config/casebook/config"
cb sheet 1; noesc "a bad config value with ESC" "$err"
contains "the config warning names the line" "$err" "config:1: sheet_format"
rm "$HOME/.config/casebook/config"

# ---- counted messages ------------------------------------------------------------

printf 'name,city\nSolo\n' > "$T/short.csv"
cb import "$T/short.csv"
contains "one field is singular" "$err" "wrong column count: 1 field, the header has 2"
printf 'id,city\n1,Taraz\n' > "$T/upd.csv"
expect_rc "dry run of an update" 0 import --dry-run "$T/upd.csv"
contains "dry run: \"1 updated\", not \"1 updates\"" "$out" "would import 1 case (0 new, 1 updated, 0 unchanged)"
expect_rc "check" 0 check
contains "check counts the cases" "$out" "ok: 2 cases,"
