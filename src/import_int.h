/* import_int.h — what the checking half of an import (import.c: rows
 * read, checked, refused or handed on) and its writing half
 * (import_write.c: the transactions) share. Not part of any public
 * interface. */
#ifndef CASEBOOK_IMPORT_INT_H
#define CASEBOOK_IMPORT_INT_H

#include "import.h"
#include "store_journal.h"

/* A spooled row: this header, then the record's encoding (codec.h), then
 * raw_len bytes of the row's text (when b->reject is set). */
struct import_spooled {
	uint32_t len, fields;
	int64_t line;
	uint64_t raw_len;
};

struct pending {
	long line;
	struct case_record merged; /* stored case with the row's columns applied */
	uint32_t stored_rev;
};

/* Which spooled rows a pass over them applies. */
enum import_phase {
	IMPORT_ALL, /* every row (one transaction, or a dry run) */
	IMPORT_ADDS, /* only new cases: the chunks of a chunked import */
	IMPORT_UPDATES, /* only rows with an id: its last transaction */
};

struct apply {
	struct store *st;
	struct store_txn *tx; /* NULL for a dry run */
	struct csvio_batch *b;
	struct import_stats stats;
	struct pending *upd;
	size_t n_upd;
	size_t base_errors, base_kept, base_lines, base_rejected;
	bool conflict;
	bool *is_new; /* per row, fixed before the first run (ids get assigned) */
	struct cb_err err; /* why the callback gave up */
	/* import_stream: */
	uint64_t first_new; /* id of the first case this run added, 0: none yet */
	struct import_plan *plan; /* what pass one spooled (pass two reads it) */
	enum import_phase phase;
	bool was_add; /* the row import_replay_row read last had no id */
	/* A chunked import: new cases are stored at next_id, next_id + 1, ...
	 * of the journal's range (NULL: store_txn_add gives the ids). */
	const struct store_journal *journal;
	uint64_t next_id;
};

/* Forgets the counts, errors and refused rows of an earlier run over the
 * same rows. */
void import_reset(struct apply *a);

/* Reads the next spooled row and, when a->phase takes it, checks it and
 * (a->tx set) writes it: a new case added, an update applied. A problem
 * with the row goes to a->b's errors (0 returned); a failure to read or
 * write is returned (a->err or the row's error says why). */
int import_replay_row(struct apply *a, struct import_plan *p);

#endif
