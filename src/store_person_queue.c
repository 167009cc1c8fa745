/* store_person_queue.c — the person entries of cases added in one write
 * transaction, held back and written sorted at its end, as store_index.c
 * does for the case indexes. Linking a new case changes a person record,
 * the person's case list, its count entry and for a new person its keys and
 * parts: a few puts at random places of big trees per case. Here the
 * records a transaction reads are decoded once and kept (a person met again
 * in the same chunk is not read again), changed records are written once,
 * in id order, and the index entries are grouped by key and written in key
 * order, each key's new ids in one MDB_MULTIPLE | MDB_APPENDDUP put where
 * they are the largest (new cases and new people always are).
 *
 * Only the new-case path of store_person.c queues (create and join).
 * Anything else that reads the person databases inside the transaction
 * (edits, deletes, link, unlink, merge, refresh) calls person_q_flush
 * first, so it sees them as if written at once; store_person_txn_end
 * flushes before the commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

/* A cached record. */
struct qrec {
	bool used, dirty, fresh; /* fresh: a new person, not in the database yet */
	uint64_t pid;
	uint32_t stored_cases; /* n_cases as stored: its count entry */
	struct person_record p;
};

/* The ids queued under one key of one database. */
struct qkey {
	bool used;
	uint8_t which; /* PQ_* */
	uint16_t len;
	uint32_t off, hash;
	uint64_t one; /* the only id while cap is 0 (most keys get one) */
	uint64_t *ids;
	size_t n, cap;
};

struct person_queue {
	struct qrec *recs;
	size_t n_recs, cap_recs;
	struct qkey *keys;
	size_t n_keys, cap_keys;
	struct buf text; /* the keys' bytes */
};

static struct person_queue *queue(struct store_txn *tx)
{
	if (!tx->pqueue)
		tx->pqueue = xcalloc(1, sizeof *tx->pqueue);
	return tx->pqueue;
}

static size_t rec_slot(const struct person_queue *q, uint64_t pid)
{
	size_t j = (size_t)(pid * 0x9e3779b97f4a7c15ull >> 20) & (q->cap_recs - 1);
	while (q->recs[j].used && q->recs[j].pid != pid)
		j = (j + 1) & (q->cap_recs - 1);
	return j;
}

/* The ids of k, in the key itself or in its array. */
static uint64_t *key_ids(struct qkey *k)
{
	return k->cap ? k->ids : &k->one;
}

static void recs_grow(struct person_queue *q)
{
	struct qrec *old = q->recs;
	size_t old_cap = q->cap_recs;

	q->cap_recs = old_cap ? old_cap * 2 : 1024;
	q->recs = xcalloc(q->cap_recs, sizeof *q->recs);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].used)
			q->recs[rec_slot(q, old[i].pid)] = old[i];
	free(old);
}

/* The slot for pid, made (unused) when absent. */
static struct qrec *rec_find(struct person_queue *q, uint64_t pid)
{
	if ((q->n_recs + 1) * 2 > q->cap_recs)
		recs_grow(q);
	return &q->recs[rec_slot(q, pid)];
}

int person_q_record(struct store_txn *tx, uint64_t pid, bool change, struct person_record **out,
    struct cb_err *err)
{
	struct person_queue *q = queue(tx);
	struct qrec *r = rec_find(q, pid);

	if (!r->used) {
		struct person_record p;
		int rc = person_read(tx->txn, &tx->st->pdb, pid, &p, err);
		if (rc) {
			person_record_free(&p);
			return rc;
		}
		*r = (struct qrec){.used = true, .pid = pid, .stored_cases = p.n_cases, .p = p};
		q->n_recs++;
	}
	r->dirty |= change;
	*out = &r->p;
	return 0;
}

struct person_record *person_q_new_record(struct store_txn *tx, uint64_t pid)
{
	struct person_queue *q = queue(tx);
	struct qrec *r = rec_find(q, pid);

	if (r->used)
		person_record_free(&r->p);
	else
		q->n_recs++;
	*r = (struct qrec){.used = true, .dirty = true, .fresh = true, .pid = pid};
	person_record_init(&r->p);
	r->p.id = pid;
	return &r->p;
}

static uint32_t key_hash(int which, const void *key, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)which; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ ((const unsigned char *)key)[i]) * 16777619u;
	return h;
}

