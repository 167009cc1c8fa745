/* query_facet_cache.c — the filter pane's per-case tables of facet keys.
 * Counting a field within a result by its index reads every entry of the
 * index (a million cases: about 8 MB per field, bound by memory). A table
 * of each case's keys, made once per database snapshot, turns that into
 * one look-up per case of the result. The tables belong to a cache the
 * caller keeps (the TUI: one for its store), so they never outlive it. */
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "query_int.h"
#include "util.h"

/* One field's table: the keys of its index and, for each case id, the
 * numbers of its keys. Most fields have at most one key a case (one[],
 * number + 1, 0 for none); the others a list per case (start[], codes[]). */
struct ftable {
	bool built, unusable; /* unusable: too many keys or ids to number */
	uint64_t max; /* ids 1..max */
	uint16_t *one;
	uint32_t *start; /* max + 2 offsets into codes */
	uint16_t *codes;
	struct fkey *keys;
	size_t nkeys;
};

struct query_fcache {
	struct store *st;
	size_t txnid; /* the snapshot the tables were made on */
	struct ftable t[IDX__COUNT];
};

struct query_fcache *query_fcache_new(void)
{
	return xcalloc(1, sizeof(struct query_fcache));
}

static void table_free(struct ftable *t)
{
	for (size_t i = 0; i < t->nkeys; i++)
		free(t->keys[i].data);
	free(t->keys);
	free(t->one);
	free(t->start);
	free(t->codes);
	memset(t, 0, sizeof *t);
}

void query_fcache_free(struct query_fcache *c)
{
	if (!c)
		return;
	for (int i = 0; i < IDX__COUNT; i++)
		table_free(&c->t[i]);
	free(c);
}

/* Reads index idx into table t: the key walk of the index, each key's ids
 * noted as (id, key number) pairs, then sorted by id into the table (one
 * function: the walk and the sort share their arrays). */
static int table_build(struct ctx *cx, int idx, struct ftable *t)
{
	MDB_cursor *c;
	MDB_val k, d;
	uint32_t *ids = NULL;
	uint16_t *nums = NULL;
	size_t np = 0, cap = 0, capk = 0;
	bool multi = false;
	int rc;

	t->built = true;
	t->max = cx->maxid;
	if (cx->maxid >= UINT32_MAX) {
		t->unusable = true;
		return 0;
	}
	if ((rc = query_ctx_cursor(cx, idx, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if (t->nkeys >= UINT16_MAX) {
			t->unusable = true;
			break;
		}
		if (t->nkeys == capk) {
			capk = capk ? capk * 2 : 64;
			t->keys = xreallocarray(t->keys, capk, sizeof *t->keys);
		}
		t->keys[t->nkeys].data = xstrndup(k.mv_data, k.mv_size);
		t->keys[t->nkeys].len = k.mv_size;
		size_t cnt;
		bool single;
		if ((rc = query_page_first(c, &d, &cnt, &single)) != 0)
			break;
		do {
			size_t pn = d.mv_size / 8;
			if (np + pn > cap) {
				cap = (np + pn) * 2;
				ids = xreallocarray(ids, cap, sizeof *ids);
				nums = xreallocarray(nums, cap, sizeof *nums);
			}
			for (size_t i = 0; i < pn; i++) {
				uint64_t id = ids_load(d.mv_data, i);
				if (id > t->max)
					continue;
				ids[np] = (uint32_t)id;
				nums[np++] = (uint16_t)t->nkeys;
			}
		} while ((rc = query_page_next(c, &d, single)) == 0);
		t->nkeys++;
		if (rc != MDB_NOTFOUND)
			break;
	}
	if (rc != 0 && rc != MDB_NOTFOUND) {
		free(ids);
		free(nums);
		return query_lmdb_fail(cx, rc);
	}
	if (!t->unusable) {
		/* Counting sort by id: first the number of keys of each id. */
		t->start = xcalloc(t->max + 2, sizeof *t->start);
		for (size_t i = 0; i < np; i++)
			multi |= ++t->start[ids[i] + 1] > 1;
		if (!multi) {
			t->one = xcalloc(t->max + 1, sizeof *t->one);
			for (size_t i = 0; i < np; i++)
				t->one[ids[i]] = (uint16_t)(nums[i] + 1);
			free(t->start);
			t->start = NULL;
		} else {
			for (uint64_t id = 0; id <= t->max; id++)
				t->start[id + 1] += t->start[id];
			uint32_t *fill = xreallocarray(NULL, t->max + 1, sizeof *fill);
			memcpy(fill, t->start, (t->max + 1) * sizeof *fill);
			t->codes = xreallocarray(NULL, np ? np : 1, sizeof *t->codes);
			for (size_t i = 0; i < np; i++)
				t->codes[fill[ids[i]]++] = nums[i];
			free(fill);
		}
	}
	free(ids);
	free(nums);
	return 0;
}

int query_fcache_count(struct query_fcache *fc, struct ctx *cx, int idx, const struct idbm *set,
    uint64_t max, struct fkey_hits *out)
{
	memset(out, 0, sizeof *out);
	if (!fc || !set)
		return 1;
	size_t txnid = mdb_txn_id(cx->txn);
	if (fc->st != cx->st || fc->txnid != txnid) {
		/* Another snapshot: every table is out of date. */
		for (int i = 0; i < IDX__COUNT; i++)
			table_free(&fc->t[i]);
		fc->st = cx->st;
		fc->txnid = txnid;
	}
	struct ftable *t = &fc->t[idx];
	int rc;
	if (!t->built && (rc = table_build(cx, idx, t)) != 0) {
		table_free(t);
		return rc;
	}
	if (t->unusable)
		return 1;
	out->keys = t->keys;
	out->n = t->nkeys;
	out->count = xcalloc(t->nkeys ? t->nkeys : 1, sizeof *out->count);
	out->first = xcalloc(t->nkeys ? t->nkeys : 1, sizeof *out->first);
	uint64_t top = max < t->max ? max : t->max;
	if (top > set->max)
		top = set->max;
	/* Ids in ascending order: the first seen of a key is its smallest. */
	for (size_t wi = 0; wi <= top >> 6 && wi < set->nw; wi++) {
		uint64_t x = set->w[wi];
		while (x) {
			uint64_t id = (uint64_t)wi << 6 | (uint64_t)__builtin_ctzll(x);
			x &= x - 1;
			if (id > top)
				break;
			if (t->one) {
				uint16_t k = t->one[id];
				if (k && !out->count[k - 1]++)
					out->first[k - 1] = id;
			} else {
				for (uint32_t j = t->start[id]; j < t->start[id + 1]; j++)
					if (!out->count[t->codes[j]]++)
						out->first[t->codes[j]] = id;
			}
		}
	}
	return 0;
}

void query_fkey_hits_free(struct fkey_hits *h)
{
	free(h->count);
	free(h->first);
	memset(h, 0, sizeof *h);
}
