/* store_journal.h — a large import written in several transactions and
 * still all or nothing. The first transaction reserves the ids the import
 * will use (others adding cases meanwhile get ids after them) and records
 * a journal in `meta`; the cases are then written in chunks, without audit
 * entries; the last transaction writes every audit entry and clears the
 * journal. A failure before it removes the cases of the reserved range
 * again (store_journal_rollback), and so does the next writable open when
 * the importing process died (it held an flock on import.lock in the
 * database directory for the whole import; a lock nobody holds means the
 * importer is gone). Until the last transaction other processes see the
 * cases arrive, but may not change them. */
#ifndef CASEBOOK_STORE_JOURNAL_H
#define CASEBOOK_STORE_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "error.h"
#include "store.h"

/* A journal: the reserved ids first .. first + count - 1, when the import
 * started and by whom. */
struct store_journal {
	uint64_t first, count;
	int64_t started;
	char user[64];
	int lock_fd; /* import.lock, locked; -1 when not held */
};

/* Takes the import lock (CB_EDB "another import is running" when someone
 * holds it), rolls back an interrupted import it finds, then reserves count
 * ids and records the journal in one committed transaction. On failure
 * nothing is held or changed. */
int store_journal_begin(struct store *st, uint64_t count, struct store_journal *j,
    struct cb_err *err);

/* Inside store_write, between begin and finish: stores c as case id (which
 * must be in the reserved range), rev 1, created and updated at the
 * import's start by its user, with its index entries; no audit entry. */
int store_journal_txn_add(struct store_txn *tx, const struct store_journal *j, uint64_t id,
    struct case_record *c, struct cb_err *err);

/* Inside the import's last write transaction: writes the creation audit
 * entry of every case in the range and clears the journal, so that the
 * commit of this transaction is the commit of the whole import. */
int store_journal_txn_finish(struct store_txn *tx, const struct store_journal *j,
    struct cb_err *err);

/* Removes every case of the range (and its index entries) in transactions
 * of a bounded size, then clears the journal (and gives the ids back when
 * nobody took an id after them). On failure (err says why) the journal
 * stays, and the next writable open tries again. */
int store_journal_rollback(struct store *st, const struct store_journal *j, struct cb_err *err);

/* Releases the import lock (after finish or rollback, or after a failure
 * that leaves the journal for the next open). */
void store_journal_end(struct store *st, struct store_journal *j);

/* At a writable open: when a journal is pending and nobody holds the
 * import lock, the interrupted import is rolled back. *rolled_back (may be
 * NULL) says whether it was. A failure (a full disk, say) need not stop
 * the open: the next one tries again. */
int store_journal_recover(struct store *st, bool *rolled_back, struct cb_err *err);

/* Reads the pending journal into *j (lock_fd -1): 0, CB_ENOTFOUND when no
 * import is pending. *running (may be NULL) says whether its importer
 * still holds the lock. */
int store_journal_pending(struct store *st, struct store_journal *j, bool *running,
    struct cb_err *err);

/* Inside store_write: CB_EINVAL (message names the case) when id belongs
 * to an import not yet finished, whose cases may not be changed. */
int store_journal_txn_guard(struct store_txn *tx, uint64_t id, struct cb_err *err);

/* The number of rows one transaction of a chunked import writes: 20,000
 * (bounded heap, see README), or $CASEBOOK_IMPORT_CHUNK for tests. */
uint64_t store_journal_chunk_rows(void);

#endif
