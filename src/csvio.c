/* csvio.c — CSV export and import with libcsv; the all-or-nothing writer
 * that CSV and JSON import share. */
#include "csvio.h"

#include <csv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unicode/utf8.h>

#include "util.h"

/* ---- Writing ------------------------------------------------------------ */

/* A field is quoted when libcsv would otherwise read it differently: it
 * holds a separator, a quote or a line break, has outer blanks (libcsv
 * trims them from unquoted fields) or is empty-looking but not empty. */
static bool needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return true;
	return strpbrk(s, ",\"\r\n") != NULL;
}

/* A cell a spreadsheet would run as a formula starts with = + - @, a tab
 * or a carriage return (OWASP, "CSV injection"). Such a cell is written
 * with a leading apostrophe, which spreadsheets show as text; so that
 * reading reverses exactly that, a cell that itself starts with an
 * apostrophe gets one more. Reading drops one leading apostrophe. */
static bool needs_neutralising(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r'", s[0]) != NULL;
}

static int write_field(FILE *f, const char *s, bool first, bool raw)
{
	char *quoted = NULL;
	int rc;

	if (!raw && needs_neutralising(s))
		s = quoted = xasprintf("'%s", s);
	size_t n = strlen(s);
	if (!first && fputc(',', f) == EOF)
		rc = CB_EIO;
	else if (needs_quotes(s, n))
		rc = csv_fwrite(f, s, n) == 0 ? 0 : CB_EIO;
	else
		rc = fwrite(s, 1, n, f) == n ? 0 : CB_EIO;
	free(quoted);
	return rc;
}

static bool column_written(int field, bool no_meta)
{
	return !no_meta || case_fields[field].user_set;
}

int csvio_write_header_ex(FILE *f, bool no_meta)
{
	bool first = true;

	for (int i = 0; i < FIELD__COUNT; i++) {
		if (!column_written(i, no_meta))
			continue;
		if (write_field(f, case_fields[i].name, first, true) != 0)
			return CB_EIO;
		first = false;
	}
	return fputc('\n', f) == EOF ? CB_EIO : 0;
}

int csvio_write_header(FILE *f)
{
	return csvio_write_header_ex(f, false);
}

int csvio_write_case_ex(FILE *f, const struct case_record *c, unsigned flags)
{
	bool no_meta = flags & CSVIO_NO_META;

	bool first = true;

	for (int i = 0; i < FIELD__COUNT; i++) {
		if (!column_written(i, no_meta))
			continue;
		char *v = case_get_field(c, i);
		int rc = write_field(f, v, first, flags & CSVIO_RAW);
		free(v);
		if (rc != 0)
			return CB_EIO;
		first = false;
	}
	return fputc('\n', f) == EOF ? CB_EIO : 0;
}

int csvio_write_case(FILE *f, const struct case_record *c)
{
	return csvio_write_case_ex(f, c, 0);
}

/* ---- The batch ---------------------------------------------------------- */

void csvio_batch_init(struct csvio_batch *b)
{
	memset(b, 0, sizeof *b);
}

void csvio_batch_free(struct csvio_batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		case_free(&b->rows[i].c);
	free(b->rows);
	strlist_free(&b->errors);
	csvio_batch_init(b);
}

void csvio_batch_error(struct csvio_batch *b, long line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	b->n_errors++;
	if (b->errors.n >= CSVIO_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("%s", _("out of memory"));
	va_end(ap);
	if (line > 0) {
		char *full = xasprintf(_("line %ld: %s"), line, msg);
		strlist_add(&b->errors, full);
		free(full);
	} else {
		strlist_add(&b->errors, msg);
	}
	free(msg);
}

struct csvio_row *csvio_batch_add(struct csvio_batch *b)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->rows = xreallocarray(b->rows, b->cap, sizeof *b->rows);
	}
	struct csvio_row *r = &b->rows[b->n++];
	memset(r, 0, sizeof *r);
	if (b->progress && b->n % 10000 == 0)
		b->progress(b->n, b->progress_ctx);
	return r;
}

