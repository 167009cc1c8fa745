# casebook — plain Makefile. `make`, `make check`, `make bench`, `make demo`,
# `make install PREFIX=/usr/local DESTDIR=...`, `make deps`.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
LOCALEDIR ?= $(PREFIX)/share/locale
# The gazetteer of places is read from $(DATADIR)/casebook/places.tsv.
DATADIR ?= $(PREFIX)/share
CC      ?= cc
PKG_CONFIG ?= pkg-config

PKGS     = ncursesw lmdb icu-uc icu-i18n jansson cairo pangocairo zlib nettle
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wwrite-strings
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g

# pkg-config's answers. A package it cannot find stops make with that
# package's name (instead of blanking every flag and failing later with
# a pile of missing headers). Goals that compile nothing skip the check.
pkg_missing = $(strip $(foreach p,$(1),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,$(p))))
pkg_need = $(if $(call pkg_missing,$(1)),$(error pkg-config cannot find: $(call pkg_missing,$(1)) \
	(install the Debian packages with `make deps`; README lists them)))
NOPKG_GOALS = deps clean uninstall pot pot-fresh format check-format print-format-src
ifneq ($(filter-out $(NOPKG_GOALS),$(or $(MAKECMDGOALS),all)),)
ifeq ($(shell command -v $(PKG_CONFIG)),)
$(error $(PKG_CONFIG) is not installed (install the Debian packages with `make deps`))
endif
$(call pkg_need,$(PKGS))
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS))
endif
# Only the rules that link tests or the benchmark ask for these.
TEST_LIBS  = $(call pkg_need,cmocka)$(shell $(PKG_CONFIG) --libs cmocka)
BENCH_LIBS = $(call pkg_need,sqlite3)$(shell $(PKG_CONFIG) --libs sqlite3)

CPPFLAGS_ALL = -Iinclude -D_GNU_SOURCE -DLOCALEDIR='"$(LOCALEDIR)"' \
               -DDATADIR='"$(DATADIR)"' $(PKG_CFLAGS)
CFLAGS_ALL   = -std=c11 $(OPT) $(WARN) $(CFLAGS)
LIBS_ALL     = $(PKG_LIBS) -lcsv -lm $(LDFLAGS)
# Each compile records the headers it read in a .d file next to its
# object (included at the end), so a header change rebuilds what uses it.
DEPFLAGS     = -MMD -MP

