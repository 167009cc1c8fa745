#!/bin/sh
# Files casebook writes (export -o, sheet -o, backup) are owner-only from
# the first byte, never written through a link, and a failed write leaves
# the old file (or nothing) behind, never a partial one.
. "$(dirname "$0")/../lib.sh"

cb demo
same "demo database made" "$rc" 0

# A symlink target is refused and its victim untouched; a dangling link
# does not create its target.
echo "precious" > "$T/victim"
ln -s "$T/victim" "$T/link"
ln -s "$T/nowhere" "$T/dangling"
for cmd in "export" "export --format json" "sheet 1" "sheet 1 --format pdf"; do
	# shellcheck disable=SC2086
	cb $cmd -o "$T/link"
	same "$cmd -o symlink: refused (exit 1)" "$rc" 1
	contains "$cmd -o symlink: says why" "$err" "is a symbolic link"
	same "$cmd -o symlink: the victim is untouched" "$(cat "$T/victim")" "precious"
	# shellcheck disable=SC2086
	cb $cmd -o "$T/dangling"
	same "$cmd -o dangling symlink: refused" "$rc" 1
	check "$cmd -o dangling symlink: its target is not created" test ! -e "$T/nowhere"
done
check "no temporary files are left behind" test -z "$(ls -A "$T" | grep '\.tmp$')"

# A new output file is 0600 even under umask 000, and a file that was
# there is replaced by a private one.
for cmd in "export" "sheet 1" "sheet 1 --format pdf"; do
	rm -f "$T/out"
	# shellcheck disable=SC2086
	out=$(umask 000; "$CASEBOOK" -d "$T/db" $cmd -o "$T/out" 2>&1); rc=$?
	same "$cmd -o under umask 000: exit 0" "$rc" 0
	same "$cmd -o under umask 000: the file is 0600" "$(stat -c %a "$T/out")" 600
	echo old > "$T/out"
	chmod 644 "$T/out"
	# shellcheck disable=SC2086
	cb $cmd -o "$T/out"
	same "$cmd -o over an old file: exit 0" "$rc" 0
	same "$cmd -o over an old file: now 0600" "$(stat -c %a "$T/out")" 600
	lacks "$cmd -o over an old file: new content" "$(head -c 100 "$T/out")" "old"
done
cb export -o /dev/null
same "export -o a device: refused" "$rc" 1
contains "export -o a device: says it is not a regular file" "$err" "not a regular file"

# A backup is owner-only at every moment, even under umask 000: poll the
# mode of every file in the target while the copy is written.
awk 'BEGIN { print "name,city,notes"; for (i = 0; i < 30000; i++) printf "P%d,Almaty,%0900d\n", i, i }' \
	> "$T/big.csv"
"$CASEBOOK" -d "$T/bigdb" import "$T/big.csv" >/dev/null
(umask 000; exec "$CASEBOOK" -d "$T/bigdb" backup "$T/bk" >"$T/bk.out" 2>&1) &
pid=$!
modes=""
while kill -0 "$pid" 2>/dev/null; do
	modes="$modes $(stat -c %a "$T/bk"/* "$T/bk"/.[!.]* 2>/dev/null | tr '\n' ' ')"
done
wait "$pid"
same "backup under umask 000: exit 0" "$?" 0
seen=$(printf '%s\n' $modes | sort -u | tr '\n' ' ')
contains "backup: files were seen while it was written" "$seen" "600"
same "backup: every mode seen while it was written was 0600" "$seen" "600 "
same "backup: the copy is 0600" "$(stat -c %a "$T/bk/data.mdb")" 600
same "backup: only data.mdb in the target" "$(ls -A "$T/bk")" "data.mdb"
out=$("$CASEBOOK" -d "$T/bk" list --count 2>&1)
same "backup: the copy holds every case" "$out" 30000
cb backup "$T/bk"
same "backup into a directory that holds one: refused" "$rc" 1
contains "backup into a directory that holds one: says so" "$err" "already holds a database"

# A full disk: the write fails with a message, the old file survives and
# no partial file is left. Needs root to mount a small tmpfs.
mkdir -p "$T/small"
if ! mount -t tmpfs -o size=1m,mode=700 tmpfs "$T/small" 2>/dev/null; then
	echo "# skip: cannot mount a tmpfs here (not root?)"
	exit 0
fi
trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
head -c 300000 /dev/zero > "$T/small/filler"
for cmd in "export" "sheet --filter city:Almaty"; do
	echo "the old export" > "$T/small/out"
	# shellcheck disable=SC2086
	out=$("$CASEBOOK" -d "$T/bigdb" $cmd -o "$T/small/out" 2>&1); rc=$?
	same "$cmd -o onto a full disk: exit 1" "$rc" 1
	contains "$cmd -o onto a full disk: says no space" "$out" "No space left"
	same "$cmd -o onto a full disk: the old file survives" "$(cat "$T/small/out")" "the old export"
	same "$cmd -o onto a full disk: no partial file left" "$(ls -A "$T/small" | sort | tr '\n' ' ')" "filler out "
done
out=$("$CASEBOOK" -d "$T/bigdb" backup "$T/small/bk" 2>&1); rc=$?
same "backup onto a full disk: exit 3" "$rc" 3
contains "backup onto a full disk: says the disk is full" "$out" "disk is full"
same "backup onto a full disk: no partial copy left" "$(ls -A "$T/small/bk")" ""
