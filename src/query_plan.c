/* query_plan.c — the planner and evaluator of filters over the secondary
 * indexes.
 *
 * A filter is an AND of terms; a term is an OR of alternatives; each
 * alternative names one or more index keys (a range or a name prefix names
 * many). Every term is sized with
 * mdb_cursor_count and the terms run smallest first. The working set starts
 * as the smallest term: a sorted id array while it is sparse, a bitmap over
 * the ids (dense from 1; 125 KB for a million) once it is dense. A sparse
 * set is tested against a bigger term by probing its duplicate pages
 * (MDB_GET_MULTIPLE), galloping within a page and jumping with
 * MDB_GET_BOTH_RANGE over pages that cannot hold a candidate; a dense set
 * is ANDed with the term read whole. Exclusions run last and subtract.
 * The result is a bitmap, or nothing at all for the unfiltered list.
 * A term whose keys were cut to the key size is read whole and confirmed
 * on the records (the only case where planning reads records). A name word
 * names keys in two indexes: the skeletons it starts and the folded words
 * it starts (index_key.h), so a plan's keys each carry their index. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "codec.h"
#include "idset.h"
#include "index_key.h"
#include "query.h"
#include "query_int.h"
#include "searches.h"
#include "util.h"

/* ---- Duplicate lists, a page at a time ----------------------------------- */

/* With the cursor on the first duplicate of a key (data d), makes d the
 * first page of duplicates. *single is set when the key has one id only
 * (LMDB then keeps no duplicate page and GET_MULTIPLE would not fill d). */
int query_page_first(MDB_cursor *c, MDB_val *d, size_t *count, bool *single)
{
	size_t n = 0;
	int rc = mdb_cursor_count(c, &n);
	if (rc)
		return rc;
	*count = (size_t)n;
	*single = n <= 1;
	if (*single)
		return d->mv_size == 8 ? 0 : MDB_CORRUPTED;
	MDB_val k;
	return mdb_cursor_get(c, &k, d, MDB_GET_MULTIPLE);
}

int query_page_next(MDB_cursor *c, MDB_val *d, bool single)
{
	if (single)
		return MDB_NOTFOUND;
	MDB_val k;
	return mdb_cursor_get(c, &k, d, MDB_NEXT_MULTIPLE);
}

/* ---- Planning ------------------------------------------------------------ */

int query_ctx_cursor(struct ctx *cx, int idx, MDB_cursor **out)
{
	if (!store_index_present(cx->st, idx))
		return cb_err_set(cx->err, CB_EDB,
		    _("this database has no %s index yet: open it "
		      "once with write access (without -r) and casebook adds it"),
		    index_name(idx));
	if (!cx->cur[idx]) {
		int rc = mdb_cursor_open(cx->txn, store_dbi_index(cx->st, idx), &cx->cur[idx]);
		if (rc)
			return store_lmdb_error(cx->err, rc, _("reading an index"));
	}
	*out = cx->cur[idx];
	return 0;
}

static void ctx_close(struct ctx *cx)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if (cx->cur[i])
			mdb_cursor_close(cx->cur[i]);
	memset(cx->cur, 0, sizeof cx->cur);
}

int query_ctx_open(struct ctx *cx, struct store *st, struct cb_err *err)
{
	MDB_cursor *c;
	MDB_val k, d;
	MDB_stat ms;
	int rc;

	memset(cx, 0, sizeof *cx);
	cx->st = st;
	cx->err = err;
	if ((rc = store_read_begin(st, &cx->txn, err)) != 0)
		return rc;
	if ((rc = mdb_stat(cx->txn, store_dbi_cases(st), &ms)) != 0)
		goto fail;
	cx->ncases = ms.ms_entries;
	if ((rc = mdb_cursor_open(cx->txn, store_dbi_cases(st), &c)) != 0)
		goto fail;
	rc = mdb_cursor_get(c, &k, &d, MDB_LAST);
	if (rc == 0 && k.mv_size == 8)
		cx->maxid = ids_load(k.mv_data, 0);
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		goto fail;
	cx->places_stale = !store_places_current(st, cx->txn);
	return 0;
fail:
	store_read_end(st);
	return store_lmdb_error(err, rc, _("reading the database"));
}

