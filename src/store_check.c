/* store_check.c — `casebook check`: every record decodes (its checksum
 * included), every index holds exactly the entries the records imply, the
 * id counter is past every id; read through one snapshot, changing
 * nothing. And `check --rewrite`: records in an older encoding written
 * again in the current one. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "index_key.h"
#include "store.h"
#include "store_int.h"
#include "store_journal.h"
#include "text.h"

struct checker {
	void (*report)(const char *line, void *ctx);
	void *ctx;
	struct store_check_report *out;
};

static void problem(struct checker *ck, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct checker *ck, const char *fmt, ...)
{
	char line[768];
	va_list ap;

	ck->out->problems++;
	if (!ck->report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	ck->report(line, ck->ctx);
}

/* What the walk over the records found, per index. */
struct check_counts {
	uint64_t expected[IDX__COUNT], missing[IDX__COUNT], max_id;
};

/* Checks that every key record c implies is in its index (cursors icur). */
static int check_keys(struct checker *ck, MDB_cursor **icur, const struct case_record *c,
    uint64_t id, struct check_counts *n)
{
	for (int i = 0; i < IDX__COUNT; i++) {
		struct strlist keys = {0};
		int rc = 0;
		if (!icur[i])
			continue; /* absent from a database opened read-only */
		index_case_keys(c, i, &keys);
		for (size_t j = 0; j < keys.n && rc == 0; j++) {
			MDB_val ik = {index_key_len(i, keys.items[j]), keys.items[j]};
			MDB_val iv = {sizeof id, &id};
			n->expected[i]++;
			rc = mdb_cursor_get(icur[i], &ik, &iv, MDB_GET_BOTH);
			if (rc == MDB_NOTFOUND) {
				n->missing[i]++;
				char *kt = index_key_show(i, keys.items[j], ik.mv_size);
				problem(ck, _("index %s: case %llu missing under \"%s\""),
				    index_name(i), (unsigned long long)id, kt);
				free(kt);
				rc = 0;
			}
		}
		strlist_free(&keys);
		if (rc)
			return rc;
	}
	return 0;
}

/* Every record decodes, and every key it implies is in its index. */
static int check_records(struct store *st, MDB_txn *txn, struct checker *ck, MDB_cursor **icur,
    struct check_counts *n)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, store_dbi_cases(st), &cur)) != 0)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		struct case_record c;
		struct cb_err derr;
		uint64_t id;

		ck->out->cases++;
		if (k.mv_size != sizeof id) {
			problem(ck, _("cases: a key of %zu bytes is not a case id"), k.mv_size);
			continue;
		}
		memcpy(&id, k.mv_data, sizeof id);
		if (id > n->max_id)
			n->max_id = id;
		if (!codec_is_current(v.mv_data, v.mv_size))
			ck->out->old_records++;
		case_init(&c);
		if (codec_decode(v.mv_data, v.mv_size, &c, &derr) != 0) {
			if (!codec_checksum_ok(v.mv_data, v.mv_size)) {
				store_decode_failed(&derr, id, &v);
				problem(ck, "%s", derr.msg);
			} else {
				problem(ck, _("case %llu cannot be decoded: %s"),
				    (unsigned long long)id, derr.msg);
			}
			continue;
		}
		if (c.id != id)
			problem(ck, _("case %llu: record says it is case %llu"),
			    (unsigned long long)id, (unsigned long long)c.id);
		rc = check_keys(ck, icur, &c, id, n);
		case_free(&c);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Names each entry of index i that no record implies. */
