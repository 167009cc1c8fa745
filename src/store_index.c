/* store_index.c — keeping the secondary indexes in step with the records:
 * moving one case's entries on a change (store_reindex), writing the
 * entries of cases added in one transaction sorted by key at its end
 * (much faster for a bulk import), and filling an index a database made by
 * an earlier version lacks. Keys come from index_key.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codec.h"
#include "index_key.h"
#include "place.h"
#include "store.h"
#include "store_int.h"

/* Databases of at least this many cases show the filling of an index on a
 * terminal, updated every FILL_STEP cases. */
#define FILL_PROGRESS 20000
#define FILL_STEP 8192

/* The progress line of filling index idx: done of total cases (a
 * terminal only, big databases only); done == total ends the line. */
static void fill_progress(int idx, size_t done, size_t total)
{
	if (total < FILL_PROGRESS || !isatty(STDERR_FILENO))
		return;
	if (done != total && done % FILL_STEP != 0)
		return;
	fputc('\r', stderr);
	fprintf(stderr,
	    ngettext("casebook: building the %s index: %zu of %zu case...",
	        "casebook: building the %s index: %zu of %zu cases...", total),
	    index_name(idx), done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* Writes the entries of index idx for every case: an index this version
 * added to a database made before it, or one whose keys it makes another
 * way. One pass over the records in txn, with a progress line on a
 * terminal for a big database. */
int store_index_fill(struct store *st, MDB_txn *txn, int idx)
{
	MDB_cursor *cur;
	MDB_val k, v;
	MDB_stat ms;
	struct strlist keys = {0};
	size_t done = 0;
	int rc = mdb_stat(txn, store_dbi_cases(st), &ms);

	if (rc == 0)
		rc = mdb_cursor_open(txn, store_dbi_cases(st), &cur);
	if (rc)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		fill_progress(idx, done++, ms.ms_entries);
		struct case_record c;
		case_init(&c);
		if (codec_decode(v.mv_data, v.mv_size, &c, NULL) != 0) {
			case_free(&c); /* check reports it; it cannot be indexed */
			continue;
		}
		index_case_keys(&c, idx, &keys);
		for (size_t i = 0; i < keys.n && rc == 0; i++) {
			MDB_val ik = {index_key_len(idx, keys.items[i]), keys.items[i]};
			MDB_val iv = {sizeof c.id, &c.id};
			rc = mdb_put(txn, store_dbi_index(st, idx), &ik, &iv, MDB_NODUPDATA);
			if (rc == MDB_KEYEXIST)
				rc = 0;
		}
		strlist_free(&keys);
		case_free(&c);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		fill_progress(idx, ms.ms_entries, ms.ms_entries);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The meta key holding the key version index idx was made under. */
static void version_key(int idx, char *out, size_t cap)
{
	snprintf(out, cap, "index_version:%s", index_name(idx));
}

/* Makes index idx hold the keys this version makes (index_key_version):
 * one made under another key version (meta "index_version:NAME", absent
 * meaning 0) is emptied and filled again from the records, in txn, and the
 * version is stored with it. Opened read-only, such an index is left as it
 * is and marked absent, so nobody reads keys of another version. fresh:
 * the index was just created (and filled, if there were records). */
int store_index_sync_version(struct store *st, MDB_txn *txn, int idx, bool fresh)
{
	char key[64], val[24];
	uint64_t have = 0;
	unsigned want = index_key_version(idx);
	int rc;

	version_key(idx, key, sizeof key);
	if (!fresh && (rc = store_meta_get_u64(txn, st->meta, key, &have)) != 0)
		return rc;
	if (!fresh && have == want)
		return 0;
	if (st->readonly) {
		st->absent[idx] = true;
		return 0;
	}
	if (!fresh &&
	    ((rc = mdb_drop(txn, st->idx[idx], 0)) != 0 ||
	        (rc = store_index_fill(st, txn, idx)) != 0))
		return rc;
	if (fresh && want == 0)
		return 0; /* absent means 0 */
	snprintf(val, sizeof val, "%u", want);
	return store_meta_put_raw(txn, st->meta, key, val);
}

static int index_put(struct store_txn *tx, int idx, const char *key, uint64_t id,
    struct cb_err *err)
{
	MDB_val k = {index_key_len(idx, key), (void *)key}, v = {sizeof id, &id};
	int rc = mdb_put(tx->txn, store_dbi_index(tx->st, idx), &k, &v, MDB_NODUPDATA);
	if (rc && rc != MDB_KEYEXIST)
		return store_txn_fail(tx, rc, _("updating an index"), err);
	return 0;
}

static int index_del(struct store_txn *tx, int idx, const char *key, uint64_t id,
    struct cb_err *err)
{
	MDB_val k = {index_key_len(idx, key), (void *)key}, v = {sizeof id, &id};
	int rc = mdb_del(tx->txn, store_dbi_index(tx->st, idx), &k, &v);
	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("updating an index"), err);
	return 0;
}

static bool keys_have(const struct strlist *keys, int idx, const char *k)
{
	size_t len = index_key_len(idx, k);
	for (size_t i = 0; i < keys->n; i++)
		if (index_key_len(idx, keys->items[i]) == len &&
		    memcmp(keys->items[i], k, len) == 0)
			return true;
	return false;
}

/* Moves the index entries of one case from what old implies to what new
 * implies (either may be NULL: create or delete). */
int store_reindex(struct store_txn *tx, uint64_t id, const struct case_record *old,
    const struct case_record *new, struct cb_err *err)
{
	int rc = 0;

	for (int idx = 0; idx < IDX__COUNT && rc == 0; idx++) {
		struct strlist ok = {0}, nk = {0};
		if (old)
			index_case_keys(old, idx, &ok);
		if (new)
			index_case_keys(new, idx, &nk);
		for (size_t i = 0; i < ok.n && rc == 0; i++)
			if (!keys_have(&nk, idx, ok.items[i]))
				rc = index_del(tx, idx, ok.items[i], id, err);
		for (size_t i = 0; i < nk.n && rc == 0; i++)
			if (!old || !keys_have(&ok, idx, nk.items[i]))
				rc = index_put(tx, idx, nk.items[i], id, err);
		strlist_free(&ok);
		strlist_free(&nk);
	}
	return rc;
}

struct pending_key {
	uint32_t key_off;
	uint16_t key_len;
	uint8_t idx;
	bool used;
	uint32_t hash;
	uint64_t *ids;
	size_t n, cap;
};

static uint32_t pending_hash(int idx, const char *key, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)idx; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static void pending_grow(struct store_txn *tx)
{
	struct pending_key *old = tx->pending;
	size_t old_cap = tx->cap_pending;

	tx->cap_pending = old_cap ? old_cap * 2 : 4096;
	tx->pending = xcalloc(tx->cap_pending, sizeof *tx->pending);
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].used)
			continue;
		size_t j = old[i].hash & (tx->cap_pending - 1);
		while (tx->pending[j].used)
			j = (j + 1) & (tx->cap_pending - 1);
		tx->pending[j] = old[i];
	}
	free(old);
}

