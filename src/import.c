/* import.c — a batch of validated rows into the store in one transaction:
 * every row with an id is checked against the stored case first (exists,
 * same revision, really changed), then all rows are written, or none. */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "codec.h"
#include "import_int.h"
#include "store_journal.h"
#include "util.h"

static int get_stored(struct apply *a, uint64_t id, struct case_record *out, struct cb_err *err)
{
	/* A case this import added is not one the file can update: the ids
	 * were checked against the database as it was before. */
	if (a->first_new && id >= a->first_new)
		return CB_ENOTFOUND;
	if (a->tx)
		return store_txn_get(a->tx, id, out, err);
	if (!a->st) /* a dry run against a database not created yet */
		return CB_ENOTFOUND;
	return store_get(a->st, id, out, err);
}

/* Forgets an earlier run over the same rows (import_int.h). */
void import_reset(struct apply *a)
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
	a->b->n_lines = a->base_lines;
	a->b->n_rejected = a->base_rejected;
	if (a->b->reject_rewind)
		a->b->reject_rewind(a->b->reject_ctx);
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

/* Looks at one row that carries an id: exists? same revision? changed?
 * A change to write is put in *p (*changed set). */
static int check_update(struct apply *a, const struct csvio_row *row, struct pending *p,
    bool *changed, struct cb_err *err)
{
	struct case_record stored;
	struct cb_err e = {0};
	int rc = get_stored(a, row->c.id, &stored, &e);

	if (rc == CB_ENOTFOUND) {
		csvio_batch_error(a->b, row->line,
		    _("id %llu does not exist in this database; to add such rows as new cases, "
		      "import with --ignore id,rev"),
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
			    _("case %llu was changed after this file was exported (the file has "
			      "rev %u, "
			      "the database rev %u, last changed by %s at %s); export it again and "
			      "redo the change"),
			    (unsigned long long)row->c.id, row->c.rev, stored.rev, who, when);
		else
			csvio_batch_error(a->b, row->line,
			    _("case %llu: the file says rev %u, but the database has only rev %u "
			      "(last changed "
			      "by %s at %s): this row is not from an export of this database; "
			      "export it again "
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
		p->line = row->line;
		p->merged = merged;
		p->stored_rev = stored.rev;
		*changed = true;
		a->stats.updated++;
	}
	case_free(&stored);
	return 0;
}

static int check_rows(struct apply *a, struct cb_err *err)
{
	import_reset(a);
	for (size_t i = 0; i < a->b->n; i++) {
		if (a->is_new[i]) {
			a->stats.added++;
			continue;
		}
		bool changed = false;
		int rc = check_update(a, &a->b->rows[i], &a->upd[a->n_upd], &changed, err);
		if (rc != 0)
			return rc;
		a->n_upd += changed;
	}
	if (a->b->n_errors > a->base_errors)
		return csvio_errors_summary(err, a->conflict ? CB_ECONFLICT : CB_EINVAL, NULL,
		    a->b->n_errors);
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
			csvio_batch_error(a->b, p->line, "%s", e.msg);
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
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_id_row);
	for (size_t i = 1; i < n; i++)
		if (v[i].id == v[i - 1].id)
			csvio_batch_error(b, b->rows[v[i].row].line,
			    _("id %llu appears again (first on line %ld); each case may appear "
			      "once"),
			    (unsigned long long)v[i].id, b->rows[v[i - 1].row].line);
	free(v);
}

int import_apply(struct store *st, struct csvio_batch *b, bool dry_run, struct import_stats *stats,
    struct cb_err *err)
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

/* ---- Streaming: validated rows spooled to a private file ------------- */

/* A private, nameless file (mode 0600, gone when closed) in dir when it
 * can be made there (the database directory: the data stays where it
 * already lives), else in $TMPDIR or /tmp. */
static FILE *spool_open(const char *dir)
{
	const char *tmp = getenv("TMPDIR");
	const char *dirs[] = {dir, tmp && *tmp ? tmp : NULL, "/tmp"};

	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (!dirs[i])
			continue;
		int fd = open(dirs[i], O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd < 0)
			continue;
		FILE *f = fdopen(fd, "w+");
		if (f)
			return f;
		close(fd);
	}
	return tmpfile();
}

