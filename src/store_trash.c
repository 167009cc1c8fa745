/* store_trash.c — moving cases to the trash and back (store_trash.h).
 *
 * `trash` holds id (native u64) → a trash record: a version byte, the
 * deletion time (8 bytes big-endian), the deleting user (a length byte and
 * the name), the case's own record (codec.h, with its checksum) and a
 * CRC-32 of everything before it. `deleted` is the trash's one index:
 * deletion time (8 bytes big-endian) → id (DUPSORT, like every index), so
 * the trash lists and purges by age. A trashed case is in no other index
 * and not in `cases`, so no query, count, facet, report or export can see
 * it; the id counter never goes back, so its id stays reserved. */
#include "store_trash.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "audit.h"
#include "codec.h"
#include "store_int.h"
#include "store_person_int.h"
#include "text.h"
#include "util.h"

#define TRASH_VERSION 1
#define TRASH_HEAD (1 + 8 + 1) /* version, time, user length */

static void put_be64(unsigned char *p, uint64_t v)
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

static uint32_t crc_of(const unsigned char *p, size_t n)
{
	return (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), p, n);
}

/* Opens the trash's two databases in txn (store_int.h). */
int store_trash_dbis(MDB_txn *txn, bool create, MDB_dbi *trash, MDB_dbi *deleted)
{
	unsigned c = create ? MDB_CREATE : 0;
	int rc = mdb_dbi_open(txn, "trash", c | MDB_INTEGERKEY, trash);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "deleted", c | MDB_DUPSORT | MDB_DUPFIXED | MDB_INTEGERDUP,
		    deleted);
	return rc;
}

/* Appends the trash record of c, deleted by user at when, to out. */
static void trash_encode(const struct case_record *c, int64_t when, const char *user,
    struct buf *out)
{
	size_t start = out->len, ulen = strlen(user);
	unsigned char head[TRASH_HEAD];

	if (ulen > 63)
		ulen = 63;
	head[0] = TRASH_VERSION;
	put_be64(head + 1, (uint64_t)when);
	head[9] = (unsigned char)ulen;
	buf_put(out, head, sizeof head);
	buf_put(out, user, ulen);
	codec_encode(c, out);
	uint32_t crc = crc_of(out->p + start, out->len - start);
	unsigned char t[4] = {(unsigned char)crc, (unsigned char)(crc >> 8),
	    (unsigned char)(crc >> 16), (unsigned char)(crc >> 24)};
	buf_put(out, t, 4);
}

/* Decodes trash record v of case id into e (store_int.h). */
int store_trash_decode(const void *data, size_t n, uint64_t id, struct trash_entry *e,
    struct cb_err *err)
{
	const unsigned char *p = data;

	memset(e, 0, sizeof *e);
	case_init(&e->c);
	e->id = id;
	if (n < TRASH_HEAD + 4 || p[0] != TRASH_VERSION || (size_t)TRASH_HEAD + p[9] + 4 > n)
		return cb_err_set(err, CB_ECORRUPT,
		    _("case %llu in the trash cannot be read (an unknown or damaged record)"),
		    (unsigned long long)id);
	uint32_t want = (uint32_t)p[n - 4] | (uint32_t)p[n - 3] << 8 | (uint32_t)p[n - 2] << 16 |
	    (uint32_t)p[n - 1] << 24;
	if (crc_of(p, n - 4) != want)
		return cb_err_set(err, CB_ECORRUPT,
		    _("case %llu in the trash is damaged: restore it from a backup (its bytes do "
		      "not match their checksum)"),
		    (unsigned long long)id);
	e->deleted_at = (int64_t)get_be64(p + 1);
	memcpy(e->deleted_by, p + TRASH_HEAD, p[9]);
	e->deleted_by[p[9]] = '\0';
	size_t off = TRASH_HEAD + p[9];
	if (codec_decode(p + off, n - 4 - off, &e->c, err) != 0) {
		cb_err_prefix(err, _("case %llu in the trash"), (unsigned long long)id);
		return CB_ECORRUPT;
	}
	return 0;
}

void trash_entry_free(struct trash_entry *e)
{
	case_free(&e->c);
}

/* Reads case id's trash record in txn; CB_ENOTFOUND when it is not there. */
static int trash_get_in(MDB_txn *txn, MDB_dbi trash, uint64_t id, struct trash_entry *e,
    struct cb_err *err)
{
	MDB_val k = {sizeof id, &id}, v;
	int rc = mdb_get(txn, trash, &k, &v);