static int check_extras(struct store *st, MDB_txn *txn, struct checker *ck, MDB_cursor *ic, int i)
{
	MDB_val k, v;
	int rc;

	for (rc = mdb_cursor_get(ic, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(ic, &k, &v, MDB_NEXT)) {
		struct case_record c;
		uint64_t id;
		bool found = false;
		if (v.mv_size != sizeof id) {
			problem(ck, _("index %s: a value of %zu bytes is not a case id"),
			    index_name(i), v.mv_size);
			continue;
		}
		memcpy(&id, v.mv_data, sizeof id);
		int grc = store_get_in(txn, store_dbi_cases(st), id, &c, NULL);
		if (grc == CB_ECORRUPT) {
			case_free(&c);
			continue; /* the damaged record is reported already */
		}
		if (grc == 0) {
			struct strlist keys = {0};
			index_case_keys(&c, i, &keys);
			for (size_t j = 0; j < keys.n && !found; j++)
				found = index_key_len(i, keys.items[j]) == k.mv_size &&
				    memcmp(keys.items[j], k.mv_data, k.mv_size) == 0;
			strlist_free(&keys);
		}
		case_free(&c);
		if (!found) {
			char *kt = index_key_show(i, k.mv_data, k.mv_size);
			problem(ck, _("index %s: extra entry for case %llu under \"%s\""),
			    index_name(i), (unsigned long long)id, kt);
			free(kt);
		}
	}
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* ---- The trash ---------------------------------------------------------- */

/* Each trash record decodes, its case is not also in `cases`, and
 * `deleted` holds it under its deletion time; its id counts for the id
 * counter. */
static int check_trash_records(struct store *st, MDB_txn *txn, struct checker *ck, MDB_dbi trash,
    MDB_dbi deleted, uint64_t *max_id)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, trash, &cur)) != 0)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		struct trash_entry e;
		struct cb_err derr;
		uint64_t id;
		unsigned char tk[8];

		ck->out->trashed++;
		if (k.mv_size != sizeof id) {
			problem(ck, _("trash: a key of %zu bytes is not a case id"), k.mv_size);
			continue;
		}
		memcpy(&id, k.mv_data, sizeof id);
		if (id > *max_id)
			*max_id = id;
		MDB_val ck_k = {sizeof id, &id}, ck_v;
		if (mdb_get(txn, store_dbi_cases(st), &ck_k, &ck_v) == 0)
			problem(ck, _("trash: case %llu is also among the cases"),
			    (unsigned long long)id);
		if (store_trash_decode(v.mv_data, v.mv_size, id, &e, &derr) != 0) {
			problem(ck, "%s", derr.msg);
			trash_entry_free(&e);
			continue;
		}
		if (e.c.id != id)
			problem(ck, _("trash: case %llu: record says it is case %llu"),
			    (unsigned long long)id, (unsigned long long)e.c.id);
		for (int i = 7; i >= 0; i--)
			tk[7 - i] = (unsigned char)((uint64_t)e.deleted_at >> (8 * i));
		MDB_val ik = {sizeof tk, tk}, iv = {sizeof id, &id};
		MDB_cursor *ic;
		if ((rc = mdb_cursor_open(txn, deleted, &ic)) == 0) {
			if (mdb_cursor_get(ic, &ik, &iv, MDB_GET_BOTH) != 0)
				problem(ck, _("index deleted: case %llu in the trash is missing"),
				    (unsigned long long)id);
			mdb_cursor_close(ic);
		}
		trash_entry_free(&e);
		if (rc)
			break;
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Every `deleted` entry names a case in the trash deleted at that time. */
static int check_deleted_index(MDB_txn *txn, struct checker *ck, MDB_dbi trash, MDB_dbi deleted)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, deleted, &cur)) != 0)
		return rc;
	while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
		struct trash_entry e;
		uint64_t id, t = 0;
		ck->out->index_entries++;
		if (v.mv_size != sizeof id || k.mv_size != 8) {
			problem(ck, "%s", _("index deleted: an entry is not a time and a case id"));
			continue;
		}
		memcpy(&id, v.mv_data, sizeof id);
		for (int i = 0; i < 8; i++)
			t = (t << 8) | ((const unsigned char *)k.mv_data)[i];
		MDB_val tk = {sizeof id, &id}, tv;
		if (mdb_get(txn, trash, &tk, &tv) != 0) {
			problem(ck,
			    _("index deleted: extra entry for case %llu, which is not in the "
			      "trash"),
			    (unsigned long long)id);
			continue;
		}
		if (store_trash_decode(tv.mv_data, tv.mv_size, id, &e, NULL) == 0 &&
		    (uint64_t)e.deleted_at != t)
			problem(ck,
			    _("index deleted: case %llu listed under another time than its "
			      "deletion"),
			    (unsigned long long)id);
		trash_entry_free(&e);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

