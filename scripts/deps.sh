#!/bin/sh
# The one list of Debian packages casebook needs to build, test and demo.
# `make deps` runs this; README and .ci/run use it too. Why each is here:
#   build-essential pkg-config  compiler, make, flags for the libraries below
#   gettext                     every user-facing string goes through gettext (po/)
#   liblmdb-dev lmdb-utils      the store (LMDB); mdb_stat/mdb_dump for inspection
#   libncurses-dev              the TUI (ncursesw)
#   libicu-dev                  Unicode folding (NFKC + case folding) of index keys
#   libcsv-dev                  RFC 4180 CSV parsing for import
#   libjansson-dev              JSON import and export; old/new values in audit entries
#   nettle-dev                  SHA-256 for the audit log's hash chain (small, one job)
#   zlib1g-dev                  crc32 for the checksum on every stored record (a CRC-32
#                               catches every burst of up to 32 changed bits; zlib is
#                               already on every system, cairo links it)
#   libcairo2-dev libpango1.0-dev fonts-dejavu-core  PDF case sheets with Cyrillic text
#   libcmocka-dev               unit tests
#   time procps                 make bench: /usr/bin/time -v (peak memory of an import) and
#                               pgrep (to sample the import's heap from /proc)
#   libsqlite3-dev              the benchmark's comparison engine (bench/ only)
#   tmux                        drives the TUI in tests
#   poppler-utils               pdftotext/pdfinfo check PDF sheets in tests
#   locales                     a UTF-8 locale (C.UTF-8) for the tests; ru_RU.UTF-8 and
#                               kk_KZ.UTF-8 (generated below) for the Russian and Kazakh tests
#   clang                       `make fuzz`: libFuzzer targets (-fsanitize=fuzzer) in tests/fuzz/
#   clang-format                `make format`, and the test that the sources follow .clang-format
set -eu
PACKAGES="build-essential pkg-config gettext liblmdb-dev lmdb-utils libncurses-dev \
libicu-dev libcsv-dev libjansson-dev zlib1g-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core \
libcmocka-dev libsqlite3-dev tmux poppler-utils locales nettle-dev time procps clang clang-format"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# The locales the translation tests run under, generated only when missing.
LOCALES="ru_RU.UTF-8 kk_KZ.UTF-8"

have_locale() { # ru_RU.UTF-8 -> is "ru_RU.utf8" in locale -a
	locale -a 2>/dev/null | grep -qix "$(echo "$1" | sed "s/UTF-8$/utf8/")"
}

make_locales() {
	need=""
	for l in $LOCALES; do have_locale "$l" || need="$need $l"; done
	[ -z "$need" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing locales:$need"
		echo "deps: run as root: enable them in /etc/locale.gen, then locale-gen"
		return 0 # only the translation tests need them
	fi
	for l in $need; do
		# Uncomment "# ru_RU.UTF-8 UTF-8", or add the line when it is absent.
		if grep -q "^# *$l UTF-8" /etc/locale.gen 2>/dev/null; then
			sed -i "s/^# *$l UTF-8/$l UTF-8/" /etc/locale.gen
		elif ! grep -q "^$l UTF-8" /etc/locale.gen 2>/dev/null; then
			echo "$l UTF-8" >> /etc/locale.gen
		fi
	done
	locale-gen
}

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	make_locales
	exit
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing:$missing"
	echo "deps: run as root: apt-get update && apt-get install -y$missing"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends $missing
make_locales
