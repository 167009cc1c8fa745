/* store_int.h — store internals shared by the store's files: store.c
 * (environment, records, transactions, audit log), store_index.c (index
 * upkeep) and store_check.c (the consistency check). Not
 * part of any public interface. */
#ifndef CASEBOOK_STORE_INT_H
#define CASEBOOK_STORE_INT_H

#include "audit.h"
#include "store_lmdb.h"
#include "util.h"

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
	struct pending_key *pending; /* open-addressing hash table */
	size_t n_pending, cap_pending;
	struct buf pending_keys;
	struct buf scratch; /* for folding keys */
};

/* The handles of the `meta` and `audit` databases. */
MDB_dbi store_dbi_audit(struct store *st);
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

/* store_index.c. Moves the index entries of case id from what old implies
 * to what new implies (either may be NULL: create or delete). */
int store_reindex(struct store_txn *tx, uint64_t id, const struct case_record *old,
    const struct case_record *new, struct cb_err *err);
/* Queues the index entries of a case added in tx, for store_pending_flush. */
void store_pending_add(struct store_txn *tx, const struct case_record *c);
/* Writes the queued entries, sorted by index and key, and empties the queue. */
int store_pending_flush(struct store_txn *tx, struct cb_err *err);
/* Drops the queue (an aborted transaction). */
void store_pending_free(struct store_txn *tx);
/* Writes index idx's entries for every case, in txn; an LMDB code on error. */
int store_index_fill(struct store *st, MDB_txn *txn, int idx);

#endif
