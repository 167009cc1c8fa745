/* unit.h — shared helpers for the cmocka unit tests. */
#ifndef CASEBOOK_UNIT_H
#define CASEBOOK_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case.h"
#include "store.h"
#include "util.h"

/* Every closed vocabulary. */
static const struct vocab *const unit_vocabs[] = {
    &vocab_measure,
    &vocab_injury,
    &vocab_status,
    &vocab_verification,
    &vocab_confidentiality,
    &vocab_sex,
};

/* The next number of a small deterministic generator (xorshift64) for the
 * randomized tests; each file keeps its own state and seed, so its
 * sequence never changes. */
static inline uint64_t unit_xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A private temporary directory for one test (removed by unit_rmdir). */
static inline char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/casebook-unit.XXXXXX", base ? base : "/tmp");
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static inline void unit_rmdir(char *p)
{
	char cmd[4200];
	if (!p)
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", p);
	free(p);
}

/* A new store in a private temporary directory: the database is dbdir,
 * dir/db. */
struct unit_db {
	char *dir, *dbdir;
	struct store *st;
};

/* Makes the directory and opens a new store in it; false, with the reason
 * on stderr, when either fails. */
static inline bool unit_db_open(struct unit_db *d)
{
	struct cb_err err = {0};

	memset(d, 0, sizeof *d);
	if (!(d->dir = unit_tmpdir()))
		return false;
	d->dbdir = xasprintf("%s/db", d->dir);
	if (store_open(&d->st, d->dbdir, NULL, &err) != 0) {
		fprintf(stderr, "store_open: %s\n", err.msg);
		return false;
	}
	return true;
}

/* Closes the store and removes the directory. */
static inline void unit_db_close(struct unit_db *d)
{
	store_close(d->st);
	free(d->dbdir);
	unit_rmdir(d->dir);
	memset(d, 0, sizeof *d);
}

/* cmocka setup and teardown: a struct unit_db in *state. */
static inline int unit_db_setup(void **state)
{
	struct unit_db *d = xmalloc(sizeof *d);

	*state = d;
	return unit_db_open(d) ? 0 : -1;
}

static inline int unit_db_teardown(void **state)
{
	unit_db_close(*state);
	free(*state);
	return 0;
}

/* Every field of a record in its text form, one "name=value" line each:
 * two records are equal when their dumps are. */
static inline char *unit_case_dump(const struct case_record *c)
{
	struct buf b = {0};

	for (int f = 0; f < FIELD__COUNT; f++) {
		char *s = case_get_field(c, f);
		buf_printf(&b, "%s=%s\n", case_fields[f].name, s);
		free(s);
	}
	return buf_steal(&b);
}

/* Fills a fresh record from {field, text} pairs (internal fields allowed);
 * fails the test naming the field that was refused. */
static inline void unit_case_fill(struct case_record *c, const char *const (*set)[2], size_t n)
{
	struct cb_err err = {0};

	case_init(c);
	for (size_t i = 0; i < n; i++)
		if (case_set_field(c, case_field_find(set[i][0]), set[i][1], true, &err))
			fail_msg("%s: %s", set[i][0], err.msg);
}

#endif
