/* store_audit.c — the meta database (settings, the id and audit counters,
 * the audit chain's head) and the audit log: appending an entry, a case's
 * history, walking and verifying the chain, and undo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_int.h"

/* ---- Meta --------------------------------------------------------------- */

/* Reads meta key in txn (store_int.h). */
int store_meta_get_raw(MDB_txn *txn, MDB_dbi dbi, const char *key, MDB_val *v)
{
	MDB_val k = {strlen(key), (void *)key};
	return mdb_get(txn, dbi, &k, v);
}

/* Writes meta key in txn (store_int.h). */
int store_meta_put_raw(MDB_txn *txn, MDB_dbi dbi, const char *key, const char *value)
{
	MDB_val k = {strlen(key), (void *)key}, v = {strlen(value), (void *)value};
	return mdb_put(txn, dbi, &k, &v, 0);
}

int store_meta_get(struct store *st, const char *key, char **value, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_val v;
	int rc;

	*value = NULL;
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = store_meta_get_raw(txn, st->meta, key, &v);
	if (rc == 0)
		*value = xstrndup(v.mv_data, v.mv_size);
	store_read_end(st);
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("setting %s is not set"), key);
	if (rc)
		return store_lmdb_error(err, rc, _("reading settings"));
	return 0;
}

/* Reads a decimal counter from meta; *out keeps its value when unset. */
/* A number kept in meta as text; 0 when absent (store_int.h). */
int store_meta_get_u64(MDB_txn *txn, MDB_dbi dbi, const char *key, uint64_t *out)
{
	MDB_val v;
	char s[24];
	int rc = store_meta_get_raw(txn, dbi, key, &v);

	if (rc)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if (v.mv_size >= sizeof s)
		return MDB_CORRUPTED;
	memcpy(s, v.mv_data, v.mv_size);
	s[v.mv_size] = '\0';
	*out = strtoull(s, NULL, 10);
	return 0;
}

/* The audit chain's head: the hash of the newest chained entry, in hex
 * under "audit_head", and the seq of the first chained entry under
 * "audit_chain_from". */
