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
#include "util.h"

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
/* Distinct problems, and lines with a problem, kept for the grouped list. */
#define CSVIO_MAX_GROUPS 30
#define CSVIO_MAX_LINES 100000

/* One parsed, validated row. */
struct csvio_row {
	struct case_record c;
	long line; /* physical file line where the row starts (1-based) */
	uint32_t fields; /* bit (1u << FIELD_x) for each field the row carries */
	const char *raw; /* the row's text as the file has it (when b->reject is set) */
	size_t raw_len;
};

/* A line with a problem: which of b->problems it is. */
struct csvio_problem_line {
	long line;
	uint32_t problem;
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
	/* The same errors grouped: each distinct message once (the first
	 * CSVIO_MAX_GROUPS), and the lines that have it. */
	struct strlist problems;
	struct csvio_problem_line *lines;
	size_t n_lines, cap_lines;
	bool fatal; /* the file as a whole is wrong (header, CSV syntax): no row is usable */
	size_t n_rejected; /* rows refused */
	/* Optional: each refused row as the file has it, with why (its
	 * messages, "; "-joined); line 0 hands over the header row first. */
	void (*reject)(long line, const char *raw, size_t len, const char *why, void *ctx);
	void *reject_ctx;
	/* Optional: forget the rows handed to reject since the first call
	 * (an import's second pass starts again after the map grew). */
	void (*reject_rewind)(void *ctx);
	struct buf row_why; /* messages of the row being looked at */
	char delim; /* the delimiter a CSV file was read with */
	struct strlist aliased; /* "«ФИО» as name" for each column a built-in alias named */
	const char *cur_raw; /* the raw text of the row being handed over */
	size_t cur_raw_len;
	void (*progress)(size_t rows, void *ctx); /* optional, every few thousand rows */
	void *progress_ctx;
};

struct csvio_options {
	const char *map; /* "Header=field,..." or NULL */
	const char *ignore; /* "Header,..." or NULL */
	bool raw; /* keep a leading apostrophe (the file was exported --raw) */
	char delimiter; /* between columns; 0 is a comma */
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
/* Starts a row's messages afresh (before it is looked at), and ends it:
 * a row that got messages is counted refused and handed to b->reject. */
void csvio_row_begin(struct csvio_batch *b);
void csvio_row_end(struct csvio_batch *b, long line, const char *raw, size_t len, size_t before);

/* Number of distinct problems kept, and problem i as one line (malloc'd):
 * "lines 4, 9, 12–30: column "Date": ..." with at most a dozen line
 * numbers or ranges and how many more; NULL when no line has it any
 * longer. */
size_t csvio_problem_count(const struct csvio_batch *b);
char *csvio_problem_text(const struct csvio_batch *b, size_t i);
/* Errors not in any kept problem's lines (beyond the kept groups). */
size_t csvio_problems_untold(const struct csvio_batch *b);

/* Calls fn(item, value, ctx) for each "A=b" or "A" item of a
 * comma-separated option (value NULL without '='), items trimmed. */
void csvio_option_each(const char *list, void (*fn)(const char *item, const char *value, void *ctx),
    void *ctx);

/* Writes one rejected row for a rejects file: raw without its line end,
 * then delim and why as one more (quoted) cell, then the row's line end.
 * Returns 0 or CB_EIO. */
int csvio_write_reject(FILE *f, const char *raw, size_t len, char delim, const char *why);

/* The header of the rejects file's error column (translated); a column so
 * named (in any of the languages) is left out on import. */
const char *csvio_reject_column(void);

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