B        = build
SAN      = build-san
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC      = $(wildcard src/*.c src/tui/*.c)
LIB_SRC  = $(filter-out src/main.c,$(SRC))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
BENCH_SRC = $(wildcard bench/*.c)

OBJ      = $(LIB_SRC:%.c=$(B)/%.o)
SAN_OBJ  = $(LIB_SRC:%.c=$(SAN)/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SAN_BIN  = $(UNIT_SRC:tests/unit/%.c=$(SAN)/tests/%)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(B)/bench/%)
# Translations: po/LANG.po compiles to build/locale/LANG/LC_MESSAGES/casebook.mo,
# where build/casebook finds it (src/l10n.c); `make install` copies them to LOCALEDIR.
PO       = $(wildcard po/*.po)
LANGS    = $(PO:po/%.po=%)
MO       = $(LANGS:%=$(B)/locale/%/LC_MESSAGES/casebook.mo)

.PHONY: all deps check check-unit bench demo install uninstall clean pot tests man pot-fresh FORCE format check-format print-format-src fuzz

all: $(B)/casebook $(B)/places.tsv $(MO)

deps:
	@sh scripts/deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS_ALL) $(DEPFLAGS) -c $< -o $@

$(SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CPPFLAGS) $(CFLAGS_ALL) -O1 $(SAN_FLAGS) $(DEPFLAGS) -c $< -o $@

# l10n.c has LOCALEDIR built in: rebuild it when PREFIX or LOCALEDIR changes
# (`make install PREFIX=/usr` then installs a binary that looks in /usr).
$(B)/localedir: FORCE
	@mkdir -p $(B)
	@echo '$(LOCALEDIR)' | cmp -s - $@ || echo '$(LOCALEDIR)' > $@
$(B)/src/l10n.o $(SAN)/src/l10n.o: $(B)/localedir

# cli_io.c embeds the demo data set with .incbin.
$(B)/src/cli_io.o $(SAN)/src/cli_io.o $(FUZZ)/src/cli_io.o: examples/demo.csv

$(B)/libcasebook.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SAN)/libcasebook.a: $(SAN_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/casebook: $(B)/src/main.o $(B)/libcasebook.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LIBS_ALL)

# --check: a format string whose specifiers differ from the msgid, or a bad
# plural header, fails the build.
$(B)/locale/%/LC_MESSAGES/casebook.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The same program under ASan+UBSan: tests/run.sh runs the CLI and TUI
# suites against it a second time.
$(SAN)/casebook: $(SAN)/src/main.o $(SAN)/libcasebook.a
	$(CC) $(CFLAGS_ALL) -O1 $(SAN_FLAGS) -o $@ $^ $(LIBS_ALL)

# It finds its catalogs next to itself, as build/casebook does.
$(SAN)/locale: $(MO)
	@mkdir -p $(SAN)
	ln -sfn ../$(B)/locale $@

$(B)/tests/%: tests/unit/%.c $(B)/libcasebook.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(DEPFLAGS) -Isrc -Wno-missing-prototypes -o $@ $< $(B)/libcasebook.a $(LIBS_ALL) $(TEST_LIBS)

$(SAN)/tests/%: tests/unit/%.c $(SAN)/libcasebook.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(DEPFLAGS) -Isrc -Wno-missing-prototypes -O1 $(SAN_FLAGS) -o $@ $< $(SAN)/libcasebook.a $(LIBS_ALL) $(TEST_LIBS)

$(B)/bench/%: bench/%.c $(B)/libcasebook.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(DEPFLAGS) -o $@ $< $(B)/libcasebook.a $(LIBS_ALL) $(BENCH_LIBS)

# The build tree's programs read the gazetteer beside them (src/place.c),
# as an installed casebook reads $(DATADIR)/casebook/places.tsv.
$(B)/places.tsv: data/places.tsv
	@mkdir -p $(B)
	cp $< $@

$(SAN)/places.tsv: $(B)/places.tsv
	@mkdir -p $(SAN)
	ln -sfn ../$(B)/places.tsv $@

tests: $(B)/casebook $(SAN)/casebook $(SAN)/locale $(B)/places.tsv $(SAN)/places.tsv $(MO) $(UNIT_BIN) $(SAN_BIN) $(B)/man/keys_mdoc

# Every test: unit tests (plain and under ASan+UBSan), CLI tests, TUI tests.
# Ends with one line "N passed, N failed".
check: tests
	@B=$(B) SAN=$(SAN) sh tests/run.sh

check-unit: $(UNIT_BIN) $(SAN_BIN)
	@B=$(B) SAN=$(SAN) ONLY=unit sh tests/run.sh

# casebook against SQLite (bench/RESULTS.md), then the terminal UI's bytes
# and latencies (bench/TUI.md), then the memory of `casebook import`
# (bench/import_mem.sh); all on 1,000,000 cases.
bench: $(B)/casebook $(BENCH_BIN)
	@B=$(B) sh bench/run.sh
	@B=$(B) sh bench/tui_measure.sh
	@B=$(B) sh bench/import_mem.sh
	@$(B)/bench/bench_persons $(BENCH_PERSONS_ARGS)

demo: deps $(B)/casebook $(MO)
	@sh scripts/demo.sh

install: $(B)/casebook $(MO)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(B)/casebook $(DESTDIR)$(BINDIR)/casebook
	install -m 644 man/casebook.1 $(DESTDIR)$(MANDIR)/man1/casebook.1
	install -d $(DESTDIR)$(MANDIR)/ru/man1
	install -m 644 man/ru/casebook.1 $(DESTDIR)$(MANDIR)/ru/man1/casebook.1
	install -d $(DESTDIR)$(DATADIR)/casebook
	install -m 644 data/places.tsv $(DESTDIR)$(DATADIR)/casebook/places.tsv
	for l in $(LANGS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(B)/locale/$$l/LC_MESSAGES/casebook.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/casebook.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/casebook $(DESTDIR)$(MANDIR)/man1/casebook.1
	rm -f $(DESTDIR)$(MANDIR)/ru/man1/casebook.1
	rm -f $(DESTDIR)$(DATADIR)/casebook/places.tsv
	for l in $(LANGS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/casebook.mo; done

$(B)/man/keys_mdoc: man/keys_mdoc.c $(B)/libcasebook.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(DEPFLAGS) -o $@ $< $(B)/libcasebook.a $(LIBS_ALL)

# Splices the key list generated from src/tui/keys.c into the man pages:
# the English one, and the Russian one translated by the catalog built
# from po/ru.po.
MAN_SPLICE = sed -e '/^\.\\" BEGIN KEYS/,/^\.\\" END KEYS/{/^\.\\" BEGIN KEYS/{p;r $(1)' -e '};/^\.\\" END KEYS/p;d}' $(2) > $(2).new && mv $(2).new $(2)

man: $(B)/man/keys_mdoc $(MO)
	$(B)/man/keys_mdoc > man/keys.mdoc
	$(B)/man/keys_mdoc ru $(B)/locale > $(B)/man/keys.ru.mdoc
	$(call MAN_SPLICE,man/keys.mdoc,man/casebook.1)
	$(call MAN_SPLICE,$(B)/man/keys.ru.mdoc,man/ru/casebook.1)

# Regenerates the translation template from every _("...") in the sources
# and merges it into each catalog (new strings arrive untranslated, changed
# ones fuzzy: tests/cli/l10n.sh fails until they are translated).
POT_OPTS = --keyword=_ --keyword=N_ --keyword=NC_:1c,2 --add-comments=TRANSLATORS \
           --from-code=UTF-8 --package-name=casebook
pot:
	xgettext $(POT_OPTS) -o po/casebook.pot $(SRC)
	for p in $(PO); do msgmerge --quiet --update --backup=none $$p po/casebook.pot || exit 1; done

# A template made from the sources now, written to POT_OUT: tests/cli/l10n.sh
# compares it with po/casebook.pot to catch a stale template.
pot-fresh:
	@xgettext $(POT_OPTS) -o $(POT_OUT) $(SRC)

# Lays out every C file as .clang-format says; tests/tree/format.sh checks it.
FORMAT_SRC = $(sort $(wildcard src/*.c src/tui/*.c src/*.h src/tui/*.h include/*.h \
	tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h man/*.c bench/*.c))
format:
	clang-format -i --style=file $(FORMAT_SRC)
	rm -f tests/tree/unformatted

check-format:
	@sh tests/tree/format.sh

print-format-src:
	@echo $(FORMAT_SRC)

# ---- Fuzzing ------------------------------------------------------------------
# `make fuzz` builds the libFuzzer targets in tests/fuzz/ (clang: the
# library again with coverage, ASan and UBSan) and runs each for
# FUZZ_SECONDS seconds, starting from its seed corpus in tests/fuzz/corpus/
# (new inputs found go to $(FUZZ)/corpus/, not into the repository). A crash
# stops make; the input that caused it is left in $(FUZZ)/ as crash-*: add
# it to the target's corpus as a regression input once fixed.
FUZZ      = build-fuzz
FUZZ_CC   ?= clang
FUZZ_SECONDS ?= 10
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=undefined
FUZZ_SRC  = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN  = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ)/%)
FUZZ_OBJ  = $(LIB_SRC:%.c=$(FUZZ)/%.o)

$(FUZZ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS_ALL) -std=c11 $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link \
		$(DEPFLAGS) -c $< -o $@

$(FUZZ)/libcasebook.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ)/libcasebook.a
	$(FUZZ_CC) $(CPPFLAGS_ALL) -std=c11 $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer $(DEPFLAGS) \
		-o $@ $< $(FUZZ)/libcasebook.a $(LIBS_ALL)

fuzz: $(FUZZ_BIN)
	@FUZZ=$(FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_BIN)

clean:
	rm -rf $(B) $(SAN) $(FUZZ)

# Header dependencies recorded by -MMD (absent before the first build).
-include $(wildcard $(B)/src/*.d $(B)/src/tui/*.d $(SAN)/src/*.d $(SAN)/src/tui/*.d \
	$(B)/tests/*.d $(SAN)/tests/*.d $(B)/bench/*.d $(B)/man/*.d \
	$(FUZZ)/src/*.d $(FUZZ)/src/tui/*.d $(FUZZ)/*.d)
