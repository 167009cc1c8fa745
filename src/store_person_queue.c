/* store_person_queue.c — the person entries of cases added in one write
 * transaction, held back and written sorted at its end, as store_index.c
 * does for the case indexes. Linking a new case changes a person record,
 * the person's case list, its count entry and for a new person its keys and
 * parts: a few puts at random places of big trees per case. Here the
 * records a transaction reads are decoded once and kept (a person met again
 * in the same chunk is not read again), changed records are written once,
 * in id order, and the index entries are grouped by key and written in key
 * order, each key's new ids in one MDB_MULTIPLE | MDB_APPENDDUP put where
 * they are the largest (new cases and new people always are). A person's
 * count entry moves once per transaction, from the count it had when first
 * read to the one it has at the flush.
 *
 * Only the new-case path of store_person.c queues (create and join).
 * Anything else that reads the person databases inside the transaction
 * (edits, deletes, link, unlink, merge, refresh) calls person_q_flush
 * first, so it sees them as if written at once; store_person_txn_end
 * flushes before the commit.
 *
 * Records and keys sit in dense arrays found through small hash tables of
 * indexes, and the ids of every key in one pool, so a transaction makes no
 * allocation per key or id once the tables have grown. Small tables are
 * emptied rather than freed at the end of a write and kept by the store
 * for the next one (person_q_release frees them when it closes). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"
#include "store_person_int.h"

/* Tables larger than this are freed at the end of a write instead of kept:
 * the queue of an import's chunk (about 16 MiB for 20,000 cases) would
 * otherwise stay in the heap between chunks, where the import measures
 * the heap to size its next chunk (import_write.c). */
#define KEEP_BYTES ((size_t)2 << 20)

/* A cached record. */
struct qrec {
	bool dirty, fresh; /* fresh: a new person, not in the database yet */
	uint32_t stored_cases; /* n_cases as stored: its count entry */
	uint64_t pid;
	struct person_record p;
};

/* The ids queued under one key of one database. */
struct qkey {
	uint64_t order; /* where the key sorts (order_of) */
	uint64_t one; /* the only id while cap is 0 (most keys get one) */
	size_t at; /* the ids in the pool, once cap is not 0 */
	uint32_t off, hash; /* the key's bytes in text; its hash */
	uint32_t n, cap;
	uint16_t len;
	uint8_t which; /* PQ_* */
};

/* A new case's link. */
struct qlink {
	uint64_t cid, pid;
};

/* A hash table slot: the index + 1 of a record or key (0: empty), and its hash. */
struct slot {
	uint32_t idx1, hash;
};

/* A record or key to sort: where it sorts, and its index. */
struct sortent {
	uint64_t key;
	size_t idx;
};

struct person_queue {
	struct qrec *recs; /* in the order first met */
	size_t n_recs, cap_recs;
	struct slot *rslots; /* pid → recs */
	size_t cap_rslots;
	struct qkey *keys; /* in the order first queued */
	size_t n_keys, cap_keys;
	struct slot *kslots; /* (which, key) → keys */
	size_t cap_kslots;
	struct buf text; /* the keys' bytes */
	uint64_t *pool; /* the ids of keys with more than one */
	size_t n_pool, cap_pool;
	struct qlink *links; /* case_person entries of new cases */
	size_t n_links, cap_links;
	struct sortent *order, *tmp; /* the flush's sort */
	size_t cap_order;
};

static struct person_queue *queue(struct store_txn *tx)
{
	if (!tx->pqueue) {
		tx->pqueue = tx->st->pq_spare ? tx->st->pq_spare : xcalloc(1, sizeof *tx->pqueue);
		tx->st->pq_spare = NULL;
	}
	return tx->pqueue;
}

static uint32_t pid_hash(uint64_t pid)
{
	return (uint32_t)(pid * 0x9e3779b97f4a7c15ull >> 32);
}

/* The slot of pid (hash h): its record's, or the empty one it would take. */
static struct slot *rec_slot(const struct person_queue *q, uint64_t pid, uint32_t h)
{
	size_t mask = q->cap_rslots - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		struct slot *s = &q->rslots[j];
		if (!s->idx1 || (s->hash == h && q->recs[s->idx1 - 1].pid == pid))
			return s;
	}
}

