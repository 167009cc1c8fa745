/* store_pending.c — the index entries of the cases added in one write
 * transaction, queued and written sorted by key at its end (or before a
 * change that moves them): sorted puts touch each page once and in order,
 * and all new ids of a key go in with one put, which makes a bulk import
 * much faster than one put per entry.
 *
 * The queue is flat, so that queueing a key costs no allocation: every
 * distinct key is one record of an open-addressing table (its bytes in one
 * buffer beside it), and every queued entry is the key's slot and an id,
 * appended to two arrays. A record holds the key's first bytes, so most
 * lookups read the table and nothing else. The flush sorts the used slots
 * by key, gathers each key's ids in one array (a counting sort: entry
 * order is id order) and writes them. The queue's memory is kept by the
 * store between transactions. */
#include <stdlib.h>
#include <string.h>

#include "index_key.h"
#include "store.h"
#include "store_int.h"

/* One distinct key of the queue: a slot of the table (n == 0: empty). */
struct pq_key {
	uint64_t prefix; /* the index, then the key's first 7 bytes: sorts as the key */
	uint64_t last_id; /* the newest id queued under it */
	uint32_t off; /* its bytes in the queue's bytes */
	uint32_t n; /* ids queued under it */
	uint32_t end; /* at the flush: where its ids end in the gathered ids */
	uint16_t len;
};

/* A used slot with its key's prefix, for the sort. */
struct pq_order {
	uint64_t prefix;
	uint32_t key;
};

struct case_queue {
	struct pq_key *keys; /* the table */
	size_t cap; /* its slots: a power of two, at least twice n_keys */
	size_t n_keys;
	uint32_t *used; /* the slots in use, n_keys of them */
	struct buf bytes; /* the keys' bytes, one after another */
	uint32_t *e_key; /* entry i: slot e_key[i], id e_id[i] */
	uint64_t *e_id;
	size_t n_ent, cap_ent;
	/* Scratch of the flush, kept for the next one. */
	struct pq_order *order;
	uint64_t *ids;
	size_t cap_ids;
};

/* A hash of a key (its index is in the prefix): eight bytes at a time,
 * then a final mix. */
static uint64_t key_hash(uint64_t prefix, const char *key, size_t len)
{
	const unsigned char *p = (const unsigned char *)key;
	uint64_t h = (prefix ^ len) * 0x9e3779b97f4a7c15u, v;

	h ^= h >> 29;
	if (len > 7) {
		p += 7;
		len -= 7;
		for (; len >= 8; p += 8, len -= 8) {
			memcpy(&v, p, 8);
			h = (h ^ v) * 0xff51afd7ed558ccdu;
			h ^= h >> 29;
		}
		v = 0;
		for (size_t i = 0; i < len; i++)
			v |= (uint64_t)p[i] << (8 * i);
		h = (h ^ v) * 0xc4ceb9fe1a85ec53u;
	}
	h ^= h >> 32;
	return h * 0xff51afd7ed558ccdu;
}

/* The index number and the key's first 7 bytes, big-endian, zero after a
 * short key: two keys whose prefixes differ compare as their prefixes. */
static uint64_t key_prefix(int idx, const char *key, size_t len)
{
	uint64_t p = (uint64_t)(uint8_t)idx;
	for (size_t i = 0; i < 7; i++)
		p = p << 8 | (i < len ? (unsigned char)key[i] : 0);
	return p;
}

/* Whether slot k holds the key (prefix, key, len). */
static inline bool key_is(const struct case_queue *q, const struct pq_key *k, uint64_t prefix,
    const char *key, size_t len)
{
	return k->prefix == prefix && k->len == len &&
	    (len <= 7 || memcmp(q->bytes.p + k->off + 7, key + 7, len - 7) == 0);
}

/* Doubles the table; the queued entries follow their keys to new slots. */
static void table_grow(struct case_queue *q)
{
	size_t cap = q->cap ? q->cap * 2 : 4096;
	struct pq_key *t = xcalloc(cap, sizeof *t);
	uint32_t *moved = q->cap ? xcalloc(q->cap, sizeof *moved) : NULL;

	for (size_t u = 0; u < q->n_keys; u++) {
		const struct pq_key *k = &q->keys[q->used[u]];
		const char *bytes = (const char *)q->bytes.p + k->off;
		size_t j = (size_t)key_hash(k->prefix, bytes, k->len) & (cap - 1);
		while (t[j].n)
			j = (j + 1) & (cap - 1);
		t[j] = *k;
		moved[q->used[u]] = (uint32_t)j;
		q->used[u] = (uint32_t)j;
	}
	for (size_t i = 0; i < q->n_ent; i++)
		q->e_key[i] = moved[q->e_key[i]];
	free(moved);
	free(q->keys);
	q->keys = t;
	q->cap = cap;
	q->used = xreallocarray(q->used, cap / 2, sizeof *q->used);
}