void query_ctx_end(struct ctx *cx)
{
	ctx_close(cx);
	store_read_end(cx->st);
}

int query_lmdb_fail(struct ctx *cx, int rc)
{
	return store_lmdb_error(cx->err, rc, _("reading an index"));
}

/* Adds a key of index idx to plan p. */
void query_plan_add_key_in(struct plan *p, int idx, const void *data, size_t len, size_t count)
{
	if (p->nk == p->capk) {
		p->capk = p->capk ? p->capk * 2 : 8;
		p->keys = xreallocarray(p->keys, p->capk, sizeof *p->keys);
	}
	struct keyref *k = &p->keys[p->nk++];
	k->data = xmalloc(len ? len : 1);
	memcpy(k->data, data, len);
	k->idx = idx;
	k->len = len;
	k->count = count;
	p->est += count;
}

static void plan_add_key(struct plan *p, const void *data, size_t len, size_t count)
{
	query_plan_add_key_in(p, p->idx, data, len, count);
}

void query_plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->nk; i++)
		free(p->keys[i].data);
	free(p->keys);
	if (p->set.w)
		idbm_free(&p->set);
	memset(p, 0, sizeof *p);
}

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->data, y->data, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Sorts the keys and drops repeats (city:a,A names one key twice). */
void query_plan_dedupe(struct plan *p)
{
	if (p->nk < 2)
		return;
	qsort(p->keys, p->nk, sizeof *p->keys, keyref_cmp);
	size_t w = 1;
	for (size_t i = 1; i < p->nk; i++) {
		if (keyref_cmp(&p->keys[w - 1], &p->keys[i]) == 0) {
			p->est -= p->keys[i].count;
			free(p->keys[i].data);
		} else {
			p->keys[w++] = p->keys[i];
		}
	}
	p->nk = w;
}

static int resolve_exact(struct ctx *cx, struct plan *p, const char *key)
{
	MDB_cursor *c;
	MDB_val k = {strlen(key), (void *)key}, d;
	size_t n;
	int rc;

	if ((rc = query_ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = mdb_cursor_count(c, &n)) != 0)
		return query_lmdb_fail(cx, rc);
	plan_add_key(p, key, strlen(key), (size_t)n);
	return 0;
}

/* Adds every key of a range: date periods lying wholly inside lo..hi, or
 * days in lo..hi (name words: resolve_prefix). */