bool csvio_batch_keep(struct csvio_batch *b, struct case_record *c, long line, uint32_t fields)
{
	if (!b->each) {
		struct csvio_row *row = csvio_batch_add(b);
		b->n_seen++;
		row->c = *c;
		row->line = line;
		row->fields = fields;
		return true;
	}
	struct csvio_row row = {.c = *c, .line = line, .fields = fields};
	if (b->each(b, &row, b->each_ctx) != 0)
		b->stopped = true;
	case_free(&row.c);
	if (b->progress && ++b->n_seen % 10000 == 0)
		b->progress(b->n_seen, b->progress_ctx);
	return !b->stopped;
}

int csvio_errors_summary(struct cb_err *err, int code, const char *name, size_t n)
{
	cb_err_set(err, code,
	    ngettext("%zu error; nothing imported", "%zu errors; nothing imported", n), n);
	if (name)
		cb_err_prefix(err, "%s", name);
	return code;
}

/* ---- Reading ------------------------------------------------------------ */

/* col_field value of a column with an empty header. */
#define COL_UNNAMED (-2)

struct field_text {
	char *s;
	size_t len;
};

struct reader {
	struct csvio_batch *b;
	const struct csvio_options *opt;
	long line; /* physical line being fed to the parser */
	long row_start; /* line where the current row began; 0 between rows */
	struct field_text *fields;
	size_t n_fields, cap_fields;
	/* From the header row. */
	bool have_header;
	bool header_bad;
	int *col_field; /* per column: field index, or -1 when ignored */
	char **col_name;
	size_t n_cols;
};

/* Offset of the first byte that is not valid UTF-8, or -1. */
static long utf8_invalid_at(const char *s, size_t n)
{
	int32_t i = 0, len = (int32_t)n;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int32_t at = i;
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0)
			return at;
	}
	return -1;
}

static void on_field(void *s, size_t len, void *ctx)
{
	struct reader *r = ctx;

	if (r->n_fields == r->cap_fields) {
		r->cap_fields = r->cap_fields ? r->cap_fields * 2 : 32;
		r->fields = xreallocarray(r->fields, r->cap_fields, sizeof *r->fields);
	}
	/* Undoes the apostrophe export puts before a cell (write_field). */
	if (s && len > 0 && *(char *)s == '\'' && !(r->opt && r->opt->raw))
		s = (char *)s + 1, len--;
	r->fields[r->n_fields].s = xstrndup(s ? s : "", len);
	r->fields[r->n_fields].len = len;
	r->n_fields++;
}

static void clear_fields(struct reader *r)
{
	for (size_t i = 0; i < r->n_fields; i++)
		free(r->fields[i].s);
	r->n_fields = 0;
}

/* Finds item in a comma-separated option list "A=x,B,C=y"; returns a
 * malloc'd copy of what follows '=' ("" when none), or NULL. */