/* Queues one index entry of a new case. */
static void pending_put(struct store_txn *tx, int idx, const char *key, size_t len, uint64_t id)
{
	if ((tx->n_pending + 1) * 2 > tx->cap_pending)
		pending_grow(tx);
	uint32_t h = pending_hash(idx, key, len);
	size_t j = h & (tx->cap_pending - 1);
	struct pending_key *pk;
	for (;; j = (j + 1) & (tx->cap_pending - 1)) {
		pk = &tx->pending[j];
		if (!pk->used)
			break;
		if (pk->hash == h && pk->idx == idx && pk->key_len == len &&
		    memcmp(tx->pending_keys.p + pk->key_off, key, len) == 0)
			break;
	}
	if (!pk->used) {
		pk->used = true;
		pk->hash = h;
		pk->idx = (uint8_t)idx;
		pk->key_len = (uint16_t)len;
		pk->key_off = (uint32_t)tx->pending_keys.len;
		buf_put(&tx->pending_keys, key, len);
		tx->n_pending++;
	}
	if (pk->n && pk->ids[pk->n - 1] == id)
		return; /* the same key twice in one case */
	if (pk->n == pk->cap) {
		pk->cap = pk->cap ? pk->cap * 2 : 4;
		pk->ids = xreallocarray(pk->ids, pk->cap, sizeof *pk->ids);
	}
	pk->ids[pk->n++] = id;
}

struct pending_ctx {
	struct store_txn *tx;
	uint64_t id;
};

static void pending_key(void *ctx, int idx, const char *key, size_t len)
{
	struct pending_ctx *pc = ctx;
	pending_put(pc->tx, idx, key, len, pc->id);
}

void store_pending_add(struct store_txn *tx, const struct case_record *c)
{
	struct pending_ctx pc = {tx, c->id};
	for (int idx = 0; idx < IDX__COUNT; idx++)
		index_keys_each(c, idx, &tx->scratch, pending_key, &pc);
}

static const unsigned char *pending_sort_keys;