static int resolve_range(struct ctx *cx, struct plan *p, int kind, uint32_t lo, uint32_t hi)
{
	MDB_cursor *c;
	MDB_val k, d;
	size_t n;
	unsigned char be[4];
	char year[8];
	int rc, op = MDB_SET_RANGE;

	if ((rc = query_ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	if (kind == KEY_DATE) {
		if (lo == 0) {
			op = MDB_FIRST;
		} else {
			k.mv_size = index_key_date_seek(lo, year);
			k.mv_data = year;
		}
	} else {
		index_key_days(lo, be);
		k.mv_data = be, k.mv_size = 4;
	}
	for (rc = mdb_cursor_get(c, &k, &d, op); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if (kind == KEY_DATE) {
			uint32_t first, last;
			if (!index_key_date_span(k.mv_data, k.mv_size, &first, &last))
				continue;
			if (first > hi)
				break;
			if (first < lo || last > hi)
				continue;
		} else {
			uint32_t v;
			if (!index_key_days_value(k.mv_data, k.mv_size, &v))
				continue;
			if (v > hi)
				break;
		}
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			return query_lmdb_fail(cx, rc);
		plan_add_key(p, k.mv_data, k.mv_size, (size_t)n);
	}
	if (rc && rc != MDB_NOTFOUND)
		return query_lmdb_fail(cx, rc);
	return 0;
}

/* Sets in b the ids under every key of p. */
int query_plan_to_bm(struct ctx *cx, const struct plan *p, struct idbm *b)
{
	MDB_cursor *c;
	int rc;

	for (size_t i = 0; i < p->nk; i++) {
		if ((rc = query_ctx_cursor(cx, p->keys[i].idx, &c)) != 0)
			return rc;
		MDB_val k = {p->keys[i].len, p->keys[i].data}, d;
		size_t cnt;
		bool single;
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
		if (rc == MDB_NOTFOUND)
			continue;
		if (rc || (rc = query_page_first(c, &d, &cnt, &single)) != 0)
			return query_lmdb_fail(cx, rc);
		do
			idbm_set_page(b, d.mv_data, d.mv_size / 8);
		while ((rc = query_page_next(c, &d, single)) == 0);
		if (rc != MDB_NOTFOUND)
			return query_lmdb_fail(cx, rc);
	}
	return 0;
}

/* The ids of p as a sorted array. */
static int plan_to_arr(struct ctx *cx, const struct plan *p, struct idarr *out)
{
	MDB_cursor *c;
	int rc;

	if (p->set.w) {
		idbm_to_array(&p->set, &out->v, &out->n, &out->cap);
		return 0;
	}
	if (p->nk != 1) {
		struct idbm b = {0};
		idbm_init(&b, cx->maxid);
		rc = query_plan_to_bm(cx, p, &b);
		if (rc == 0)
			idbm_to_array(&b, &out->v, &out->n, &out->cap);
		idbm_free(&b);
		return rc;
	}
	if ((rc = query_ctx_cursor(cx, p->keys[0].idx, &c)) != 0)
		return rc;
	MDB_val k = {p->keys[0].len, p->keys[0].data}, d;
	size_t cnt;
	bool single;
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = query_page_first(c, &d, &cnt, &single)) != 0)
		return query_lmdb_fail(cx, rc);
	do
		idarr_append(out, d.mv_data, d.mv_size / 8);
	while ((rc = query_page_next(c, &d, single)) == 0);
	return rc == MDB_NOTFOUND ? 0 : query_lmdb_fail(cx, rc);
}

/* Marks (marks[i] = 1) each candidate v[i] found under key k, walking the
 * key's duplicate pages alongside the sorted candidates: a page is read
 * only when a candidate may be in it, and a far candidate is reached with
 * one MDB_GET_BOTH_RANGE instead of reading the pages between. Returns the
 * number of hits or a negative code. */
long query_probe_key(struct ctx *cx, MDB_cursor *c, const struct keyref *kr, const uint64_t *v,
    size_t n, unsigned char *marks)
{
	MDB_val k = {kr->len, kr->data}, d;
	size_t cnt, pos = 0;
	long hits = 0;
	bool single;
	int rc;

	if (n == 0)
		return 0;
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = query_page_first(c, &d, &cnt, &single)) != 0)
		return query_lmdb_fail(cx, rc);
	for (;;) {
		size_t pn = d.mv_size / 8, j = 0;
		if (pn == 0)
			break;
		uint64_t lo = ids_load(d.mv_data, 0), hi = ids_load(d.mv_data, pn - 1);
		pos = ids_gallop(v, n, pos, lo);
		while (pos < n && v[pos] <= hi) {
			j = ids_gallop_raw(d.mv_data, pn, j, v[pos]);
			if (j < pn && ids_load(d.mv_data, j) == v[pos]) {
				hits += !marks[pos];
				marks[pos] = 1;
			}
			pos++;
		}
		if (pos >= n || single)
			break;
		if (v[pos] - hi > 4 * (hi - lo + 1) + 256) {
			MDB_val want = {sizeof v[pos], (void *)&v[pos]};
			k.mv_size = kr->len, k.mv_data = kr->data;
			rc = mdb_cursor_get(c, &k, &want, MDB_GET_BOTH_RANGE);
			if (rc == 0)
				rc = mdb_cursor_get(c, &k, &d, MDB_GET_MULTIPLE);
		} else {
			rc = query_page_next(c, &d, single);
		}
		if (rc == MDB_NOTFOUND)
			break;
		if (rc)
			return query_lmdb_fail(cx, rc);
	}
	return hits;
}

