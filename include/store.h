/* store.h — the LMDB environment of DESIGN.md §2: the `cases` database,
 * one DUPSORT|DUPFIXED index per searchable field, the `audit` log and
 * `meta`. Every write changes a record, all its index entries and its audit
 * entry in one transaction (except a large import, whose audit entries come
 * in its last transaction: store_journal.h). Knows nothing of terminals or
 * filters. */
#ifndef CASEBOOK_STORE_H
#define CASEBOOK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "case.h"
#include "error.h"
#include "util.h"

struct store;
struct store_txn; /* a write transaction handed to a store_write callback */

/* Secondary indexes: one LMDB database per enum case_index (case.h),
 * named index_name(idx); keys as index_key.h makes them, values the case
 * ids (native u64, sorted). */

enum store_flags {
	STORE_RDONLY = 1 << 0, /* never write; also chosen when the user cannot write */
	STORE_NOCREATE = 1 << 1, /* fail if the database does not exist yet */
};

struct store_options {
	unsigned flags; /* enum store_flags */
	size_t initial_map; /* bytes; 0 = default (grows when full) */
};

/* Opens (creating when allowed) the database in directory dir. A new
 * directory is made 0700 and files 0600; when dir already exists and is
 * group-writable (e.g. chgrp staff + chmod 2770), files are made 0660 so
 * that group can share it. Clears stale reader slots. Refuses a directory
 * that holds some other LMDB environment or an unknown schema version. */
int store_open(struct store **out, const char *dir, const struct store_options *opt,
    struct cb_err *err);
void store_close(struct store *st);

/* True when opened read-only (asked for, or the database is not writable). */
bool store_readonly(const struct store *st);

/* Number of cases. */
int store_count(struct store *st, uint64_t *out, struct cb_err *err);
/* The id of the newest committed write transaction: changes when any
 * process commits. Cheap; for polling. */
uint64_t store_generation(struct store *st);

/* Reads a case into out (case_init'ed by the call). CB_ENOTFOUND if absent. */
int store_get(struct store *st, uint64_t id, struct case_record *out, struct cb_err *err);

/* Calls fn for every case in id order, stopping early when fn returns
 * non-zero (which is then returned). Decoding errors are returned as
 * CB_ECORRUPT naming the id. */
int store_foreach(struct store *st, int (*fn)(const struct case_record *c, void *ctx), void *ctx,
    struct cb_err *err);

/* Runs fn inside one write transaction and commits it durably if fn returns
 * 0; aborts if fn returns non-zero (that value is returned). When the map is
 * full the transaction is aborted, the map grown and fn run again from the
 * start, so fn must not keep effects outside the transaction. */
int store_write(struct store *st, int (*fn)(struct store_txn *tx, void *ctx), void *ctx,
    struct cb_err *err);

/* Inside store_write. txn_add assigns c->id, rev 1, created/updated/
 * updated_by. txn_update requires c->id to exist; expected_rev 0 means "any",
 * else a different stored rev gives CB_ECONFLICT (message says who changed it
 * and when). On success c->rev, updated, updated_by are set from the store. */
int store_txn_get(struct store_txn *tx, uint64_t id, struct case_record *out, struct cb_err *err);
int store_txn_add(struct store_txn *tx, struct case_record *c, struct cb_err *err);
int store_txn_update(struct store_txn *tx, struct case_record *c, uint32_t expected_rev,
    struct cb_err *err);
/* True when tx failed only because the map is full: store_write grows it and
 * runs fn again, so the failure is not the data's (no row is to blame). */
bool store_txn_will_rerun(const struct store_txn *tx);

/* One-operation conveniences over store_write. */
int store_add(struct store *st, struct case_record *c, struct cb_err *err);
int store_update(struct store *st, struct case_record *c, uint32_t expected_rev,
    struct cb_err *err);
int store_delete(struct store *st, uint64_t id, uint32_t expected_rev, struct cb_err *err);

/* Audit entries (include/audit.h). Calls fn for each audit entry of case
 * id, oldest first; the entry and its changes live only during the call. */
int store_history(struct store *st, uint64_t id, int (*fn)(const struct audit_entry *e, void *ctx),
    void *ctx, struct cb_err *err);