static int pending_cmp(const void *a, const void *b)
{
	const struct pending_key *x = *(struct pending_key *const *)a;
	const struct pending_key *y = *(struct pending_key *const *)b;
	if (x->idx != y->idx)
		return x->idx < y->idx ? -1 : 1;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(pending_sort_keys + x->key_off, pending_sort_keys + y->key_off, n);
	if (c)
		return c;
	return x->key_len < y->key_len ? -1 : x->key_len > y->key_len;
}

void store_pending_free(struct store_txn *tx)
{
	for (size_t i = 0; i < tx->cap_pending; i++)
		free(tx->pending[i].ids);
	free(tx->pending);
	tx->pending = NULL;
	tx->n_pending = tx->cap_pending = 0;
	buf_free(&tx->pending_keys);
}

/* Writes the queued index entries in key order: each page is touched once
 * and in order. New ids are larger than every id already indexed, so each
 * is appended to its key's duplicates. */
int store_pending_flush(struct store_txn *tx, struct cb_err *err)
{
	MDB_cursor *cur = NULL;
	int cur_idx = -1, rc = 0;

	if (tx->n_pending == 0)
		return 0;
	struct pending_key **order = xcalloc(tx->n_pending, sizeof *order);
	size_t n = 0;
	for (size_t i = 0; i < tx->cap_pending; i++)
		if (tx->pending[i].used)
			order[n++] = &tx->pending[i];
	pending_sort_keys = tx->pending_keys.p;
	qsort(order, n, sizeof *order, pending_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct pending_key *pk = order[i];
		if (pk->idx != cur_idx) {
			if (cur)
				mdb_cursor_close(cur);
			cur_idx = pk->idx;
			if ((rc = mdb_cursor_open(tx->txn, store_dbi_index(tx->st, cur_idx),
			         &cur)) != 0) {
				cur = NULL;
				break;
			}
		}
		MDB_val k = {pk->key_len, tx->pending_keys.p + pk->key_off};
		/* All ids of a key in one call (DUPFIXED): one descent per key. */
		MDB_val many[2] = {{sizeof pk->ids[0], pk->ids}, {pk->n, NULL}};
		size_t done = 0;
		rc = mdb_cursor_put(cur, &k, many, MDB_MULTIPLE | MDB_APPENDDUP);
		if (rc == 0)
			continue;
		if (rc != MDB_KEYEXIST)
			break;
		/* Some id was not the largest after all: insert the rest in place. */
		done = many[1].mv_size;
		rc = 0;
		for (size_t j = done; j < pk->n && rc == 0; j++) {
			MDB_val v = {sizeof pk->ids[j], &pk->ids[j]};
			rc = mdb_cursor_put(cur, &k, &v, MDB_NODUPDATA);
			if (rc == MDB_KEYEXIST)
				rc = 0;
		}
	}
	if (cur)
		mdb_cursor_close(cur);
	free(order);
	store_pending_free(tx);
	if (rc)
		return store_txn_fail(tx, rc, _("updating an index"), err);
	return 0;
}

/* ---- Place indexes and the gazetteer ------------------------------------ */

/* The meta key of the digest of the gazetteer the place indexes were built
 * with (place_digest); absent in databases made before places had keys of
 * their own, which is the digest "none". */
#define PLACES_META "places_digest"

static bool places_digest_is(MDB_txn *txn, MDB_dbi meta, const char *want)
{
	MDB_val k = {strlen(PLACES_META), (void *)PLACES_META}, v;
	int rc = mdb_get(txn, meta, &k, &v);

	if (rc != 0)
		return strcmp(want, "none") == 0;
	return v.mv_size == strlen(want) && memcmp(v.mv_data, want, v.mv_size) == 0;
}

bool store_places_current(struct store *st, MDB_txn *txn)
{
	return places_digest_is(txn, store_dbi_meta(st), place_digest());
}

int store_places_sync(struct store *st, MDB_txn *txn, bool empty)
{
	const char *want = place_digest();
	MDB_dbi meta = store_dbi_meta(st);
	int rc = 0;

	if (places_digest_is(txn, meta, want))
		return 0;
	if (!empty) {
		if ((rc = mdb_drop(txn, store_dbi_index(st, IDX_CITY), 0)) != 0 ||
		    (rc = mdb_drop(txn, store_dbi_index(st, IDX_REGION), 0)) != 0 ||
		    (rc = store_index_fill(st, txn, IDX_CITY)) != 0 ||
		    (rc = store_index_fill(st, txn, IDX_REGION)) != 0)
			return rc;
	}
	MDB_val k = {strlen(PLACES_META), (void *)PLACES_META};
	MDB_val v = {strlen(want), (void *)want};
	return mdb_put(txn, meta, &k, &v, 0);
}