static void rslots_grow(struct person_queue *q)
{
	free(q->rslots);
	q->cap_rslots = q->cap_rslots ? q->cap_rslots * 2 : 2048;
	q->rslots = xcalloc(q->cap_rslots, sizeof *q->rslots);
	for (size_t i = 0; i < q->n_recs; i++) {
		uint32_t h = pid_hash(q->recs[i].pid);
		*rec_slot(q, q->recs[i].pid, h) = (struct slot){(uint32_t)i + 1, h};
	}
}

/* Person pid's record in the queue, or NULL. */
static struct qrec *rec_find(const struct person_queue *q, uint64_t pid)
{
	if (!q->n_recs)
		return NULL;
	const struct slot *s = rec_slot(q, pid, pid_hash(pid));
	return s->idx1 ? &q->recs[s->idx1 - 1] : NULL;
}

/* A new record for pid (not in the queue), its fields but pid unset. */
static struct qrec *rec_add(struct person_queue *q, uint64_t pid)
{
	if ((q->n_recs + 1) * 2 > q->cap_rslots)
		rslots_grow(q);
	if (q->n_recs == q->cap_recs) {
		q->cap_recs = q->cap_recs ? q->cap_recs * 2 : 1024;
		q->recs = xreallocarray(q->recs, q->cap_recs, sizeof *q->recs);
	}
	uint32_t h = pid_hash(pid);
	*rec_slot(q, pid, h) = (struct slot){(uint32_t)q->n_recs + 1, h};
	struct qrec *r = &q->recs[q->n_recs++];
	r->pid = pid;
	return r;
}

int person_q_record(struct store_txn *tx, uint64_t pid, bool change, struct person_record **out,
    struct cb_err *err)
{
	struct person_queue *q = queue(tx);
	struct qrec *r = rec_find(q, pid);

	if (!r) {
		struct person_record p;
		int rc = person_read(tx->txn, &tx->st->pdb, pid, &p, err);
		if (rc) {
			person_record_free(&p);
			return rc;
		}
		r = rec_add(q, pid);
		*r = (struct qrec){.pid = pid, .stored_cases = p.n_cases, .p = p};
	}
	r->dirty |= change;
	*out = &r->p;
	return 0;
}

struct person_record *person_q_new_record(struct store_txn *tx, uint64_t pid)
{
	struct person_queue *q = queue(tx);
	struct qrec *r = rec_find(q, pid);

	if (r)
		person_record_free(&r->p);
	else
		r = rec_add(q, pid);
	*r = (struct qrec){.dirty = true, .fresh = true, .pid = pid};
	person_record_init(&r->p);
	r->p.id = pid;
	return &r->p;
}

/* A hash of (which, key), eight bytes at a time. */
static uint32_t key_hash(int which, const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)which << 56) ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	h *= 0xff51afd7ed558ccdull;
	return (uint32_t)(h >> 32);
}

/* Where a key sorts, as far as eight bytes tell: which in the top byte,
 * then an id (person_cases and person_blocks: INTEGERKEY) or the key's first seven
 * bytes big-endian, zeros after its end (LMDB's order of bytes, a shorter
 * key first). Keys that share it are told apart by sort_ties. */
static uint64_t order_of(int which, const unsigned char *key, size_t len)
{
	uint64_t v = 0;

	if ((which == PQ_CASES || which == PQ_BLOCKS) && len == sizeof v) {
		memcpy(&v, key, sizeof v);
		if (v >> 56)
			v = ((uint64_t)1 << 56) - 1; /* ties: sort_ties sorts them */
	} else {
		for (size_t i = 0; i < 7; i++)
			v = v << 8 | (i < len ? key[i] : 0);
	}
	return (uint64_t)which << 56 | v;
}

/* The slot of (which, key) with hash h: its key's, or the empty one it would take. */
static struct slot *key_slot(const struct person_queue *q, int which, const void *key, size_t len,
    uint32_t h)
{
	size_t mask = q->cap_kslots - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		struct slot *s = &q->kslots[j];
		if (!s->idx1)
			return s;
		const struct qkey *k = &q->keys[s->idx1 - 1];
		if (s->hash == h && k->which == which && k->len == len &&
		    memcmp(q->text.p + k->off, key, len) == 0)
			return s;
	}
}