static int head_get(struct store_txn *tx)
{
	MDB_val v;
	int rc = store_meta_get_raw(tx->txn, tx->st->meta, "audit_head", &v);

	memset(tx->audit_head, 0, sizeof tx->audit_head);
	tx->head_dirty = false;
	if (rc)
		return rc == MDB_NOTFOUND ? 0 : rc;
	if (v.mv_size != 2 * AUDIT_HASH_LEN)
		return MDB_CORRUPTED;
	for (int i = 0; i < AUDIT_HASH_LEN; i++) {
		unsigned hi, lo;
		char pair[3] = {((char *)v.mv_data)[2 * i], ((char *)v.mv_data)[2 * i + 1], 0};
		if (sscanf(pair, "%1x%1x", &hi, &lo) != 2)
			return MDB_CORRUPTED;
		tx->audit_head[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static int head_put(struct store_txn *tx)
{
	char hex[2 * AUDIT_HASH_LEN + 1], s[24];
	int rc;

	audit_hex(tx->audit_head, hex);
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->chain_from);
	if ((rc = store_meta_put_raw(tx->txn, tx->st->meta, "audit_head", hex)) == 0)
		rc = store_meta_put_raw(tx->txn, tx->st->meta, "audit_chain_from", s);
	return rc;
}

/* Loads the counters and the chain head once per transaction (store_int.h). */
int store_load_counters(struct store_txn *tx, struct cb_err *err)
{
	int rc;

	if (tx->counters)
		return 0;
	tx->next_id = 1;
	tx->audit_seq = 1;
	if ((rc = store_meta_get_u64(tx->txn, tx->st->meta, "next_id", &tx->next_id)) != 0 ||
	    (rc = store_meta_get_u64(tx->txn, tx->st->meta, "audit_seq", &tx->audit_seq)) != 0 ||
	    (rc = store_meta_get_u64(tx->txn, tx->st->meta, "audit_chain_from", &tx->chain_from)) !=
	        0 ||
	    (rc = head_get(tx)) != 0)
		return store_txn_fail(tx, rc, _("reading the counters"), err);
	tx->counters = true;
	return 0;
}

/* Saves what store_load_counters loaded (store_int.h). */
int store_save_counters(struct store_txn *tx, struct cb_err *err)
{
	char s[24];
	int rc;

	if (!tx->counters)
		return 0;
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->next_id);
	if ((rc = store_meta_put_raw(tx->txn, tx->st->meta, "next_id", s)) != 0)
		return store_txn_fail(tx, rc, _("saving the id counter"), err);
	snprintf(s, sizeof s, "%llu", (unsigned long long)tx->audit_seq);
	if ((rc = store_meta_put_raw(tx->txn, tx->st->meta, "audit_seq", s)) != 0)
		return store_txn_fail(tx, rc, _("saving the audit counter"), err);
	if (tx->head_dirty && (rc = head_put(tx)) != 0)
		return store_txn_fail(tx, rc, _("saving the audit counter"), err);
	return 0;
}

int store_txn_meta_put(struct store_txn *tx, const char *key, const char *value, struct cb_err *err)
{
	int rc = store_meta_put_raw(tx->txn, tx->st->meta, key, value);
	if (rc)
		return store_txn_fail(tx, rc, _("saving a setting"), err);
	return 0;
}

/* Audit entries are keyed by (case id, sequence), both big-endian, so a
 * case's history is one range walk. Values are audit.c's encoding: since
 * version 2 with the field changes and the hash chain, which runs in
 * sequence order across all cases. */
static void be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Appends an entry for case id; changes (n of them) stay the caller's
 * (store_int.h). */
int store_audit_append(struct store_txn *tx, uint64_t id, int action, uint32_t old_rev,
    uint32_t new_rev, int64_t when, uint64_t undoes, struct audit_change *changes, size_t n,
    struct cb_err *err)
{
	unsigned char key[16];
	struct audit_entry e = {.time = when,
	    .case_id = id,
	    .action = action,
	    .old_rev = old_rev,
	    .new_rev = new_rev,
	    .version = AUDIT_V2,
	    .undoes = undoes,
	    .changes = changes,
	    .n_changes = n};
	int rc;

	if ((rc = store_load_counters(tx, err)) != 0)
		return rc;
	/* A bounded copy, not snprintf: this runs once a case in an import. */
	const char *user = util_username();
	size_t ulen = strnlen(user, sizeof e.user - 1);
	memcpy(e.user, user, ulen);
	e.user[ulen] = '\0';
	e.seq = tx->audit_seq++;
	if (!tx->chain_from)
		tx->chain_from = e.seq;
	memcpy(e.prev, tx->audit_head, AUDIT_HASH_LEN);
	be64(key, id);
	be64(key + 8, e.seq);
	tx->audit_enc.len = 0;
	audit_encode(&e, &tx->audit_enc);
	memcpy(tx->audit_head, e.hash, AUDIT_HASH_LEN);
	tx->head_dirty = true;
	MDB_val k = {sizeof key, key}, v = {tx->audit_enc.len, tx->audit_enc.p};
	/* A new case has the largest id yet, so its entry goes at the end. */
	rc = mdb_put(tx->txn, tx->st->audit, &k, &v,
	    action == AUDIT_CREATE ? MDB_APPEND : MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST && action == AUDIT_CREATE)
		rc = mdb_put(tx->txn, tx->st->audit, &k, &v, MDB_NOOVERWRITE);
	if (rc != 0)
		return store_txn_fail(tx, rc, _("writing the audit log"), err);
	return 0;
}

/* ---- History ------------------------------------------------------------ */

/* Decodes the entry at cursor position k/v and passes it to fn. */
static int history_call(const MDB_val *k, const MDB_val *v, bool *hash_ok,
    int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, struct cb_err *err)
{
	struct audit_entry e;
	int r = audit_decode(v->mv_data, v->mv_size, get_be64(k->mv_data),
	    get_be64((const unsigned char *)k->mv_data + 8), NULL, &e, hash_ok, err);
	if (r)
		return r;
	r = fn(&e, ctx);
	audit_entry_free(&e);
	return r;
}

/* Walks case id's entries in txn, oldest first. */
static int history_in(struct store *st, MDB_txn *txn, uint64_t id,
    int (*fn)(const struct audit_entry *e, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_cursor *cur;
	unsigned char start[16];
	MDB_val k = {sizeof start, start}, v;
	int rc, r = 0;
	bool ok;

	if ((rc = mdb_cursor_open(txn, st->audit, &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading the audit log"));
	be64(start, id);
	be64(start + 8, 0);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 16 || get_be64(k.mv_data) != id)
			break;
		if ((r = history_call(&k, &v, &ok, fn, ctx, err)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (r)
		return r;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading the audit log"));
	return 0;
}

int store_history(struct store *st, uint64_t id, int (*fn)(const struct audit_entry *e, void *ctx),
    void *ctx, struct cb_err *err)
{
	MDB_txn *txn;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = history_in(st, txn, id, fn, ctx, err);
	store_read_end(st);
	return rc;
}

static int cmp_seq(const void *a, const void *b)
{
	uint64_t x = get_be64((const unsigned char *)a + 8),
	         y = get_be64((const unsigned char *)b + 8);
	return x < y ? -1 : x > y;
}

/* Calls fn(entry, hash_ok) for every entry in seq order, hash_ok checked
 * against the hash prev holds at the time (NULL: not checked). The keys are
 * sorted by case id first, so they are gathered and sorted. */
static int audit_walk(struct store *st, const unsigned char *prev,
    int (*fn)(const struct audit_entry *e, bool hash_ok, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	struct buf keys = {0};
	int rc, r = 0;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, st->audit, &cur)) != 0) {
		store_read_end(st);
		return store_lmdb_error(err, rc, _("reading the audit log"));
	}
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))
		if (k.mv_size == 16)
			buf_put(&keys, k.mv_data, 16);
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		r = store_lmdb_error(err, rc, _("reading the audit log"));
	size_t n = keys.len / 16;
	if (n)
		qsort(keys.p, n, 16, cmp_seq);
	for (size_t i = 0; i < n && r == 0; i++) {
		MDB_val kk = {16, keys.p + 16 * i};
		struct audit_entry e;
		bool ok;
		if ((rc = mdb_get(txn, st->audit, &kk, &v)) != 0) {
			r = store_lmdb_error(err, rc, _("reading the audit log"));
			break;
		}
		r = audit_decode(v.mv_data, v.mv_size, get_be64(kk.mv_data),
		    get_be64(keys.p + 16 * i + 8), prev, &e, &ok, err);
		if (r && prev) {
			/* Verifying: an entry that cannot be decoded is a broken
			 * link like any other, named by its key. */
			memset(&e, 0, sizeof e);
			e.case_id = get_be64(kk.mv_data);
			e.seq = get_be64(keys.p + 16 * i + 8);
			e.version = AUDIT_V2;
			ok = false;
			r = 0;
		}
		if (r)
			break;
		r = fn(&e, ok, ctx);
		audit_entry_free(&e);
	}
	buf_free(&keys);
	store_read_end(st);
	return r;
}

struct foreach_ctx {
	int (*fn)(const struct audit_entry *e, void *ctx);
	void *ctx;
};

static int foreach_one(const struct audit_entry *e, bool hash_ok, void *ctx)
{
	struct foreach_ctx *f = ctx;
	(void)hash_ok;
	return f->fn(e, f->ctx);
}

int store_audit_foreach(struct store *st, int (*fn)(const struct audit_entry *e, void *ctx),
    void *ctx, struct cb_err *err)
{
	struct foreach_ctx f = {fn, ctx};
	return audit_walk(st, NULL, foreach_one, &f, err);
}

struct verifier {
	struct store_audit_report *out;
	struct audit_chain chain;
};

static int verify_one(const struct audit_entry *e, bool hash_ok, void *ctx)
{
	struct verifier *v = ctx;
	const char *why = audit_chain_step(&v->chain, e, hash_ok);

	if (!why)
		return 0;
	v->out->broken = true;
	v->out->seq = e->seq;
	v->out->case_id = e->case_id;
	v->out->time = e->time;
	snprintf(v->out->why, sizeof v->out->why, "%s", why);
	return 1;
}

int store_audit_verify(struct store *st, struct store_audit_report *out, struct cb_err *err)
{
	struct store_txn tx = {.st = st};
	struct verifier v = {.out = out};
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = store_read_begin(st, &tx.txn, err)) != 0)
		return rc;
	rc = store_meta_get_u64(tx.txn, st->meta, "audit_chain_from", &v.chain.chain_from);
	if (rc == 0)
		rc = head_get(&tx);
	store_read_end(st);
	if (rc)
		return store_lmdb_error(err, rc, _("reading the audit log"));
	if ((rc = audit_walk(st, v.chain.prev, verify_one, &v, err)) < 0)
		return rc;
	out->entries = v.chain.entries;
	out->chained = v.chain.chained;
	out->unchained = v.chain.unchained;
	memcpy(out->head, v.chain.prev, AUDIT_HASH_LEN);
	if (!out->broken && v.chain.chain_from &&
	    memcmp(v.chain.prev, tx.audit_head, AUDIT_HASH_LEN) != 0) {
		/* The newest entries are gone: the head no longer matches. */
		out->broken = true;
		out->seq = v.chain.last_seq + 1;
		snprintf(out->why, sizeof out->why, "%s",
		    _("the newest entries of the log are missing (removed)"));
	}
	return out->broken ? CB_ECORRUPT : 0;
}

