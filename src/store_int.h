/* store_int.h — store internals shared by the store's files: store.c
 * (environment, read transactions, backup), store_record.c (cases and the
 * write transaction), store_audit.c (meta and the audit log),
 * store_index.c (index upkeep), store_pending.c (the index entries of new
 * cases) and store_check.c (the consistency check).
 * Not part of any public interface. */
#ifndef CASEBOOK_STORE_INT_H
#define CASEBOOK_STORE_INT_H

#include "audit.h"
#include "store_lmdb.h"
#include "store_person_int.h"
#include "store_trash.h"
#include "util.h"

/* An open store: the environment and the handles of every named database. */
struct store {
	MDB_env *env;
	MDB_dbi cases, meta, audit, idx[IDX__COUNT];
	bool absent[IDX__COUNT]; /* index missing from a database opened read-only */
	bool readonly;
	char *path;
	MDB_txn *rtxn; /* reusable read transaction: reset when not in use */
	int rdepth; /* nesting of store_read_begin */
	struct person_dbs pdb; /* people across cases (store_person*.c) */
	struct case_queue *pending_spare; /* a write transaction's index queue, kept */
	struct person_queue *pq_spare; /* a write's emptied person queue, for the next one */
};

/* A write transaction handed to a store_write callback. */
struct store_txn {
	struct store *st;
	MDB_txn *txn;
	bool map_full; /* a put hit MDB_MAP_FULL: store_write grows and reruns */
	bool counters; /* next_id/audit_seq and the chain head loaded */
	uint64_t next_id, audit_seq;
	/* The hash of the newest chained audit entry, and the seq of the first
	 * (0: no chained entry yet; entries before it are version 1). */
	unsigned char audit_head[AUDIT_HASH_LEN];
	uint64_t chain_from;
	bool head_dirty;
	struct buf audit_enc; /* scratch for encoding an audit entry */
	struct buf enc; /* scratch for encoding */
	/* Index entries of cases added in this transaction, written sorted at
	 * the end (pending_flush), grouped by key: sorted puts touch each page
	 * once and in order, which makes a bulk import much faster. */
	struct case_queue *pending; /* store_pending.c; NULL until a case is added */
	struct buf scratch; /* for folding keys */
	bool persons_counter; /* next_person loaded (store_person.c) */
	uint64_t next_person;
	struct person_queue *pqueue; /* person entries held back (store_person_queue.c) */
};

/* The handle of the `meta` database. */
MDB_dbi store_dbi_meta(struct store *st);
/* Reads and decodes case id from dbi in txn (out case_init'ed); CB_ENOTFOUND if absent. */
int store_get_in(MDB_txn *txn, MDB_dbi dbi, uint64_t id, struct case_record *out,
    struct cb_err *err);
/* The error for record v of case id that does not decode: a failed
 * checksum says the case is damaged; returns CB_ECORRUPT. */
int store_decode_failed(struct cb_err *err, uint64_t id, const MDB_val *v);
/* A number kept in meta as text; *out unchanged and 0 returned when absent; an LMDB code on error.
 */
int store_meta_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *out);

/* A failed put in tx: a full map is noted for store_write to grow and
 * rerun; the error is set either way. */
int store_txn_fail(struct store_txn *tx, int rc, const char *doing, struct cb_err *err);

/* store.c. Another process grew the map beyond ours: adopts its size (no
 * transaction of ours may be alive; the cached read transaction is dropped). */
void store_adopt_map_size(struct store *st);
/* store.c. The database directory, as given to store_open. */
const char *store_path(const struct store *st);

/* store_record.c. store_txn_update, audited as action (AUDIT_UPDATE, or
 * AUDIT_UNDO of the entry at seq undoes). */
int store_txn_update_as(struct store_txn *tx, struct case_record *c, uint32_t expected_rev,
    int action, uint64_t undoes, struct cb_err *err);

