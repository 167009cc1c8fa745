/* csvio.h — cases in and out as CSV (libcsv): the columns of DESIGN.md §1
 * in case_fields order, list fields in the `|` syntax of case.h. Reading
 * fills a batch of validated rows (JSON import fills the same batch, see
 * jsonio.h); import.h writes a batch into the store. Pure format
 * code: nothing here touches the database. */
#ifndef CASEBOOK_CSVIO_H
#define CASEBOOK_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "case.h"
#include "error.h"

/* The header row: every field name in case_fields order (or only the
 * user-settable ones when no_meta). Returns 0 or CB_EIO. */
int csvio_write_header(FILE *f);
int csvio_write_header_ex(FILE *f, bool no_meta);
enum csvio_flags {
	CSVIO_NO_META = 1 << 0, /* only the user-settable columns */
	CSVIO_RAW = 1 << 1, /* no apostrophe before formula-like cells */
};

/* One case as a CSV row in the same column order. Fields are quoted only
 * when they need it (separators, quotes, line breaks, outer spaces). Unless
 * CSVIO_RAW, a cell that starts with = + - @, tab or carriage return -- one
 * a spreadsheet would run as a formula -- or with an apostrophe is written
 * with one more apostrophe in front; csvio_read drops it again, so export
 * and import round-trip exactly. Returns 0 or CB_EIO. */
int csvio_write_case(FILE *f, const struct case_record *c);
int csvio_write_case_ex(FILE *f, const struct case_record *c, unsigned flags);

/* Rows kept for an error list before "... and N more". */
#define CSVIO_MAX_ERRORS 50

/* One parsed, validated row. */
struct csvio_row {
	struct case_record c;
	long line; /* physical file line where the row starts (1-based) */
	uint32_t fields; /* bit (1u << FIELD_x) for each field the row carries */
};

struct csvio_batch;
/* Takes one validated row instead of the batch keeping it (row->c is freed
 * after the call); returns non-zero to stop reading the rest. */
typedef int (*csvio_each_fn)(struct csvio_batch *b, struct csvio_row *row, void *ctx);

struct csvio_batch {
	struct csvio_row *rows;
	size_t n, cap;
	csvio_each_fn each; /* optional: rows go here, not into rows[] */
	void *each_ctx;
	size_t n_seen; /* validated rows so far (kept or handed to each) */
	bool stopped; /* each asked to stop */
	struct strlist errors; /* "line 17: injuries: ...", the first CSVIO_MAX_ERRORS */
	size_t n_errors; /* all errors, including those not kept */
	void (*progress)(size_t rows, void *ctx); /* optional, every few thousand rows */
	void *progress_ctx;
};

struct csvio_options {
	const char *map; /* "Header=field,..." or NULL */
	const char *ignore; /* "Header,..." or NULL */
	bool raw; /* keep a leading apostrophe (the file was exported --raw) */
};

/* Zeroes a batch; frees everything it holds. */
void csvio_batch_init(struct csvio_batch *b);
void csvio_batch_free(struct csvio_batch *b);
/* Records an error for file line `line` (0: no line), counting it. */
void csvio_batch_error(struct csvio_batch *b, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends a zeroed row (the caller fills it) and reports progress. */
struct csvio_row *csvio_batch_add(struct csvio_batch *b);
/* Hands over a validated case read from file line `line` carrying
 * `fields`: to b->each when set (then frees c), else appended to b->rows
 * (which takes c). Reports progress. Returns false once the reader should
 * stop (b->each asked to). */
bool csvio_batch_keep(struct csvio_batch *b, struct case_record *c, long line, uint32_t fields);
/* Sets err to "[NAME: ]N errors; nothing imported" (plural as the language
 * needs; no prefix when name is NULL) with code, and returns code. */
int csvio_errors_summary(struct cb_err *err, int code, const char *name, size_t n);

/* Reads CSV (UTF-8 with or without BOM, CRLF or LF, RFC 4180 quoting) with
 * a header row, validating every row with case_set_field and case_validate.
 * Every problem is recorded in b->errors with its file line. Returns 0 when
 * all rows are good, CB_EINVAL when any is bad (err summarises), CB_EIO
 * when the file cannot be read. name is used in messages. One leading
 * apostrophe is dropped from every cell (see csvio_write_case) unless
 * opt->raw. */
int csvio_read(FILE *f, const char *name, const struct csvio_options *opt, struct csvio_batch *b,
    struct cb_err *err);

#endif
