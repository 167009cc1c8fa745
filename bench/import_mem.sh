#!/bin/sh
# Memory and speed of `casebook import` on N synthetic cases (default
# 1,000,000; the generator is bench's, `bench -G`). For the import and for
# the same import with --dry-run it prints the peak resident set size as
# /usr/bin/time -v reports it, and the part of it that is heap: the process
# is sampled every 50 ms for RssAnon (malloc'd and other private memory)
# and RssFile (pages of the memory-mapped database and of the binary) from
# /proc/PID/status. The database map is a shared file mapping, so its
# pages count in RssFile, never in RssAnon; the heap figure is the highest
# RssAnon seen.
#
# The dry run reads, validates and spools every row and checks it again
# without a write transaction: its heap is casebook's own. The import adds
# LMDB's buffers of its write transactions (every page one changes is held
# in malloc'd memory until its commit, up to 131,072 pages = 512 MiB; an
# import of more than 20,000 new cases is written in transactions of
# 20,000, CASEBOOK_IMPORT_CHUNK=N to try others); the difference of the two
# is LMDB's.
# Finally the dry run is repeated under a 256 MiB data limit (ulimit -d:
# Linux counts private writable memory against it, not the shared map),
# which fails if casebook's own memory ever needed more.
#   sh bench/import_mem.sh [N]      B=build-foo or CASEBOOK=path for another binary
#   PEOPLE=1 sh bench/import_mem.sh    the cases of bench_persons instead (N/3 people, linking)
cd "$(dirname "$0")/.." || exit 2
n=${1:-1000000}
b=${B:-build}
cb=${CASEBOOK:-$b/casebook}
for f in "$cb" "$b/bench/bench" "$b/bench/bench_persons" /usr/bin/time; do
	if [ ! -x "$f" ]; then
		echo "import_mem: $f is missing (make bench; /usr/bin/time is Debian's time package)" >&2
		exit 2
	fi
done
t=$(mktemp -d "${TMPDIR:-/tmp}/casebook-import.XXXXXX") || exit 3
trap 'rm -rf "$t"' EXIT
gen=$b/bench/bench
[ "${PEOPLE:-}" = 1 ] && gen=$b/bench/bench_persons
"$gen" -n "$n" -G "$t/cases.csv" || exit 3

# kb KEY FILE: the kB figure of a /proc/PID/status line.
kb() { sed -n "s/^$1:[^0-9]*\([0-9]*\) kB/\1/p" "$2" 2>/dev/null; }

# measure ARGS...: runs casebook ARGS under time -v, sampling it; sets
# anon, file (peak kB), rss (kB, time -v), secs (wall) and says what it did.
measure() {
	/usr/bin/time -v -o "$t/time" "$cb" -d "$t/db" "$@" >"$t/out" 2>"$t/err" &
	tpid=$!
	anon=0 file=0 pid=
	while kill -0 "$tpid" 2>/dev/null; do
		[ -n "$pid" ] || pid=$(pgrep -P "$tpid" | head -n 1)
		if [ -n "$pid" ] && cp "/proc/$pid/status" "$t/status" 2>/dev/null; then
			a=$(kb RssAnon "$t/status") f=$(kb RssFile "$t/status")
			[ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
			[ -n "$f" ] && [ "$f" -gt "$file" ] && file=$f
		fi
		sleep 0.05
	done
	if ! wait "$tpid"; then
		echo "import_mem: casebook $* failed: $(cat "$t/err")" >&2
		exit 1
	fi
	rss=$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$t/time")
	secs=$(sed -n 's/^\tElapsed (wall clock) time (h:mm:ss or m:ss): //p' "$t/time")
	cpu=$(sed -n 's/^\tUser time (seconds): //p' "$t/time")
}

echo "import of $n cases ($(($(wc -c <"$t/cases.csv") / 1048576)) MiB CSV):"
measure import --dry-run "$t/cases.csv"
own=$anon
echo "  --dry-run: $secs wall, $cpu s user; peak RSS $((rss / 1024)) MiB, heap $((anon / 1024)) MiB"
measure import "$t/cases.csv"
size=$(du -k "$t/db/data.mdb" | cut -f1)
echo "  import:    $secs wall, $cpu s user; peak RSS $((rss / 1024)) MiB, heap $((anon / 1024)) MiB," \
    "mapped files $((file / 1024)) MiB; data.mdb $((size / 1024)) MiB"
echo "  heap: casebook's own $((own / 1024)) MiB, LMDB's write transactions about $(((anon - own) / 1024)) MiB"
rm -rf "$t/db"
if (ulimit -d 262144 && "$cb" -d "$t/db" import --dry-run "$t/cases.csv" >/dev/null 2>"$t/err"); then
	echo "  --dry-run under a 256 MiB data limit: ok"
else
	echo "  --dry-run under a 256 MiB data limit: FAILED: $(head -c 300 "$t/err")"
	exit 1
fi