static void kslots_grow(struct person_queue *q)
{
	free(q->kslots);
	q->cap_kslots = q->cap_kslots ? q->cap_kslots * 2 : 8192;
	q->kslots = xcalloc(q->cap_kslots, sizeof *q->kslots);
	for (size_t i = 0; i < q->n_keys; i++) {
		size_t mask = q->cap_kslots - 1, j = q->keys[i].hash & mask;
		while (q->kslots[j].idx1)
			j = (j + 1) & mask;
		q->kslots[j] = (struct slot){(uint32_t)i + 1, q->keys[i].hash};
	}
}

/* The ids of k, in the key itself or in the pool. */
static uint64_t *key_ids(const struct person_queue *q, struct qkey *k)
{
	return k->cap ? q->pool + k->at : &k->one;
}

/* Room for n more ids at the end of the pool: where it starts. */
static size_t pool_take(struct person_queue *q, size_t n)
{
	size_t at = q->n_pool;
	if (at + n > q->cap_pool) {
		size_t cap = q->cap_pool ? q->cap_pool : 4096;
		while (cap < at + n)
			cap *= 2;
		q->pool = xreallocarray(q->pool, cap, sizeof *q->pool);
		q->cap_pool = cap;
	}
	q->n_pool += n;
	return at;
}

/* Adds id to k (its second id and on go to the pool, each key's together). */
static void key_add_id(struct person_queue *q, struct qkey *k, uint64_t id)
{
	if (k->n == 0) {
		k->one = id;
		k->n = 1;
		return;
	}
	if (k->cap == 0) {
		k->at = pool_take(q, 4);
		k->cap = 4;
		q->pool[k->at] = k->one;
	} else if (k->n == k->cap) {
		if (k->at + k->cap == q->n_pool) {
			pool_take(q, k->cap); /* the last in the pool: grows where it is */
		} else {
			size_t at = pool_take(q, (size_t)k->cap * 2);
			memcpy(q->pool + at, q->pool + k->at, k->n * sizeof *q->pool);
			k->at = at;
		}
		k->cap *= 2;
	}
	q->pool[k->at + k->n++] = id;
}

void person_q_put(struct store_txn *tx, int which, const void *key, size_t len, uint64_t id)
{
	struct person_queue *q = queue(tx);

	if ((q->n_keys + 1) * 2 > q->cap_kslots)
		kslots_grow(q);
	uint32_t h = key_hash(which, key, len);
	struct slot *s = key_slot(q, which, key, len, h);
	if (!s->idx1) {
		if (q->n_keys == q->cap_keys) {
			q->cap_keys = q->cap_keys ? q->cap_keys * 2 : 4096;
			q->keys = xreallocarray(q->keys, q->cap_keys, sizeof *q->keys);
		}
		q->keys[q->n_keys] = (struct qkey){.order = order_of(which, key, len),
		    .off = (uint32_t)q->text.len,
		    .hash = h,
		    .len = (uint16_t)len,
		    .which = (uint8_t)which};
		buf_put(&q->text, key, len);
		*s = (struct slot){(uint32_t)++q->n_keys, h};
	}
	struct qkey *k = &q->keys[s->idx1 - 1];
	if (k->n && key_ids(q, k)[k->n - 1] == id)
		return; /* the same id again at once; other repeats go at the flush */
	key_add_id(q, k, id);
}

void person_q_link(struct store_txn *tx, uint64_t cid, uint64_t pid)
{
	struct person_queue *q = queue(tx);

	if (q->n_links == q->cap_links) {
		q->cap_links = q->cap_links ? q->cap_links * 2 : 4096;
		q->links = xreallocarray(q->links, q->cap_links, sizeof *q->links);
	}
	q->links[q->n_links++] = (struct qlink){cid, pid};
}

size_t person_q_ids(struct store_txn *tx, int which, const void *key, size_t len,
    const uint64_t **ids)
{
	struct person_queue *q = tx->pqueue;

	*ids = NULL;
	if (!q || !q->n_keys)
		return 0;
	struct slot *s = key_slot(q, which, key, len, key_hash(which, key, len));
	if (!s->idx1)
		return 0;
	struct qkey *k = &q->keys[s->idx1 - 1];
	*ids = key_ids(q, k);
	return k->n;
}