	if (rc == MDB_NOTFOUND) {
		memset(e, 0, sizeof *e);
		case_init(&e->c);
		return cb_err_set(err, CB_ENOTFOUND, _("case %llu is not in the trash"),
		    (unsigned long long)id);
	}
	if (rc) {
		memset(e, 0, sizeof *e);
		case_init(&e->c);
		return store_lmdb_error(err, rc, _("reading the trash"));
	}
	return store_trash_decode(v.mv_data, v.mv_size, id, e, err);
}

/* ---- Moving into the trash ---------------------------------------------- */

int store_txn_trash(struct store_txn *tx, uint64_t id, uint32_t expected_rev, struct cb_err *err)
{
	struct case_record c;
	MDB_dbi trash, deleted;
	int64_t now = (int64_t)time(NULL);
	unsigned char tk[8];
	int rc;

	if ((rc = store_pending_flush(tx, err)) != 0)
		return rc;
	if ((rc = store_txn_get(tx, id, &c, err)) != 0) {
		case_free(&c);
		return rc;
	}
	/* The removal from `cases` and every index, its check of the
	 * revision and its audit entry (with every value, so the log alone
	 * still holds them) are the store's delete; the record itself then
	 * goes into the trash in the same transaction. */
	if ((rc = store_txn_erase(tx, id, expected_rev, err)) != 0)
		goto out;
	if ((rc = store_trash_dbis(tx->txn, true, &trash, &deleted)) != 0) {
		rc = store_txn_fail(tx, rc, _("opening the trash"), err);
		goto out;
	}
	tx->enc.len = 0;
	trash_encode(&c, now, util_username(), &tx->enc);
	MDB_val k = {sizeof id, &id}, v = {tx->enc.len, tx->enc.p};
	/* Never over an earlier trashed record of the same id (a damaged id
	 * counter could have handed it out again). */
	if ((rc = mdb_put(tx->txn, trash, &k, &v, MDB_NOOVERWRITE)) == MDB_KEYEXIST) {
		rc = cb_err_set(err, CB_ECORRUPT,
		    _("case %llu is in the trash already: the id counter is damaged; nothing was "
		      "deleted (run casebook check)"),
		    (unsigned long long)id);
		goto out;
	}
	if (rc) {
		rc = store_txn_fail(tx, rc, _("moving a case to the trash"), err);
		goto out;
	}
	put_be64(tk, (uint64_t)now);
	MDB_val ik = {sizeof tk, tk}, iv = {sizeof id, &id};
	if ((rc = mdb_put(tx->txn, deleted, &ik, &iv, MDB_NODUPDATA)) != 0 && rc != MDB_KEYEXIST)
		rc = store_txn_fail(tx, rc, _("moving a case to the trash"), err);
	else
		rc = 0;
out:
	case_free(&c);
	return rc;
}

struct trash_op {
	uint64_t id;
	uint32_t rev;
	int64_t before;
	uint64_t n;
	struct case_record *with;
	struct cb_err *err;
};

static int trash_run(struct store_txn *tx, void *ctx)
{
	struct trash_op *op = ctx;
	return store_txn_trash(tx, op->id, op->rev, op->err);
}

int store_trash(struct store *st, uint64_t id, uint32_t expected_rev, struct cb_err *err)
{
	struct trash_op op = {.id = id, .rev = expected_rev, .err = err};
	return store_write(st, trash_run, &op, err);
}

/* ---- Reading the trash -------------------------------------------------- */

int store_trash_get(struct store *st, uint64_t id, struct trash_entry *out, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_dbi trash, deleted;
	int rc;

	memset(out, 0, sizeof *out);
	case_init(&out->c);
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = store_trash_dbis(txn, false, &trash, &deleted);
	if (rc == MDB_NOTFOUND)
		rc = cb_err_set(err, CB_ENOTFOUND, _("case %llu is not in the trash"),
		    (unsigned long long)id);
	else if (rc)
		rc = store_lmdb_error(err, rc, _("reading the trash"));
	else {
		case_free(&out->c);
		rc = trash_get_in(txn, trash, id, out, err);
	}
	store_read_end(st);
	return rc;
}

/* Walks `deleted` in txn, oldest first, calling fn with each entry. */
static int trash_walk(MDB_txn *txn, MDB_dbi trash, MDB_dbi deleted,
    int (*fn)(const struct trash_entry *e, void *ctx), void *ctx, struct cb_err *err)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, r = 0;

	if ((rc = mdb_cursor_open(txn, deleted, &cur)) != 0)
		return store_lmdb_error(err, rc, _("reading the trash"));
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		struct trash_entry e;
		uint64_t id;
		if (v.mv_size != sizeof id)
			continue; /* casebook check reports it */
		memcpy(&id, v.mv_data, sizeof id);
		r = trash_get_in(txn, trash, id, &e, err);
		if (r == 0)
			r = fn(&e, ctx);
		trash_entry_free(&e);
		if (r)
			break;
	}
	mdb_cursor_close(cur);
	if (r)
		return r;
	if (rc != MDB_NOTFOUND)
		return store_lmdb_error(err, rc, _("reading the trash"));
	return 0;
}

