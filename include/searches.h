/* searches.h — saved searches (DESIGN.md §2 and §4): a filter kept in the
 * database under a name, shared by everyone who uses the database, and
 * used in any filter as the term `@name` (query.h evaluates it on the
 * snapshot it reads, so the cases it matches are always today's). Names
 * are compared folded (`@Almaty` is `@almaty`). */
#ifndef CASEBOOK_SEARCHES_H
#define CASEBOOK_SEARCHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

/* Longest name, in bytes. */
#define SEARCH_NAME_MAX 64

struct saved_search {
	char *name; /* as given when saved */
	char *filter; /* the filter text, canonical (query_to_text) */
	char *by; /* the unix user who saved it */
	int64_t at; /* when */
};

/* 0 when name can name a saved search: 1 to SEARCH_NAME_MAX bytes of
 * letters (any script), digits, '_', '-' and '.'. Else CB_EINVAL saying
 * what is wrong. */
int searches_name_check(const char *name, struct cb_err *err);

/* Every saved search, by name. */
int searches_list(struct store *st, struct saved_search **out, size_t *n, struct cb_err *err);
void searches_free(struct saved_search *s, size_t n);

/* The filter text saved as name (*filter malloc'd). When there is none:
 * CB_ENOTFOUND, `no saved search "almty"; did you mean almaty? (saved:
 * ...)`. Inside a read transaction it reads that snapshot. */
int searches_get(struct store *st, const char *name, char **filter, struct cb_err *err);

/* Saves filter (checked: it must parse, every @name it uses must exist,
 * and none may lead back to name) as name; an existing search of that
 * name is replaced only when replace is set, else CB_EINVAL. */
int searches_add(struct store *st, const char *name, const char *filter, bool replace,
    struct cb_err *err);
/* Removes it: CB_ENOTFOUND (with did-you-mean) when there is none,
 * CB_EINVAL when another saved search uses it. */
int searches_rm(struct store *st, const char *name, struct cb_err *err);

#endif
