/* query_page.c — running a filter and handing out its result a page at a
 * time in sort order: walking the sort key's index and testing membership
 * in the result's bitmap, keeping the order found so far; a far page of the
 * unfiltered list from the keys' counts; a small result sorted by decoding
 * its cases. */
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
#include "util.h"

/* ---- Results and sorted pages -------------------------------------------- */

struct keydir {
	unsigned char *key;
	size_t len;
	size_t start, count;
};

static int walk_sort_index(struct query_result *r, MDB_txn *txn, size_t want, struct cb_err *err);

static size_t decode_sort_limit = (size_t)-1;
/* A page this many rows beyond the walked order is found by key counts. */
static size_t far_rows = 4096;

/* Tuning: how far beyond the walked rows a page is found by key counts. */
void query_set_far_rows(size_t n)
{
	far_rows = n;
}

/* Tuning: results up to n cases are sorted by decoding them. */
void query_set_decode_sort_limit(size_t n)
{
	decode_sort_limit = n;
}

/* Evaluates a filter on the newest snapshot; holds no transaction afterwards. */
int query_run(struct store *st, const struct query *q, struct query_sort sort,
    struct query_result **out, struct cb_err *err)
{
	struct ctx cx;
	int rc;

	*out = NULL;
	if ((rc = query_ctx_open(&cx, st, err)) != 0)
		return rc;
	struct query_result *r = xcalloc(1, sizeof *r);
	r->st = st;
	r->sort = sort;
	if (query_sort_index(sort.key) < 0)
		r->sort.key = SORT_ID;
	r->max = cx.maxid;
	if (query_is_empty(q) && cx.ncases == cx.maxid) {
		/* Everything, and ids are dense: nothing to read. */
		r->all = true;
		r->count = (size_t)cx.maxid;
		rc = 0;
	} else {
		idbm_init(&r->set, cx.maxid);
		rc = query_eval(&cx, q, &r->set, &r->count);
	}
	/* The first page of an unfiltered sorted list is wanted next (the
	 * list's first screen): find it in this transaction. */
	if (rc == 0 && r->all && r->sort.key != SORT_ID && r->count > 0)
		rc = walk_sort_index(r, cx.txn, 256, err);
	query_ctx_end(&cx);
	if (rc) {
		query_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* Frees a result (NULL is fine). */
void query_result_free(struct query_result *r)
{
	if (!r)
		return;
	if (r->set.w)
		idbm_free(&r->set);
	idarr_free(&r->order);
	free(r->resume);
	for (size_t i = 0; i < r->ndir; i++)
		free(r->dir[i].key);
	free(r->dir);
	free(r);
}

/* Number of matching cases. */
size_t query_result_count(const struct query_result *r)
{
	return r ? r->count : 0;
}

/* True when id is in the result. */
bool query_result_contains(const struct query_result *r, uint64_t id)
{
	if (!r)
		return false;
	return r->all ? id >= 1 && id <= r->max : idbm_test(&r->set, id);
}

/* Materialises the set of an "all" result, for the rarely taken paths. */
static void ensure_set(struct query_result *r)
{
	if (r->all && !r->set.w) {
		idbm_init(&r->set, r->max);
		idbm_fill(&r->set, 1, r->max);
	}
}

/* Appends the ids of key's page d that are in the result. */
static void take_page(struct query_result *r, const MDB_val *d, struct idarr *to)
{
	size_t n = d->mv_size / 8;
	if (r->all) {
		/* Ids added since the query ran are larger than max, and last. */
		size_t k = ids_gallop_raw(d->mv_data, n, 0, r->max + 1);
		idarr_append(to, d->mv_data, k);
		return;
	}
	for (size_t j = 0; j < n; j++) {
		uint64_t id = ids_load(d->mv_data, j);
		if (idbm_test(&r->set, id))
			idarr_push(to, id);
	}
}

/* Appends the result's ids not placed by the index walk (no sort value), last. */
static void take_rest(struct query_result *r)
{
	struct idbm emitted = {0};

	ensure_set(r);
	idbm_init(&emitted, r->set.max);
	for (size_t i = 0; i < r->order.n; i++)
		idbm_set(&emitted, r->order.v[i]);
	if (r->sort.descending) {
		for (size_t i = r->set.nw; i-- > 0;) {
			uint64_t x = r->set.w[i] & ~emitted.w[i];
			while (x) {
				int b = 63 - __builtin_clzll(x);
				idarr_push(&r->order, ((uint64_t)i << 6) | (uint64_t)b);
				x &= ~(UINT64_C(1) << b);
			}
		}
	} else {
		for (size_t i = 0; i < r->set.nw; i++) {
			uint64_t x = r->set.w[i] & ~emitted.w[i];
			while (x) {
				idarr_push(&r->order,
				    ((uint64_t)i << 6) | (uint64_t)__builtin_ctzll(x));
				x &= x - 1;
			}
		}
	}
	idbm_free(&emitted);
	r->phase = W_DONE;
}

/* Walks the sort index on from where the last walk stopped, whole keys at
 * a time, until at least `want` rows are placed or the index ends. */
static int walk_sort_index(struct query_result *r, MDB_txn *txn, size_t want, struct cb_err *err)
{
	MDB_cursor *c;
	MDB_val k, d;
	struct idarr tmp = {0};
	bool desc = r->sort.descending;
	int rc = mdb_cursor_open(txn, store_dbi_index(r->st, query_sort_index(r->sort.key)), &c);

	if (rc)
		return store_lmdb_error(err, rc, _("reading an index"));
	if (r->phase == W_START) {
		rc = mdb_cursor_get(c, &k, &d, desc ? MDB_LAST : MDB_FIRST);
	} else {
		k.mv_data = r->resume, k.mv_size = r->resume_len;
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE);
		if (desc) {
			if (rc == MDB_NOTFOUND)
				rc = mdb_cursor_get(c, &k, &d, MDB_LAST);
			else if (rc == 0)
				rc = mdb_cursor_get(c, &k, &d, MDB_PREV_NODUP);
		} else if (rc == 0 && k.mv_size == r->resume_len &&
		    memcmp(k.mv_data, r->resume, r->resume_len) == 0) {
			rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP);
		}
	}
	r->phase = W_INDEX;
	while (rc == 0) {
		size_t cnt;
		bool single;
		if (desc && (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST_DUP)) != 0)
			break;
		if ((rc = query_page_first(c, &d, &cnt, &single)) != 0)
			break;
		tmp.n = 0;
		do
			take_page(r, &d, desc ? &tmp : &r->order);
		while ((rc = query_page_next(c, &d, single)) == 0);
		if (rc != MDB_NOTFOUND)
			break;
		rc = 0;
		for (size_t i = tmp.n; i-- > 0;)
			idarr_push(&r->order, tmp.v[i]);
		free(r->resume);
		r->resume = xmalloc(k.mv_size ? k.mv_size : 1);
		memcpy(r->resume, k.mv_data, k.mv_size);
		r->resume_len = k.mv_size;
		if (r->order.n >= want || r->order.n >= r->count)
			break;
		rc = mdb_cursor_get(c, &k, &d, desc ? MDB_PREV_NODUP : MDB_NEXT_NODUP);
	}
	mdb_cursor_close(c);
	idarr_free(&tmp);
	if (rc == MDB_NOTFOUND || r->order.n >= r->count) {
		take_rest(r);
		return 0;
	}
	if (rc)
		return store_lmdb_error(err, rc, _("reading an index"));
	return 0;
}