/* ---- Undo --------------------------------------------------------------- */

struct undo_op {
	uint64_t id;
	uint32_t new_rev;
	struct cb_err *err;
};

static int undo_run(struct store_txn *tx, void *ctx)
{
	struct undo_op *op = ctx;
	struct audit_list u = {0};
	struct case_record c;
	int rc;

	if ((rc = store_pending_flush(tx, op->err)) != 0)
		return rc;
	if ((rc = store_get_in(tx->txn, tx->st->cases, op->id, &c, op->err)) == 0 &&
	    (rc = history_in(tx->st, tx->txn, op->id, audit_list_add, &u, op->err)) == 0) {
		long t = audit_undo_target(u.e, u.n);
		if (t < 0)
			rc = cb_err_set(op->err, CB_EINVAL, _("case %llu: nothing to undo"),
			    (unsigned long long)op->id);
		else if (u.e[t].new_rev != c.rev && u.e[u.n - 1].new_rev != c.rev)
			rc = cb_err_set(op->err, CB_ECORRUPT,
			    _("case %llu: its history does not "
			      "reach its revision %u; nothing was changed"),
			    (unsigned long long)op->id, c.rev);
		else if ((rc = audit_revert(&u.e[t], &c, op->err)) == 0 &&
		    (rc = store_txn_update_as(tx, &c, c.rev, AUDIT_UNDO, u.e[t].seq, op->err)) == 0)
			op->new_rev = c.rev;
	}
	audit_list_free(&u);
	case_free(&c);
	return rc;
}

int store_undo(struct store *st, uint64_t id, uint32_t *new_rev, struct cb_err *err)
{
	struct undo_op op = {id, 0, err};
	int rc = store_write(st, undo_run, &op, err);
	if (rc == 0 && new_rev)
		*new_rev = op.new_rev;
	return rc;
}
