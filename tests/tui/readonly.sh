#!/bin/sh
# TUI: a database the user may not write opens read-only, with a note on
# the status line, instead of being refused; editing keys say why they do
# nothing; the database is left exactly as it was. -r asks for the same
# without the note. Without a terminal nothing is opened or created.
#
# "May not write" is made two ways, because tests also run as root, for
# whom permission bits do not stop writes: as root the database lives on a
# tmpfs that is then remounted read-only (writes fail with EROFS for root
# too); as another user the directory is made 0555. When neither works (root
# without the right to mount) the check is reported as skipped.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.inc"

D=$T/ro/db
mkdir -p "$T/ro"
if [ "$(id -u)" -eq 0 ]; then
	if ! mount -t tmpfs -o size=8m,mode=700 tmpfs "$T/ro" 2>/dev/null; then
		echo "ok 1 - # SKIP running as root and cannot mount a tmpfs to make a read-only database"
		exit 0
	fi
	trap 'TM kill-server 2>/dev/null; umount "$T/ro" 2>/dev/null; rm -rf "$T"' EXIT
	"$CASEBOOK" -d "$D" add name="Иван Петров" city=Алматы >/dev/null
	if ! mount -o remount,ro "$T/ro" 2>/dev/null; then
		echo "ok 1 - # SKIP running as root and cannot remount the tmpfs read-only"
		exit 0
	fi
	how="a read-only mount (running as root)"
else
	trap 'TM kill-server 2>/dev/null; chmod -R u+w "$T"; rm -rf "$T"' EXIT
	"$CASEBOOK" -d "$D" add name="Иван Петров" city=Алматы >/dev/null
	chmod 555 "$D"
	how="a 0555 directory"
fi
echo "# the database is unwritable through $how"
before=$("$CASEBOOK" -d "$D" export)

# start SESSION ARGS...: casebook ARGS on the read-only database.
start() {
	_s=$1; shift
	TM new-session -d -s "$_s" -x 160 -y 24 \
	    "'$CASEBOOK' -d '$D' $*; echo casebook-exited-\$?; sleep 30"
}

start a
see "opens instead of refusing" a "1 of 1 case"
see "the status line says why" a "You may not write to $D: opened read-only, editing is disabled"
not_see "no refusal" a "nothing was changed"
see "the case is shown" a "Иван Петров"
keys a a
see "a (add) says editing is disabled" a "read-only database: editing is disabled"
keys a e
see "e (edit) says so too" a "read-only database: editing is disabled"
keys a q
see "q quits normally" a "casebook-exited-0"
same "the database is unchanged" "$("$CASEBOOK" -d "$D" export)" "$before"

start b -r
see "-r: opens" b "1 of 1 case"
see "-r: the status bar marks it read-only" b "read-only"
not_see "-r: no note about permissions" b "You may not write"
keys b q
see "-r: quits" b "casebook-exited-0"

# A command that writes is still refused, with its one-line reason.
out=$("$CASEBOOK" -d "$D" add name=Y 2>&1); rc=$?
same "add on it: user error" "$rc" "1"
contains "add on it: says nothing was changed" "$out" "is open read-only"

# No terminal: refused before the database is opened, so none is created.
out=$("$CASEBOOK" -d "$T/never" </dev/null 2>&1); rc=$?
same "without a terminal: usage status" "$rc" "2"
check "without a terminal: no database created" test ! -e "$T/never"