/* Keeps in a only the ids in p (keep) or only those not in p (!keep). */
static int filter_arr(struct ctx *cx, struct idarr *a, const struct plan *p, bool keep)
{
	size_t w = 0;
	int rc;

	if (a->n == 0)
		return 0;
	if (p->set.w) {
		for (size_t i = 0; i < a->n; i++)
			if (idbm_test(&p->set, a->v[i]) == keep)
				a->v[w++] = a->v[i];
		a->n = w;
		return 0;
	}
	/* Probing costs about one step per candidate and key; reading the
	 * term whole costs one per id it holds plus a bitmap scan. */
	if (p->nk > 1 && p->est + (cx->maxid >> 6) < (uint64_t)p->nk * a->n) {
		struct idbm b = {0};
		idbm_init(&b, cx->maxid);
		if ((rc = query_plan_to_bm(cx, p, &b)) == 0) {
			for (size_t i = 0; i < a->n; i++)
				if (idbm_test(&b, a->v[i]) == keep)
					a->v[w++] = a->v[i];
			a->n = w;
		}
		idbm_free(&b);
		return rc;
	}
	MDB_cursor *c;
	unsigned char *marks = xcalloc(a->n, 1);
	size_t hits = 0;
	for (size_t i = 0; i < p->nk && hits < a->n; i++) {
		if ((rc = query_ctx_cursor(cx, p->keys[i].idx, &c)) != 0) {
			free(marks);
			return rc;
		}
		long h = query_probe_key(cx, c, &p->keys[i], a->v, a->n, marks);
		if (h < 0) {
			free(marks);
			return (int)h;
		}
		hits += (size_t)h;
	}
	for (size_t i = 0; i < a->n; i++)
		if ((marks[i] != 0) == keep)
			a->v[w++] = a->v[i];
	a->n = w;
	free(marks);
	return 0;
}

/* Adds every key alternative a of a place term names (its places, its text). */
static int resolve_place(struct ctx *cx, struct plan *p, const struct qalt *a)
{
	int rc = 0;
	for (size_t i = 0; i < a->words.n && !rc; i++)
		rc = resolve_exact(cx, p, a->words.items[i]);
	return rc;
}

/* A place term on a database whose place indexes were built with another
 * gazetteer (opened read-only, so not rebuilt yet): the records are read
 * and matched through the gazetteer in use, so the answer is still right. */
static int place_scan(struct ctx *cx, const struct qterm *t, struct plan *p)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc;

	idbm_init(&p->set, cx->maxid);
	if ((rc = mdb_cursor_open(cx->txn, store_dbi_cases(cx->st), &c)) != 0)
		return query_lmdb_fail(cx, rc);
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		struct case_record r;
		if (k.mv_size != 8)
			continue;
		case_init(&r);
		if (codec_decode(v.mv_data, v.mv_size, &r, NULL) == 0)
			for (size_t i = 0; i < t->n; i++)
				if (index_case_matches(&r, t->field, t->alts[i].text)) {
					idbm_set(&p->set, r.id);
					break;
				}
		case_free(&r);
	}
	mdb_cursor_close(c);
	p->est = idbm_count(&p->set);
	return rc == MDB_NOTFOUND ? 0 : query_lmdb_fail(cx, rc);
}

/* Keeps in a only the cases that really match alternative text of index
 * idx: a key cut to the key size also holds values that differ after it. */
static int confirm_ids(struct ctx *cx, int idx, const char *text, struct idarr *a)
{
	MDB_dbi cases = store_dbi_cases(cx->st);
	size_t w = 0;
	int rc = 0;

	for (size_t i = 0; i < a->n && !rc; i++) {
		uint64_t id = a->v[i];
		MDB_val k = {sizeof id, &id}, v;
		struct case_record c;
		if ((rc = mdb_get(cx->txn, cases, &k, &v)) == MDB_NOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc)
			return query_lmdb_fail(cx, rc);
		case_init(&c);
		rc = codec_decode(v.mv_data, v.mv_size, &c, cx->err);
		if (rc)
			cb_err_prefix(cx->err, _("case %llu"), (unsigned long long)id);
		else if (index_case_matches(&c, idx, text))
			a->v[w++] = id;
		case_free(&c);
	}
	a->n = w;
	return rc;
}

