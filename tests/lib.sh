# Shared helpers for shell tests (CLI and TUI). Source it; each check prints
# "ok N - what" or "not ok N - what" (counted by tests/run.sh).
# $CASEBOOK is the binary under test; every test works in a private
# temporary directory removed at exit.
: "${CASEBOOK:=$(cd "$(dirname "$0")/../.." && pwd)/build/casebook}"
export LC_ALL=C.UTF-8
unset CASEBOOK_DB XDG_DATA_HOME NO_COLOR LANGUAGE CASEBOOK_LOCALEDIR
# The machine's /etc/casebook/config (a shared database, say) stays out of tests.
export CASEBOOK_SYSTEM_CONFIG=/nonexistent/casebook-config
T=$(mktemp -d "${TMPDIR:-/tmp}/casebook-test.XXXXXX")
chmod 700 "$T"
trap 'rm -rf "$T"' EXIT
export HOME="$T/home"
mkdir -p "$HOME"
_n=0

ok() { _n=$((_n + 1)); echo "ok $_n - $1"; }
not_ok() { _n=$((_n + 1)); echo "not ok $_n - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/#   /'; }
# skip "what" "why": a check that cannot run here; counted as skipped, never passed.
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }

# check "what" command...: passes when the command exits 0.
check() { what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }

# cb ARGS...: runs casebook on the test database; stdout in $out, stderr in $err, status in $rc.
cb() {
	out=$("$CASEBOOK" -d "$T/db" "$@" 2>"$T/stderr"); rc=$?
	err=$(cat "$T/stderr")
}

# expect_rc "what" N ARGS...: runs cb ARGS and checks the exit status.
expect_rc() {
	what=$1; want=$2; shift 2
	cb "$@"
	if [ "$rc" -eq "$want" ]; then ok "$what"; else not_ok "$what (exit $rc, wanted $want)" "$err"; fi
}

# contains "what" HAYSTACK NEEDLE
contains() {
	case "$2" in *"$3"*) ok "$1" ;; *) not_ok "$1" "wanted: $3
got: $2" ;; esac
}
lacks() {
	case "$2" in *"$3"*) not_ok "$1" "unwanted: $3
got: $2" ;; *) ok "$1" ;; esac
}
# matches "what" STRING GLOB: STRING matches the shell pattern GLOB (for
# things that must appear in order on one line).
matches() {
	# shellcheck disable=SC2254
	case "$2" in $3) ok "$1" ;; *) not_ok "$1" "wanted to match: $3
got: $2" ;; esac
}
# same "what" GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "wanted: $3
got: $2"; fi
}
