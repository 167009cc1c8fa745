/* store_drafts.c — the `drafts` table (store_drafts.h). Keys: a kind byte
 * ('D' a draft, 'A' one set aside), the user's name and a NUL, the case id
 * and the form's token (8 bytes big-endian each), so one user's drafts
 * are one range. Values: drafts.c's encoding. */
#include "store_drafts.h"

#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "util.h"

enum { KIND_DRAFT = 'D', KIND_ASIDE = 'A' };
#define KEY_MAX (1 + 64 + 16)

static int drafts_dbi(MDB_txn *txn, bool create, MDB_dbi *dbi)
{
	return mdb_dbi_open(txn, "drafts", create ? MDB_CREATE : 0, dbi);
}

/* Makes the key of (kind, user, case_id, token) in k; returns its length. */
static size_t make_key(unsigned char *k, int kind, const char *user, uint64_t case_id,
    uint64_t token)
{
	size_t ul = strnlen(user, 63), n = 0;
	k[n++] = (unsigned char)kind;
	memcpy(k + n, user, ul);
	n += ul;
	k[n++] = '\0';
	for (int i = 7; i >= 0; i--)
		k[n++] = (unsigned char)(case_id >> (8 * i));
	for (int i = 7; i >= 0; i--)
		k[n++] = (unsigned char)(token >> (8 * i));
	return n;
}

/* Splits key k back into d's user, case and token; false when it is not
 * one of ours. */
static bool split_key(const MDB_val *k, struct draft *d, int *kind)
{
	const unsigned char *p = k->mv_data;
	const unsigned char *nul = k->mv_size > 1 ? memchr(p + 1, '\0', k->mv_size - 1) : NULL;

	if (!nul || (size_t)(p + k->mv_size - nul) != 17 || nul - p - 1 > 63)
		return false;
	*kind = p[0];
	memcpy(d->user, p + 1, (size_t)(nul - p - 1));
	d->user[nul - p - 1] = '\0';
	d->case_id = d->token = 0;
	for (int i = 1; i <= 8; i++)
		d->case_id = (d->case_id << 8) | nul[i];
	for (int i = 9; i <= 16; i++)
		d->token = (d->token << 8) | nul[i];
	return true;
}

struct draft_op {
	const struct draft *d;
	const char *user;
	uint64_t case_id, token;
	struct cb_err *err;
};

static int put_run(struct store_txn *tx, void *ctx)
{
	struct draft_op *op = ctx;
	unsigned char key[KEY_MAX];
	MDB_dbi dbi;
	int rc;

	if ((rc = drafts_dbi(tx->txn, true, &dbi)) != 0)
		return store_txn_fail(tx, rc, _("saving a draft"), op->err);
	tx->enc.len = 0;
	draft_encode(op->d, &tx->enc);
	MDB_val k = {make_key(key, KIND_DRAFT, op->d->user, op->d->case_id, op->d->token), key};
	MDB_val v = {tx->enc.len, tx->enc.p};
	if ((rc = mdb_put(tx->txn, dbi, &k, &v, 0)) != 0)
		return store_txn_fail(tx, rc, _("saving a draft"), op->err);
	return 0;
}

int store_draft_put(struct store *st, const struct draft *d, struct cb_err *err)
{
	struct draft_op op = {.d = d, .err = err};
	return store_write(st, put_run, &op, err);
}