/* Calls fn for every audit entry of every case in the order they were
 * written (by seq), stopping early when fn returns non-zero. */
int store_audit_foreach(struct store *st, int (*fn)(const struct audit_entry *e, void *ctx),
    void *ctx, struct cb_err *err);

/* What store_audit_verify found. broken: the first entry whose hash, or
 * whose link to the entry before it, does not match (seq, case_id, time
 * of that entry, and why in `why`); unchained: entries written before the
 * hash chain existed. */
struct store_audit_report {
	uint64_t entries, chained, unchained;
	bool broken;
	uint64_t seq, case_id;
	int64_t time;
	char why[128];
	unsigned char head[AUDIT_HASH_LEN]; /* the newest entry's hash */
};

/* Verifies the hash chain of the whole audit log. Returns 0 when it is
 * intact (out->broken false), CB_ECORRUPT when a link is broken. */
int store_audit_verify(struct store *st, struct store_audit_report *out, struct cb_err *err);

/* Reverts the newest change of case id not already undone (a new
 * revision, audited as AUDIT_UNDO with its own field diff); *new_rev is
 * set to it. CB_ENOTFOUND for an unknown or deleted case; CB_EINVAL when
 * there is nothing to undo. */
int store_undo(struct store *st, uint64_t id, uint32_t *new_rev, struct cb_err *err);

/* Changes to many cases at once (store_changes.c). Inside store_write:
 * appends the entry that lists the cases of one change (their own
 * entries, members, written before it in the same transaction), kept
 * under AUDIT_MANY; *change is its seq, the change's number. set_json
 * says what was set, what where the cases came from (the filter). */
int store_txn_note_change(struct store_txn *tx, const char *set_json, const char *what,
    const struct audit_member *m, size_t n, uint64_t *change, struct cb_err *err);
/* The seq of the newest audit entry written in tx so far (0: none). */
uint64_t store_txn_last_seq(const struct store_txn *tx);
/* Reverts change number change as a whole, in one transaction: each of
 * its cases whose changed fields still hold the values the change gave
 * gets them back (a new revision, audited as AUDIT_UNDO of its own
 * entry); one entry under AUDIT_MANY records the undo. A case deleted or
 * changed in one of those fields since refuses the whole undo
 * (CB_ECONFLICT, naming the case and the field); a case already back is
 * left alone. CB_ENOTFOUND for no such change, CB_EINVAL when it was
 * undone already. *n_cases is the number of cases reverted. */
int store_undo_change(struct store *st, uint64_t change, size_t *n_cases, struct cb_err *err);

struct store_check_report {
	uint64_t cases;
	uint64_t index_entries;
	uint64_t problems;
	uint64_t old_records; /* in an older encoding, without a checksum */
	uint64_t persons; /* people with cases (person.h), whose links were checked */
	uint64_t trashed; /* cases in the trash (store_trash.h) */
};

/* Verifies that every record decodes (which verifies its checksum) and
 * that every index holds exactly the entries the records imply. Each
 * problem is passed to report (one line, e.g. `index city: case 12 missing
 * under "алматы"`). Returns 0 when all agree, CB_ECORRUPT when problems
 * were found. */
int store_check(struct store *st, void (*report)(const char *line, void *ctx), void *ctx,
    struct store_check_report *out, struct cb_err *err);

/* Re-encodes every record written in an older encoding (without a
 * checksum) in the current one, in batches of a few thousand; the cases
 * themselves, their revs and the audit log do not change. *rewritten says
 * how many were re-encoded. */
int store_rewrite(struct store *st, uint64_t *rewritten, struct cb_err *err);

/* Consistent, compacted hot copy into directory dest (created 0700). */
int store_backup(struct store *st, const char *dest, struct cb_err *err);

/* Free-form settings in `meta` (e.g. "demo_loaded"). get: CB_ENOTFOUND if unset. */
int store_meta_get(struct store *st, const char *key, char **value, struct cb_err *err);
int store_txn_meta_put(struct store_txn *tx, const char *key, const char *value,
    struct cb_err *err);

#endif
