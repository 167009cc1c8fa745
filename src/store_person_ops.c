/* store_person_ops.c — the hand-made changes to people (`casebook link`,
 * `unlink`, `merge`): each one write transaction and one audit entry that
 * says who moved which cases from which person to which, so that its
 * inverse can be read off it; and the building of people from the cases
 * of a database made before people existed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "person.h"
#include "store.h"
#include "store_int.h"
#include "store_journal.h"
#include "store_person_int.h"

/* Refuses a person's stale revision like any stale edit. */
static int person_conflict(const struct person_record *p, uint32_t expected, struct cb_err *err)
{
	return cb_err_set(err, CB_ECONFLICT,
	    _("person %llu was changed meanwhile (now revision %u; you started from revision %u); "
	      "nothing was changed"),
	    (unsigned long long)p->id, p->rev, expected);
}

/* Reads person pid for an operation: unknown is CB_ENOTFOUND, a stale rev CB_ECONFLICT. */
static int person_for_op(struct store_txn *tx, uint64_t pid, uint32_t rev, struct person_record *p,
    struct cb_err *err)
{
	person_record_init(p);
	int rc = person_q_flush(tx, err); /* entries of new cases queued before, if any */
	if (rc)
		return rc;
	rc = person_read(tx->txn, &tx->st->pdb, pid, p, err);
	if (rc == MDB_NOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("no person %llu"), (unsigned long long)pid);
	if (rc == CB_ECORRUPT)
		return rc;
	if (rc)
		return store_txn_fail(tx, rc, _("reading people"), err);
	if (rev && p->rev != rev)
		return person_conflict(p, rev, err);
	return 0;
}

/* Reads case cid and its person for an operation. */
static int case_for_op(struct store_txn *tx, uint64_t cid, struct case_record *c, uint64_t *pid,
    struct cb_err *err)
{
	int rc = person_q_flush(tx, err);
	if (rc == 0)
		rc = store_journal_txn_guard(tx, cid, err);
	if (rc == 0)
		rc = store_txn_get(tx, cid, c, err);
	if (rc == CB_ENOTFOUND)
		return cb_err_set(err, CB_ENOTFOUND, _("no case %llu"), (unsigned long long)cid);
	if (rc)
		return rc;
	if (str_empty(c->name))
		return cb_err_set(err, CB_EINVAL,
		    _("case %llu has no name (an unidentified person) and cannot be linked to a "
		      "person"),
		    (unsigned long long)cid);
	rc = person_link_get(tx->txn, &tx->st->pdb, cid, pid, NULL);
	if (rc && rc != MDB_NOTFOUND)
		return store_txn_fail(tx, rc, _("reading people"), err);
	return 0;
}

static char *num_json(uint64_t v)
{
	return xasprintf("%llu", (unsigned long long)v);
}

/* Moves case c from person from (0: none) to person to, by hand, and
 * recomputes both. */
static int move_case(struct store_txn *tx, const struct case_record *c, uint64_t from, uint64_t to,
    struct cb_err *err)
{
	const struct person_dbs *d = &tx->st->pdb;
	uint64_t cid = c->id;
	unsigned char v9[9];
	int rc;

	if (from) {
		MDB_val k = {sizeof from, &from}, v = {sizeof cid, &cid};
		rc = mdb_del(tx->txn, d->person_cases, &k, &v);
		if (rc && rc != MDB_NOTFOUND)
			return store_txn_fail(tx, rc, _("saving people"), err);
		if ((rc = person_block_del(tx, cid, from, err)) != 0)
			return rc;
	}
	memcpy(v9, &to, 8);
	v9[8] = PLINK_MANUAL;
	MDB_val k = {sizeof cid, &cid}, v = {sizeof v9, v9};
	if ((rc = mdb_put(tx->txn, d->case_person, &k, &v, 0)) != 0)
		return store_txn_fail(tx, rc, _("saving people"), err);
	if ((rc = person_block_put(tx, cid, to, err)) != 0)
		return rc;
	MDB_val pk = {sizeof to, &to}, pv = {sizeof cid, &cid};
	if ((rc = mdb_put(tx->txn, d->person_cases, &pk, &pv, MDB_NODUPDATA)) != 0 &&
	    rc != MDB_KEYEXIST)
		return store_txn_fail(tx, rc, _("saving people"), err);
	return 0;
}