struct keyed {
	uint64_t id;
	char *key; /* NULL: no value (sorts last) */
	size_t len;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (!x->key || !y->key) {
		if (x->key || y->key)
			return x->key ? -1 : 1;
	} else {
		size_t n = x->len < y->len ? x->len : y->len;
		int c = memcmp(x->key, y->key, n);
		if (c || x->len != y->len)
			return c ? c : (x->len > y->len ? 1 : -1);
	}
	return (x->id > y->id) - (x->id < y->id);
}

static int keyed_cmp_desc(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (!x->key != !y->key)
		return x->key ? -1 : 1;
	return keyed_cmp(b, a);
}

/* Sorts a small result by decoding its cases: the sort key is computed
 * exactly as the index computes it, so the order equals the index walk's. */
static int decode_sort(struct query_result *r, MDB_txn *txn, struct cb_err *err)
{
	int idx = query_sort_index(r->sort.key), rc = 0;
	struct keyed *ks = xcalloc(r->count ? r->count : 1, sizeof *ks);
	size_t n = 0;
	MDB_dbi cases = store_dbi_cases(r->st);

	ensure_set(r);
	for (size_t i = 0; i < r->set.nw && !rc; i++) {
		uint64_t x = r->set.w[i];
		while (x && !rc) {
			uint64_t id = ((uint64_t)i << 6) | (uint64_t)__builtin_ctzll(x);
			x &= x - 1;
			MDB_val k = {sizeof id, &id}, v;
			struct case_record c;
			struct strlist keys = {0};
			ks[n].id = id;
			rc = mdb_get(txn, cases, &k, &v);
			if (rc == MDB_NOTFOUND) { /* deleted since the query ran */
				rc = 0;
				n++;
				continue;
			}
			if (rc) {
				rc = store_lmdb_error(err, rc, _("reading a case"));
				break;
			}
			case_init(&c);
			if ((rc = codec_decode(v.mv_data, v.mv_size, &c, err)) != 0) {
				cb_err_prefix(err, _("case %llu"), (unsigned long long)id);
				break;
			}
			index_case_keys(&c, idx, &keys);
			if (keys.n) {
				ks[n].len = index_key_len(idx, keys.items[0]);
				ks[n].key = xmalloc(ks[n].len + 1);
				memcpy(ks[n].key, keys.items[0], ks[n].len + 1);
			}
			strlist_free(&keys);
			case_free(&c);
			n++;
		}
	}
	if (!rc) {
		qsort(ks, n, sizeof *ks, r->sort.descending ? keyed_cmp_desc : keyed_cmp);
		r->order.n = 0;
		for (size_t i = 0; i < n; i++)
			idarr_push(&r->order, ks[i].id);
		r->phase = W_DONE;
	}
	for (size_t i = 0; i < n; i++)
		free(ks[i].key);
	free(ks);
	return rc;
}

