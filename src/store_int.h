/* store_int.h — store internals shared by store.c and store_check.c (the
 * consistency check). Not part of any public interface. */
#ifndef CASEBOOK_STORE_INT_H
#define CASEBOOK_STORE_INT_H

#include "store_lmdb.h"

/* The handle of the `meta` database. */
MDB_dbi store_dbi_meta(struct store *st);
/* Reads and decodes case id from dbi in txn (out case_init'ed); CB_ENOTFOUND if absent. */
int store_get_in(MDB_txn *txn, MDB_dbi dbi, uint64_t id, struct case_record *out,
    struct cb_err *err);
/* The error for record v of case id that does not decode: a failed
 * checksum says the case is damaged; returns CB_ECORRUPT. */
int store_decode_failed(struct cb_err *err, uint64_t id, const MDB_val *v);
/* A number kept in meta as text; *out unchanged and 0 returned when absent; an LMDB code on error. */
int store_meta_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *out);

#endif
