#!/bin/sh
# A full disk: writes fail with a message that says so, and the database
# is left as it was. Needs root to mount a small tmpfs; skipped otherwise.
. "$(dirname "$0")/../lib.sh"
mkdir -p "$T/small"
if ! mount -t tmpfs -o size=2m,mode=700 tmpfs "$T/small" 2>/dev/null; then
	skip "a full disk fails cleanly" "cannot mount a tmpfs here (not root?)"
	exit 0
fi
trap 'umount "$T/small" 2>/dev/null; rm -rf "$T"' EXIT
DB="$T/small/db"
"$CASEBOOK" -d "$DB" add name=Kept city=Almaty >/dev/null
awk 'BEGIN { print "name,notes"; for (i = 0; i < 4000; i++) printf "P%d,%0500d\n", i, i }' > "$T/big.csv"
out=$("$CASEBOOK" -d "$DB" import "$T/big.csv" 2>&1); rc=$?
same "import onto a full disk fails with exit 3" "$rc" 3
contains "the message says the disk may be full" "$out" "disk full"
contains "the message says nothing was saved" "$out" "nothing was saved"
out=$("$CASEBOOK" -d "$DB" check 2>&1); rc=$?
same "the database still passes check" "$rc" 0
contains "only the case from before is there" "$out" "ok: 1 case,"
out=$("$CASEBOOK" -d "$DB" show 1 2>&1)
contains "the earlier case is intact" "$out" "Kept"
