/* store_changes.c — changes made to many cases at once (`casebook set`,
 * the TUI's tagged cases): each case gets its own audit entry, as any
 * edit does, and one more entry, kept under AUDIT_MANY, lists them (their
 * ids, the seqs of their entries and their revisions) with what was set
 * and the filter. Undoing the change reads that list and reverts every
 * case in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "store.h"
#include "store_int.h"
#include "util.h"

/* Audit keys: (case id, seq), both big-endian (as store_audit.c writes them). */
static void audit_key(unsigned char key[16], uint64_t id, uint64_t seq)
{
	for (int i = 7; i >= 0; i--, id >>= 8, seq >>= 8) {
		key[i] = (unsigned char)id;
		key[8 + i] = (unsigned char)seq;
	}
}

static uint64_t key_part(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Appends an entry under AUDIT_MANY; *seq is its number. */
static int append_group(struct store_txn *tx, int action, uint64_t undoes, const char *set_json,
    const char *what, const struct audit_member *m, size_t n, uint64_t *seq, struct cb_err *err)
{
	struct audit_change *ch;
	size_t nch;
	int rc;

	audit_group_changes(set_json, what, m, n, &ch, &nch);
	rc = store_audit_append(tx, AUDIT_MANY, action, 0, 0, (int64_t)time(NULL), undoes, ch, nch,
	    err);
	audit_changes_free(ch, nch);
	if (rc == 0)
		*seq = tx->audit_seq - 1; /* store_audit_append took the next number */
	return rc;
}

uint64_t store_txn_last_seq(const struct store_txn *tx)
{
	return tx->counters && tx->audit_seq > 1 ? tx->audit_seq - 1 : 0;
}

int store_txn_note_change(struct store_txn *tx, const char *set_json, const char *what,
    const struct audit_member *m, size_t n, uint64_t *change, struct cb_err *err)
{
	return append_group(tx, AUDIT_BULK, 0, set_json, what, m, n, change, err);
}

/* Reads the audit entry (id, seq) in tx into e. */
static int read_entry(struct store_txn *tx, uint64_t id, uint64_t seq, struct audit_entry *e,
    struct cb_err *err)
{
	unsigned char key[16];
	MDB_val k = {sizeof key, key}, v;
	bool ok;
	int rc;

	audit_key(key, id, seq);
	rc = mdb_get(tx->txn, tx->st->audit, &k, &v);
	if (rc == MDB_NOTFOUND)
		return CB_ENOTFOUND;
	if (rc)
		return store_txn_fail(tx, rc, _("reading the audit log"), err);
	return audit_decode(v.mv_data, v.mv_size, id, seq, NULL, e, &ok, err);
}

/* The seq of the undo of change, or 0 when it was not undone. */
static int find_undo(struct store_txn *tx, uint64_t change, uint64_t *undo, struct cb_err *err)
{
	MDB_cursor *cur;
	unsigned char start[16];
	MDB_val k = {sizeof start, start}, v;
	int rc;

	*undo = 0;
	if ((rc = mdb_cursor_open(tx->txn, tx->st->audit, &cur)) != 0)
		return store_txn_fail(tx, rc, _("reading the audit log"), err);
	audit_key(start, AUDIT_MANY, 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && !*undo;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		struct audit_entry e;
		bool ok;
		if (k.mv_size != 16 || key_part(k.mv_data) != AUDIT_MANY)
			break;
		uint64_t seq = key_part((const unsigned char *)k.mv_data + 8);
		if (audit_decode(v.mv_data, v.mv_size, AUDIT_MANY, seq, NULL, &e, &ok, err) != 0)
			continue; /* check and audit --verify name a damaged entry */
		if (e.action == AUDIT_UNDO && e.undoes == change)
			*undo = seq;
		audit_entry_free(&e);
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("reading the audit log"), err);
	return 0;
}

struct undo_change {
	uint64_t change;
	size_t reverted;
	struct cb_err *err;
};

/* Reverts one member of the change, or leaves it when it is back already;
 * *out is filled when it was reverted. */
static int undo_member(struct store_txn *tx, uint64_t change, const struct audit_member *m,
    struct audit_member *out, bool *done, struct cb_err *err)
{
	struct audit_entry e;
	struct case_record c;
	const char *field;
	int rc;

	*done = false;
	if ((rc = read_entry(tx, m->case_id, m->seq, &e, err)) != 0)
		return rc == CB_ENOTFOUND
		    ? cb_err_set(err, CB_ECORRUPT,
		          _("case %llu: its entry of change %llu is missing from the audit log; "
		            "nothing was undone"),
		          (unsigned long long)m->case_id, (unsigned long long)change)
		    : rc;
	rc = store_get_in(tx->txn, store_dbi_cases(tx->st), m->case_id, &c, err);
	if (rc == CB_ENOTFOUND)
		rc = cb_err_set(err, CB_ECONFLICT,
		    _("case %llu was deleted after change %llu; nothing was undone (restore it, or "
		      "undo the other cases one by one with casebook undo ID)"),
		    (unsigned long long)m->case_id, (unsigned long long)change);
	else if (rc == 0) {
		switch (audit_holds(&e, &c, &field)) {
		case AUDIT_HOLDS_OLD: /* undone on its own already */
			break;
		case AUDIT_HOLDS_NEW:
			if ((rc = audit_revert(&e, &c, err)) == 0 &&
			    (rc = store_txn_update_as(tx, &c, c.rev, AUDIT_UNDO, e.seq, err)) ==
			        0) {
				*out = (struct audit_member){m->case_id, tx->audit_seq - 1,
				    c.rev - 1, c.rev};
				*done = true;
			}
			break;
		default:
			rc = cb_err_set(err, CB_ECONFLICT,
			    _("case %llu: %s was changed again after change %llu (by %s); nothing "
			      "was undone (casebook undo ID undoes one case at a time)"),
			    (unsigned long long)m->case_id, field, (unsigned long long)change,
			    str_empty(c.updated_by) ? "?" : c.updated_by);
		}
	}
	case_free(&c);
	audit_entry_free(&e);
	return rc;
}

static int undo_change_run(struct store_txn *tx, void *ctx)
{
	struct undo_change *op = ctx;
	struct audit_entry g;
	struct audit_member *m = NULL, *back = NULL;
	size_t n = 0, nback = 0;
	uint64_t undo = 0, seq;
	int rc;

	op->reverted = 0;
	if ((rc = store_pending_flush(tx, op->err)) != 0)
		return rc;
	if ((rc = read_entry(tx, AUDIT_MANY, op->change, &g, op->err)) != 0)
		return rc == CB_ENOTFOUND ? cb_err_set(op->err, CB_ENOTFOUND,
		                                _("no change %llu to several cases (casebook audit "
		                                  "lists them as \"change "
		                                  "N\")"),
		                                (unsigned long long)op->change)
		                          : rc;
	if (g.action != AUDIT_BULK)
		rc = cb_err_set(op->err, CB_EINVAL,
		    _("entry %llu is the undo of change %llu, not a change; nothing was undone"),
		    (unsigned long long)op->change, (unsigned long long)g.undoes);
	else if ((rc = find_undo(tx, op->change, &undo, op->err)) == 0 && undo)
		rc = cb_err_set(op->err, CB_EINVAL,
		    _("change %llu was undone already (entry %llu); nothing was changed"),
		    (unsigned long long)op->change, (unsigned long long)undo);
	if (rc == 0 && (rc = audit_group_members(&g, &m, &n, op->err)) == 0) {
		back = xcalloc(n, sizeof *back);
		for (size_t i = 0; i < n && rc == 0; i++) {
			bool done;
			rc = undo_member(tx, op->change, &m[i], &back[nback], &done, op->err);
			nback += done;
		}
	}
	if (rc == 0 && nback == 0)
		rc = cb_err_set(op->err, CB_EINVAL,
		    _("change %llu: every case is back as it was already; nothing to undo"),
		    (unsigned long long)op->change);
	if (rc == 0) {
		const struct audit_change *set = audit_change_named(&g, "set");
		const struct audit_change *what = audit_change_named(&g, "filter");
		json_t *w = what && what->new_json
		    ? json_loads(what->new_json, JSON_DECODE_ANY, NULL)
		    : NULL;
		rc = append_group(tx, AUDIT_UNDO, op->change, set ? set->new_json : NULL,
		    json_string_value(w), back, nback, &seq, op->err);
		json_decref(w);
		op->reverted = nback;
	}
	free(m);
	free(back);
	audit_entry_free(&g);
	return rc;
}

int store_undo_change(struct store *st, uint64_t change, size_t *n_cases, struct cb_err *err)
{
	struct undo_change op = {change, 0, err};
	int rc = store_write(st, undo_change_run, &op, err);

	if (n_cases)
		*n_cases = rc == 0 ? op.reverted : 0;
	return rc;
}
