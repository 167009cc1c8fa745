/* query.h — the filter language of DESIGN.md §4, planned over the
 * secondary indexes: id sets intersected smallest-first, exclusions
 * subtracted, sorted pages found by walking the sort key's index, facet
 * counts from the index or from a bitmap of the result. Knows nothing of
 * terminals; the CLI and the TUI both go through here. */
#ifndef CASEBOOK_QUERY_H
#define CASEBOOK_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

struct query; /* a parsed filter */
struct query_result; /* the ids a filter matched, in one sort order */

/* Parses filter text: terms separated by spaces, AND-ed. `field:value`,
 * `field:a,b`, `-field:value`, `date:A..B`, `days:>=N`, `days:N..M`,
 * `name:prefix`, a bare word (= name:word), double quotes around values
 * with spaces. Empty text is the empty filter (matches every case). Errors
 * name the term: `unknown field "citty" (fields: city, region, ...)`. */
int query_parse(const char *text, struct query **out, struct cb_err *err);
/* The same for command-line words (each argv element is one or more terms;
 * an element with a space inside a value needs no extra quoting). */
int query_parse_argv(int argc, char *const argv[], struct query **out, struct cb_err *err);
void query_free(struct query *q);
/* True when the filter has no terms. */
bool query_is_empty(const struct query *q);
/* The names of the saved searches the filter uses (its `@name` terms), in
 * order. */
void query_saved_names(const struct query *q, struct strlist *out);
/* Canonical text of the filter (parses back to the same filter). malloc'd. */
char *query_to_text(const struct query *q);
/* Appends value as one filter value: as it is, or in double quotes (with
 * '"' and '\' escaped) when it is empty or holds white space, a comma, a
 * quote or a backslash. What query_parse reads back as that value. */
void query_quote(struct buf *b, const char *value);

enum query_sort_key { SORT_ID, SORT_DATE, SORT_NAME, SORT_CITY, SORT_HEARING };
struct query_sort {
	int key; /* enum query_sort_key */
	bool descending;
};
/* "date", "-date", "name", ... */
int query_sort_parse(const char *s, struct query_sort *out, struct cb_err *err);
const char *query_sort_name(int key);

/* Evaluates q on the newest snapshot. The result owns its id set and holds
 * no read transaction afterwards, so it may be kept while waiting for keys. */
int query_run(struct store *st, const struct query *q, struct query_sort sort,
    struct query_result **out, struct cb_err *err);
void query_result_free(struct query_result *r);
/* Number of matching cases. */
size_t query_result_count(const struct query_result *r);
/* Copies the ids of rows [first, first + max) in sort order into ids and
 * returns how many were copied. Does not decode cases. */
size_t query_result_page(struct query_result *r, size_t first, size_t max, uint64_t *ids);
/* Row of case id in the sorted result, or -1 when it is not in the result. */
long query_result_row(struct query_result *r, uint64_t id);
/* True when id is in the result. */
bool query_result_contains(const struct query_result *r, uint64_t id);

/* Fields that have facets: city, region, event, measure, injury, status,
 * verification, lawyer, sex, confidentiality. */
struct facet {
	char
	    *value; /* as shown: original spelling of the first case found, or the vocabulary key */
	char *key; /* the index key (folded) */
	uint64_t count;
};
/* Counts of each value of field within the cases matching filter (NULL or
 * empty: all cases), most frequent first, ties by value. */
int query_facets(struct store *st, const char *field, const struct query *filter,
    struct facet **out, size_t *n, struct cb_err *err);
void query_facets_free(struct facet *f, size_t n);
/* The counts of query_facets for each of nfields fields (out[i], n[i]),
 * within a result already made by query_run: its id set is reused, so the
 * filter is not evaluated again, and one read transaction serves every
 * field (the TUI's filter pane). Also takes "date" (each month "2021-05",
 * newest first, followed by its days "2021-05-01"; dates known only to the
 * year left out) and "days" (the buckets "0", "1..5", "6..10", "11..15",
 * "16.." of total days held): their keys are `date:`/`days:` terms with
 * the same counts. Counted on the newest snapshot: cases
 * added since the result was made are left out, deleted ones are gone.
 * On error nothing is returned (every out[i] NULL). */
int query_result_facets(struct query_result *r, const char *const *fields, size_t nfields,
    struct facet **out, size_t *n, struct cb_err *err);
/* Per-case tables of facet keys (a few MB a field at a million cases),
 * made once per database snapshot: query_result_facets_cached counts a
 * filtered result with one look-up per case instead of reading each
 * field's whole index. One cache per store, used by one thread. */
struct query_fcache;
struct query_fcache *query_fcache_new(void);
void query_fcache_free(struct query_fcache *c);
/* As query_result_facets, with the tables of cache (NULL: none). */
int query_result_facets_cached(struct query_result *r, struct query_fcache *cache,
    const char *const *fields, size_t nfields, struct facet **out, size_t *n, struct cb_err *err);

/* Tuning for tests and the benchmark: a result of at most n cases is
 * sorted by decoding its cases instead of walking the sort index.
 * (size_t)-1 (the default) chooses by the size of the index. */
void query_set_decode_sort_limit(size_t n);
/* Tuning for tests: the cost of probing one candidate against an index,
 * relative to reading one id (default 16). 0 always probes; UINT_MAX
 * always reads terms whole. */
void query_set_probe_cost(unsigned cost);
/* Tuning for tests: a page of an unfiltered sorted result more than n rows
 * beyond the rows walked so far is found from the index's key counts
 * (default 4096). */
void query_set_far_rows(size_t n);

#endif