/* Pass one, each row: validated by the reader; encoded into the spool,
 * and where a row with an id is noted for the duplicate check. */
static int spool_row(struct csvio_batch *b, struct csvio_row *row, void *ctx)
{
	struct import_plan *p = ctx;

	if (p->io_error)
		return 1;
	if (row->c.id != 0) {
		if (p->n_ids == p->cap_ids) {
			p->cap_ids = p->cap_ids ? p->cap_ids * 2 : 1024;
			p->ids = xreallocarray(p->ids, p->cap_ids, sizeof *p->ids);
		}
		p->ids[p->n_ids++] = (struct import_id_line){row->c.id, row->line};
	}
	p->scratch.len = 0;
	codec_encode(&row->c, &p->scratch);
	size_t raw = b->reject ? row->raw_len : 0;
	struct import_spooled h = {(uint32_t)p->scratch.len, row->fields, row->line, raw};
	if (fwrite(&h, sizeof h, 1, p->spool) != 1 ||
	    fwrite(p->scratch.p, 1, p->scratch.len, p->spool) != p->scratch.len ||
	    (raw > 0 && fwrite(row->raw, 1, raw, p->spool) != raw)) {
		p->io_error = errno ? errno : EIO;
		return 1;
	}
	p->rows++;
	return 0;
}

static int cmp_again(const void *x, const void *y)
{
	const struct import_id_line *p = x, *q = y;
	return p->line < q->line ? -1 : p->line > q->line;
}

static int cmp_id_line(const void *x, const void *y)
{
	const struct import_id_line *p = x, *q = y;
	if (p->id != q->id)
		return p->id < q->id ? -1 : 1;
	return p->line < q->line ? -1 : p->line > q->line;
}

/* Ids on more than one row, found from sorted (id, line) pairs: errors
 * now, or (partial, or rows to hand to b->reject) noted to be refused in
 * pass two, where the row's text is at hand. */
static void find_again(struct import_plan *p, struct csvio_batch *b)
{
	bool later = p->partial || b->reject;

	if (p->n_ids > 1)
		qsort(p->ids, p->n_ids, sizeof *p->ids, cmp_id_line);
	for (size_t i = 1; i < p->n_ids; i++) {
		if (p->ids[i].id != p->ids[i - 1].id)
			continue;
		if (!later) {
			csvio_batch_error(b, p->ids[i].line,
			    _("id %llu appears again (first on line "
			      "%ld); each case may appear once"),
			    (unsigned long long)p->ids[i].id, p->ids[i - 1].line);
			continue;
		}
		p->again = xreallocarray(p->again, p->n_again + 1, sizeof *p->again);
		/* The id's first line, kept in the id field's place. */
		p->again[p->n_again++] =
		    (struct import_id_line){(uint64_t)p->ids[i - 1].line, p->ids[i].line};
	}
	if (p->n_again > 1)
		qsort(p->again, p->n_again, sizeof *p->again, cmp_again);
}

int import_scan(struct import_plan *p, const char *spool_dir, import_read_fn read, void *read_ctx,
    struct csvio_batch *b, struct cb_err *err)
{
	int rc;

	if (!(p->spool = spool_open(spool_dir)))
		return cb_err_set(err, CB_EIO, _("cannot make a temporary file for the import: %s"),
		    strerror(errno));
	b->each = spool_row;
	b->each_ctx = p;
	rc = read(read_ctx, b, err);
	b->each = NULL;
	if (!p->io_error && rc == 0 && fflush(p->spool) != 0)
		p->io_error = errno ? errno : EIO;
	if (p->io_error == ENOSPC || p->io_error == EDQUOT)
		/* The spool is in the database directory when there is one: the
		 * import would not have fitted either. */
		return cb_err_set(err, CB_EDB, "%s",
		    _("not enough disk space for the import (disk "
		      "full); nothing was saved (free some space and try again)"));
	if (p->io_error)
		return cb_err_set(err, CB_EIO, _("cannot write the import's temporary file: %s"),
		    strerror(p->io_error));
	if (rc != 0 && (!p->partial || b->fatal || rc != CB_EINVAL))
		return rc;
	find_again(p, b);
	if (b->n_errors > 0 && !p->partial)
		return csvio_errors_summary(err, CB_EINVAL, NULL, b->n_errors);
	return 0;
}

