#!/bin/sh
# A byte of a record changed inside data.mdb (LMDB does not checksum its
# pages) is caught by the record's checksum: check names the case, and
# show, list and export refuse it instead of printing wrong data.
. "$(dirname "$0")/../lib.sh"

cb add name=Before city=Almaty
text="The court refused to hear the defence witnesses on 12 May."
cb add name=Victim city=Almaty "notes=$text"
cb add name=After city=Almaty
cb check
same "the database starts clean" "$rc" 0

# Where the note sits in the file (it is stored as written).
at=$(grep -boa "refused to hear" "$T/db/data.mdb" | head -1 | cut -d: -f1)
start=$((at - 10)) # "The court " comes before it
len=${#text}
if [ -z "$at" ]; then
	not_ok "the note is found in data.mdb"
	exit 0
fi

# Changes one byte of a copy of the database: $1 the offset in data.mdb.
patch_copy() {
	rm -rf "$T/copy"
	cp -r "$T/db" "$T/copy"
	old=$(dd if="$T/copy/data.mdb" bs=1 skip="$1" count=1 2>/dev/null)
	new=x
	[ "$old" = x ] && new=y
	printf '%s' "$new" | dd of="$T/copy/data.mdb" bs=1 seek="$1" count=1 conv=notrunc 2>/dev/null
}

missed=""
i=0
while [ "$i" -lt "$len" ]; do
	patch_copy $((start + i))
	out=$("$CASEBOOK" -d "$T/copy" check 2>&1); rc=$?
	case "$out" in
	*"case 2 is damaged: restore it from a backup"*) [ "$rc" -eq 1 ] || missed="$missed $i(rc=$rc)" ;;
	*) missed="$missed $i" ;;
	esac
	i=$((i + 1))
done
same "check catches a change at each of the $len bytes of the note" "$missed" ""

patch_copy $((start + 4)) # "The court" becomes "The xourt"
out=$("$CASEBOOK" -d "$T/copy" show 2 2>&1); rc=$?
same "show of the damaged case fails (exit 3)" "$rc" 3
same "show says which case and what to do" "$out" \
	"casebook: case 2 is damaged: restore it from a backup (its bytes do not match their checksum)"
lacks "show prints none of its data" "$out" "Victim"
out=$("$CASEBOOK" -d "$T/copy" export 2>&1); rc=$?
same "export stops at the damaged case (exit 3)" "$rc" 3
contains "export names the case" "$out" "case 2 is damaged"
lacks "export does not write the changed text" "$out" "xourt"
out=$("$CASEBOOK" -d "$T/copy" show 1 2>&1); rc=$?
same "the other cases still read" "$rc" 0
out=$("$CASEBOOK" -d "$T/copy" check 2>&1); rc=$?
lines=$(printf '%s\n' "$out" | grep -c "case 2")
same "check reports the damaged case once" "$lines" 1

# check --rewrite: nothing to do on a database written by this casebook.
cb check --rewrite
same "check --rewrite: exit 0" "$rc" 0
contains "check --rewrite: says how many it rewrote" "$out" "rewrote 0 records with a checksum"
contains "check --rewrite: then checks" "$out" "ok: 3 cases"
expect_rc "check with another argument is a usage error" 2 check --fix