static char *option_lookup(const char *list, const char *item)
{
	if (!list)
		return NULL;
	size_t n = strlen(item);
	const char *p = list;
	while (*p) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		const char *kend = eq ? eq : end;
		while (p < kend && (*p == ' ' || *p == '\t'))
			p++;
		while (kend > p && (kend[-1] == ' ' || kend[-1] == '\t'))
			kend--;
		if ((size_t)(kend - p) == n && memcmp(p, item, n) == 0) {
			if (!eq)
				return xstrdup("");
			const char *v = eq + 1, *vend = end;
			while (v < vend && (*v == ' ' || *v == '\t'))
				v++;
			while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
				vend--;
			return xstrndup(v, (size_t)(vend - v));
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* Field by column name: exact, then ASCII case-insensitive. */
static int field_by_header(const char *h)
{
	int f = case_field_find(h);
	if (f >= 0)
		return f;
	for (int i = 0; i < FIELD__COUNT; i++)
		if (strcasecmp(case_fields[i].name, h) == 0)
			return i;
	return -1;
}

/* Checks that every --map and --ignore entry names a column of the header,
 * so a typo in an option is not silently ignored. */
static void check_option_names(struct reader *r, const char *list, const char *opt)
{
	if (!list)
		return;
	char *copy = xstrdup(list);
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq = '\0';
		char *name = tok;
		while (*name == ' ' || *name == '\t')
			name++;
		size_t n = strlen(name);
		while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
			name[--n] = '\0';
		if (n == 0)
			continue;
		bool found = false;
		for (size_t i = 0; i < r->n_cols && !found; i++)
			found = strcmp(r->col_name[i], name) == 0;
		if (!found) {
			csvio_batch_error(r->b, 0, _("%s: the file has no column \"%s\""), opt,
			    name);
			r->header_bad = true;
		}
	}
	free(copy);
}

static void read_header(struct reader *r, long line)
{
	r->n_cols = r->n_fields;
	r->col_field = xcalloc(r->n_cols, sizeof *r->col_field);
	r->col_name = xcalloc(r->n_cols, sizeof *r->col_name);
	for (size_t i = 0; i < r->n_cols; i++) {
		char *h = r->fields[i].s;
		/* A spreadsheet may keep a byte-order mark or pad a header. */
		size_t n = strlen(h);
		while (n > 0 && (h[n - 1] == ' ' || h[n - 1] == '\t'))
			h[--n] = '\0';
		while (*h == ' ' || *h == '\t')
			h++;
		r->col_name[i] = xstrdup(h);
	}
	for (size_t i = 0; i < r->n_cols; i++) {
		const char *h = r->col_name[i];
		char *mapped = option_lookup(r->opt ? r->opt->map : NULL, h);
		char *ignored = option_lookup(r->opt ? r->opt->ignore : NULL, h);
		int f = -1;

		r->col_field[i] = -1;
		if (h[0] == '\0') {
			/* Spreadsheets add unnamed trailing columns; fine while empty. */
			r->col_field[i] = COL_UNNAMED;
			free(mapped);
			free(ignored);
			continue;
		} else if (utf8_invalid_at(h, strlen(h)) >= 0) {
			csvio_batch_error(r->b, line, _("column %zu: header is not valid UTF-8"),
			    i + 1);
			r->header_bad = true;
		} else if (ignored) {
			/* Ignored explicitly. */
		} else if (mapped) {
			f = field_by_header(mapped);
			if (f < 0) {
				csvio_batch_error(r->b, 0,
				    _("--map: \"%s=%s\": unknown field \"%s\" (fields: %s)"), h,
				    mapped, mapped, case_field_list());
				r->header_bad = true;
			}
		} else if ((f = field_by_header(h)) < 0) {
			csvio_batch_error(r->b, line,
			    _("unknown column \"%s\" (known: %s); name it with --map '%s=FIELD' or "
			      "skip it with --ignore '%s'"),
			    h, case_field_list(), h, h);
			r->header_bad = true;
		}
		free(mapped);
		free(ignored);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(r->col_name[j], h) == 0) {
				csvio_batch_error(r->b, line,
				    _("duplicate column \"%s\" (columns %zu and %zu)"), h, j + 1,
				    i + 1);
				r->header_bad = true;
				break;
			}
			if (f >= 0 && r->col_field[j] == f) {
				csvio_batch_error(r->b, line,
				    _("columns \"%s\" and \"%s\" both give field %s"),
				    r->col_name[j], h, case_fields[f].name);
				r->header_bad = true;
				break;
			}
		}
		r->col_field[i] = f;
	}
	if (r->opt) {
		check_option_names(r, r->opt->map, "--map");
		check_option_names(r, r->opt->ignore, "--ignore");
	}
	r->have_header = true;
}