static size_t key_slot(const struct person_queue *q, int which, const void *key, size_t len,
    uint32_t h)
{
	size_t j = h & (q->cap_keys - 1);
	for (;; j = (j + 1) & (q->cap_keys - 1)) {
		const struct qkey *k = &q->keys[j];
		if (!k->used ||
		    (k->hash == h && k->which == which && k->len == len &&
		        memcmp(q->text.p + k->off, key, len) == 0))
			return j;
	}
}

static void keys_grow(struct person_queue *q)
{
	struct qkey *old = q->keys;
	size_t old_cap = q->cap_keys;

	q->cap_keys = old_cap ? old_cap * 2 : 4096;
	q->keys = xcalloc(q->cap_keys, sizeof *q->keys);
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].used)
			continue;
		size_t j = old[i].hash & (q->cap_keys - 1);
		while (q->keys[j].used)
			j = (j + 1) & (q->cap_keys - 1);
		q->keys[j] = old[i];
	}
	free(old);
}

void person_q_put(struct store_txn *tx, int which, const void *key, size_t len, uint64_t id)
{
	struct person_queue *q = queue(tx);

	if ((q->n_keys + 1) * 2 > q->cap_keys)
		keys_grow(q);
	uint32_t h = key_hash(which, key, len);
	struct qkey *k = &q->keys[key_slot(q, which, key, len, h)];
	if (!k->used) {
		*k = (struct qkey){.used = true,
		    .which = (uint8_t)which,
		    .len = (uint16_t)len,
		    .off = (uint32_t)q->text.len,
		    .hash = h};
		buf_put(&q->text, key, len);
		q->n_keys++;
	}
	if (k->n && key_ids(k)[k->n - 1] == id)
		return; /* the same id again at once; other repeats go at the flush */
	if (k->n == 0) {
		k->one = id;
		k->n = 1;
		return;
	}
	if (k->n == 1 && k->cap == 0) {
		k->cap = 4;
		k->ids = xreallocarray(NULL, k->cap, sizeof *k->ids);
		k->ids[0] = k->one;
	} else if (k->n == k->cap) {
		k->cap *= 2;
		k->ids = xreallocarray(k->ids, k->cap, sizeof *k->ids);
	}
	k->ids[k->n++] = id;
}

size_t person_q_ids(struct store_txn *tx, int which, const void *key, size_t len,
    const uint64_t **ids)
{
	struct person_queue *q = tx->pqueue;

	*ids = NULL;
	if (!q || !q->n_keys)
		return 0;
	struct qkey *k = &q->keys[key_slot(q, which, key, len, key_hash(which, key, len))];
	if (!k->used)
		return 0;
	*ids = key_ids(k);
	return k->n;
}

