#!/bin/sh
# `make demo`: loads the bundled demo data set (the cases behind the
# 24 April and 1 May 2021 bulletin, examples/demo.csv) into a demo database
# and opens the TUI on it. Loading is idempotent: a second run only opens.
#   database: $CASEBOOK_DEMO_DB, else build/demo-db in the source tree
#   binary:   $CASEBOOK, else build/casebook
# When stdin is not a terminal (CI, a pipe) it loads and prints the
# bulletin instead of opening the TUI.
set -e
cd "$(dirname "$0")/.."
bin=${CASEBOOK:-build/casebook}
db=${CASEBOOK_DEMO_DB:-$PWD/build/demo-db}
mkdir -p "$(dirname "$db")"
"$bin" -d "$db" demo
if [ -t 0 ] && [ -t 1 ]; then
	exec "$bin" -d "$db"
fi
"$bin" -d "$db" report
echo
echo "Not a terminal, so the TUI was not opened. Open it with: $bin -d $db"