static void read_row(struct reader *r, long line)
{
	bool blank = true;

	for (size_t i = 0; i < r->n_fields && blank; i++)
		blank = r->fields[i].len == 0;
	if (blank) /* e.g. ",,,," rows that spreadsheets leave at the end */
		return;
	if (r->n_fields != r->n_cols) {
		csvio_batch_error(r->b, line,
		    ngettext("wrong column count: %zu field, the header has %zu",
		        "wrong column count: %zu fields, the header has %zu", r->n_fields),
		    r->n_fields, r->n_cols);
		return;
	}

	struct case_record c;
	bool bad = false;
	uint32_t fields = 0;

	case_init(&c);
	for (size_t i = 0; i < r->n_cols; i++) {
		const struct field_text *t = &r->fields[i];
		int f = r->col_field[i];
		long at;
		struct cb_err e = {0};

		if (f == COL_UNNAMED && t->len > 0) {
			csvio_batch_error(r->b, line,
			    _("column %zu has no name in the header but holds a value; name it or "
			      "remove it"),
			    i + 1);
			bad = true;
		}
		if (f < 0)
			continue;
		if (memchr(t->s, '\0', t->len)) {
			csvio_batch_error(r->b, line, _("%s: contains a NUL byte"),
			    case_fields[f].name);
			bad = true;
			continue;
		}
		if ((at = utf8_invalid_at(t->s, t->len)) >= 0) {
			csvio_batch_error(r->b, line,
			    _("%s: invalid UTF-8 (byte 0x%02x at offset %ld); save the file as "
			      "UTF-8"),
			    case_fields[f].name, (unsigned char)t->s[at], at);
			bad = true;
			continue;
		}
		fields |= 1u << f;
		if (t->len == 0)
			continue;
		if (case_set_field(&c, f, t->s, true, &e) != 0) {
			csvio_batch_error(r->b, line, "%s", e.msg);
			bad = true;
		}
	}
	if (!bad) {
		struct cb_err e = {0};
		if (case_validate(&c, &e) != 0) {
			csvio_batch_error(r->b, line, "%s", e.msg);
			bad = true;
		}
	}
	if (bad) {
		case_free(&c);
		return;
	}
	csvio_batch_keep(r->b, &c, line, fields);
}

static void on_row(int term, void *ctx)
{
	struct reader *r = ctx;
	long line = r->row_start ? r->row_start : r->line;

	(void)term;
	if (!r->have_header)
		read_header(r, line);
	else if (!r->header_bad)
		read_row(r, line);
	clear_fields(r);
	r->row_start = 0;
}

static bool is_blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

int csvio_read(FILE *f, const char *name, const struct csvio_options *opt, struct csvio_batch *b,
    struct cb_err *err)
{
	struct csv_parser p;
	struct reader r = {.b = b, .opt = opt};
	char *chunk = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		die("%s", _("out of memory"));
	/* Feeding one physical line at a time lets every row know the line it
	 * starts on, also when quoted fields hold line breaks. */
	while (!b->stopped && (n = getline(&chunk, &cap, f)) > 0) {
		const char *s = chunk;
		size_t len = (size_t)n;

		r.line++;
		if (r.line == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3, len -= 3;
		if (r.row_start == 0 && !is_blank_line(s, len))
			r.row_start = r.line;
		if (csv_parse(&p, s, len, on_field, on_row, &r) != len) {
			csvio_batch_error(b, r.row_start ? r.row_start : r.line,
			    _("malformed CSV: %s (a quote inside a field must be doubled, and a "
			      "quoted field closed)"),
			    csv_strerror(csv_error(&p)));
			rc = CB_EINVAL;
			break;
		}
	}
	if (ferror(f))
		rc = cb_err_set(err, CB_EIO, _("%s: cannot read the file"), name);
	else if (rc == 0 && !b->stopped && csv_fini(&p, on_field, on_row, &r) != 0)
		csvio_batch_error(b, r.row_start ? r.row_start : r.line,
		    _("malformed CSV: a quoted field is not closed before the end of the file"));
	free(chunk);
	clear_fields(&r);
	free(r.fields);
	for (size_t i = 0; i < r.n_cols; i++)
		free(r.col_name[i]);
	free(r.col_name);
	free(r.col_field);
	csv_free(&p);
	if (rc == CB_EIO)
		return rc;
	if (!r.have_header && b->n_errors == 0)
		csvio_batch_error(b, 0,
		    _("the file is empty: it needs a header row naming the columns"));
	if (b->n_errors > 0)
		return csvio_errors_summary(err, CB_EINVAL, name, b->n_errors);
	return 0;
}