static MDB_dbi dbi_of(struct store_txn *tx, int which)
{
	const struct person_dbs *d = &tx->st->pdb;
	return which == PQ_CASES ? d->person_cases
	    : which == PQ_KEY    ? d->key
	    : which == PQ_PART   ? d->part
	    : which == PQ_YEAR   ? d->years
	                         : d->count;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct qrec *x = *(struct qrec *const *)a, *y = *(struct qrec *const *)b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static const unsigned char *sort_text;

static int cmp_key(const void *a, const void *b)
{
	const struct qkey *x = *(struct qkey *const *)a, *y = *(struct qkey *const *)b;
	if (x->which != y->which)
		return x->which < y->which ? -1 : 1;
	if (x->which == PQ_CASES) { /* INTEGERKEY: a person id */
		uint64_t u, v;
		memcpy(&u, sort_text + x->off, sizeof u);
		memcpy(&v, sort_text + y->off, sizeof v);
		return (u > v) - (u < v);
	}
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(sort_text + x->off, sort_text + y->off, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Count key of n cases (big-endian, as store_person.c writes it). */
static void count_key(uint32_t n, unsigned char k[4])
{
	k[0] = (unsigned char)(n >> 24), k[1] = (unsigned char)(n >> 16);
	k[2] = (unsigned char)(n >> 8), k[3] = (unsigned char)n;
}

/* The changed records, in id order, and their count entries moved (the
 * new ones queued). */
static int flush_records(struct store_txn *tx, struct person_queue *q)
{
	struct qrec **order = xcalloc(q->n_recs ? q->n_recs : 1, sizeof *order);
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < q->cap_recs; i++)
		if (q->recs[i].used && q->recs[i].dirty)
			order[n++] = &q->recs[i];
	qsort(order, n, sizeof *order, cmp_rec);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct qrec *r = order[i];
		uint64_t pid = r->pid;
		tx->enc.len = 0;
		person_encode(&r->p, &tx->enc);
		MDB_val k = {sizeof pid, &pid}, v = {tx->enc.len, tx->enc.p};
		rc = mdb_put(tx->txn, tx->st->pdb.persons, &k, &v, r->fresh ? MDB_APPEND : 0);
		if (rc == MDB_KEYEXIST && r->fresh)
			rc = mdb_put(tx->txn, tx->st->pdb.persons, &k, &v, 0);
		if (rc || r->stored_cases == r->p.n_cases)
			continue;
		unsigned char ck[4];
		if (r->stored_cases) {
			count_key(r->stored_cases, ck);
			MDB_val dk = {4, ck}, dv = {sizeof pid, &pid};
			rc = mdb_del(tx->txn, tx->st->pdb.count, &dk, &dv);
			if (rc == MDB_NOTFOUND)
				rc = 0;
		}
		if (r->p.n_cases) {
			count_key(r->p.n_cases, ck);
			person_q_put(tx, PQ_COUNT, ck, 4, pid);
		}
	}
	free(order);
	return rc;
}

/* One key's ids (sorted here, each once), appended in one put where they are the
 * largest, else put one by one. */
static int flush_key(MDB_cursor *cur, MDB_val *k, uint64_t *ids, size_t n)
{
	qsort(ids, n, sizeof *ids, cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	n = u;
	MDB_val many[2] = {{sizeof *ids, ids}, {n, NULL}};
	int rc = mdb_cursor_put(cur, k, many, MDB_MULTIPLE | MDB_APPENDDUP);
	if (rc != MDB_KEYEXIST)
		return rc;
	rc = 0;
	for (size_t j = many[1].mv_size; j < n && rc == 0; j++) {
		MDB_val v = {sizeof ids[j], &ids[j]};
		rc = mdb_cursor_put(cur, k, &v, MDB_NODUPDATA);
		if (rc == MDB_KEYEXIST)
			rc = 0;
	}
	return rc;
}

static int flush_keys(struct store_txn *tx, struct person_queue *q)
{
	struct qkey **order = xcalloc(q->n_keys ? q->n_keys : 1, sizeof *order);
	MDB_cursor *cur = NULL;
	int which = -1, rc = 0;
	size_t n = 0;

	for (size_t i = 0; i < q->cap_keys; i++)
		if (q->keys[i].used && q->keys[i].n)
			order[n++] = &q->keys[i];
	sort_text = q->text.p;
	qsort(order, n, sizeof *order, cmp_key);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct qkey *qk = order[i];
		if (qk->which != which) {
			if (cur)
				mdb_cursor_close(cur);
			cur = NULL;
			which = qk->which;
			if ((rc = mdb_cursor_open(tx->txn, dbi_of(tx, which), &cur)) != 0)
				break;
		}
		MDB_val k = {qk->len, q->text.p + qk->off};
		rc = flush_key(cur, &k, key_ids(qk), qk->n);
	}
	if (cur)
		mdb_cursor_close(cur);
	free(order);
	return rc;
}

size_t person_q_size(struct store_txn *tx)
{
	return tx->pqueue ? tx->pqueue->n_recs : 0;
}

void person_q_free(struct store_txn *tx)
{
	struct person_queue *q = tx->pqueue;

	if (!q)
		return;
	for (size_t i = 0; i < q->cap_recs; i++)
		if (q->recs[i].used)
			person_record_free(&q->recs[i].p);
	for (size_t i = 0; i < q->cap_keys; i++)
		free(q->keys[i].ids);
	free(q->recs);
	free(q->keys);
	buf_free(&q->text);
	free(q);
	tx->pqueue = NULL;
}

int person_q_flush(struct store_txn *tx, struct cb_err *err)
{
	struct person_queue *q = tx->pqueue;
	int rc;

	if (!q)
		return 0;
	if ((rc = flush_records(tx, q)) == 0)
		rc = flush_keys(tx, q);
	person_q_free(tx);
	if (rc)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}
