#!/bin/sh
# Runs every test and ends with one line "N passed, N failed".
#   unit: each build/tests/test_* (cmocka), then the same under ASan+UBSan
#   cli:  each tests/cli/*.sh, tui: each tests/tui/*.sh (TAP-style "ok"/"not ok")
# ONLY=unit|cli|tui restricts the run; B and SAN name the build directories.
# Output of each suite goes to $B/test-logs/.
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
SAN=${SAN:-build-san}
LOGS=$B/test-logs
mkdir -p "$LOGS"
pass=0
fail=0
export CASEBOOK="$PWD/$B/casebook"
export LC_ALL=C.UTF-8
export CMOCKA_MESSAGE_OUTPUT=stdout
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

count_cmocka() { # log exitcode name
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$1" | tail -1)
	p=${p:-0}; f=${f:-0}
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed, or a sanitizer stopped it
		echo "FAIL $3: exit $2 (see $1)"
	fi
	[ "$f" -gt 0 ] && grep -E '^\[  (FAILED|ERROR) +\]' "$1" | sed "s|^|  $3: |"
	pass=$((pass + p)); fail=$((fail + f))
}

count_tap() { # log exitcode name
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $3: exit $2 (see $1)"
	fi
	[ "$f" -gt 0 ] && grep '^not ok ' "$1" | sed "s|^|  $3: |"
	pass=$((pass + p)); fail=$((fail + f))
}

want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

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
		"$t" > "$LOGS/san-$n.log" 2>&1; count_cmocka "$LOGS/san-$n.log" $? "asan+ubsan $n"
		echo "unit (asan+ubsan) $n: done"
	done
fi
for kind in cli tui; do
	want $kind || continue
	for t in tests/$kind/*.sh; do
		[ -f "$t" ] || continue
		n=$kind-$(basename "$t" .sh)
		sh "$t" > "$LOGS/$n.log" 2>&1; count_tap "$LOGS/$n.log" $? "$n"
		echo "$kind $(basename "$t" .sh): done"
	done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
