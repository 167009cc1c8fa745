/* audit.h — one entry of the audit log (DESIGN.md §2): who changed which
 * case when, what changed field by field (old and new value), and the
 * SHA-256 hash chain that makes an edited or removed entry detectable.
 * This module encodes and decodes entries, diffs two cases, reverts a
 * change and formats entries for people; store.c keeps them in LMDB. */
#ifndef CASEBOOK_AUDIT_H
#define CASEBOOK_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "case.h"
#include "error.h"
#include "util.h"

/* AUDIT_BULK: one change made to many cases at once (`casebook set`); it
 * lists the cases, each of which has its own AUDIT_UPDATE entry. */
enum audit_action {
	AUDIT_CREATE = 1,
	AUDIT_UPDATE = 2,
	AUDIT_DELETE = 3,
	AUDIT_UNDO = 4,
	AUDIT_RESTORE = 5, /* brought back from the trash */
	AUDIT_PURGE = 6, /* removed from the trash for good */
	AUDIT_BULK = 7,
	/* People across cases (person.h): the case's record does not change;
	 * the entry's "person" change says from which person to which. */
	AUDIT_PERSON_LINK = 8,
	AUDIT_PERSON_UNLINK = 9,
	AUDIT_PERSON_MERGE = 10,
};

/* The case id under which entries about several cases are kept: a
 * change to many cases (AUDIT_BULK) and its undo (AUDIT_UNDO). No case
 * has this id. */
#define AUDIT_MANY 0

#define AUDIT_HASH_LEN 32

/* Entry format versions: 1 before field history and the hash chain (a
 * fixed header and the user), 2 with both. */
enum { AUDIT_V1 = 1, AUDIT_V2 = 2 };

/* One changed field. item 0: the whole field; item N (from 1): the Nth
 * measure or injury. Values are compact JSON as `show --json` writes
 * them; NULL when the field or item was empty or absent. */
struct audit_change {
	char *field;
	uint32_t item;
	char *old_json, *new_json;
};

struct audit_entry {
	uint64_t seq; /* position in the whole log, from 1 */
	int64_t time;
	uint64_t case_id;
	int action; /* enum audit_action */
	uint32_t old_rev; /* 0 for create */
	uint32_t new_rev; /* 0 for delete */
	char user[64];
	int version; /* AUDIT_V1 or AUDIT_V2 */
	uint64_t undoes; /* AUDIT_UNDO: seq of the entry it reverted */
	struct audit_change *changes;
	size_t n_changes;
	/* The previous entry's hash (what encode chains to; set by decode
	 * when given) and this entry's. */
	unsigned char prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
};

/* Fills changes with what differs between old and new (either may be
 * NULL, meaning an empty case); bookkeeping fields (id, rev, created,
 * updated, updated_by) are left out. */
void audit_diff(const struct case_record *old, const struct case_record *new,
    struct audit_change **changes, size_t *n);
void audit_changes_free(struct audit_change *changes, size_t n);
/* Frees what an entry owns (its changes). */
void audit_entry_free(struct audit_entry *e);

/* Appends the version-2 encoding of e to out and sets e->hash to the
 * SHA-256 of e->prev (the previous entry's hash), e's key (case_id, seq)
 * and the encoded content; the hash ends the value. */
void audit_encode(struct audit_entry *e, struct buf *out);
/* Decodes a stored value of case case_id at position seq into e (which
 * then owns its changes). A value without the version-2 marker is read
 * as version 1. With prev (the previous entry's hash), *hash_ok tells
 * whether a version-2 entry's stored hash is the one its content, key
 * and prev give; without, it is false. CB_ECORRUPT when it cannot be
 * decoded at all. */
int audit_decode(const void *p, size_t n, uint64_t case_id, uint64_t seq, const unsigned char *prev,
    struct audit_entry *e, bool *hash_ok, struct cb_err *err);

/* Copies src into dst, changes included (dst owns them). */
void audit_entry_copy(struct audit_entry *dst, const struct audit_entry *src);

/* A case's entries, copied: audit_list_add keeps a copy of e in list (a
 * struct audit_list; the callback of a history walk, returns 0), and
 * audit_list_free frees them all. */
struct audit_list {
	struct audit_entry *e;
	size_t n;
};
int audit_list_add(const struct audit_entry *e, void *list);
void audit_list_free(struct audit_list *l);

/* A walk over the whole log in seq order that checks the chain: entries
 * before chain_from (the first chained seq, 0: none yet) are version 1;
 * from it on each must chain to prev, the hash of the one before. */
struct audit_chain {
	uint64_t chain_from, last_seq;
	unsigned char prev[AUDIT_HASH_LEN];
	uint64_t entries, chained, unchained;
};
/* Takes the next entry e, decoded with c->prev (hash_ok as audit_decode
 * gave it). Returns NULL when e is in order, else why the chain breaks
 * at e (translated). */
const char *audit_chain_step(struct audit_chain *c, const struct audit_entry *e, bool hash_ok);

/* Sets c (the case now, at the entry's new revision) back to the old
 * values of e's changes. CB_EINVAL when e has no field data. */
int audit_revert(const struct audit_entry *e, struct case_record *c, struct cb_err *err);

/* Index in entries[0..n) (one case's history, oldest first) of the change
 * `undo` reverts: the newest update that changed a field and is not
 * already undone (creates, deletes and undos are not reverted); -1 when
 * there is none. */
long audit_undo_target(const struct audit_entry *entries, size_t n);

/* What a case c (as it is now) holds of the fields entry e changed. */
enum audit_holding {
	AUDIT_HOLDS_NEW, /* every changed field (or item) still has e's new value */
	AUDIT_HOLDS_OLD, /* every one is back at its old value */
	AUDIT_HOLDS_OTHER, /* something else: *field names the first such field */
};
int audit_holds(const struct audit_entry *e, const struct case_record *c, const char **field);

/* One case of a change to many: its id, the seq of its own entry and
 * the revisions that entry went from and to. */
struct audit_member {
	uint64_t case_id, seq;
	uint32_t old_rev, new_rev;
};
/* The changes of an entry under AUDIT_MANY: what was set (set_json, a
 * JSON object of field and value, e.g. {"status":"in_court"}), where the
 * cases came from (what: the filter, "" for none) and the cases. */
void audit_group_changes(const char *set_json, const char *what, const struct audit_member *m,
    size_t n, struct audit_change **changes, size_t *nch);
/* The change of e to field (item 0), or NULL: "set", "filter" and
 * "cases" of an entry under AUDIT_MANY. */
const struct audit_change *audit_change_named(const struct audit_entry *e, const char *field);
/* The cases listed by such an entry (*m malloc'd); CB_ECORRUPT when it
 * lists none or cannot be read. */
int audit_group_members(const struct audit_entry *e, struct audit_member **m, size_t *n,
    struct cb_err *err);

/* "2026-12-01 19:09 aigul: lawyer «А» → «Б»; status open → in_court": one
 * line for people, control characters made visible. Malloc'd. */
char *audit_format(const struct audit_entry *e);
/* Only the changes, as audit_format writes them: "status open → in_court;
 * measure 2 added: fine". Malloc'd. */
char *audit_changes_format(const struct audit_change *ch, size_t n);
/* The same entry as a JSON object (seq, time, user, case, action, revs,
 * changes with field, item, old and new values). */
json_t *audit_json(const struct audit_entry *e);
/* Hex of a hash, into out (2 * AUDIT_HASH_LEN + 1 bytes). */
void audit_hex(const unsigned char *hash, char *out);

#endif