/* One audit entry under case cid: person from → to, and for a merge the
 * cases moved. */
static int audit_person(struct store_txn *tx, const struct case_record *c, int action,
    uint64_t from, uint64_t to, const struct idarr *moved, struct cb_err *err)
{
	struct audit_change ch[2] = {{.field = (char *)"person"}, {.field = (char *)"cases"}};
	size_t n = 1;
	int rc;

	ch[0].old_json = from ? num_json(from) : NULL;
	ch[0].new_json = num_json(to);
	if (moved) {
		struct buf b = {0};
		buf_putc(&b, '[');
		for (size_t i = 0; i < moved->n; i++)
			buf_printf(&b, "%s%llu", i ? "," : "", (unsigned long long)moved->v[i]);
		buf_putc(&b, ']');
		ch[1].new_json = buf_steal(&b);
		n = 2;
	}
	rc = store_audit_append(tx, c->id, action, c->rev, c->rev, (int64_t)time(NULL), 0, ch, n,
	    err);
	free(ch[0].old_json);
	free(ch[0].new_json);
	free(ch[1].new_json);
	return rc;
}

struct op {
	uint64_t a, b, *out;
	uint32_t rev_a, rev_b;
	struct cb_err *err;
};

static int link_run(struct store_txn *tx, void *ctx)
{
	struct op *o = ctx;
	struct case_record c;
	struct person_record p;
	uint64_t from = 0;
	int rc;

	case_init(&c);
	person_record_init(&p);
	if ((rc = case_for_op(tx, o->a, &c, &from, o->err)) != 0 ||
	    (rc = person_for_op(tx, o->b, o->rev_b, &p, o->err)) != 0)
		goto out;
	if (from == o->b) {
		rc = cb_err_set(o->err, CB_EINVAL, _("case %llu already belongs to person %llu"),
		    (unsigned long long)o->a, (unsigned long long)o->b);
		goto out;
	}
	if ((rc = move_case(tx, &c, from, o->b, o->err)) == 0 &&
	    (!from || (rc = store_person_refresh(tx, from, o->err)) == 0) &&
	    (rc = store_person_refresh(tx, o->b, o->err)) == 0)
		rc = audit_person(tx, &c, AUDIT_PERSON_LINK, from, o->b, NULL, o->err);
out:
	case_free(&c);
	person_record_free(&p);
	return rc;
}

static int unlink_run(struct store_txn *tx, void *ctx)
{
	struct op *o = ctx;
	struct case_record c;
	struct idarr ids = {0};
	uint64_t from = 0, to;
	int rc;

	case_init(&c);
	if ((rc = case_for_op(tx, o->a, &c, &from, o->err)) != 0)
		goto out;
	if (from && (rc = person_case_ids(tx->txn, &tx->st->pdb, from, &ids)) != 0) {
		rc = store_txn_fail(tx, rc, _("reading people"), o->err);
		goto out;
	}
	if (from && ids.n == 1) {
		rc = cb_err_set(o->err, CB_EINVAL,
		    _("case %llu is the only case of person %llu; there is nothing to unlink"),
		    (unsigned long long)o->a, (unsigned long long)from);
		goto out;
	}
	if ((rc = store_person_new_id(tx, &to, o->err)) == 0 &&
	    (rc = move_case(tx, &c, from, to, o->err)) == 0 &&
	    (!from || (rc = store_person_refresh(tx, from, o->err)) == 0) &&
	    (rc = store_person_refresh(tx, to, o->err)) == 0)
		rc = audit_person(tx, &c, AUDIT_PERSON_UNLINK, from, to, NULL, o->err);
	if (rc == 0 && o->out)
		*o->out = to;
out:
	free(ids.v);
	case_free(&c);
	return rc;
}

