/* query_int.h — what the query module's files (query_parse.c, query_plan.c,
 * query_page.c, query_facet.c) share: the parsed filter, the read context
 * and the result. Not part of any public interface: query.h is. */
#ifndef CASEBOOK_QUERY_INT_H
#define CASEBOOK_QUERY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idset.h"
#include "query.h"
#include "store_lmdb.h"
#include "util.h"

/* ---- Parsed filters (query_parse.c) ---- */

struct qalt {
	char *text; /* as typed, unquoted (for query_to_text) */
	char *key; /* text: folded key; vocab: the term's key */
	bool clipped; /* a key was cut to the key size: confirm on the record */
	uint32_t lo, hi; /* date: YYYYMMDD span; days: inclusive range */
	struct strlist words; /* name: its folded words (a value needs one) */
	struct index_word *nw; /* name: the words as typed, each matched by its
	                        * skeleton or its folded words (index_key.h) */
	size_t nnw;
};

struct qterm {
	int field; /* enum case_index (IDX_NAME for a saved search) */
	char *saved; /* `@name`: the saved search's name; evaluated when run */
	bool negate;
	struct qalt *alts;
	size_t n;
};

struct query {
	struct qterm *terms;
	size_t n;
};

/* Filter fields about people (query_person.c): a term's field is one of
 * these instead of an index. */
enum { QF_PERSON = IDX__COUNT, QF_CASES, QF_REPEAT, QF__END };

/* "city, region, ...": the filter fields, or only those with facets. */
const char *query_field_names(bool facets_only);
/* The key style (enum key_style) of a filter field (an index). */
int query_key_style(int idx);
/* The index a sort key walks, or -1 for id order. */
int query_sort_index(int key);

/* ---- Reading indexes (query_plan.c) ---- */

struct keyref {
	unsigned char *data;
	size_t len;
	size_t count;
	int idx; /* the index the key is in (a name word's keys are in two) */
};

struct ctx {
	struct store *st;
	MDB_txn *txn;
	MDB_cursor *cur[IDX__COUNT];
	uint64_t maxid;
	uint64_t ncases;
	bool places_stale; /* place indexes built with another gazetteer */
	struct cb_err *err;
	int depth; /* saved searches being evaluated inside one another */
};

/* Opens a read context on the newest snapshot (ncases, maxid filled). */
int query_ctx_open(struct ctx *cx, struct store *st, struct cb_err *err);
/* A union of index keys' duplicate lists, or (set.w != NULL) a set read already. */
struct plan {
	int idx;
	bool negate;
	struct keyref *keys;
	size_t nk, capk;
	uint64_t est;
	struct idbm set;
};

/* Plans (query_plan.c), shared with the name words (query_words.c). */
void query_plan_add_key_in(struct plan *p, int idx, const void *data, size_t len, size_t count);
void query_plan_free(struct plan *p);
/* Sorts the keys and drops repeats. */
void query_plan_dedupe(struct plan *p);
/* The ids under every key of p into b. */
int query_plan_to_bm(struct ctx *cx, const struct plan *p, struct idbm *b);
/* The cases in every one of the n plans (an intersection), into out. */
int query_eval_and_words(struct ctx *cx, struct plan *ps, size_t n, struct idarr *out);

/* Name words (query_words.c). */
/* Whether typed word w is a plain union of keys. */
bool query_word_is_union(const struct index_word *w);
/* Adds to p the keys of typed word w: by skeleton (skel_idx) and folded word. */
int query_word_keys(struct ctx *cx, struct plan *p, int skel_idx, const struct index_word *w);
/* The ids of name alternative a: cases matching every typed word. */
int query_words_ids(struct ctx *cx, int idx, const struct qalt *a, struct idarr *out);

/* Event terms (query_event.c). */
/* Adds to p (on the event index) the key of every event alternative a
 * names: its exact title, else the events of its date, or those whose
 * title it begins or whose words it has. */
int query_event_keys(struct ctx *cx, struct plan *p, const struct qalt *a);

