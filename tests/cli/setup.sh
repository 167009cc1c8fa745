#!/bin/sh
# Office set-up: `casebook init DIR [--group GROUP]` makes a database the
# members of one group share (directory 2770 owned by the group, files
# 0660) and refuses what cannot be safe (a symbolic link, a world-writable
# directory, a directory holding other files, an unknown group); the
# config's `database` key and its order: -d, then $CASEBOOK_DB, then the
# user's config, then the system config, then the per-user default.
. "$(dirname "$0")/../lib.sh"

umask 022
export CASEBOOK_SYSTEM_CONFIG="$T/etc-config"
mode() { stat -c %a "$1"; }
group_of() { stat -c %G "$1"; }

# A real group: made for the test when root (and removed at the end), else
# one of the user's own groups other than the primary one if there is one.
grp=
if [ "$(id -u)" -eq 0 ] && command -v groupadd >/dev/null 2>&1; then
	grp=cbtest$$
	if groupadd "$grp" 2>/dev/null; then
		trap 'groupdel "$grp" 2>/dev/null; rm -rf "$T"' EXIT
	else
		grp=
	fi
fi
[ -n "$grp" ] || grp=$(id -gn)
echo "# sharing with group $grp"

S=$T/srv/cb
mkdir -p "$T/srv"
out=$("$CASEBOOK" init "$S" --group "$grp" 2>"$T/stderr"); rc=$?
same "init: exit 0" "$rc" 0
same "init: directory 2770" "$(mode "$S")" 2770
same "init: directory owned by the group" "$(group_of "$S")" "$grp"
same "init: data.mdb 0660" "$(mode "$S/data.mdb")" 660
same "init: lock.mdb 0660" "$(mode "$S/lock.mdb")" 660
same "init: data.mdb owned by the group" "$(group_of "$S/data.mdb")" "$grp"
contains "init: prints the config line" "$out" "database = $S"
"$CASEBOOK" -d "$S" add name="Айгерим Оспанова" city=Almaty >/dev/null
same "init: a written database keeps 0660" "$(mode "$S/data.mdb")" 660

# Running init again on the database keeps its cases.
out=$("$CASEBOOK" init "$S" 2>&1); rc=$?
same "init again: exit 0" "$rc" 0
n=$("$CASEBOOK" -d "$S" list --count)
same "init again: the case is still there" "$n" 1

# Refusals, each leaving things as they were.
ln -s "$S" "$T/link"
cb init "$T/link"
same "symlink: exit 1" "$rc" 1
cb init "$T/link/"
same "symlink with a trailing slash: exit 1" "$rc" 1
contains "symlink: says it is a link" "$err" "symbolic link"
same "symlink: target untouched" "$(mode "$S")" 2770
mkdir -m 777 "$T/open"
chmod 777 "$T/open"
cb init "$T/open"
same "world-writable: exit 1" "$rc" 1
contains "world-writable: says how to fix it" "$err" "chmod o-rwx"
same "world-writable: nothing created" "$(ls "$T/open")" ""
mkdir "$T/docs"
echo keep > "$T/docs/letter.txt"
cb init "$T/docs"
same "foreign files: exit 1" "$rc" 1
contains "foreign files: says so" "$err" "already holds other files"
same "foreign files: no database made" "$(ls "$T/docs")" "letter.txt"
cb init "$T/new" --group no-such-group-here
same "unknown group: exit 1" "$rc" 1
contains "unknown group: names it" "$err" 'no group "no-such-group-here"'
[ -e "$T/new" ] && not_ok "unknown group: nothing created" || ok "unknown group: nothing created"
cb init
same "init without DIR: usage" "$rc" 2

# The config's database key and the order of the settings.
count_in() { "$@" list --count 2>/dev/null; }
P=$T/private
"$CASEBOOK" -d "$P" add name=One >/dev/null
"$CASEBOOK" -d "$P" add name=Two >/dev/null
echo "database = $S" > "$CASEBOOK_SYSTEM_CONFIG"
same "system config: plain casebook uses the shared database" "$(count_in "$CASEBOOK")" 1
mkdir -p "$HOME/.config/casebook"
echo "database = $P" > "$HOME/.config/casebook/config"
same "user config wins over the system's" "$(count_in "$CASEBOOK")" 2
rm "$HOME/.config/casebook/config"
same "\$CASEBOOK_DB wins over the config" "$(CASEBOOK_DB=$P count_in "$CASEBOOK")" 2
same "-d wins over \$CASEBOOK_DB" "$(CASEBOOK_DB=$P count_in "$CASEBOOK" -d "$S")" 1
echo "database = relative/dir" > "$CASEBOOK_SYSTEM_CONFIG"
n=$("$CASEBOOK" -d "$S" list --count 2>/dev/null)
same "a relative database path: -d still works" "$n" 1
err=$("$CASEBOOK" list --count 2>&1 >/dev/null)
contains "a relative database path is refused with a warning" "$err" "not an absolute path"

# A command on another database than the office's says so on stderr; on
# the office's own, nothing.
echo "database = $S" > "$CASEBOOK_SYSTEM_CONFIG"
err=$("$CASEBOOK" -d "$P" list --count 2>&1 >/dev/null)
contains "another database: a note on stderr" "$err" "not the office's shared database $S"
err=$("$CASEBOOK" list --count 2>&1 >/dev/null)
same "the shared database: no note" "$err" ""
err=$("$CASEBOOK" -d "$S/" list --count 2>&1 >/dev/null)
same "the shared database by another spelling: no note" "$err" ""