void import_plan_free(struct import_plan *p)
{
	if (p->spool)
		fclose(p->spool);
	free(p->ids);
	free(p->again);
	buf_free(&p->scratch);
	buf_free(&p->raw);
	memset(p, 0, sizeof *p);
}

/* Pass two, one row: a new case is added, a row with an id checked and
 * its change written at once (a->tx NULL: a dry run, nothing written).
 * After the first problem nothing more is written (the transaction is
 * then aborted), but every row is still checked, to report them all. */
static int apply_row(struct apply *a, struct csvio_row *row)
{
	struct cb_err e = {0};
	bool clean = a->plan->partial || a->b->n_errors == a->base_errors;
	int rc;

	if (row->c.id == 0) {
		a->stats.added++;
		if (!a->tx || !clean)
			return 0;
		row->c.rev = 0;
		/* A chunked import (import_write.c) stores it at its reserved id. */
		rc = a->journal
		    ? store_journal_txn_add(a->tx, a->journal, a->next_id++, &row->c, &e)
		    : store_txn_add(a->tx, &row->c, &e);
		if (rc != 0 && store_txn_will_rerun(a->tx))
			return rc; /* the map, not the row: written again once it grew */
		if (rc != 0) {
			csvio_batch_error(a->b, row->line, "%s", e.msg);
			return rc;
		}
		if (!a->first_new)
			a->first_new = row->c.id;
		if (!a->stats.first_added)
			a->stats.first_added = row->c.id;
		a->stats.last_added = row->c.id;
		return 0;
	}
	struct pending p;
	bool changed = false;
	if ((rc = check_update(a, row, &p, &changed, &a->err)) != 0 || !changed)
		return rc;
	if (a->tx && (a->plan->partial || a->b->n_errors == a->base_errors) &&
	    (rc = store_txn_update(a->tx, &p.merged, p.stored_rev, &e)) != 0 &&
	    !store_txn_will_rerun(a->tx))
		csvio_batch_error(a->b, row->line, "%s", e.msg);
	case_free(&p.merged);
	return rc;
}

/* Whether the row on line came with an id an earlier row had: then
 * *first is that row's line. */
static bool came_before(const struct import_plan *p, long line, long *first)
{
	size_t lo = 0, hi = p->n_again;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->again[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->n_again && p->again[lo].line == line) {
		*first = (long)p->again[lo].id;
		return true;
	}
	return false;
}

/* Pass two, the next spooled row: read, checked, written (import_int.h). */
int import_replay_row(struct apply *a, struct import_plan *p)
{
	struct csvio_row row = {0};
	struct cb_err e = {0};
	struct import_spooled h;
	size_t before = a->b->n_errors;
	long first;
	int rc;

	if (fread(&h, sizeof h, 1, p->spool) != 1)
		return cb_err_set(&a->err, CB_EIO, "%s",
		    _("cannot read the import's temporary file"));
	p->scratch.len = 0;
	buf_reserve(&p->scratch, h.len);
	p->raw.len = 0;
	buf_reserve(&p->raw, h.raw_len + 1);
	if (fread(p->scratch.p, 1, h.len, p->spool) != h.len ||
	    fread(p->raw.p, 1, h.raw_len, p->spool) != h.raw_len)
		return cb_err_set(&a->err, CB_EIO, "%s",
		    _("cannot read the import's temporary file"));
	if ((rc = codec_decode(p->scratch.p, h.len, &row.c, &e)) != 0) {
		a->err = e;
		return rc;
	}
	row.line = (long)h.line;
	row.fields = h.fields;
	a->was_add = row.c.id == 0;
	if ((a->phase == IMPORT_ADDS && !a->was_add) ||
	    (a->phase == IMPORT_UPDATES && a->was_add)) {
		case_free(&row.c);
		return 0;
	}
	csvio_row_begin(a->b);
	if (came_before(p, row.line, &first))
		csvio_batch_error(a->b, row.line,
		    _("id %llu appears again (first on line %ld); each case may appear once"),
		    (unsigned long long)row.c.id, first);
	else
		rc = apply_row(a, &row);
	case_free(&row.c);
	if (rc == 0)
		csvio_row_end(a->b, row.line, (const char *)p->raw.p, h.raw_len, before);
	return rc;
}