int store_trash_foreach(struct store *st, int (*fn)(const struct trash_entry *e, void *ctx),
    void *ctx, struct cb_err *err)
{
	MDB_txn *txn;
	MDB_dbi trash, deleted;
	int rc;

	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = store_trash_dbis(txn, false, &trash, &deleted);
	if (rc == MDB_NOTFOUND)
		rc = 0; /* nothing was ever deleted */
	else if (rc)
		rc = store_lmdb_error(err, rc, _("reading the trash"));
	else
		rc = trash_walk(txn, trash, deleted, fn, ctx, err);
	store_read_end(st);
	return rc;
}

/* ---- Restoring and purging ---------------------------------------------- */

/* Removes case e->id's trash record and its `deleted` entry in tx. */
static int trash_remove(struct store_txn *tx, MDB_dbi trash, MDB_dbi deleted,
    const struct trash_entry *e, struct cb_err *err)
{
	unsigned char tk[8];
	uint64_t id = e->id;
	MDB_val k = {sizeof id, &id};
	int rc = mdb_del(tx->txn, trash, &k, NULL);

	if (rc == 0) {
		put_be64(tk, (uint64_t)e->deleted_at);
		MDB_val ik = {sizeof tk, tk}, iv = {sizeof id, &id};
		rc = mdb_del(tx->txn, deleted, &ik, &iv);
		if (rc == MDB_NOTFOUND)
			rc = 0; /* a damaged index: check reports it; the record goes anyway */
	}
	if (rc)
		return store_txn_fail(tx, rc, _("changing the trash"), err);
	return 0;
}

/* Opens the trash in tx for a restore or purge of id; CB_ENOTFOUND when
 * nothing was ever deleted. */
static int trash_open_tx(struct store_txn *tx, uint64_t id, MDB_dbi *trash, MDB_dbi *deleted,
    struct cb_err *err)
{
	int rc = store_trash_dbis(tx->txn, false, trash, deleted);
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("case %llu is not in the trash"),
		    (unsigned long long)id);
	if (rc)
		return store_txn_fail(tx, rc, _("opening the trash"), err);
	return 0;
}

int store_txn_restore(struct store_txn *tx, uint64_t id, struct case_record *with,
    uint32_t *new_rev, struct cb_err *err)
{
	struct trash_entry e;
	struct case_record c;
	MDB_dbi trash, deleted;
	int rc;

	if ((rc = store_pending_flush(tx, err)) != 0 ||
	    (rc = trash_open_tx(tx, id, &trash, &deleted, err)) != 0)
		return rc;
	if ((rc = trash_get_in(tx->txn, trash, id, &e, err)) != 0) {
		trash_entry_free(&e);
		return rc;
	}
	case_init(&c);
	case_copy(&c, with ? with : &e.c);
	c.id = id;
	c.created = e.c.created;
	c.rev = e.c.rev + 1;
	c.updated = (int64_t)time(NULL);
	free(c.updated_by);
	c.updated_by = xstrdup(util_username());
	if ((rc = case_validate(&c, err)) == 0 &&
	    (rc = trash_remove(tx, trash, deleted, &e, err)) == 0 &&
	    (rc = store_txn_put_case(tx, &c, err)) == 0 &&
	    (rc = store_reindex(tx, id, NULL, &c, err)) == 0 &&
	    (rc = store_person_case_changed(tx, id, NULL, &c, err)) == 0) {
		/* Back in the indexes and linked to its person again, as an add. */
		struct audit_change *ch;
		size_t n;
		audit_diff(NULL, &c, &ch, &n);
		rc = store_audit_append(tx, id, AUDIT_RESTORE, e.c.rev, c.rev, (int64_t)time(NULL),
		    0, ch, n, err);
		audit_changes_free(ch, n);
	}
	if (rc == 0 && new_rev)
		*new_rev = c.rev;
	if (rc == 0 && with) {
		with->rev = c.rev;
		with->created = c.created;
		with->updated = c.updated;
		free(with->updated_by);
		with->updated_by = xstrdup(c.updated_by);
	}
	case_free(&c);
	trash_entry_free(&e);
	return rc;
}

static int restore_run(struct store_txn *tx, void *ctx)
{
	struct trash_op *op = ctx;
	return store_txn_restore(tx, op->id, op->with, &op->rev, op->err);
}