static int check_trash(struct store *st, MDB_txn *txn, struct checker *ck, uint64_t *max_id)
{
	MDB_dbi trash, deleted;
	int rc = store_trash_dbis(txn, false, &trash, &deleted);

	if (rc == MDB_NOTFOUND)
		return 0; /* nothing was ever deleted */
	if (rc == 0)
		rc = check_trash_records(st, txn, ck, trash, deleted, max_id);
	if (rc == 0)
		rc = check_deleted_index(txn, ck, trash, deleted);
	return rc;
}

static int check_run(struct store *st, MDB_txn *txn, struct checker *ck, struct cb_err *err)
{
	MDB_cursor *icur[IDX__COUNT] = {0};
	struct check_counts n = {0};
	uint64_t next_id = 0;
	int rc = 0;

	bool places = store_places_current(st, txn);
	if (!places && ck->report)
		ck->report(_("note: the city and region indexes were made with another gazetteer; "
		             "they are made again on the next writable open and not checked now"),
		    ck->ctx);
	for (int i = 0; i < IDX__COUNT && rc == 0; i++)
		if (store_index_present(st, i) && (places || case_indexes[i].key != KEY_PLACE))
			rc = mdb_cursor_open(txn, store_dbi_index(st, i), &icur[i]);
	if (rc == 0)
		rc = check_records(st, txn, ck, icur, &n);
	/* Every index entry is one of those: when the index holds exactly the
	 * expected entries that were found, there are no extras; otherwise walk
	 * the index to name each extra entry. */
	for (int i = 0; i < IDX__COUNT && rc == 0; i++) {
		MDB_stat ms;
		if (!icur[i])
			continue;
		if ((rc = mdb_stat(txn, store_dbi_index(st, i), &ms)) != 0)
			break;
		ck->out->index_entries += ms.ms_entries;
		if (ms.ms_entries != n.expected[i] - n.missing[i])
			rc = check_extras(st, txn, ck, icur[i], i);
	}
	for (int i = 0; i < IDX__COUNT; i++)
		if (icur[i])
			mdb_cursor_close(icur[i]);
	if (rc == 0)
		rc = check_trash(st, txn, ck, &n.max_id);
	if (rc)
		return store_lmdb_error(err, rc, _("checking the database"));
	/* People: links agree both ways, records hold what their cases say. */
	uint64_t pp = 0;
	if ((rc = store_person_check(st, txn, ck->report, ck->ctx, &ck->out->persons, &pp)) != 0)
		return store_lmdb_error(err, rc, _("checking the database"));
	ck->out->problems += pp;
	/* Ids are never reused: the counter must be past every id. */
	if (store_meta_get_u64(txn, store_dbi_meta(st), "next_id", &next_id) != 0 ||
	    (n.max_id && next_id <= n.max_id))
		problem(ck, _("meta: id counter %llu is not past the largest id %llu"),
		    (unsigned long long)next_id, (unsigned long long)n.max_id);
	return 0;
}

/* Verifies records and indexes against each other; see store.h. */
/* An import in progress (store_journal.h) is no damage, but it is said:
 * its cases are in the records, not final yet. */
