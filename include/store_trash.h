/* store_trash.h — the trash of DESIGN.md §2: a deleted case keeps its
 * record in the `trash` database and leaves every index but `deleted`
 * (deletion time → id); its id stays reserved. Restore puts it back with
 * all its index entries; purge removes it for good. Every move is audited
 * in the same write transaction as the move itself. */
#ifndef CASEBOOK_STORE_TRASH_H
#define CASEBOOK_STORE_TRASH_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "error.h"
#include "store.h"

/* One case in the trash: who deleted it when, and the case as it was. */
struct trash_entry {
	uint64_t id;
	int64_t deleted_at;
	char deleted_by[64];
	struct case_record c;
};

/* Moves case id to the trash inside tx (expected_rev 0: any revision,
 * else a different stored one is CB_ECONFLICT). CB_ENOTFOUND when there
 * is no such case. */
int store_txn_trash(struct store_txn *tx, uint64_t id, uint32_t expected_rev, struct cb_err *err);
/* store_txn_trash in a write transaction of its own. */
int store_trash(struct store *st, uint64_t id, uint32_t expected_rev, struct cb_err *err);

/* Reads case id from the trash into out (out->c case_init'ed by the call;
 * free it with trash_entry_free). CB_ENOTFOUND when it is not there. */
int store_trash_get(struct store *st, uint64_t id, struct trash_entry *out, struct cb_err *err);
void trash_entry_free(struct trash_entry *e);

/* Calls fn for each case in the trash, oldest deletion first, stopping
 * when fn returns non-zero (returned). An entry that does not decode is
 * CB_ECORRUPT naming the id. */
int store_trash_foreach(struct store *st, int (*fn)(const struct trash_entry *e, void *ctx),
    void *ctx, struct cb_err *err);

/* Brings case id back from the trash inside tx, with all its index
 * entries, as a new revision audited as a restore. With c non-NULL, the
 * case is restored with c's fields instead (c->id must be id; used by a
 * form whose case was deleted meanwhile); c's rev and stamps are set.
 * CB_ENOTFOUND when id is not in the trash. *new_rev, when given, is
 * the restored revision. */
int store_txn_restore(struct store_txn *tx, uint64_t id, struct case_record *c, uint32_t *new_rev,
    struct cb_err *err);
/* store_txn_restore (without c) in a write transaction of its own. */
int store_restore(struct store *st, uint64_t id, uint32_t *new_rev, struct cb_err *err);
/* store_txn_restore with c in a write transaction of its own. */
int store_restore_with(struct store *st, uint64_t id, struct case_record *c, uint32_t *new_rev,
    struct cb_err *err);

/* Removes case id from the trash for good (audited). CB_ENOTFOUND when it
 * is not in the trash. */
int store_purge(struct store *st, uint64_t id, struct cb_err *err);
/* Purges every case deleted before the unix time `before`, in one
 * transaction; *n says how many. */
int store_purge_older(struct store *st, int64_t before, uint64_t *n, struct cb_err *err);

#endif