int store_restore(struct store *st, uint64_t id, uint32_t *new_rev, struct cb_err *err)
{
	struct trash_op op = {.id = id, .err = err};
	int rc = store_write(st, restore_run, &op, err);
	if (rc == 0 && new_rev)
		*new_rev = op.rev;
	return rc;
}

int store_restore_with(struct store *st, uint64_t id, struct case_record *c, uint32_t *new_rev,
    struct cb_err *err)
{
	struct trash_op op = {.id = id, .with = c, .err = err};
	int rc = store_write(st, restore_run, &op, err);
	if (rc == 0 && new_rev)
		*new_rev = op.rev;
	return rc;
}

/* Purges trash entry e in tx: the record goes, the audit log says so. */
static int purge_one(struct store_txn *tx, MDB_dbi trash, MDB_dbi deleted,
    const struct trash_entry *e, struct cb_err *err)
{
	int rc = trash_remove(tx, trash, deleted, e, err);
	if (rc == 0)
		rc = store_audit_append(tx, e->id, AUDIT_PURGE, e->c.rev, 0, (int64_t)time(NULL), 0,
		    NULL, 0, err);
	return rc;
}

static int purge_run(struct store_txn *tx, void *ctx)
{
	struct trash_op *op = ctx;
	struct trash_entry e;
	MDB_dbi trash, deleted;
	int rc;

	if ((rc = trash_open_tx(tx, op->id, &trash, &deleted, op->err)) != 0)
		return rc;
	if ((rc = trash_get_in(tx->txn, trash, op->id, &e, op->err)) == 0)
		rc = purge_one(tx, trash, deleted, &e, op->err);
	trash_entry_free(&e);
	return rc;
}

int store_purge(struct store *st, uint64_t id, struct cb_err *err)
{
	struct trash_op op = {.id = id, .err = err};
	return store_write(st, purge_run, &op, err);
}

/* Collects the ids deleted before op->before (the walk must end before
 * the purge changes the index under its cursor). */
struct id_list {
	uint64_t *ids;
	size_t n;
};

static int purge_older_run(struct store_txn *tx, void *ctx)
{
	struct trash_op *op = ctx;
	struct id_list l = {0};
	MDB_dbi trash, deleted;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	op->n = 0;
	rc = store_trash_dbis(tx->txn, false, &trash, &deleted);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = mdb_cursor_open(tx->txn, deleted, &cur)) != 0)
		return store_txn_fail(tx, rc, _("opening the trash"), op->err);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || (int64_t)get_be64(k.mv_data) >= op->before)
			break;
		if (v.mv_size != sizeof(uint64_t))
			continue;
		l.ids = xreallocarray(l.ids, l.n + 1, sizeof *l.ids);
		memcpy(&l.ids[l.n++], v.mv_data, sizeof(uint64_t));
	}
	mdb_cursor_close(cur);
	rc = 0;
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		struct trash_entry e;
		if ((rc = trash_get_in(tx->txn, trash, l.ids[i], &e, op->err)) == 0)
			rc = purge_one(tx, trash, deleted, &e, op->err);
		trash_entry_free(&e);
		if (rc == 0)
			op->n++;
	}
	free(l.ids);
	return rc;
}

int store_purge_older(struct store *st, int64_t before, uint64_t *n, struct cb_err *err)
{
	struct trash_op op = {.before = before, .err = err};
	int rc = store_write(st, purge_older_run, &op, err);
	*n = rc == 0 ? op.n : 0;
	return rc;
}

/* Says where a case that is not in `cases` went (store_int.h). */
bool store_trash_note(MDB_txn *txn, uint64_t id, struct cb_err *err)
{
	MDB_dbi trash, deleted;
	struct trash_entry e;
	char when[TEXT_TIME_MAX];

	if (store_trash_dbis(txn, false, &trash, &deleted) != 0)
		return false;
	if (trash_get_in(txn, trash, id, &e, NULL) != 0) {
		trash_entry_free(&e);
		/* A record that is there but does not decode still reserves
		 * the id: say so rather than "no case". */
		MDB_val k = {sizeof id, &id}, v;
		if (mdb_get(txn, trash, &k, &v) != 0)
			return false;
		cb_err_set(err, CB_ENOTFOUND,
		    _("case %llu is in the trash (its record there is damaged)"),
		    (unsigned long long)id);
		return true;
	}
	cb_err_set(err, CB_ENOTFOUND,
	    _("case %llu is in the trash (deleted by %s at %s); casebook restore %llu brings it "
	      "back"),
	    (unsigned long long)id, e.deleted_by, text_time(when, e.deleted_at, TEXT_TIME_LOCAL),
	    (unsigned long long)id);
	trash_entry_free(&e);
	return true;
}
