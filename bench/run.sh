#!/bin/sh
# `make bench`: casebook against SQLite on 1,000,000 synthetic cases (the
# same data, the same queries; medians of 21 runs). Needs about 1.5 GB free in
# $TMPDIR (default /tmp) and takes 2-3 minutes, most of it loading SQLite.
# Results and what they mean: bench/RESULTS.md.
#   BENCH_ARGS="-n 100000 -r 5" sh bench/run.sh    a quicker look
#   B=build-foo sh bench/run.sh                    another build directory
cd "$(dirname "$0")/.." || exit 2
bin=${B:-build}/bench/bench
if [ ! -x "$bin" ]; then
	echo "bench/run.sh: $bin is not built (run make bench)" >&2
	exit 2
fi
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
"$bin" $BENCH_ARGS
status=$?
# The city filter as before places had keys of their own (text keys, no
# gazetteer), casebook only: the row to compare the gazetteer's rows with.
echo
echo "without a gazetteer (city keys are the folded text), casebook only:"
# shellcheck disable=SC2086
"$bin" -x -g none -q 1 $BENCH_ARGS || exit
exit $status
