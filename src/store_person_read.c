/* store_person_read.c — people in the store, the reading side: a case's
 * person, a person's cases and timeline, possible duplicates found through
 * the key and part indexes (never by scanning cases), the people of a set
 * of cases, the id sets behind the person:, cases: and repeat: filters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "person.h"
#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

/* Ids read from one key when looking for candidates (see store_person.c). */
#define MAX_PER_KEY 1000

bool store_persons_built(struct store *st)
{
	return st->pdb.built;
}

/* Begins a read for a public function; people not built read as none. */
static int begin(struct store *st, MDB_txn **txn, struct cb_err *err)
{
	return store_read_begin(st, txn, err);
}

static int read_fail(struct store *st, int rc, struct cb_err *err)
{
	store_read_end(st);
	if (rc == CB_ECORRUPT || rc < 0)
		return rc;
	return store_lmdb_error(err, rc, _("reading people"));
}

int store_person_of_case(struct store *st, uint64_t case_id, uint64_t *person_id,
    struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	*person_id = 0;
	if (!st->pdb.built)
		return 0;
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	rc = person_link_get(txn, &st->pdb, case_id, person_id, NULL);
	if (rc && rc != MDB_NOTFOUND)
		return read_fail(st, rc, err);
	store_read_end(st);
	return 0;
}

int store_person_get(struct store *st, uint64_t person_id, struct person_record *out,
    struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	person_record_init(out);
	if (!st->pdb.built)
		return cb_err_set(err, CB_ENOTFOUND, _("no person %llu"),
		    (unsigned long long)person_id);
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	rc = person_read(txn, &st->pdb, person_id, out, err);
	store_read_end(st);
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("no person %llu"),
		    (unsigned long long)person_id);
	if (rc && rc != CB_ECORRUPT)
		return store_lmdb_error(err, rc, _("reading people"));
	return rc;
}

int store_person_cases(struct store *st, uint64_t person_id, struct idarr *out, struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	if (!st->pdb.built)
		return 0;
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	if ((rc = person_case_ids(txn, &st->pdb, person_id, out)) != 0)
		return read_fail(st, rc, err);
	store_read_end(st);
	return 0;
}

int store_person_timeline(struct store *st, uint64_t person_id, int window_months,
    struct person_timeline *out, struct cb_err *err)
{
	struct person_record p;
	struct idarr ids = {0};
	struct case_record *cases;
	MDB_txn *txn;
	int rc;

	memset(out, 0, sizeof *out);
	person_record_init(&out->person);
	if (!st->pdb.built)
		return store_person_not_built(st, err);
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	rc = person_read(txn, &st->pdb, person_id, &p, err);
	if (rc == MDB_NOTFOUND) {
		store_read_end(st);
		return cb_err_set(err, CB_ENOTFOUND, _("no person %llu"),
		    (unsigned long long)person_id);
	}
	if (rc || (rc = person_case_ids(txn, &st->pdb, person_id, &ids)) != 0) {
		person_record_free(&p);
		free(ids.v);
		return read_fail(st, rc, err);
	}
	cases = xcalloc(ids.n ? ids.n : 1, sizeof *cases);
	for (size_t i = 0; i < ids.n && rc == 0; i++)
		rc = store_get_in(txn, st->cases, ids.v[i], &cases[i], err);
	store_read_end(st);
	person_timeline_build(out, cases, ids.n, window_months);
	out->person = p;
	free(ids.v);
	if (rc)
		person_timeline_free(out);
	return rc;
}

/* ---- Candidates --------------------------------------------------------- */

struct found {
	uint64_t *v;
	size_t n, cap;
};

static void found_add(struct found *f, uint64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i] == id)
			return;
	if (f->n == f->cap)
		f->v = xrealloc(f->v, (f->cap = f->cap ? f->cap * 2 : 16) * sizeof *f->v);
	f->v[f->n++] = id;
}

