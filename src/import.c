/* import.c — a batch of validated rows into the store in one transaction:
 * every row with an id is checked against the stored case first (exists,
 * same revision, really changed), then all rows are written, or none. */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

struct pending {
	size_t row;
	struct case_record merged; /* stored case with the row's columns applied */
	uint32_t stored_rev;
};

struct apply {
	struct store *st;
	struct store_txn *tx; /* NULL for a dry run */
	struct csvio_batch *b;
	struct import_stats stats;
	struct pending *upd;
	size_t n_upd;
	size_t base_errors, base_kept;
	bool conflict;
	bool *is_new; /* per row, fixed before the first run (ids get assigned) */
	struct cb_err err; /* why the callback gave up */
};

static int get_stored(struct apply *a, uint64_t id, struct case_record *out, struct cb_err *err)
{
	if (a->tx)
		return store_txn_get(a->tx, id, out, err);
	if (!a->st) /* a dry run against a database not created yet */
		return CB_ENOTFOUND;
	return store_get(a->st, id, out, err);
}

static void reset_apply(struct apply *a)
{
	for (size_t i = 0; i < a->n_upd; i++)
		case_free(&a->upd[i].merged);
	a->n_upd = 0;
	memset(&a->stats, 0, sizeof a->stats);
	a->conflict = false;
	/* Drop errors of an earlier run of the same callback. */
	while (a->b->errors.n > a->base_kept)
		free(a->b->errors.items[--a->b->errors.n]);
	a->b->n_errors = a->base_errors;
}

static const char *time_text(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, n, "?");
	return buf;
}

/* Compares every user-settable field of two cases through their text form. */
static bool same_content(const struct case_record *x, const struct case_record *y)
{
	for (int f = 0; f < FIELD__COUNT; f++) {
		if (!case_fields[f].user_set)
			continue;
		char *p = case_get_field(x, f), *q = case_get_field(y, f);
		bool eq = strcmp(p, q) == 0;
		free(p);
		free(q);
		if (!eq)
			return false;
	}
	return true;
}

/* Looks at one row that carries an id: exists? same revision? changed? */
static int check_update(struct apply *a, size_t i, struct cb_err *err)
{
	struct csvio_row *row = &a->b->rows[i];
	struct case_record stored;
	struct cb_err e = {0};
	int rc = get_stored(a, row->c.id, &stored, &e);

	if (rc == CB_ENOTFOUND) {
		csvio_batch_error(a->b, row->line,
		    _("id %llu does not exist in this database; to add such rows as new cases, import with --ignore id,rev"),
		    (unsigned long long)row->c.id);
		return 0;
	}
	if (rc != 0) {
		*err = e;
		return rc;
	}
	if ((row->fields & (1u << FIELD_REV)) && row->c.rev != 0 && row->c.rev != stored.rev) {
		char when[64];
		const char *who = str_empty(stored.updated_by) ? "?" : stored.updated_by;
		time_text(stored.updated, when, sizeof when);
		/* A lower revision in the file: someone changed the case after
		 * the export. A higher one cannot come from this database's
		 * history of the case: say that, not "changed since". */
		if (row->c.rev < stored.rev)
			csvio_batch_error(a->b, row->line,
			    _("case %llu was changed after this file was exported (the file has rev %u, "
			      "the database rev %u, last changed by %s at %s); export it again and redo the change"),
			    (unsigned long long)row->c.id, row->c.rev, stored.rev, who, when);
		else
			csvio_batch_error(a->b, row->line,
			    _("case %llu: the file says rev %u, but the database has only rev %u (last changed "
			      "by %s at %s): this row is not from an export of this database; export it again "
			      "and redo the change"),
			    (unsigned long long)row->c.id, row->c.rev, stored.rev, who, when);
		a->conflict = true;
		case_free(&stored);
		return 0;
	}

	struct case_record merged;
	case_copy(&merged, &stored);
	for (int f = 0; f < FIELD__COUNT; f++) {
		if (!case_fields[f].user_set || !(row->fields & (1u << f)))
			continue;
		char *v = case_get_field(&row->c, f);
		if (case_set_field(&merged, f, v, false, &e) != 0)
			csvio_batch_error(a->b, row->line, "%s", e.msg);
		free(v);
	}
	if (same_content(&merged, &stored)) {
		a->stats.unchanged++;
		case_free(&merged);
	} else if (case_validate(&merged, &e) != 0) {
		csvio_batch_error(a->b, row->line, "%s", e.msg);
		case_free(&merged);
	} else {
		struct pending *p = &a->upd[a->n_upd++];
		p->row = i;
		p->merged = merged;
		p->stored_rev = stored.rev;
		a->stats.updated++;
	}
	case_free(&stored);
	return 0;
}