/* The ids of one alternative of term t, exactly (confirmed when clipped). */
static int alt_ids(struct ctx *cx, const struct qterm *t, const struct qalt *a, struct idarr *out)
{
	int rc = 0;

	if (query_key_style(t->field) == KEY_WORDS) {
		rc = query_words_ids(cx, t->field, a, out);
	} else {
		struct plan p = {.idx = t->field};
		if (query_key_style(t->field) == KEY_PLACE)
			rc = resolve_place(cx, &p, a);
		else
			rc = resolve_exact(cx, &p, a->key);
		query_plan_dedupe(&p);
		if (rc == 0 && p.nk)
			rc = plan_to_arr(cx, &p, out);
		query_plan_free(&p);
	}
	if (!rc && a->clipped)
		rc = confirm_ids(cx, t->field, a->text, out);
	return rc;
}

/* The plan of `@name`: the saved search's filter, read from the snapshot
 * being evaluated, parsed and evaluated into a set like any exact term.
 * A search that uses itself (saved by an older casebook, or changed by
 * another user meanwhile) stops at a depth limit with an error. */
static int plan_saved(struct ctx *cx, const struct qterm *t, struct plan *p)
{
	struct query *sub;
	char *text;
	int rc;

	if (cx->depth >= 16)
		return cb_err_set(cx->err, CB_EINVAL, _("saved search \"%s\" uses itself"),
		    t->saved);
	if ((rc = searches_get(cx->st, t->saved, &text, cx->err)) != 0)
		return rc;
	rc = query_parse(text, &sub, cx->err);
	if (rc)
		cb_err_prefix(cx->err, _("saved search \"%s\""), t->saved);
	free(text);
	if (rc)
		return rc;
	idbm_init(&p->set, cx->maxid);
	size_t count = 0;
	cx->depth++;
	rc = query_eval(cx, sub, &p->set, &count);
	cx->depth--;
	query_free(sub);
	p->est = count;
	return rc;
}

/* Builds the plan of term t. A term whose alternatives are intersections
 * (several name words) or must be confirmed (clipped keys) is read into a
 * set; any other is a union of keys, sized and read later. */
static int plan_term(struct ctx *cx, const struct qterm *t, struct plan *p)
{
	int kind, rc = 0;
	bool exact = false;

	memset(p, 0, sizeof *p);
	p->negate = t->negate;
	if (t->field >= IDX__COUNT) {
		/* A term about people: its set is read whole (query_person.c). */
		p->idx = IDX_DAYS;
		idbm_init(&p->set, cx->maxid);
		rc = query_person_plan(cx, t, &p->set);
		p->est = idbm_count(&p->set);
		return rc;
	}
	kind = query_key_style(t->field);
	p->idx = t->field;
	if (t->saved)
		return plan_saved(cx, t, p);
	if (kind == KEY_PLACE && cx->places_stale)
		return place_scan(cx, t, p);
	for (size_t i = 0; i < t->n; i++) {
		const struct qalt *a = &t->alts[i];
		if (kind == KEY_WORDS)
			exact |= a->nnw != 1 || !query_word_is_union(&a->nw[0]);
		exact |= a->clipped;
	}
	if (exact) {
		idbm_init(&p->set, cx->maxid);
		for (size_t i = 0; i < t->n && !rc; i++) {
			struct idarr a = {0};
			rc = alt_ids(cx, t, &t->alts[i], &a);
			for (size_t j = 0; j < a.n; j++)
				idbm_set(&p->set, a.v[j]);
			idarr_free(&a);
		}
		p->est = idbm_count(&p->set);
		return rc;
	}
	for (size_t i = 0; i < t->n && !rc; i++) {
		const struct qalt *a = &t->alts[i];
		switch (kind) {
		case KEY_FOLDED:
			if (t->field == IDX_EVENT) {
				rc = query_event_keys(cx, p, a);
				break;
			}
			rc = resolve_exact(cx, p, a->key);
			break;
		case KEY_EXACT:
			rc = resolve_exact(cx, p, a->key);
			break;
		case KEY_DATE:
		case KEY_DAYS:
			rc = resolve_range(cx, p, kind, a->lo, a->hi);
			break;
		case KEY_WORDS:
			rc = query_word_keys(cx, p, index_skeleton_of(t->field), &a->nw[0]);
			break;
		case KEY_PLACE:
			rc = resolve_place(cx, p, a);
			break;
		}
	}
	query_plan_dedupe(p);
	return rc;
}

