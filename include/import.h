/* import.h — writing a batch of validated rows (read by csvio.h or
 * jsonio.h) into the store, all or nothing: pass one checks every row
 * against the database (ids that exist, revisions, changes), pass two
 * writes them in one transaction. The format modules know nothing of the
 * store; this module knows nothing of formats. */
#ifndef CASEBOOK_IMPORT_H
#define CASEBOOK_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvio.h"
#include "error.h"
#include "store.h"
#include "util.h"

struct import_stats {
	size_t added, updated, unchanged;
	/* The ids of the cases added, first and last (one transaction gives
	 * them in a row); 0 when none was written. */
	uint64_t first_added, last_added;
};

/* Writes a good batch in one transaction: rows without an id are added;
 * rows with an id update that case (only the columns the row carries; a
 * non-zero rev must equal the stored rev, else a conflict). An id that does
 * not exist is an error (import with --ignore id,rev to add such rows as new
 * cases). Any problem: nothing is written, the problems are appended to
 * b->errors, CB_EINVAL or CB_ECONFLICT returned. dry_run checks the same
 * without writing; st may then be NULL (no database yet: every id is unknown). */
int import_apply(struct store *st, struct csvio_batch *b, bool dry_run, struct import_stats *stats,
    struct cb_err *err);

/* Reads the whole input once, handing every good row to b->each and
 * recording problems in b, as csvio_read and jsonio_read do. Returns 0,
 * CB_EINVAL or CB_EIO. */
typedef int (*import_read_fn)(void *ctx, struct csvio_batch *b, struct cb_err *err);

/* What pass one of a streamed import keeps: the validated rows encoded
 * (codec.h) in a private, nameless temporary file, and where each row
 * that carries an id is (16 bytes a row). Zero it before import_scan;
 * free with import_plan_free. */
struct import_id_line {
	uint64_t id;
	long line;
};
struct import_plan {
	FILE *spool;
	size_t rows;
	struct import_id_line *ids;
	size_t n_ids, cap_ids;
	struct buf scratch, raw;
	int io_error;
	/* Set before import_scan: write the good rows and refuse only the bad
	 * ones (else all or nothing). */
	bool partial;
	/* With partial or a b->reject: rows whose id came before (line, and
	 * the line it first came on), refused in pass two, sorted by line. */
	struct import_id_line *again;
	size_t n_again;
};

/* Pass one, for inputs too large to hold in memory: reads every row
 * through read (each validated by the reader) into the spool, made in
 * spool_dir when possible (may be NULL; else $TMPDIR or /tmp), with its
 * text when b->reject is set; ids that appear twice are errors. Returns 0,
 * or CB_EINVAL / CB_EIO with the problems in b; with p->partial, rows
 * refused (b->n_rejected) are no failure unless b->fatal. Nothing touches
 * the store. */
int import_scan(struct import_plan *p, const char *spool_dir, import_read_fn read, void *read_ctx,
    struct csvio_batch *b, struct cb_err *err);
/* Pass two (import_write.c): import_apply's rules and its all or nothing
 * over the spooled rows, checked and written one by one inside one write
 * transaction, or, for more than one chunk of new cases, in several with a
 * journal (store_journal.h) that undoes them on failure; any problem
 * aborts it, unless plan->partial: then a row with a problem
 * is refused (counted in b->n_rejected, handed to b->reject) and the rest
 * written. Memory does not grow with the rows. dry_run: the same checks,
 * st may be NULL, nothing written. */
int import_stream(struct store *st, struct import_plan *plan, struct csvio_batch *b, bool dry_run,
    struct import_stats *stats, struct cb_err *err);
void import_plan_free(struct import_plan *p);

#endif
