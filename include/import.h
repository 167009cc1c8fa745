/* import.h — writing a batch of validated rows (read by csvio.h or
 * jsonio.h) into the store, all or nothing: pass one checks every row
 * against the database (ids that exist, revisions, changes), pass two
 * writes them in one transaction. The format modules know nothing of the
 * store; this module knows nothing of formats. */
#ifndef CASEBOOK_IMPORT_H
#define CASEBOOK_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "csvio.h"
#include "error.h"
#include "store.h"

struct import_stats {
	size_t added, updated, unchanged;
};

/* Writes a good batch in one transaction: rows without an id are added;
 * rows with an id update that case (only the columns the row carries; a
 * non-zero rev must equal the stored rev, else a conflict). An id that does
 * not exist is an error (import with --ignore id,rev to add such rows as new
 * cases). Any problem: nothing is written, the problems are appended to
 * b->errors, CB_EINVAL or CB_ECONFLICT returned. dry_run checks the same
 * without writing; st may then be NULL (no database yet: every id is unknown). */
int import_apply(struct store *st, struct csvio_batch *b, bool dry_run,
    struct import_stats *stats, struct cb_err *err);


#endif