static int plan_est_cmp(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;
	return (x->est > y->est) - (x->est < y->est);
}

/* Intersects positive plans (any order) into a sorted array. */
int query_eval_and_words(struct ctx *cx, struct plan *ps, size_t n, struct idarr *out)
{
	int rc;
	qsort(ps, n, sizeof *ps, plan_est_cmp);
	if (n == 0 || ps[0].est == 0)
		return 0;
	if ((rc = plan_to_arr(cx, &ps[0], out)) != 0)
		return rc;
	for (size_t i = 1; i < n && out->n && !rc; i++)
		rc = filter_arr(cx, out, &ps[i], true);
	return rc;
}

/* Every id in the store. Ids are dense unless cases were deleted; then the
 * `days` index, which holds every case, gives them without reading records. */
static int all_ids(struct ctx *cx, struct idbm *b)
{
	MDB_cursor *c;
	MDB_val k, d;
	int rc;

	if (cx->ncases == cx->maxid) {
		idbm_fill(b, 1, cx->maxid);
		return 0;
	}
	if ((rc = query_ctx_cursor(cx, IDX_DAYS, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		size_t cnt;
		bool single;
		if ((rc = query_page_first(c, &d, &cnt, &single)) != 0)
			return query_lmdb_fail(cx, rc);
		do
			idbm_set_page(b, d.mv_data, d.mv_size / 8);
		while ((rc = query_page_next(c, &d, single)) == 0);
		if (rc != MDB_NOTFOUND)
			return query_lmdb_fail(cx, rc);
	}
	if (rc != MDB_NOTFOUND)
		return query_lmdb_fail(cx, rc);
	if (idbm_count(b) == cx->ncases)
		return 0;
	/* The index disagrees with the records (check will say why): trust the records. */
	memset(b->w, 0, b->nw * sizeof *b->w);
	rc = mdb_cursor_open(cx->txn, store_dbi_cases(cx->st), &c);
	if (rc)
		return query_lmdb_fail(cx, rc);
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT))
		if (k.mv_size == 8)
			idbm_set(b, ids_load(k.mv_data, 0));
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : query_lmdb_fail(cx, rc);
}

/* The working set of an evaluation: a sorted array while it is sparse
 * (candidates can then be probed against big terms without reading them
 * whole), a bitmap once it is dense (a term is then read whole and ANDed). */
struct work {
	bool dense;
	struct idarr a;
	struct idbm b;
	size_t n;
};

static void work_to_bitmap(struct ctx *cx, struct work *w)
{
	idbm_init(&w->b, cx->maxid);
	for (size_t i = 0; i < w->a.n; i++)
		idbm_set(&w->b, w->a.v[i]);
	idarr_free(&w->a);
	w->dense = true;
}

static void work_to_array(struct work *w)
{
	w->a.n = 0;
	idbm_to_array(&w->b, &w->a.v, &w->a.n, &w->a.cap);
	idbm_free(&w->b);
	w->dense = false;
}

/* Probing a candidate costs some sixteen times reading one id of a term. */
unsigned query_probe_cost = 16;

/* Tuning: relative cost of probing one candidate against an index. */
void query_set_probe_cost(unsigned cost)
{
	query_probe_cost = cost;
}

