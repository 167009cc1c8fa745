/* store_record.c — cases in the store: reading them (one, all, the count)
 * and changing them (add, update, delete) inside the write transaction that
 * store_write runs, grows and retries. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codec.h"
#include "store.h"
#include "store_int.h"
#include "store_journal.h"
#include "text.h"

/* ---- Reading ------------------------------------------------------------ */

/* A record that does not decode: one whose checksum fails is named as
 * damaged, with the way back; other errors get the case id in front
 * (store_int.h). */
int store_decode_failed(struct cb_err *err, uint64_t id, const MDB_val *v)
{
	if (!codec_checksum_ok(v->mv_data, v->mv_size))
		return cb_err_set(err, CB_ECORRUPT,
		    _("case %llu is damaged: restore it from a "
		      "backup (its bytes do not match their checksum)"),
		    (unsigned long long)id);
	cb_err_prefix(err, _("case %llu"), (unsigned long long)id);
	return CB_ECORRUPT;
}

/* Reads and decodes case id in txn (store_int.h). */
int store_get_in(MDB_txn *txn, MDB_dbi dbi, uint64_t id, struct case_record *out,
    struct cb_err *err)
{
	MDB_val k = {sizeof id, &id}, v;
	int rc = mdb_get(txn, dbi, &k, &v);

	case_init(out);
	if (rc == MDB_NOTFOUND && store_trash_note(txn, id, err))
		return CB_ENOTFOUND; /* "case N is in the trash..." */
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("no case %llu"), (unsigned long long)id);
	if (rc)
		return store_lmdb_error(err, rc, _("reading a case"));
	if (codec_decode(v.mv_data, v.mv_size, out, err) != 0)
		return store_decode_failed(err, id, &v);
	return 0;
}

int store_get(struct store *st, uint64_t id, struct case_record *out, struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0) {
		case_init(out);
		return rc;
	}
	rc = store_get_in(txn, st->cases, id, out, err);
	store_read_end(st);
	return rc;
}

int store_count(struct store *st, uint64_t *out, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_stat ms;
	int rc;

	*out = 0;
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = mdb_stat(txn, st->cases, &ms);
	store_read_end(st);
	if (rc)
		return store_lmdb_error(err, rc, _("counting cases"));
	*out = ms.ms_entries;
	return 0;
}

int store_foreach(struct store *st, int (*fn)(const struct case_record *c, void *ctx), void *ctx,
    struct cb_err *err)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, r = 0;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, st->cases, &cur)) != 0) {
		store_read_end(st);
		return store_lmdb_error(err, rc, _("reading cases"));
	}
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		struct case_record c;
		uint64_t id;
		memcpy(&id, k.mv_data, sizeof id);
		case_init(&c);
		if (codec_decode(v.mv_data, v.mv_size, &c, err) != 0) {
			r = store_decode_failed(err, id, &v);
			break;
		}
		r = fn(&c, ctx);
		case_free(&c);
		if (r)
			break;
	}
	mdb_cursor_close(cur);
	store_read_end(st);
	if (r)
		return r;
	if (rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading cases"));
	return 0;
}

/* ---- Writing ------------------------------------------------------------ */

/* Records an LMDB failure inside a write transaction. */
/* A failed put in a write transaction: a full map is noted for store_write
 * to grow and rerun (store_int.h). */
int store_txn_fail(struct store_txn *tx, int rc, const char *doing, struct cb_err *err)
{
	if (rc == MDB_MAP_FULL)
		tx->map_full = true;
	return store_lmdb_error(err, rc, doing);
}

bool store_txn_will_rerun(const struct store_txn *tx)
{
	return tx->map_full;
}

/* Grows the map after MDB_MAP_FULL: doubles it. */
static void grow_map(struct store *st)
{
	MDB_envinfo info;
	mdb_env_info(st->env, &info);
	if (st->rtxn) {
		mdb_txn_abort(st->rtxn);
		st->rtxn = NULL;
	}
	mdb_env_set_mapsize(st->env, info.me_mapsize * 2);
}

int store_write(struct store *st, int (*fn)(struct store_txn *tx, void *ctx), void *ctx,
    struct cb_err *err)
{
	int rc;