static int merge_run(struct store_txn *tx, void *ctx)
{
	struct op *o = ctx;
	struct person_record into, from;
	struct idarr ids = {0};
	struct case_record c;
	int rc;

	person_record_init(&into);
	person_record_init(&from);
	case_init(&c);
	if (o->a == o->b) {
		rc = cb_err_set(o->err, CB_EINVAL, _("person %llu cannot be merged with itself"),
		    (unsigned long long)o->a);
		goto out;
	}
	if ((rc = person_for_op(tx, o->a, o->rev_a, &into, o->err)) != 0 ||
	    (rc = person_for_op(tx, o->b, o->rev_b, &from, o->err)) != 0)
		goto out;
	if ((rc = person_case_ids(tx->txn, &tx->st->pdb, o->b, &ids)) != 0) {
		rc = store_txn_fail(tx, rc, _("reading people"), o->err);
		goto out;
	}
	if (ids.n == 0) {
		rc = cb_err_set(o->err, CB_EINVAL, _("person %llu has no cases to merge"),
		    (unsigned long long)o->b);
		goto out;
	}
	for (size_t i = 0; i < ids.n && rc == 0; i++) {
		case_free(&c);
		if ((rc = store_txn_get(tx, ids.v[i], &c, o->err)) == 0)
			rc = move_case(tx, &c, o->b, o->a, o->err);
	}
	if (rc == 0 && (rc = store_person_mark_merged(tx, o->b, o->a, o->err)) == 0 &&
	    (rc = store_person_refresh(tx, o->a, o->err)) == 0) {
		case_free(&c);
		if ((rc = store_txn_get(tx, ids.v[0], &c, o->err)) == 0)
			rc = audit_person(tx, &c, AUDIT_PERSON_MERGE, o->b, o->a, &ids, o->err);
	}
out:
	free(ids.v);
	case_free(&c);
	person_record_free(&into);
	person_record_free(&from);
	return rc;
}

int store_person_link(struct store *st, uint64_t case_id, uint64_t person_id, uint32_t person_rev,
    struct cb_err *err)
{
	struct op o = {.a = case_id, .b = person_id, .rev_b = person_rev, .err = err};
	if (!st->pdb.built)
		return store_person_not_built(st, err);
	return store_write(st, link_run, &o, err);
}

int store_person_unlink(struct store *st, uint64_t case_id, uint64_t *new_person,
    struct cb_err *err)
{
	struct op o = {.a = case_id, .out = new_person, .err = err};
	if (!st->pdb.built)
		return store_person_not_built(st, err);
	return store_write(st, unlink_run, &o, err);
}

int store_person_merge(struct store *st, uint64_t into, uint32_t into_rev, uint64_t from,
    uint32_t from_rev, struct cb_err *err)
{
	struct op o = {.a = into, .b = from, .rev_a = into_rev, .rev_b = from_rev, .err = err};
	if (!st->pdb.built)
		return store_person_not_built(st, err);
	return store_write(st, merge_run, &o, err);
}

/* ---- Building people from an older database ------------------------------ */

struct build {
	struct cb_err *err;
	bool progress;
	uint64_t total;
};

static int build_run(struct store_txn *tx, void *ctx)
{
	struct build *b = ctx;
	MDB_cursor *cur;
	MDB_val k, v;
	uint64_t done = 0;
	int rc;

	if ((rc = mdb_cursor_open(tx->txn, tx->st->cases, &cur)) != 0)
		return store_txn_fail(tx, rc, _("building people"), b->err);
	tx->st->pdb.built = true;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		struct case_record c;
		uint64_t id;
		memcpy(&id, k.mv_data, sizeof id);
		case_init(&c);
		int r = codec_decode(v.mv_data, v.mv_size, &c, b->err);
		if (r) {
			case_free(&c);
			mdb_cursor_close(cur);
			tx->st->pdb.built = false;
			return store_decode_failed(b->err, id, &v);
		}
		c.id = id;
		r = store_person_case_changed(tx, id, NULL, &c, b->err);
		case_free(&c);
		if (r) {
			mdb_cursor_close(cur);
			tx->st->pdb.built = false;
			return r;
		}
		if (b->progress && (++done % 4096 == 0 || done == b->total))
			fprintf(stderr, "\r%s", store_person_progress(done, b->total));
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND) {
		tx->st->pdb.built = false;
		return store_txn_fail(tx, rc, _("building people"), b->err);
	}
	return store_txn_meta_put(tx, "persons_built", "1", b->err);
}

int store_person_build(struct store *st, struct cb_err *err)
{
	struct build b = {.err = err, .progress = isatty(STDERR_FILENO)};
	int rc;

	if (st->pdb.built)
		return 0;
	if ((rc = store_count(st, &b.total, err)) != 0)
		return rc;
	b.progress = b.progress && b.total >= 1000;
	rc = store_write(st, build_run, &b, err);
	if (b.progress)
		fprintf(stderr, "\n");
	if (rc)
		st->pdb.built = false;
	return rc;
}
