#!/bin/sh
# Every C file is laid out as the repository's .clang-format says (run
# `make format`).
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v clang-format >/dev/null 2>&1; then
	skip "sources follow .clang-format" "clang-format is not installed"
	exit 0
fi
cd "$ROOT" || exit 2
files=$(make -s --no-print-directory print-format-src)
check "the list of sources to format is not empty" [ -n "$files" ]
for f in $files; do
	if clang-format --style=file "$f" | cmp -s - "$f"; then
		ok "$f follows .clang-format"
	else
		not_ok "$f follows .clang-format (run make format)" \
		    "$(clang-format --style=file "$f" | diff "$f" - | head -12)"
	fi
done
