/* store_revert.c — reverting one chosen change of a case (store_revert.h):
 * its entry's old values put back, unless a later change touched the same
 * fields, in which case the refusal names them. */
#include "store_revert.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store_int.h"
#include "util.h"

static bool touches(const struct audit_entry *e, const char *field)
{
	for (size_t i = 0; i < e->n_changes; i++)
		if (strcmp(e->changes[i].field, field) == 0)
			return true;
	return false;
}

/* The fields of l->e[t]'s changes that entries after it touched, as
 * "lawyer, status" into b; false when there are none. */
static bool later_touched(const struct audit_list *l, size_t t, struct buf *b)
{
	const struct audit_entry *e = &l->e[t];

	for (size_t i = 0; i < e->n_changes; i++) {
		const char *f = e->changes[i].field;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(e->changes[j].field, f) == 0;
		if (seen)
			continue;
		for (size_t j = t + 1; j < l->n; j++) {
			/* An undo of this very entry is reported as "undone already". */
			if (touches(&l->e[j], f)) {
				if (b->len)
					buf_puts(b, ", ");
				buf_puts(b, f);
				break;
			}
		}
	}
	return b->len > 0;
}

/* Checks that entry t of l may be reverted; CB_EINVAL saying why not. */
static int may_revert(const struct audit_list *l, size_t t, uint64_t id, struct cb_err *err)
{
	const struct audit_entry *e = &l->e[t];
	struct buf b = {0};
	int rc = 0;

	if ((e->action != AUDIT_UPDATE && e->action != AUDIT_UNDO) || e->version < AUDIT_V2 ||
	    e->n_changes == 0)
		return cb_err_set(err, CB_EINVAL,
		    _("case %llu: this entry is not a change of fields that can be reverted"),
		    (unsigned long long)id);
	for (size_t j = t + 1; j < l->n; j++)
		if (l->e[j].action == AUDIT_UNDO && l->e[j].undoes == e->seq)
			return cb_err_set(err, CB_EINVAL,
			    _("case %llu: this change is undone already"), (unsigned long long)id);
	if (later_touched(l, t, &b))
		rc = cb_err_set(err, CB_EINVAL,
		    _("case %llu: later changes touched %s; revert those first (nothing was "
		      "changed)"),
		    (unsigned long long)id, buf_cstr(&b));
	buf_free(&b);
	return rc;
}

struct revert_op {
	uint64_t id, seq;
	uint32_t new_rev;
	struct cb_err *err;
};

static int revert_run(struct store_txn *tx, void *ctx)
{
	struct revert_op *op = ctx;
	struct audit_list l = {0};
	struct case_record c;
	int rc;
	long t = -1;

	if ((rc = store_pending_flush(tx, op->err)) != 0)
		return rc;
	/* The environment is MDB_NOTLS: the history is read through a read
	 * transaction beside this write one, before anything is written. */
	if ((rc = store_txn_get(tx, op->id, &c, op->err)) == 0 &&
	    (rc = store_history(tx->st, op->id, audit_list_add, &l, op->err)) == 0) {
		for (size_t i = 0; i < l.n; i++)
			if (l.e[i].seq == op->seq)
				t = (long)i;
		if (t < 0)
			rc = cb_err_set(op->err, CB_ENOTFOUND,
			    _("case %llu has no history entry %llu"), (unsigned long long)op->id,
			    (unsigned long long)op->seq);
		else if ((rc = may_revert(&l, (size_t)t, op->id, op->err)) == 0 &&
		    (rc = audit_revert(&l.e[t], &c, op->err)) == 0 &&
		    (rc = store_txn_update_as(tx, &c, c.rev, AUDIT_UNDO, op->seq, op->err)) == 0)
			op->new_rev = c.rev;
	}
	audit_list_free(&l);
	case_free(&c);
	return rc;
}

int store_revert(struct store *st, uint64_t id, uint64_t seq, uint32_t *new_rev, struct cb_err *err)
{
	struct revert_op op = {id, seq, 0, err};
	int rc = store_write(st, revert_run, &op, err);
	if (rc == 0 && new_rev)
		*new_rev = op.new_rev;
	return rc;
}