/* Applies plan p (keep: AND, else AND NOT) to the working set. */
static int work_apply(struct ctx *cx, struct work *w, struct plan *p, struct idbm *scratch)
{
	bool keep = !p->negate;
	int rc;

	if (w->n == 0)
		return 0;
	if (w->dense && !p->set.w && (uint64_t)w->n * query_probe_cost < p->est)
		work_to_array(w);
	if (!w->dense && !p->set.w && (uint64_t)w->n * query_probe_cost >= p->est)
		work_to_bitmap(cx, w);
	if (!w->dense) {
		if ((rc = filter_arr(cx, &w->a, p, keep)) != 0)
			return rc;
		w->n = w->a.n;
		return 0;
	}
	if (p->set.w) {
		size_t n = 0;
		for (size_t i = 0; i < w->b.nw; i++) {
			w->b.w[i] = keep ? w->b.w[i] & p->set.w[i] : w->b.w[i] & ~p->set.w[i];
			n += ids_popcount(w->b.w[i]);
		}
		w->n = n;
		return 0;
	}
	/* Read the term whole into a bitmap and AND (NOT) it: setting bits
	 * in order is cheaper than testing each id with a branch. */
	if (!scratch->w)
		idbm_init(scratch, cx->maxid);
	else
		memset(scratch->w, 0, scratch->nw * sizeof *scratch->w);
	if ((rc = query_plan_to_bm(cx, p, scratch)) != 0)
		return rc;
	size_t n = 0;
	for (size_t i = 0; i < w->b.nw; i++) {
		w->b.w[i] = keep ? w->b.w[i] & scratch->w[i] : w->b.w[i] & ~scratch->w[i];
		n += ids_popcount(w->b.w[i]);
	}
	w->n = n;
	return 0;
}

/* Evaluates q into bitmap b (initialised for cx->maxid); *count = its size.
 * Positive terms go smallest first; exclusions last. */
int query_eval(struct ctx *cx, const struct query *q, struct idbm *b, size_t *count)
{
	size_t n = q ? q->n : 0, np = 0;
	struct plan *ps = xcalloc(n ? n : 1, sizeof *ps);
	struct work w = {0};
	struct idbm scratch = {0};
	int rc = 0;

	*count = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = plan_term(cx, &q->terms[i], &ps[np++]);
	if (rc)
		goto out;
	/* Positive terms first, smallest first; exclusions after them. */
	for (size_t i = 0; i < np; i++)
		if (ps[i].negate)
			ps[i].est += UINT64_MAX / 2;
	qsort(ps, np, sizeof *ps, plan_est_cmp);
	for (size_t i = 0; i < np; i++)
		if (ps[i].negate)
			ps[i].est -= UINT64_MAX / 2;

	if (np == 0 || ps[0].negate) {
		w.dense = true;
		idbm_init(&w.b, cx->maxid);
		if ((rc = all_ids(cx, &w.b)) != 0)
			goto out;
		w.n = idbm_count(&w.b);
	} else if (ps[0].set.w) {
		w.dense = true;
		w.b = ps[0].set;
		memset(&ps[0].set, 0, sizeof ps[0].set);
		w.n = idbm_count(&w.b);
	} else if (ps[0].est * 32 < cx->maxid) {
		if ((rc = plan_to_arr(cx, &ps[0], &w.a)) != 0)
			goto out;
		w.n = w.a.n;
	} else {
		w.dense = true;
		idbm_init(&w.b, cx->maxid);
		if ((rc = query_plan_to_bm(cx, &ps[0], &w.b)) != 0)
			goto out;
		w.n = idbm_count(&w.b);
	}
	for (size_t i = ps[0].negate ? 0 : 1; i < np && w.n && !rc; i++)
		rc = work_apply(cx, &w, &ps[i], &scratch);
	if (rc)
		goto out;
	if (w.dense) {
		uint64_t *t = b->w; /* same size: hand the words over */
		b->w = w.b.w;
		w.b.w = t;
	} else {
		for (size_t i = 0; i < w.a.n; i++)
			idbm_set(b, w.a.v[i]);
	}
	*count = w.n;
out:
	for (size_t i = 0; i < np; i++)
		query_plan_free(&ps[i]);
	free(ps);
	idarr_free(&w.a);
	if (w.b.w)
		idbm_free(&w.b);
	if (scratch.w)
		idbm_free(&scratch);
	return rc;
}