static int delete_run(struct store_txn *tx, void *ctx)
{
	struct draft_op *op = ctx;
	unsigned char key[KEY_MAX];
	MDB_dbi dbi;
	int rc = drafts_dbi(tx->txn, false, &dbi);

	if (rc == MDB_NOTFOUND)
		return 0;
	for (int i = 0; i < 2 && rc == 0; i++) {
		MDB_val k = {make_key(key, i ? KIND_ASIDE : KIND_DRAFT, op->user, op->case_id,
		                 op->token),
		    key};
		rc = mdb_del(tx->txn, dbi, &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	}
	if (rc)
		return store_txn_fail(tx, rc, _("removing a draft"), op->err);
	return 0;
}

int store_draft_delete(struct store *st, const char *user, uint64_t case_id, uint64_t token,
    struct cb_err *err)
{
	struct draft_op op = {.user = user, .case_id = case_id, .token = token, .err = err};
	return store_write(st, delete_run, &op, err);
}

/* Moves the draft's value from its 'D' key to its 'A' key. */
static int aside_run(struct store_txn *tx, void *ctx)
{
	struct draft_op *op = ctx;
	unsigned char key[KEY_MAX], akey[KEY_MAX];
	MDB_dbi dbi;
	MDB_val v;
	int rc = drafts_dbi(tx->txn, false, &dbi);

	if (rc == MDB_NOTFOUND)
		return 0;
	MDB_val k = {make_key(key, KIND_DRAFT, op->user, op->case_id, op->token), key};
	MDB_val ak = {make_key(akey, KIND_ASIDE, op->user, op->case_id, op->token), akey};
	if (rc == 0 && (rc = mdb_get(tx->txn, dbi, &k, &v)) == MDB_NOTFOUND)
		return 0;
	if (rc == 0) {
		/* The value lives in the map: copy it before the tree changes. */
		void *copy = xmalloc(v.mv_size ? v.mv_size : 1);
		memcpy(copy, v.mv_data, v.mv_size);
		MDB_val cv = {v.mv_size, copy};
		if ((rc = mdb_put(tx->txn, dbi, &ak, &cv, 0)) == 0)
			rc = mdb_del(tx->txn, dbi, &k, NULL);
		free(copy);
	}
	if (rc)
		return store_txn_fail(tx, rc, _("setting a draft aside"), op->err);
	return 0;
}

int store_draft_set_aside(struct store *st, const char *user, uint64_t case_id, uint64_t token,
    struct cb_err *err)
{
	struct draft_op op = {.user = user, .case_id = case_id, .token = token, .err = err};
	return store_write(st, aside_run, &op, err);
}

/* Hands the draft at k/v to fn, decoded or with why it is not. */
static int seen_one(const MDB_val *k, const MDB_val *v, int kind,
    int (*fn)(const struct draft_seen *s, void *ctx), void *ctx)
{
	struct draft d;
	struct cb_err derr = {0};
	int dk;

	draft_init(&d);
	if (!split_key(k, &d, &dk) || dk != kind)
		return 0;
	struct draft_seen s = {&d, kind == KIND_ASIDE, NULL};
	if (draft_decode(v->mv_data, v->mv_size, &d, &derr) != 0)
		s.why = derr.msg;
	int r = fn(&s, ctx);
	draft_free(&d);
	return r;
}

/* Walks the drafts of one kind (of user, or all) in txn. */
static int walk_kind(MDB_txn *txn, MDB_dbi dbi, int kind, const char *user,
    int (*fn)(const struct draft_seen *s, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_cursor *cur;
	unsigned char start[KEY_MAX];
	size_t plen = 1;
	int rc, r = 0;

	start[0] = (unsigned char)kind;
	if (user) {
		size_t ul = strnlen(user, 63);
		memcpy(start + 1, user, ul);
		start[1 + ul] = '\0';
		plen = 2 + ul;
	}
	MDB_val k = {plen, start}, v;
	if ((rc = mdb_cursor_open(txn, dbi, &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading the drafts"));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < plen || memcmp(k.mv_data, start, plen) != 0)
			break;
		if ((r = seen_one(&k, &v, kind, fn, ctx)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (r)
		return r;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading the drafts"));
	return 0;
}

int store_drafts_foreach(struct store *st, const char *user,
    int (*fn)(const struct draft_seen *s, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_dbi dbi;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = drafts_dbi(txn, false, &dbi);
	if (rc == MDB_NOTFOUND)
		rc = 0; /* no draft was ever written */
	else if (rc)
		rc = store_lmdb_error(err, rc, _("reading the drafts"));
	else if ((rc = walk_kind(txn, dbi, KIND_DRAFT, user, fn, ctx, err)) == 0)
		rc = walk_kind(txn, dbi, KIND_ASIDE, user, fn, ctx, err);
	store_read_end(st);
	return rc;
}