/* The slot of key (idx, key, len), taken if new (its n still 0). */
static uint32_t key_slot(struct case_queue *q, int idx, const char *key, size_t len)
{
	if ((q->n_keys + 1) * 2 > q->cap)
		table_grow(q);
	uint64_t prefix = key_prefix(idx, key, len);
	size_t mask = q->cap - 1;
	size_t j = (size_t)key_hash(prefix, key, len) & mask;
	for (;; j = (j + 1) & mask) {
		struct pq_key *k = &q->keys[j];
		if (k->n == 0)
			break;
		if (key_is(q, k, prefix, key, len))
			return (uint32_t)j;
	}
	q->keys[j] =
	    (struct pq_key){.prefix = prefix, .off = (uint32_t)q->bytes.len, .len = (uint16_t)len};
	buf_put(&q->bytes, key, len);
	q->used[q->n_keys++] = (uint32_t)j;
	return (uint32_t)j;
}

/* Queues one index entry of new case id. */
static void queue_put(struct case_queue *q, int idx, const char *key, size_t len, uint64_t id)
{
	uint32_t slot = key_slot(q, idx, key, len);
	struct pq_key *k = &q->keys[slot];

	if (k->n && k->last_id == id)
		return; /* the same key twice in one case */
	k->last_id = id;
	k->n++;
	if (q->n_ent == q->cap_ent) {
		q->cap_ent = q->cap_ent ? q->cap_ent * 2 : 16384;
		q->e_key = xreallocarray(q->e_key, q->cap_ent, sizeof *q->e_key);
		q->e_id = xreallocarray(q->e_id, q->cap_ent, sizeof *q->e_id);
	}
	q->e_key[q->n_ent] = slot;
	q->e_id[q->n_ent++] = id;
}

struct queue_ctx {
	struct case_queue *q;
	uint64_t id;
};

static void queue_key(void *ctx, int idx, const char *key, size_t len)
{
	struct queue_ctx *qc = ctx;
	queue_put(qc->q, idx, key, len, qc->id);
}

/* Queues the index entries of c (store_int.h). */
void store_pending_add(struct store_txn *tx, const struct case_record *c)
{
	if (!tx->pending) {
		tx->pending =
		    tx->st->pending_spare ? tx->st->pending_spare : xcalloc(1, sizeof *tx->pending);
		tx->st->pending_spare = NULL;
	}
	struct queue_ctx qc = {tx->pending, c->id};
	for (int idx = 0; idx < IDX__COUNT; idx++)
		index_keys_each(c, idx, &tx->scratch, queue_key, &qc);
}

/* Empties the queue, keeping its memory: only the used slots are reset. */
static void queue_clear(struct case_queue *q)
{
	for (size_t u = 0; u < q->n_keys; u++)
		q->keys[q->used[u]].n = 0;
	q->n_keys = q->n_ent = 0;
	q->bytes.len = 0;
}

/* A queue kept between transactions holds at most this much memory: an
 * import weighs its heap between chunks (import_write.c), and the queue of
 * one huge transaction would otherwise stay until the store is closed. */
#define QUEUE_KEEP_MAX ((size_t)8 << 20)

/* The bytes a queue holds. */
static size_t queue_size(const struct case_queue *q)
{
	return q->cap * sizeof *q->keys + q->cap / 2 * (sizeof *q->used + sizeof *q->order) +
	    q->cap_ent * (sizeof *q->e_key + sizeof *q->e_id) + q->cap_ids * sizeof *q->ids +
	    q->bytes.cap;
}

/* Drops what tx queued; the store keeps the memory of a queue of modest
 * size for its next transaction (store_int.h). */
void store_pending_free(struct store_txn *tx)
{
	struct case_queue *q = tx->pending;

	if (!q)
		return;
	tx->pending = NULL;
	queue_clear(q);
	if (tx->st->pending_spare || queue_size(q) > QUEUE_KEEP_MAX)
		store_pending_release(q);
	else
		tx->st->pending_spare = q;
}

/* Frees a queue (store_int.h). */
void store_pending_release(struct case_queue *q)
{
	if (!q)
		return;
	free(q->keys);
	free(q->used);
	buf_free(&q->bytes);
	free(q->e_key);
	free(q->e_id);
	free(q->order);
	free(q->ids);
	free(q);
}

/* Key a sorts before key b (LMDB's order: bytes, then the shorter first;
 * the index first). */
static inline bool order_less(const struct case_queue *q, const struct pq_order *a,
    const struct pq_order *b)
{
	if (a->prefix != b->prefix)
		return a->prefix < b->prefix;
	const struct pq_key *x = &q->keys[a->key], *y = &q->keys[b->key];
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n > 7 ? memcmp(q->bytes.p + x->off + 7, q->bytes.p + y->off + 7, n - 7) : 0;
	return c ? c < 0 : x->len < y->len;
}