static int check_rows(struct apply *a, struct cb_err *err)
{
	reset_apply(a);
	for (size_t i = 0; i < a->b->n; i++) {
		if (a->is_new[i]) {
			a->stats.added++;
			continue;
		}
		int rc = check_update(a, i, err);
		if (rc != 0)
			return rc;
	}
	if (a->b->n_errors > a->base_errors)
		return csvio_errors_summary(err, a->conflict ? CB_ECONFLICT : CB_EINVAL, NULL, a->b->n_errors);
	return 0;
}

static int write_rows(struct store_txn *tx, void *ctx)
{
	struct apply *a = ctx;
	struct cb_err e = {0};
	size_t done = 0;
	int rc;

	a->tx = tx;
	if ((rc = check_rows(a, &a->err)) != 0)
		return rc;
	for (size_t i = 0; i < a->b->n; i++) {
		struct csvio_row *row = &a->b->rows[i];
		if (!a->is_new[i])
			continue;
		row->c.id = 0; /* may hold an id from an earlier, aborted run */
		row->c.rev = 0;
		if ((rc = store_txn_add(tx, &row->c, &e)) != 0) {
			csvio_batch_error(a->b, row->line, "%s", e.msg);
			return rc;
		}
		if (a->b->progress && ++done % 10000 == 0)
			a->b->progress(done, a->b->progress_ctx);
	}
	for (size_t i = 0; i < a->n_upd; i++) {
		struct pending *p = &a->upd[i];
		if ((rc = store_txn_update(tx, &p->merged, p->stored_rev, &e)) != 0) {
			csvio_batch_error(a->b, a->b->rows[p->row].line, "%s", e.msg);
			return rc;
		}
	}
	return 0;
}

/* Sorted (id, row) pairs find ids that appear on more than one row. */
struct id_row {
	uint64_t id;
	size_t row;
};

static int cmp_id_row(const void *x, const void *y)
{
	const struct id_row *p = x, *q = y;
	if (p->id != q->id)
		return p->id < q->id ? -1 : 1;
	return p->row < q->row ? -1 : p->row > q->row;
}

static void check_duplicate_ids(struct csvio_batch *b)
{
	struct id_row *v = xcalloc(b->n, sizeof *v);
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++)
		if (b->rows[i].c.id != 0)
			v[n++] = (struct id_row){b->rows[i].c.id, i};
	qsort(v, n, sizeof *v, cmp_id_row);
	for (size_t i = 1; i < n; i++)
		if (v[i].id == v[i - 1].id)
			csvio_batch_error(b, b->rows[v[i].row].line,
			    _("id %llu appears again (first on line %ld); each case may appear once"),
			    (unsigned long long)v[i].id, b->rows[v[i - 1].row].line);
	free(v);
}

int import_apply(struct store *st, struct csvio_batch *b, bool dry_run,
    struct import_stats *stats, struct cb_err *err)
{
	struct apply a = {.st = st, .b = b};
	int rc;

	check_duplicate_ids(b);
	if (b->n_errors > 0)
		return csvio_errors_summary(err, CB_EINVAL, NULL, b->n_errors);
	a.base_errors = b->n_errors;
	a.base_kept = b->errors.n;
	a.upd = xcalloc(b->n ? b->n : 1, sizeof *a.upd);
	a.is_new = xcalloc(b->n ? b->n : 1, sizeof *a.is_new);
	for (size_t i = 0; i < b->n; i++)
		a.is_new[i] = b->rows[i].c.id == 0;
	if (dry_run) {
		rc = check_rows(&a, err);
	} else {
		rc = store_write(st, write_rows, &a, err);
		if (rc != 0 && b->n_errors > a.base_errors)
			csvio_errors_summary(err, rc, NULL, b->n_errors);
		else if (rc != 0 && a.err.code != 0)
			*err = a.err;
	}
	if (stats)
		*stats = a.stats;
	for (size_t i = 0; i < a.n_upd; i++)
		case_free(&a.upd[i].merged);
	free(a.upd);
	free(a.is_new);
	return rc;
}