/* Adds the ids under key k of dbi (up to MAX_PER_KEY) to f. */
static int collect(MDB_txn *txn, MDB_dbi dbi, const char *k, struct found *f)
{
	MDB_cursor *c;
	MDB_val key = {strlen(k), (void *)k}, v;
	int rc = mdb_cursor_open(txn, dbi, &c), seen = 0;

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &key, &v, MDB_SET_KEY); rc == 0 && seen < MAX_PER_KEY;
	     rc = mdb_cursor_get(c, &key, &v, MDB_NEXT_DUP), seen++) {
		uint64_t id;
		memcpy(&id, v.mv_data, sizeof id);
		found_add(f, id);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The persons other than self that keys with birth year may be, by the
 * rule: the same key, a key of which ours is a part (person_part), a key
 * that is a part of ours. At most max into out, lowest id first. */
static int candidates_in(MDB_txn *txn, const struct person_dbs *d, const struct strlist *keys,
    int year, uint64_t self, struct person_candidate *out, size_t max, size_t *n,
    struct cb_err *err)
{
	struct found f = {0};
	int rc = 0;

	*n = 0;
	for (size_t i = 0; i < keys->n && rc == 0; i++) {
		struct strlist parts = {0};
		rc = collect(txn, d->key, keys->items[i], &f);
		if (rc == 0)
			rc = collect(txn, d->part, keys->items[i], &f);
		person_key_parts(keys->items[i], &parts);
		for (size_t j = 0; j < parts.n && rc == 0; j++)
			rc = collect(txn, d->key, parts.items[j], &f);
		strlist_free(&parts);
	}
	if (f.n > 1)
		qsort(f.v, f.n, sizeof *f.v, cmp_u64);
	for (size_t i = 0; i < f.n && rc == 0 && *n < max; i++) {
		struct person_record p;
		struct strlist pk = {0};
		enum person_reason why;
		if (f.v[i] == self)
			continue;
		if ((rc = person_read(txn, d, f.v[i], &p, err)) == MDB_NOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc)
			break;
		person_record_keys(&p, &pk);
		enum person_match m = person_match_lists(keys, year, &pk, p.birth_year, &why);
		if (m == PERSON_SAME) /* kept apart, or (not saved yet) whom it will join */
			why = self ? PREASON_SAME_NAME_YEAR : PREASON_NONE;
		if (m != PERSON_DIFFERENT && p.n_cases)
			out[(*n)++] = (struct person_candidate){p.id, why, p.n_cases, p.birth_year};
		strlist_free(&pk);
		person_record_free(&p);
	}
	free(f.v);
	return rc;
}

int store_person_candidates(struct store *st, uint64_t case_id, struct person_candidate *out,
    size_t max, size_t *n, struct cb_err *err)
{
	struct case_record c;
	int rc;

	*n = 0;
	if (!st->pdb.built)
		return 0;
	if ((rc = store_get(st, case_id, &c, err)) == 0)
		rc = store_person_candidates_for(st, &c, out, max, n, err);
	case_free(&c);
	return rc;
}

int store_person_candidates_for(struct store *st, const struct case_record *c,
    struct person_candidate *out, size_t max, size_t *n, struct cb_err *err)
{
	struct strlist keys = {0};
	uint64_t self = 0;
	MDB_txn *txn;
	int rc;

	*n = 0;
	if (!st->pdb.built)
		return 0;
	person_case_keys(c, &keys);
	if (keys.n == 0)
		return 0;
	if ((rc = begin(st, &txn, err)) != 0) {
		strlist_free(&keys);
		return rc;
	}
	rc = c->id ? person_link_get(txn, &st->pdb, c->id, &self, NULL) : 0;
	if (rc == 0 || rc == MDB_NOTFOUND)
		rc = candidates_in(txn, &st->pdb, &keys, c->birth_year, self, out, max, n, err);
	strlist_free(&keys);
	if (rc)
		return read_fail(st, rc, err);
	store_read_end(st);
	return 0;
}

/* Walks every person record in id order within txn. */
static int walk_persons(MDB_txn *txn, const struct person_dbs *d,
    int (*fn)(MDB_txn *txn, const struct person_record *p, void *ctx), void *ctx,
    struct cb_err *err)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, d->persons, &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct person_record p;
		uint64_t id;
		memcpy(&id, k.mv_data, sizeof id);
		if ((rc = person_decode(v.mv_data, v.mv_size, id, &p, err)) != 0)
			break;
		rc = fn(txn, &p, ctx);
		person_record_free(&p);
		if (rc)
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

struct foreach_ctx {
	int (*fn)(const struct person_record *p, void *ctx);
	void *ctx;
};

static int foreach_one(MDB_txn *txn, const struct person_record *p, void *ctx)
{
	struct foreach_ctx *f = ctx;
	(void)txn;
	return p->n_cases ? f->fn(p, f->ctx) : 0;
}

int store_person_foreach(struct store *st, int (*fn)(const struct person_record *p, void *ctx),
    void *ctx, struct cb_err *err)
{
	struct foreach_ctx f = {fn, ctx};
	MDB_txn *txn;
	int rc;

	if (!st->pdb.built)
		return 0;
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	rc = walk_persons(txn, &st->pdb, foreach_one, &f, err);
	store_read_end(st);
	if (rc > 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading people"));
	return rc;
}

struct dup_ctx {
	const struct person_dbs *d;
	int (*fn)(const struct person_pair *p, void *ctx);
	void *ctx;
	struct cb_err *err;
};

static int dup_one(MDB_txn *txn, const struct person_record *p, void *ctx)
{
	struct dup_ctx *x = ctx;
	struct person_candidate cand[64];
	struct strlist keys = {0};
	size_t n;
	int rc;

	if (!p->n_cases)
		return 0;
	person_record_keys(p, &keys);
	rc = candidates_in(txn, x->d, &keys, p->birth_year, p->id, cand, 64, &n, x->err);
	strlist_free(&keys);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (cand[i].person_id < p->id)
			continue; /* listed from the other side */
		struct person_pair pair = {p->id, cand[i].person_id, cand[i].reason};
		rc = x->fn(&pair, x->ctx);
	}
	return rc;
}

int store_person_duplicates(struct store *st, int (*fn)(const struct person_pair *p, void *ctx),
    void *ctx, struct cb_err *err)
{
	struct dup_ctx x = {&st->pdb, fn, ctx, err};
	MDB_txn *txn;
	int rc;

	if (!st->pdb.built)
		return store_person_not_built(st, err);
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	rc = walk_persons(txn, &st->pdb, dup_one, &x, err);
	store_read_end(st);
	if (rc > 0)
		return store_lmdb_error(err, rc, _("reading people"));
	return rc;
}

static int cmp_count(const void *a, const void *b)
{
	const struct person_count *x = a, *y = b;
	if (x->matching != y->matching)
		return x->matching > y->matching ? -1 : 1;
	return x->person_id < y->person_id ? -1 : x->person_id > y->person_id;
}

/* The person of each of the cases ids[0..n) that has one, into pids
 * (*np of them); an LMDB code on error. */
static int links_of(MDB_txn *txn, const struct person_dbs *d, const uint64_t *ids, size_t n,
    uint64_t *pids, size_t *np)
{
	MDB_cursor *c = NULL;
	int rc = person_blocks_links(txn, d, ids, n, pids, np);

	if (rc != 1)
		return rc;
	rc = mdb_cursor_open(txn, d->case_person, &c);
	*np = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		MDB_val k = {sizeof ids[i], (void *)&ids[i]}, v;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
		if (rc == MDB_NOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0 && v.mv_size != 9)
			rc = MDB_CORRUPTED;
		if (rc == 0)
			memcpy(&pids[(*np)++], v.mv_data, sizeof *pids);
	}
	if (c)
		mdb_cursor_close(c);
	return rc;
}