	if (st->readonly)
		return cb_err_set(err, CB_EREADONLY,
		    _("the database is open read-only (-r, or "
		      "you may not write to %s); nothing was changed"),
		    st->path);
	if (st->rdepth > 0)
		return cb_err_set(err, CB_EDB, "store_write inside a read transaction");
	for (int tries = 0; tries < 64; tries++) {
		struct store_txn tx = {.st = st};
		rc = mdb_txn_begin(st->env, NULL, 0, &tx.txn);
		if (rc == MDB_MAP_RESIZED) {
			store_adopt_map_size(st);
			continue;
		}
		if (rc)
			return store_lmdb_error(err, rc, _("starting a change"));
		int r = fn(&tx, ctx);
		if (r == 0 && !tx.map_full)
			r = store_pending_flush(&tx, err);
		if (r == 0 && !tx.map_full)
			r = store_save_counters(&tx, err);
		if (r == 0 && !tx.map_full)
			r = store_person_txn_end(&tx, err);
		buf_free(&tx.enc);
		buf_free(&tx.scratch);
		buf_free(&tx.audit_enc);
		store_pending_free(&tx);
		person_q_free(&tx);
		if (tx.map_full) {
			mdb_txn_abort(tx.txn);
			grow_map(st);
			continue;
		}
		if (r) {
			mdb_txn_abort(tx.txn);
			return r;
		}
		rc = mdb_txn_commit(tx.txn);
		if (rc == MDB_MAP_FULL) {
			grow_map(st);
			continue;
		}
		if (rc)
			return store_lmdb_error(err, rc, _("saving the change"));
		return 0;
	}
	return cb_err_set(err, CB_EDB, _("the database could not grow to fit the change"));
}

/* Writes the record; is_new: c->id is larger than every stored id, so the
 * record goes at the end of the tree without a search. */
static int put_record(struct store_txn *tx, const struct case_record *c, bool is_new,
    struct cb_err *err)
{
	uint64_t id = c->id;
	int rc;

	tx->enc.len = 0;
	codec_encode(c, &tx->enc);
	MDB_val k = {sizeof id, &id}, v = {tx->enc.len, tx->enc.p};
	rc = mdb_put(tx->txn, tx->st->cases, &k, &v, is_new ? MDB_APPEND : 0);
	if (rc == MDB_KEYEXIST && is_new) {
		/* Not the largest id: insert in place, but never over a case. */
		rc = mdb_put(tx->txn, tx->st->cases, &k, &v, MDB_NOOVERWRITE);
		if (rc == MDB_KEYEXIST)
			return cb_err_set(err, CB_ECORRUPT,
			    _("case %llu already exists: the id "
			      "counter is damaged; nothing was saved (run casebook check)"),
			    (unsigned long long)id);
	}
	if (rc)
		return store_txn_fail(tx, rc, _("saving a case"), err);
	return 0;
}

/* Reads case id inside tx. */
int store_txn_get(struct store_txn *tx, uint64_t id, struct case_record *out, struct cb_err *err)
{
	return store_get_in(tx->txn, tx->st->cases, id, out, err);
}

static void stamp(struct case_record *c, int64_t now)
{
	c->updated = now;
	free(c->updated_by);
	c->updated_by = xstrdup(util_username());
}

int store_txn_add(struct store_txn *tx, struct case_record *c, struct cb_err *err)
{
	int64_t now = (int64_t)time(NULL);
	int rc;

	if ((rc = case_validate(c, err)) != 0)
		return rc;
	if ((rc = store_load_counters(tx, err)) != 0)
		return rc;
	c->id = tx->next_id++;
	c->rev = 1;
	c->created = now;
	stamp(c, now);
	if ((rc = put_record(tx, c, true, err)) != 0 ||
	    (rc = store_audit_append(tx, c->id, AUDIT_CREATE, 0, 1, now, 0, NULL, 0, err)) != 0 ||
	    (rc = store_person_case_changed(tx, c->id, NULL, c, err)) != 0)
		return rc;
	store_pending_add(tx, c);
	return 0;
}

static int conflict(const struct case_record *stored, uint32_t expected, struct cb_err *err)
{
	char when[TEXT_TIME_MAX];
	return cb_err_set(err, CB_ECONFLICT,
	    _("case %llu was changed by %s at %s (now revision %u; you started from revision %u); "
	      "nothing was saved"),
	    (unsigned long long)stored->id,
	    str_empty(stored->updated_by) ? "?" : stored->updated_by,
	    text_time(when, stored->updated, TEXT_TIME_LOCAL), stored->rev, expected);
}

/* The stored case id, about to be changed or deleted in tx, into *old
 * (case_free'd by the caller on success only). Queued index entries of a
 * case added in this transaction go into the index first, since this
 * change moves them; a stored revision other than expected_rev (0: any)
 * is a conflict. */
static int load_for_change(struct store_txn *tx, uint64_t id, uint32_t expected_rev,
    struct case_record *old, struct cb_err *err)
{
	int rc;

	/* A case of an import that has not finished may not change. */
	if ((rc = store_journal_txn_guard(tx, id, err)) != 0 ||
	    (rc = store_pending_flush(tx, err)) != 0)
		return rc;
	if ((rc = store_get_in(tx->txn, tx->st->cases, id, old, err)) != 0) {
		case_free(old);
		return rc;
	}
	if (expected_rev && old->rev != expected_rev) {
		rc = conflict(old, expected_rev, err);
		case_free(old);
		return rc;
	}
	return 0;
}