/* store_audit.c. Reads or writes meta key in txn; LMDB codes. */
int store_meta_get_raw(MDB_txn *txn, MDB_dbi dbi, const char *key, MDB_val *v);
int store_meta_put_raw(MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value);
/* Loads next_id, audit_seq and the audit chain's head into tx, once per
 * transaction; store_save_counters writes them back (store_write does). */
int store_load_counters(struct store_txn *tx, struct cb_err *err);
int store_save_counters(struct store_txn *tx, struct cb_err *err);
/* Appends an audit entry for case id, chained to the one before; changes
 * (n of them) stay the caller's. */
int store_audit_append(struct store_txn *tx, uint64_t id, int action, uint32_t old_rev,
    uint32_t new_rev, int64_t when, uint64_t undoes, struct audit_change *changes, size_t n,
    struct cb_err *err);

/* store_record.c. Removes case id from `cases` and every index for good, audited
 * as a delete with every value it held (expected_rev as store_txn_update). */
int store_txn_erase(struct store_txn *tx, uint64_t id, uint32_t expected_rev, struct cb_err *err);
/* store_record.c. Writes case c (c->id set) as a new record; an existing record
 * under its id is never overwritten (CB_ECORRUPT). */
int store_txn_put_case(struct store_txn *tx, const struct case_record *c, struct cb_err *err);
/* store_trash.c. Opens the `trash` and `deleted` databases in txn (creating
 * them when create); MDB_NOTFOUND when they do not exist yet. */
int store_trash_dbis(MDB_txn *txn, bool create, MDB_dbi *trash, MDB_dbi *deleted);
/* store_trash.c. When case id is in the trash, sets err to "case N is in the
 * trash (deleted by X at T); casebook restore N" (CB_ENOTFOUND) and returns
 * true. */
bool store_trash_note(MDB_txn *txn, uint64_t id, struct cb_err *err);
/* store_trash.c. Decodes the trash record data[0..n) of case id into e
 * (e->c case_init'ed by the call); CB_ECORRUPT when it cannot be read. */
int store_trash_decode(const void *data, size_t n, uint64_t id, struct trash_entry *e,
    struct cb_err *err);

/* store_index.c. Moves the index entries of case id from what old implies
 * to what new implies (either may be NULL: create or delete). */
int store_reindex(struct store_txn *tx, uint64_t id, const struct case_record *old,
    const struct case_record *new, struct cb_err *err);
/* store_pending.c. Queues the index entries of a case added in tx, for
 * store_pending_flush. */
void store_pending_add(struct store_txn *tx, const struct case_record *c);
/* Writes the queued entries, sorted by index and key, and empties the queue. */
int store_pending_flush(struct store_txn *tx, struct cb_err *err);
/* Puts the sorted ids[0..n) under key k of cur's DUPFIXED database (in
 * store_pending.c): all in one put when each is larger than every id there
 * (one descent a key), else the rest one by one; an id there already, or
 * repeated, is kept once. */
int store_put_ids(MDB_cursor *cur, MDB_val *k, uint64_t *ids, size_t n);
/* Drops the queue (an aborted transaction, or the end of one); the store
 * keeps its memory for the next transaction unless it is large. */
void store_pending_free(struct store_txn *tx);
/* Frees a queue the store kept (store_close); NULL is nothing. */
void store_pending_release(struct case_queue *q);
/* Writes index idx's entries for every case, in txn; an LMDB code on error. */
int store_index_fill(struct store *st, MDB_txn *txn, int idx);
/* On a writable open: when the city and region indexes were built with
 * another gazetteer than the one in use (or none), rebuilds them in txn and
 * records the gazetteer's digest in meta; a progress line on a terminal.
 * empty: a new database (nothing to rebuild). An LMDB code on error. */
int store_places_sync(struct store *st, MDB_txn *txn, bool empty);
/* Rebuilds index idx in txn when the database made it under another key
 * version than index_key_version (read-only: marks it absent instead), and
 * stores the version; fresh: the index was just created. An LMDB code on
 * error. */
int store_index_sync_version(struct store *st, MDB_txn *txn, int idx, bool fresh);

#endif