/* Makes sure at least `want` rows of the sorted order are known. */
static int extend_order(struct query_result *r, size_t want)
{
	struct cb_err err;
	MDB_txn *txn;
	int rc;

	if (want > r->count)
		want = r->count;
	if (r->phase == W_DONE || r->order.n >= want)
		return 0;
	if ((rc = store_read_begin(r->st, &txn, &err)) != 0)
		return rc;
	if (r->phase == W_START && r->count < 100000) {
		MDB_stat ms;
		size_t limit = decode_sort_limit;
		if (limit == (size_t)-1) {
			/* Decoding a case costs about as much as testing 1,600
			 * index entries, and a walk for the first page of a
			 * result of R cases walks about 40 / R of the index:
			 * decoding is cheaper while R * R < entries / 40. */
			limit = 0;
			if (mdb_stat(txn, store_dbi_index(r->st, query_sort_index(r->sort.key)),
			        &ms) == 0)
				limit = (size_t)sqrt((double)ms.ms_entries / 40.0);
		}
		if (r->count <= limit) {
			rc = decode_sort(r, txn, &err);
			store_read_end(r->st);
			return rc;
		}
	}
	/* Some slack, so that scrolling row by row does not walk for every row. */
	rc = walk_sort_index(r, txn, want + 256, &err);
	store_read_end(r->st);
	return rc;
}

/* Rows in id order, from the bitmap and its rank directory. */
static size_t id_page(struct query_result *r, size_t first, size_t max, uint64_t *ids)
{
	size_t got = 0;

	if (first >= r->count || max == 0)
		return 0;
	if (r->all) {
		for (; got < max; got++)
			ids[got] = r->sort.descending ? r->max - first - got : first + got + 1;
		return got;
	}
	if (!r->ranked) {
		idbm_build_rank(&r->set);
		r->ranked = true;
	}
	if (!r->sort.descending) {
		uint64_t id = idbm_select(&r->set, first);
		for (; id <= r->set.max && got < max; id++)
			if (idbm_test(&r->set, id))
				ids[got++] = id;
	} else {
		uint64_t id = idbm_select(&r->set, r->count - 1 - first);
		for (;; id--) {
			if (idbm_test(&r->set, id))
				ids[got++] = id;
			if (got == max || id == 0)
				break;
		}
	}
	return got;
}