static MDB_dbi dbi_of(struct store_txn *tx, int which)
{
	const struct person_dbs *d = &tx->st->pdb;
	return which == PQ_CASES ? d->person_cases
	    : which == PQ_KEY    ? d->key
	    : which == PQ_PART   ? d->part
	    : which == PQ_YEAR   ? d->years
	    : which == PQ_BLOCKS ? d->blocks
	                         : d->count;
}

/* Room for n entries to sort. */
static void order_reserve(struct person_queue *q, size_t n)
{
	if (n <= q->cap_order)
		return;
	q->cap_order = n > 2 * q->cap_order ? n : 2 * q->cap_order;
	free(q->order);
	free(q->tmp);
	q->order = xreallocarray(NULL, q->cap_order, sizeof *q->order);
	q->tmp = xreallocarray(NULL, q->cap_order, sizeof *q->tmp);
}

/* Sorts a[0..n) by key, keeping the order of equal keys (tmp: room for n):
 * a byte at a time from the lowest, skipping the bytes all keys share;
 * short runs by insertion. */
static void sort_entries(struct sortent *a, struct sortent *tmp, size_t n)
{
	size_t count[8][256] = {{0}};
	struct sortent *src = a, *dst = tmp;

	if (n < 32) {
		for (size_t i = 1; i < n; i++) {
			struct sortent e = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1].key > e.key; j--)
				a[j] = a[j - 1];
			a[j] = e;
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++)
			count[b][a[i].key >> (8 * b) & 0xff]++;
	for (int b = 0; b < 8; b++) {
		size_t *c = count[b], sum = 0;
		if (c[a[0].key >> (8 * b) & 0xff] == n)
			continue; /* every key has this byte */
		for (int v = 0; v < 256; v++) {
			size_t t = c[v];
			c[v] = sum;
			sum += t;
		}
		for (size_t i = 0; i < n; i++)
			dst[c[src[i].key >> (8 * b) & 0xff]++] = src[i];
		struct sortent *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}

/* Two keys of one database, in LMDB's order. */
static int cmp_full(const struct person_queue *q, const struct qkey *x, const struct qkey *y)
{
	if (x->which == PQ_CASES || x->which == PQ_BLOCKS) { /* INTEGERKEY */
		uint64_t u, v;
		memcpy(&u, q->text.p + x->off, sizeof u);
		memcpy(&v, q->text.p + y->off, sizeof v);
		return (u > v) - (u < v);
	}
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(q->text.p + x->off, q->text.p + y->off, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Bytes [7 + 8 (d - 1), 7 + 8 d) of key k big-endian, zeros after its end
 * (d >= 1); for an INTEGERKEY, the id. */
static uint64_t key_chunk(const struct person_queue *q, const struct qkey *k, int d)
{
	const unsigned char *p = q->text.p + k->off;
	size_t from = 7 + 8 * (size_t)(d - 1);
	uint64_t v = 0;

	if ((k->which == PQ_CASES || k->which == PQ_BLOCKS) && k->len == sizeof v) {
		memcpy(&v, p, sizeof v);
		return v;
	}
	for (size_t i = from; i < from + 8; i++)
		v = v << 8 | (i < k->len ? p[i] : 0);
	return v;
}

/* Sorts the keys of a[0..n), of one database and alike in their first
 * 7 + 8 (d - 1) bytes, in LMDB's order: by their next eight bytes, then
 * each run alike in those too by the eight after. */
static void sort_ties(struct person_queue *q, struct sortent *a, size_t n, int d)
{
	size_t covered = 7 + 8 * (size_t)(d - 1);
	bool more = false;

	if (n < 16) {
		for (size_t i = 1; i < n; i++) {
			struct sortent e = a[i];
			size_t j = i;
			for (; j > 0 && cmp_full(q, &q->keys[a[j - 1].idx], &q->keys[e.idx]) > 0;
			     j--)
				a[j] = a[j - 1];
			a[j] = e;
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct qkey *k = &q->keys[a[i].idx];
		a[i].key = key_chunk(q, k, d);
		more |= k->len > covered;
	}
	if (!more)
		return; /* nothing left to tell them apart (cannot happen: keys differ) */
	sort_entries(a, q->tmp, n);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && a[j].key == a[i].key; j++)
			;
		if (j - i > 1)
			sort_ties(q, a + i, j - i, d + 1);
	}
}

/* Count key of n cases (big-endian, as store_person.c writes it). */
static void count_key(uint32_t n, unsigned char k[4])
{
	k[0] = (unsigned char)(n >> 24), k[1] = (unsigned char)(n >> 16);
	k[2] = (unsigned char)(n >> 8), k[3] = (unsigned char)n;
}

/* The count entries of the records q->order[0..n) whose count changed:
 * the old ones deleted, in key order, the new ones queued. */
static int move_counts(struct store_txn *tx, struct person_queue *q, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		q->order[i].key = q->recs[q->order[i].idx].stored_cases;
	sort_entries(q->order, q->tmp, n); /* by count, then (kept) by id */
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct qrec *r = &q->recs[q->order[i].idx];
		uint64_t pid = r->pid;
		unsigned char ck[4];
		if (r->stored_cases) {
			count_key(r->stored_cases, ck);
			MDB_val dk = {4, ck}, dv = {sizeof pid, &pid};
			rc = mdb_del(tx->txn, tx->st->pdb.count, &dk, &dv);
			if (rc == MDB_NOTFOUND)
				rc = 0;
		}
		if (rc == 0 && r->p.n_cases) {
			count_key(r->p.n_cases, ck);
			person_q_put(tx, PQ_COUNT, ck, 4, pid);
		}
	}
	return rc;
}

