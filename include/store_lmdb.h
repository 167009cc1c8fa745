/* store_lmdb.h — the LMDB handles behind a store, for the one other module
 * allowed to walk cursors (the query module, src/query_*.c). Everyone else uses store.h. */
#ifndef CASEBOOK_STORE_LMDB_H
#define CASEBOOK_STORE_LMDB_H

#include <lmdb.h>

#include "store.h"

/* Handles of the `cases` database (key: native u64 id, MDB_INTEGERKEY) and
 * of index idx (MDB_DUPSORT|MDB_DUPFIXED|MDB_INTEGERDUP, value: native u64 id). */
MDB_dbi store_dbi_cases(struct store *st);
MDB_dbi store_dbi_index(struct store *st, int idx);
/* False for an index that a database made by an earlier version lacks and
 * that could not be added because it was opened read-only: do not read it. */
bool store_index_present(const struct store *st, int idx);

/* True when the city and region indexes were built with the gazetteer in
 * use (place_digest): their keys then say which place a value names. */
bool store_places_current(struct store *st, MDB_txn *txn);

/* Returns a read transaction on the newest snapshot. Calls nest: the
 * transaction is reset (not held) when the outermost store_read_end runs.
 * Handles MDB_MAP_RESIZED. Never keep one across waiting for a key. */
int store_read_begin(struct store *st, MDB_txn **txn, struct cb_err *err);
void store_read_end(struct store *st);

/* Translates an LMDB error into a cb_err (CB_EDB) naming what was being done. */
int store_lmdb_error(struct cb_err *err, int rc, const char *doing);

#endif