static void note_journal(struct store *st, struct checker *ck)
{
	struct store_journal j;
	char when[TEXT_TIME_MAX], line[768];
	bool running = false;

	if (!ck->report || store_journal_pending(st, &j, &running, NULL) != 0 || j.count == 0)
		return;
	text_time(when, j.started, TEXT_TIME_LOCAL);
	if (running)
		snprintf(line, sizeof line,
		    _("note: an import by %s (started %s) is still running: cases %llu to %llu "
		      "are not final yet"),
		    j.user, when, (unsigned long long)j.first,
		    (unsigned long long)(j.first + j.count - 1));
	else
		snprintf(line, sizeof line,
		    _("note: an import by %s (started %s) was interrupted: its cases %llu to %llu "
		      "are removed the next time casebook opens this database for writing"),
		    j.user, when, (unsigned long long)j.first,
		    (unsigned long long)(j.first + j.count - 1));
	ck->report(line, ck->ctx);
}

int store_check(struct store *st, void (*report)(const char *line, void *ctx), void *ctx,
    struct store_check_report *out, struct cb_err *err)
{
	struct store_check_report dummy;
	struct checker ck = {report, ctx, out ? out : &dummy};
	MDB_txn *txn;
	int rc;

	memset(ck.out, 0, sizeof *ck.out);
	note_journal(st, &ck);
	if ((rc = store_read_begin(st, &txn, err)) != 0)
		return rc;
	rc = check_run(st, txn, &ck, err);
	store_read_end(st);
	if (rc)
		return rc;
	if (ck.out->problems)
		return cb_err_set(err, CB_ECORRUPT,
		    ngettext("%llu problem found", "%llu problems found", ck.out->problems),
		    (unsigned long long)ck.out->problems);
	return 0;
}

/* ---- Rewrite ------------------------------------------------------------ */

#define REWRITE_BATCH 5000

struct rewrite {
	uint64_t start; /* the batch begins after this id */
	/* Set by each run of the batch (store_write may run it again). */
	uint64_t last; /* the last id the batch looked at */
	uint64_t done; /* records it re-encoded */
	bool more; /* it stopped before the end */
	struct cb_err *err;
};

/* Re-encodes, of the REWRITE_BATCH records after rw->start, those in an
 * older encoding. Only the encoding changes: rev, audit and indexes stay,
 * since the case is the same. */
static int rewrite_batch(struct store_txn *tx, void *ctx)
{
	struct rewrite *rw = ctx;
	MDB_cursor *cur;
	uint64_t id = rw->start + 1;
	MDB_val k = {sizeof id, &id}, v;
	int rc, n = 0;

	rw->more = false;
	rw->last = rw->start;
	rw->done = 0;
	if ((rc = mdb_cursor_open(tx->txn, store_dbi_cases(tx->st), &cur)) != 0)
		return store_txn_fail(tx, rc, _("rewriting records"), rw->err);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		memcpy(&id, k.mv_data, sizeof id);
		if (n++ == REWRITE_BATCH) {
			rw->more = true;
			break;
		}
		rw->last = id;
		if (codec_is_current(v.mv_data, v.mv_size))
			continue;
		struct case_record c;
		if (codec_decode(v.mv_data, v.mv_size, &c, rw->err) != 0) {
			mdb_cursor_close(cur);
			return store_decode_failed(rw->err, id, &v);
		}
		tx->enc.len = 0;
		codec_encode(&c, &tx->enc);
		case_free(&c);
		/* The key must not point into the page the put rewrites. */
		MDB_val nk = {sizeof id, &id}, nv = {tx->enc.len, tx->enc.p};
		if ((rc = mdb_cursor_put(cur, &nk, &nv, MDB_CURRENT)) != 0)
			break;
		rw->done++;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND && !rw->more)
		return store_txn_fail(tx, rc, _("rewriting records"), rw->err);
	return 0;
}

/* Re-encodes every record in an older encoding, in batches (store.h). */
int store_rewrite(struct store *st, uint64_t *rewritten, struct cb_err *err)
{
	struct rewrite rw = {.err = err};
	int rc;

	*rewritten = 0;
	do {
		if ((rc = store_write(st, rewrite_batch, &rw, err)) != 0)
			return rc;
		*rewritten += rw.done;
		if (rw.last == rw.start)
			break; /* no progress: never loop */
		rw.start = rw.last;
	} while (rw.more);
	return 0;
}
