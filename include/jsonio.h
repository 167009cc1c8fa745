/* jsonio.h — cases in and out as JSON (jansson): an array of the objects
 * casejson.h describes, one per line, so large exports stream and errors
 * name a line. Import fills the same batch as CSV (csvio.h). */
#ifndef CASEBOOK_JSONIO_H
#define CASEBOOK_JSONIO_H

#include <stdbool.h>
#include <stdio.h>

#include "case.h"
#include "csvio.h"
#include "error.h"

struct jsonio_writer {
	FILE *f;
	bool no_meta; /* leave out id, rev, created, updated, updated_by */
	size_t n; /* cases written so far */
};

/* Starts the array ("[" line). Returns 0 or CB_EIO. */
int jsonio_write_begin(struct jsonio_writer *w, FILE *f, bool no_meta);
/* Appends one case as one line. Returns 0 or CB_EIO. */
int jsonio_write_case(struct jsonio_writer *w, const struct case_record *c);
/* Closes the array ("]" line). Returns 0 or CB_EIO. */
int jsonio_write_end(struct jsonio_writer *w);

/* Reads a JSON array of case objects (or one object) into b, validating
 * each with casejson_to_case and case_validate; problems are recorded in
 * b->errors with the line where the object starts. opt (may be NULL)
 * renames keys (map) and drops keys (ignore) as for CSV columns. The file
 * is read in pieces (64 KiB, or the size of the largest object), never
 * whole. Returns 0,
 * CB_EINVAL (err summarises) or CB_EIO. */
int jsonio_read(FILE *f, const char *name, const struct csvio_options *opt, struct csvio_batch *b,
    struct cb_err *err);

/* True when the first non-blank byte of the len bytes of text (after a
 * byte-order mark) is '[' or '{'. */
bool jsonio_sniff(const char *text, size_t len);

#endif