static int cmp_link(const void *a, const void *b)
{
	uint64_t x = ((const struct qlink *)a)->cid, y = ((const struct qlink *)b)->cid;
	return (x > y) - (x < y);
}

/* The links of new cases, in case order (as they come, mostly), through
 * one cursor: appended where they are the largest. */
static int flush_links(struct store_txn *tx, struct person_queue *q)
{
	MDB_cursor *cur;
	int rc;

	if (!q->n_links)
		return 0;
	for (size_t i = 1; i < q->n_links; i++) {
		if (q->links[i].cid < q->links[i - 1].cid) {
			qsort(q->links, q->n_links, sizeof *q->links, cmp_link);
			break;
		}
	}
	if ((rc = mdb_cursor_open(tx->txn, tx->st->pdb.case_person, &cur)) != 0)
		return rc;
	for (size_t i = 0; i < q->n_links && rc == 0; i++) {
		unsigned char v9[9];
		memcpy(v9, &q->links[i].pid, 8);
		v9[8] = 0; /* flags: linked by the rule */
		MDB_val k = {sizeof q->links[i].cid, &q->links[i].cid}, v = {sizeof v9, v9};
		rc = mdb_cursor_put(cur, &k, &v, MDB_APPEND);
		if (rc == MDB_KEYEXIST || rc == EINVAL)
			rc = mdb_cursor_put(cur, &k, &v, 0);
	}
	mdb_cursor_close(cur);
	return rc;
}

/* The changed records, in id order, through one cursor, and their count
 * entries moved (the new ones queued). */