/* A whole number of at most 9 digits, s[0..len) (query_parse.c). */
bool query_parse_uint(const char *s, size_t len, uint32_t *out);
/* A range term's text (N, >=N, <=N, >N, <N, N..M) into a->lo..a->hi, lo
 * when it has no lower end; bad() says what a malformed one expects. */
int query_parse_range(struct qalt *a, uint32_t lo, int (*bad)(const char *v, struct cb_err *err),
    struct cb_err *err);

/* Closes the context's cursors and ends its read transaction. */
void query_ctx_end(struct ctx *cx);
/* The context's cursor on index idx, opened on first use. */
int query_ctx_cursor(struct ctx *cx, int idx, MDB_cursor **out);
/* An LMDB error while reading an index, into cx->err. */
int query_lmdb_fail(struct ctx *cx, int rc);
/* With the cursor on the first duplicate of a key (data d), makes d the
 * first page of duplicates; *single when the key has one id only. */
int query_page_first(MDB_cursor *c, MDB_val *d, size_t *count, bool *single);
/* The next page of duplicates; MDB_NOTFOUND after the last. */
int query_page_next(MDB_cursor *c, MDB_val *d, bool single);
/* Marks (marks[i] = 1) each of the sorted candidates v[0..n) found under
 * key kr; returns the number of new hits or a negative code. */
long query_probe_key(struct ctx *cx, MDB_cursor *c, const struct keyref *kr, const uint64_t *v,
    size_t n, unsigned char *marks);
/* Evaluates q into bitmap b (initialised for cx->maxid); *count = its size. */
int query_eval(struct ctx *cx, const struct query *q, struct idbm *b, size_t *count);
/* The cost of probing one candidate, relative to reading one id. */
extern unsigned query_probe_cost;

/* ---- Terms about people (query_person.c) ---- */

/* The person field named name[0..len), or -1. */
int query_person_field(const char *name, size_t len);
/* "person", "cases" or "repeat". */
const char *query_person_field_name(int field);
/* Parses alternative a of a term on person field field. */
int query_person_parse_alt(int field, struct qalt *a, struct cb_err *err);
/* Sets in set (initialised for cx->maxid) the cases term t matches,
 * ignoring its negation. */
int query_person_plan(struct ctx *cx, const struct qterm *t, struct idbm *set);

/* ---- Results (query_page.c) ---- */

struct keydir;

enum walk_phase { W_START, W_INDEX, W_DONE };

struct query_result {
	struct store *st;
	struct query_sort sort;
	bool all; /* every id 1..max: the set is not materialised */
	uint64_t max; /* largest id when the query ran */
	struct idbm set;
	size_t count;
	bool ranked;
	/* The sorted order found so far (sorts other than id). A case is
	 * under one key of a sort index, so the walk finds each once; only a
	 * concurrent change between two walks could show one twice. */
	struct idarr order;
	int phase;
	unsigned char *resume; /* last key walked completely */
	size_t resume_len;
	/* For "all" results: each key of the sort index with its first row,
	 * so that a far page is found from the counts alone. */
	struct keydir *dir;
	size_t ndir;
	size_t dir_rows; /* rows the index covers; rows after these have no value */
	bool dir_built;
};

/* ---- Per-case facet key tables (query_facet_cache.c) ---- */

/* An index key (bytes, not NUL-terminated for days). */
struct fkey {
	char *data;
	size_t len;
};

/* The cases of a set under each key of a field: keys[i] (the cache's, valid
 * until its next use) has count[i] of them, the smallest first[i]. */
struct fkey_hits {
	const struct fkey *keys;
	size_t n;
	uint64_t *count, *first;
};

/* Counts field idx within the ids of set up to max from the cache's table,
 * made on first use on each snapshot (cx's). 0 with out filled; 1 when
 * the table cannot serve (no cache or set, too many keys or ids: count
 * from the index); or an error code (cx->err set). */
int query_fcache_count(struct query_fcache *fc, struct ctx *cx, int idx, const struct idbm *set,
    uint64_t max, struct fkey_hits *out);
void query_fkey_hits_free(struct fkey_hits *h);

#endif