static inline void order_swap(struct pq_order *a, struct pq_order *b)
{
	struct pq_order t = *a;
	*a = *b;
	*b = t;
}

/* Sorts a[0..n) by key: a quicksort with the median of three as pivot,
 * insertion sort for short ranges, recursing into the smaller side only
 * (so the stack stays at log n). The comparison is inlined, which is why
 * this is not qsort: most pairs differ in their prefix. */
static void order_sort(const struct case_queue *q, struct pq_order *a, size_t n)
{
	while (n > 16) {
		size_t m = n / 2;
		if (order_less(q, &a[m], &a[0]))
			order_swap(&a[m], &a[0]);
		if (order_less(q, &a[n - 1], &a[m])) {
			order_swap(&a[n - 1], &a[m]);
			if (order_less(q, &a[m], &a[0]))
				order_swap(&a[m], &a[0]);
		}
		struct pq_order pivot = a[m];
		size_t i = 0, j = n - 1;
		for (;;) {
			while (order_less(q, &a[i], &pivot))
				i++;
			while (order_less(q, &pivot, &a[j]))
				j--;
			if (i >= j)
				break;
			order_swap(&a[i++], &a[j--]);
		}
		/* a[0..j] <= pivot <= a[j+1..n) */
		size_t left = j + 1;
		if (left < n - left) {
			order_sort(q, a, left);
			a += left;
			n -= left;
		} else {
			order_sort(q, a + left, n - left);
			n = left;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct pq_order t = a[i];
		size_t j = i;
		for (; j > 0 && order_less(q, &t, &a[j - 1]); j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

/* Sorts the used slots into q->order and gathers each key's ids into
 * q->ids in key order: a key's ids end at q->ids + its end. */
static void queue_arrange(struct case_queue *q)
{
	size_t n = q->n_keys;

	q->order = xreallocarray(q->order, q->cap / 2, sizeof *q->order);
	if (q->cap_ids < q->n_ent) {
		q->cap_ids = q->n_ent;
		q->ids = xreallocarray(q->ids, q->n_ent, sizeof *q->ids);
	}
	for (size_t u = 0; u < n; u++)
		q->order[u] = (struct pq_order){q->keys[q->used[u]].prefix, q->used[u]};
	order_sort(q, q->order, n);
	uint32_t at = 0;
	for (size_t r = 0; r < n; r++) {
		struct pq_key *k = &q->keys[q->order[r].key];
		k->end = at; /* its start, until the scatter below */
		at += k->n;
	}
	for (size_t i = 0; i < q->n_ent; i++)
		q->ids[q->keys[q->e_key[i]].end++] = q->e_id[i];
}

int store_put_ids(MDB_cursor *cur, MDB_val *k, uint64_t *ids, size_t n)
{
	MDB_val many[2] = {{sizeof ids[0], ids}, {n, NULL}};
	int rc = mdb_cursor_put(cur, k, many, MDB_MULTIPLE | MDB_APPENDDUP);

	if (rc != MDB_KEYEXIST)
		return rc;
	/* Some id was not the largest after all: insert the rest in place. */
	rc = 0;
	for (size_t j = many[1].mv_size; j < n && rc == 0; j++) {
		MDB_val v = {sizeof ids[j], &ids[j]};
		rc = mdb_cursor_put(cur, k, &v, MDB_NODUPDATA);
		if (rc == MDB_KEYEXIST)
			rc = 0;
	}
	return rc;
}

/* Writes the queued index entries in key order (store_int.h). Puts go
 * through one cursor an index, in key order, so LMDB mostly finds the
 * place of the next key on the page of the last one. */
int store_pending_flush(struct store_txn *tx, struct cb_err *err)
{
	struct case_queue *q = tx->pending;
	MDB_cursor *cur = NULL;
	int cur_idx = -1, rc = 0;

	if (!q || q->n_keys == 0)
		return 0;
	queue_arrange(q);
	for (size_t r = 0; r < q->n_keys && rc == 0; r++) {
		const struct pq_key *pk = &q->keys[q->order[r].key];
		int idx = (int)(pk->prefix >> 56);
		if (idx != cur_idx) {
			if (cur)
				mdb_cursor_close(cur);
			cur_idx = idx;
			if ((rc = mdb_cursor_open(tx->txn, store_dbi_index(tx->st, idx), &cur)) !=
			    0) {
				cur = NULL;
				break;
			}
		}
		MDB_val k = {pk->len, q->bytes.p + pk->off};
		rc = store_put_ids(cur, &k, q->ids + (pk->end - pk->n), pk->n);
	}
	if (cur)
		mdb_cursor_close(cur);
	queue_clear(q);
	if (rc)
		return store_txn_fail(tx, rc, _("updating an index"), err);
	return 0;
}