/* store_txn_update, audited as action (AUDIT_UPDATE, or AUDIT_UNDO of the
 * entry at seq undoes) (store_int.h). */
int store_txn_update_as(struct store_txn *tx, struct case_record *c, uint32_t expected_rev,
    int action, uint64_t undoes, struct cb_err *err)
{
	struct case_record old;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if ((rc = case_validate(c, err)) != 0)
		return rc;
	if ((rc = load_for_change(tx, c->id, expected_rev, &old, err)) != 0)
		return rc;
	c->rev = old.rev + 1;
	c->created = old.created;
	stamp(c, now);
	if ((rc = put_record(tx, c, false, err)) == 0 &&
	    (rc = store_reindex(tx, c->id, &old, c, err)) == 0 &&
	    (rc = store_person_case_changed(tx, c->id, &old, c, err)) == 0) {
		struct audit_change *ch;
		size_t n;
		audit_diff(&old, c, &ch, &n);
		rc =
		    store_audit_append(tx, c->id, action, old.rev, c->rev, now, undoes, ch, n, err);
		audit_changes_free(ch, n);
	}
	case_free(&old);
	return rc;
}

int store_txn_update(struct store_txn *tx, struct case_record *c, uint32_t expected_rev,
    struct cb_err *err)
{
	return store_txn_update_as(tx, c, expected_rev, AUDIT_UPDATE, 0, err);
}

/* Removes case id for good (store_int.h); store_txn_delete moves it to
 * the trash through this. */
int store_txn_erase(struct store_txn *tx, uint64_t id, uint32_t expected_rev, struct cb_err *err)
{
	struct case_record old;
	int rc;

	if ((rc = load_for_change(tx, id, expected_rev, &old, err)) != 0)
		return rc;
	MDB_val k = {sizeof id, &id};
	if ((rc = mdb_del(tx->txn, tx->st->cases, &k, NULL)) != 0)
		rc = store_txn_fail(tx, rc, _("deleting a case"), err);
	if (rc == 0 && (rc = store_reindex(tx, id, &old, NULL, err)) == 0 &&
	    (rc = store_person_case_changed(tx, id, &old, NULL, err)) == 0) {
		/* The deleted values are kept in the log: nothing typed is lost. */
		struct audit_change *ch;
		size_t n;
		audit_diff(&old, NULL, &ch, &n);
		rc = store_audit_append(tx, id, AUDIT_DELETE, old.rev, 0, (int64_t)time(NULL), 0,
		    ch, n, err);
		audit_changes_free(ch, n);
	}
	case_free(&old);
	return rc;
}

/* A deleted case goes to the trash (store_trash.c). */
static int store_txn_delete(struct store_txn *tx, uint64_t id, uint32_t expected_rev,
    struct cb_err *err)
{
	return store_txn_trash(tx, id, expected_rev, err);
}

/* Writes a case back under its own id (store_int.h). */
int store_txn_put_case(struct store_txn *tx, const struct case_record *c, struct cb_err *err)
{
	return put_record(tx, c, true, err);
}

/* One operation for the single-operation wrappers, with its error. */
struct one_op {
	struct case_record *c;
	uint64_t id;
	uint32_t rev;
	int op;
};

struct one_op_err {
	struct one_op op;
	struct cb_err *err;
};

static int one_op_run_err(struct store_txn *tx, void *ctx)
{
	struct one_op_err *o = ctx;
	switch (o->op.op) {
	case AUDIT_CREATE:
		return store_txn_add(tx, o->op.c, o->err);
	case AUDIT_UPDATE:
		return store_txn_update(tx, o->op.c, o->op.rev, o->err);
	default:
		return store_txn_delete(tx, o->op.id, o->op.rev, o->err);
	}
}

int store_add(struct store *st, struct case_record *c, struct cb_err *err)
{
	struct one_op_err o = {{.c = c, .op = AUDIT_CREATE}, err};
	return store_write(st, one_op_run_err, &o, err);
}

int store_update(struct store *st, struct case_record *c, uint32_t expected_rev, struct cb_err *err)
{
	struct one_op_err o = {{.c = c, .rev = expected_rev, .op = AUDIT_UPDATE}, err};
	return store_write(st, one_op_run_err, &o, err);
}

int store_delete(struct store *st, uint64_t id, uint32_t expected_rev, struct cb_err *err)
{
	struct one_op_err o = {{.id = id, .rev = expected_rev, .op = AUDIT_DELETE}, err};
	return store_write(st, one_op_run_err, &o, err);
}
