#!/bin/sh
# Runs every test and ends with one line "N passed, N failed" (and
# ", N skipped" when a check could not run here; skipped is never passed).
#   unit: each build/tests/test_* (cmocka), then the same under ASan+UBSan
#   cli:  each tests/cli/*.sh, tui: each tests/tui/*.sh (TAP-style "ok"/"not ok",
#         "ok N - what # SKIP why" for a check that could not run); then both
#         suites again against $SAN/casebook (ASan+UBSan, leaks detected)
#   tree: each tests/tree/*.sh, checks of the source tree (formatting, template)
# ONLY=unit|cli|tui|tree|san restricts the run (san: only the cli and tui
# suites against the sanitizer build); B and SAN name the build directories.
# Output of each suite goes to $B/test-logs/.
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
SAN=${SAN:-build-san}
export B SAN
LOGS=$B/test-logs
mkdir -p "$LOGS"
pass=0
fail=0
skip=0
export CASEBOOK="$PWD/$B/casebook"
export LC_ALL=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=stdout
# Sanitizer reports go to files (log_path, one per process) as well as
# failing the process: a report from a casebook inside tmux, or from one
# whose exit status a test does not look at, still fails its suite.
SANLOGS=$PWD/$LOGS/sanitizer
rm -rf "$SANLOGS"
mkdir -p "$SANLOGS"
san_env() { # suite name: sanitizer settings writing reports under $SANLOGS/NAME
	mkdir -p "$SANLOGS/$1"
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86:log_path=$SANLOGS/$1/asan"
	export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=87:log_path=$SANLOGS/$1/ubsan"
}

# san_reports NAME: counts one failure per sanitizer report file of a suite.
san_reports() {
	for r in "$SANLOGS/$1"/*; do
		[ -s "$r" ] || continue
		echo "FAIL $1: sanitizer report $r"
		grep -m 3 -E 'ERROR|runtime error|SUMMARY' "$r" | sed "s|^|  $1: |"
		fail=$((fail + 1))
	done
}

count_cmocka() { # log exitcode name
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed, or a sanitizer stopped it
		echo "FAIL $3: exit $2 (see $1)"
	fi
	[ "$f" -gt 0 ] && grep -E '^\[  (FAILED|ERROR) +\]' "$1" | sed "s|^|  $3: |"
	[ "$s" -gt 0 ] && grep -E '^\[  SKIPPED \] [^0-9]' "$1" | sed "s|^|  $3: |"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

count_tap() { # log exitcode name
	s=$(grep -c -i '^ok [0-9]* *-.*# *skip' "$1")
	p=$(($(grep -c '^ok ' "$1") - s))
	f=$(grep -c '^not ok ' "$1")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $3: exit $2 (see $1)"
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		f=1 # a test file that reports nothing has not run
		echo "FAIL $3: no checks reported (see $1)"
	fi
	[ "$f" -gt 0 ] && grep '^not ok ' "$1" | sed "s|^|  $3: |"
	[ "$s" -gt 0 ] && grep -i '^ok [0-9]* *-.*# *skip' "$1" | sed "s|^|  $3: |"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# Suites left out of the sanitizer pass, with why (each is reported as one
# skipped check): "KIND/NAME.sh:reason" a line.
SAN_SKIP="tui/large_notes.sh:10 MB of notes; over ten minutes under ASan (runs in the plain pass)"

# san_skip_reason FILE: why FILE is left out of the sanitizer pass, or nothing.
san_skip_reason() {
	printf '%s\n' "$SAN_SKIP" | sed -n "s|^${1#tests/}:||p"
}

# shell_suite KIND PREFIX: runs tests/KIND/*.sh, logs as PREFIXKIND-NAME.
shell_suite() {
	for t in tests/$1/*.sh; do
		[ -f "$t" ] || continue
		n=$2$1-$(basename "$t" .sh)
		if [ -n "$2" ] && why=$(san_skip_reason "$t") && [ -n "$why" ]; then
			echo "ok 1 - $n # SKIP $why" > "$LOGS/$n.log"
			count_tap "$LOGS/$n.log" 0 "$n"
			continue
		fi
		[ -n "$2" ] && san_env "$n"
		sh "$t" > "$LOGS/$n.log" 2>&1; count_tap "$LOGS/$n.log" $? "$n"
		[ -n "$2" ] && san_reports "$n"
		echo "${2:+asan+ubsan }$1 $(basename "$t" .sh): done"
	done
}

if want unit; then
	for t in "$B"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		"$t" > "$LOGS/$n.log" 2>&1; count_cmocka "$LOGS/$n.log" $? "$n"
		echo "unit $n: done"
	done
	for t in "$SAN"/tests/test_*; do
		[ -x "$t" ] || continue
		n=$(basename "$t")
		san_env "san-$n"
		"$t" > "$LOGS/san-$n.log" 2>&1; count_cmocka "$LOGS/san-$n.log" $? "asan+ubsan $n"
		san_reports "san-$n"
		echo "unit (asan+ubsan) $n: done"
	done
fi
for kind in cli tui tree; do
	want $kind && shell_suite $kind ""
done
if want san; then
	if [ -x "$SAN/casebook" ]; then
		CASEBOOK="$PWD/$SAN/casebook"
		shell_suite cli san-
		shell_suite tui san-
		CASEBOOK="$PWD/$B/casebook"
	else
		echo "FAIL: $SAN/casebook is not built (make tests)"
		fail=$((fail + 1))
	fi
fi
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