/* The number of distinct ids in v[0..n): a bitmap, no sort. */
static size_t count_distinct(const uint64_t *v, size_t n)
{
	uint64_t max = 0;
	struct idbm seen;

	for (size_t i = 0; i < n; i++)
		max = v[i] > max ? v[i] : max;
	idbm_init(&seen, max);
	for (size_t i = 0; i < n; i++)
		idbm_set(&seen, v[i]);
	size_t count = idbm_count(&seen);
	idbm_free(&seen);
	return count;
}

/* Groups the person ids pids[0..np) (sorted here) into counts with each
 * person's total, most first; *out malloc'd. */
static int group_counts(MDB_txn *txn, const struct person_dbs *d, uint64_t *pids, size_t np,
    struct person_count **out, size_t *nout, struct cb_err *err)
{
	struct person_count *res = NULL;
	size_t nres = 0;
	int rc = 0;

	if (np > 1)
		qsort(pids, np, sizeof *pids, cmp_u64);
	for (size_t i = 0, j; i < np && rc == 0; i = j) {
		struct person_record p;
		for (j = i; j < np && pids[j] == pids[i]; j++)
			;
		res = xrealloc(res, (nres + 1) * sizeof *res);
		res[nres] = (struct person_count){pids[i], (uint32_t)(j - i), 0};
		if ((rc = person_read(txn, d, pids[i], &p, err)) == 0)
			res[nres].total = p.n_cases;
		if (rc == MDB_NOTFOUND)
			rc = 0;
		person_record_free(&p);
		nres++;
	}
	if (rc) {
		free(res);
		return rc;
	}
	if (nres > 1)
		qsort(res, nres, sizeof *res, cmp_count);
	*out = res;
	*nout = nres;
	return 0;
}