/* Lists the keys of the sort index with their counts, in sort order. */
static int build_dir(struct query_result *r, MDB_txn *txn)
{
	MDB_cursor *c;
	MDB_val k, d;
	size_t cap = 0, n;
	int rc = mdb_cursor_open(txn, store_dbi_index(r->st, query_sort_index(r->sort.key)), &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			break;
		if (r->ndir == cap) {
			cap = cap ? cap * 2 : 64;
			r->dir = xreallocarray(r->dir, cap, sizeof *r->dir);
		}
		struct keydir *e = &r->dir[r->ndir++];
		e->key = xmalloc(k.mv_size ? k.mv_size : 1);
		memcpy(e->key, k.mv_data, k.mv_size);
		e->len = k.mv_size;
		e->count = n;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return rc;
	if (r->sort.descending)
		for (size_t i = 0; i < r->ndir / 2; i++) {
			struct keydir t = r->dir[i];
			r->dir[i] = r->dir[r->ndir - 1 - i];
			r->dir[r->ndir - 1 - i] = t;
		}
	r->dir_rows = 0;
	for (size_t i = 0; i < r->ndir; i++) {
		r->dir[i].start = r->dir_rows;
		r->dir_rows += r->dir[i].count;
	}
	r->dir_built = true;
	return 0;
}

/* Appends the ids at positions lo..lo+n-1 (ascending id order) of key e,
 * skipping whole pages by their size. */
static int key_slice(MDB_cursor *c, const struct keydir *e, size_t lo, size_t n, struct idarr *out)
{
	MDB_val k = {e->len, e->key}, d;
	size_t cnt, at = 0;
	bool single;
	int rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);

	if (rc || (rc = query_page_first(c, &d, &cnt, &single)) != 0)
		return rc;
	do {
		size_t pn = d.mv_size / 8;
		if (at + pn > lo) {
			size_t from = lo > at ? lo - at : 0;
			size_t take = pn - from;
			if (take > lo + n - (at + from))
				take = lo + n - (at + from);
			idarr_append(out, (const unsigned char *)d.mv_data + from * 8, take);
		}
		at += pn;
	} while (at < lo + n && (rc = query_page_next(c, &d, single)) == 0);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* A far page of an "all" result from the key counts: finds the key that
 * holds row first and reads only the pages the rows are on. Returns the
 * number of ids, or 0 when the page reaches the rows without a value
 * (the caller then walks). */
static size_t far_page(struct query_result *r, size_t first, size_t max, uint64_t *ids)
{
	struct cb_err err;
	struct idarr got = {0}, tmp = {0};
	MDB_txn *txn;
	MDB_cursor *c = NULL;
	int rc;

	if (store_read_begin(r->st, &txn, &err) != 0)
		return 0;
	rc = r->dir_built ? 0 : build_dir(r, txn);
	if (rc || first + max > r->dir_rows || r->dir_rows > r->count) {
		store_read_end(r->st);
		return 0;
	}
	rc = mdb_cursor_open(txn, store_dbi_index(r->st, query_sort_index(r->sort.key)), &c);
	/* The last key starting at or before row first. */
	size_t lo = 0, hi = r->ndir;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->dir[mid].start <= first)
			lo = mid;
		else
			hi = mid;
	}
	size_t row = first;
	for (size_t i = lo; !rc && i < r->ndir && got.n < max; i++) {
		const struct keydir *e = &r->dir[i];
		size_t skip = row - e->start, n = e->count - skip;
		if (n > max - got.n)
			n = max - got.n;
		if (!r->sort.descending) {
			rc = key_slice(c, e, skip, n, &got);
		} else {
			/* Rows run down the ids within a key. */
			tmp.n = 0;
			rc = key_slice(c, e, e->count - skip - n, n, &tmp);
			for (size_t j = tmp.n; j-- > 0;)
				idarr_push(&got, tmp.v[j]);
		}
		row = e->start + e->count;
	}
	if (c)
		mdb_cursor_close(c);
	store_read_end(r->st);
	size_t n = rc || got.n != max ? 0 : got.n;
	if (n)
		memcpy(ids, got.v, n * sizeof *ids);
	idarr_free(&got);
	idarr_free(&tmp);
	return n;
}

/* Ids of rows [first, first + max) in sort order, without decoding cases. */
size_t query_result_page(struct query_result *r, size_t first, size_t max, uint64_t *ids)
{
	if (!r || first >= r->count)
		return 0;
	if (max > r->count - first)
		max = r->count - first;
	if (r->sort.key == SORT_ID)
		return id_page(r, first, max, ids);
	if (r->all && r->phase != W_DONE && first > r->order.n + far_rows) {
		size_t n = far_page(r, first, max, ids);
		if (n)
			return n;
	}
	if (extend_order(r, first + max) != 0)
		return 0;
	if (first >= r->order.n)
		return 0;
	if (max > r->order.n - first)
		max = r->order.n - first;
	memcpy(ids, r->order.v + first, max * sizeof *ids);
	return max;
}

/* Row of id in the sorted result, -1 when absent. */
long query_result_row(struct query_result *r, uint64_t id)
{
	if (!query_result_contains(r, id))
		return -1;
	if (r->sort.key == SORT_ID) {
		if (r->all)
			return (long)(r->sort.descending ? r->max - id : id - 1);
		if (!r->ranked) {
			idbm_build_rank(&r->set);
			r->ranked = true;
		}
		size_t rank = idbm_rank(&r->set, id);
		return (long)(r->sort.descending ? r->count - 1 - rank : rank);
	}
	size_t from = 0;
	for (;;) {
		for (size_t i = from; i < r->order.n; i++)
			if (r->order.v[i] == id)
				return (long)i;
		if (r->phase == W_DONE)
			return -1;
		from = r->order.n;
		size_t want = r->order.n * 2 > 4096 ? r->order.n * 2 : 4096;
		if (extend_order(r, want) != 0)
			return -1;
		if (r->order.n == from && r->phase != W_DONE)
			return -1;
	}
}