static int flush_records(struct store_txn *tx, struct person_queue *q)
{
	MDB_cursor *cur;
	size_t n = 0, moved = 0;
	int rc;

	order_reserve(q, q->n_recs);
	for (size_t i = 0; i < q->n_recs; i++)
		if (q->recs[i].dirty)
			q->order[n++] = (struct sortent){q->recs[i].pid, i};
	if (!n)
		return 0;
	sort_entries(q->order, q->tmp, n);
	if ((rc = mdb_cursor_open(tx->txn, tx->st->pdb.persons, &cur)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct qrec *r = &q->recs[q->order[i].idx];
		uint64_t pid = r->pid;
		tx->enc.len = 0;
		person_encode(&r->p, &tx->enc);
		MDB_val k = {sizeof pid, &pid}, v = {tx->enc.len, tx->enc.p};
		rc = mdb_cursor_put(cur, &k, &v, r->fresh ? MDB_APPEND : 0);
		if (rc == MDB_KEYEXIST && r->fresh)
			rc = mdb_cursor_put(cur, &k, &v, 0);
		if (rc == 0 && r->stored_cases != r->p.n_cases)
			q->order[moved++] = q->order[i]; /* moved <= i: read already */
	}
	mdb_cursor_close(cur);
	return rc ? rc : move_counts(tx, q, moved);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* One key's ids (sorted here, each once: they mostly come sorted), appended
 * in one put where they are the largest, else put one by one. */
static int flush_key(MDB_cursor *cur, MDB_val *k, uint64_t *ids, size_t n)
{
	size_t u = 1;
	if (n == 0)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if (ids[i] < ids[i - 1]) {
			qsort(ids, n, sizeof *ids, cmp_u64);
			break;
		}
	}
	for (size_t i = 1; i < n; i++)
		if (ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	return store_put_ids(cur, k, ids, u);
}

/* The keys in LMDB's order, each key's ids through one cursor a database. */
static int flush_keys(struct store_txn *tx, struct person_queue *q)
{
	MDB_cursor *cur = NULL;
	int which = -1, rc = 0;
	size_t n = q->n_keys;

	order_reserve(q, n);
	for (size_t i = 0; i < n; i++)
		q->order[i] = (struct sortent){q->keys[i].order, i};
	sort_entries(q->order, q->tmp, n);
	for (size_t i = 0, j; i < n; i = j) { /* keys alike in their first bytes */
		for (j = i + 1; j < n && q->order[j].key == q->order[i].key; j++)
			;
		if (j - i > 1)
			sort_ties(q, q->order + i, j - i, 1);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct qkey *qk = &q->keys[q->order[i].idx];
		if (qk->which != which) {
			if (cur)
				mdb_cursor_close(cur);
			cur = NULL;
			which = qk->which;
			if ((rc = mdb_cursor_open(tx->txn, dbi_of(tx, which), &cur)) != 0)
				break;
		}
		MDB_val k = {qk->len, q->text.p + qk->off};
		rc = flush_key(cur, &k, key_ids(q, qk), qk->n);
	}
	if (cur)
		mdb_cursor_close(cur);
	return rc;
}

size_t person_q_size(struct store_txn *tx)
{
	return tx->pqueue ? tx->pqueue->n_recs : 0;
}

/* Empties q, keeping its tables. */
static void queue_reset(struct person_queue *q)
{
	for (size_t i = 0; i < q->n_recs; i++)
		person_record_free(&q->recs[i].p);
	if (q->n_recs) /* an empty queue's tables are empty already */
		memset(q->rslots, 0, q->cap_rslots * sizeof *q->rslots);
	if (q->n_keys)
		memset(q->kslots, 0, q->cap_kslots * sizeof *q->kslots);
	q->n_recs = q->n_keys = q->n_pool = q->n_links = 0;
	q->text.len = 0;
}

static void queue_destroy(struct person_queue *q)
{
	if (!q)
		return;
	queue_reset(q);
	free(q->recs);
	free(q->rslots);
	free(q->keys);
	free(q->kslots);
	free(q->pool);
	free(q->links);
	free(q->order);
	free(q->tmp);
	buf_free(&q->text);
	free(q);
}

/* The bytes q's tables hold. */
static size_t queue_bytes(const struct person_queue *q)
{
	return q->cap_recs * sizeof *q->recs + q->cap_rslots * sizeof *q->rslots +
	    q->cap_keys * sizeof *q->keys + q->cap_kslots * sizeof *q->kslots + q->text.cap +
	    q->cap_pool * sizeof *q->pool + q->cap_links * sizeof *q->links +
	    q->cap_order * (sizeof *q->order + sizeof *q->tmp);
}

void person_q_free(struct store_txn *tx)
{
	struct person_queue *q = tx->pqueue;

	if (!q)
		return;
	tx->pqueue = NULL;
	if (tx->st->pq_spare || queue_bytes(q) > KEEP_BYTES) {
		queue_destroy(q);
		return;
	}
	queue_reset(q);
	tx->st->pq_spare = q;
}

void person_q_release(struct store *st)
{
	queue_destroy(st->pq_spare);
	st->pq_spare = NULL;
}

int person_q_flush(struct store_txn *tx, struct cb_err *err)
{
	struct person_queue *q = tx->pqueue;
	int rc;

	if (!q)
		return 0;
	if ((rc = flush_links(tx, q)) == 0 && (rc = flush_records(tx, q)) == 0)
		rc = flush_keys(tx, q);
	queue_reset(q);
	if (rc)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}
