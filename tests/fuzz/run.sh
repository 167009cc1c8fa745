#!/bin/sh
# Runs each libFuzzer target given for $FUZZ_SECONDS seconds (make fuzz).
# Target fuzz_NAME starts from tests/fuzz/corpus/NAME (seeds and every
# regression input: all of them run first) and keeps what it finds in
# $FUZZ/corpus/NAME. A crash, leak, sanitizer report or timeout fails the
# run; the input is left as $FUZZ/NAME-crash-* (or -leak-, -timeout-).
# Prints, and appends to $FUZZ/executions.log, how many inputs each target
# ran clean.
FUZZ=${FUZZ:-build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-10}
status=0
for bin in "$@"; do
	name=$(basename "$bin" | sed 's/^fuzz_//')
	seeds=tests/fuzz/corpus/$name
	work=$FUZZ/corpus/$name
	mkdir -p "$work"
	[ -d "$seeds" ] || { echo "fuzz $name: no seed corpus $seeds"; status=1; continue; }
	log=$FUZZ/$name.log
	"$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$FUZZ/$name-" "$work" "$seeds" > "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	if [ "$rc" -ne 0 ]; then
		echo "fuzz $name: FAILED (exit $rc) after ${execs:-?} executions; see $log"
		grep -m 5 -E 'ERROR|runtime error|SUMMARY|Test unit written' "$log" | sed 's/^/  /'
		status=1
	else
		echo "fuzz $name: ${execs:-?} executions in ${SECONDS_EACH} s, clean"
		echo "$(date -u +%Y-%m-%dT%H:%MZ) $name ${execs:-0} ${SECONDS_EACH}s clean" >> "$FUZZ/executions.log"
	fi
done
exit $status