int store_persons_of_cases(struct store *st, const uint64_t *ids, size_t n,
    struct person_count **out, size_t *nout, struct cb_err *err)
{
	uint64_t *pids;
	size_t np;
	MDB_txn *txn;
	int rc;

	*nout = 0;
	if (out)
		*out = NULL;
	if (!st->pdb.built)
		return store_person_not_built(st, err);
	if ((rc = begin(st, &txn, err)) != 0)
		return rc;
	pids = xmalloc((n ? n : 1) * sizeof *pids);
	rc = links_of(txn, &st->pdb, ids, n, pids, &np);
	if (rc == 0 && !out)
		*nout = count_distinct(pids, np);
	else if (rc == 0)
		rc = group_counts(txn, &st->pdb, pids, np, out, nout, err);
	free(pids);
	if (rc)
		return read_fail(st, rc, err);
	store_read_end(st);
	return 0;
}

/* ---- The filters' id sets ------------------------------------------------- */

int store_person_filter_person(struct store *st, MDB_txn *txn, uint64_t pid, struct idbm *b)
{
	struct idarr ids = {0};
	int rc;

	if (!st->pdb.present)
		return 0;
	if ((rc = person_case_ids(txn, &st->pdb, pid, &ids)) == 0)
		for (size_t i = 0; i < ids.n; i++)
			idbm_set(b, ids.v[i]);
	free(ids.v);
	return rc;
}

int store_person_filter_cases(struct store *st, MDB_txn *txn, uint32_t lo, uint32_t hi,
    struct idbm *b)
{
	unsigned char kb[4] = {(unsigned char)(lo >> 24), (unsigned char)(lo >> 16),
	    (unsigned char)(lo >> 8), (unsigned char)lo};
	MDB_cursor *c;
	MDB_val k = {4, kb}, v;
	int rc;

	if (!st->pdb.present)
		return 0;
	if ((rc = mdb_cursor_open(txn, st->pdb.count, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const unsigned char *p = k.mv_data;
		uint32_t n =
		    (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		uint64_t pid;
		if (n > hi)
			break;
		memcpy(&pid, v.mv_data, sizeof pid);
		if ((rc = store_person_filter_person(st, txn, pid, b)) != 0)
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_person_filter_repeat(struct store *st, MDB_txn *txn, int window, struct idbm *b)
{
	unsigned char kb[4] = {0, 0, 0, 2};
	MDB_cursor *c;
	MDB_val k = {4, kb}, v;
	int rc;

	if (!st->pdb.present)
		return 0;
	if ((rc = mdb_cursor_open(txn, st->pdb.count, &c)) != 0)
		return rc;
	/* Only people with two cases or more can have a repeat. */
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct idarr ids = {0};
		struct person_timeline tl;
		uint64_t pid;
		struct cb_err err;
		memcpy(&pid, v.mv_data, sizeof pid);
		if ((rc = person_case_ids(txn, &st->pdb, pid, &ids)) != 0)
			break;
		struct case_record *cases = xcalloc(ids.n, sizeof *cases);
		for (size_t i = 0; i < ids.n && rc == 0; i++)
			rc = store_get_in(txn, st->cases, ids.v[i], &cases[i], &err);
		person_timeline_build(&tl, cases, ids.n, window);
		for (size_t i = 0; i < tl.n && rc == 0; i++)
			if (person_timeline_case_repeats(&tl, i))
				idbm_set(b, tl.cases[i].id);
		person_timeline_free(&tl);
		free(ids.v);
		if (rc)
			break;
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : rc;
}
