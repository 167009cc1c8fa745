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

#include "header_alias.h"
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
	strlist_free(&b->problems);
	strlist_free(&b->aliased);
	free(b->lines);
	buf_free(&b->row_why);
	csvio_batch_init(b);
}

/* Files msg under its problem (the same text once) with line. */
static void group_error(struct csvio_batch *b, long line, const char *msg)
{
	size_t i = 0;

	while (i < b->problems.n && strcmp(b->problems.items[i], msg) != 0)
		i++;
	if (i == b->problems.n) {
		if (b->problems.n >= CSVIO_MAX_GROUPS)
			return;
		strlist_add(&b->problems, msg);
	}
	if (b->n_lines >= CSVIO_MAX_LINES)
		return;
	if (b->n_lines == b->cap_lines) {
		b->cap_lines = b->cap_lines ? b->cap_lines * 2 : 64;
		b->lines = xreallocarray(b->lines, b->cap_lines, sizeof *b->lines);
	}
	b->lines[b->n_lines++] = (struct csvio_problem_line){line, (uint32_t)i};
}

void csvio_batch_error(struct csvio_batch *b, long line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	b->n_errors++;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("%s", _("out of memory"));
	va_end(ap);
	group_error(b, line, msg);
	if (b->row_why.len < 2000) {
		if (b->row_why.len > 0)
			buf_puts(&b->row_why, "; ");
		buf_puts(&b->row_why, msg);
	}
	if (b->errors.n < CSVIO_MAX_ERRORS) {
		if (line > 0) {
			char *full = xasprintf(_("line %ld: %s"), line, msg);
			strlist_add(&b->errors, full);
			free(full);
		} else {
			strlist_add(&b->errors, msg);
		}
	}
	free(msg);
}

void csvio_row_begin(struct csvio_batch *b)
{
	b->row_why.len = 0;
}

void csvio_row_end(struct csvio_batch *b, long line, const char *raw, size_t len, size_t before)
{
	if (b->n_errors == before)
		return;
	b->n_rejected++;
	if (b->reject && raw)
		b->reject(line, raw, len, buf_cstr(&b->row_why), b->reject_ctx);
}

size_t csvio_problem_count(const struct csvio_batch *b)
{
	return b->problems.n;
}

static int cmp_long(const void *x, const void *y)
{
	long p = *(const long *)x, q = *(const long *)y;
	return p < q ? -1 : p > q;
}

/* Most line numbers or ranges a problem lists before "and N more". */
#define LISTED_RANGES 12

char *csvio_problem_text(const struct csvio_batch *b, size_t i)
{
	long *v = xcalloc(b->n_lines ? b->n_lines : 1, sizeof *v);
	size_t n = 0, ranges = 0, more = 0, any = 0;
	struct buf list = {0};

	for (size_t k = 0; k < b->n_lines; k++) {
		if (b->lines[k].problem != i)
			continue;
		any++;
		if (b->lines[k].line > 0)
			v[n++] = b->lines[k].line;
	}
	if (any == 0) { /* its lines were taken back (import.c starts pass two again) */
		free(v);
		return NULL;
	}
	qsort(v, n, sizeof *v, cmp_long);
	size_t distinct = 0;
	for (size_t k = 0; k < n;) {
		size_t j = k;
		while (j + 1 < n && (v[j + 1] == v[j] || v[j + 1] == v[j] + 1))
			j++;
		for (size_t d = k; d <= j; d++)
			distinct += d == k || v[d] != v[d - 1];
		if (ranges < LISTED_RANGES) {
			if (ranges > 0)
				buf_puts(&list, ", ");
			if (v[j] != v[k])
				buf_printf(&list, "%ld–%ld", v[k], v[j]);
			else
				buf_printf(&list, "%ld", v[k]);
		} else {
			for (size_t d = k; d <= j; d++)
				more += d == k || v[d] != v[d - 1];
		}
		ranges++;
		k = j + 1;
	}
	free(v);
	char *out;
	if (distinct == 0) {
		out = xstrdup(b->problems.items[i]);
	} else {
		if (more > 0) {
			char *l = buf_steal(&list);
			/* TRANSLATORS: "4, 9, 12–30 and 37 more" (line numbers). */
			buf_printf(&list, ngettext("%s and %zu more", "%s and %zu more", more), l,
			    more);
			free(l);
		}
		/* TRANSLATORS: "lines 4, 9, 12–30: column "Date": bad date ..." */
		out = xasprintf(ngettext("line %s: %s", "lines %s: %s", distinct), buf_cstr(&list),
		    b->problems.items[i]);
	}
	buf_free(&list);
	return out;
}

size_t csvio_problems_untold(const struct csvio_batch *b)
{
	return b->n_errors > b->n_lines ? b->n_errors - b->n_lines : 0;
}

void csvio_option_each(const char *list, void (*fn)(const char *item, const char *value, void *ctx),
    void *ctx)
{
	if (!list)
		return;
	char *copy = xstrdup(list);
	for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		while (*tok == ' ' || *tok == '\t')
			tok++;
		size_t n = strlen(tok);
		while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
			tok[--n] = '\0';
		if (n > 0)
			fn(tok, eq, ctx);
	}
	free(copy);
}

const char *csvio_reject_column(void)
{
	/* TRANSLATORS: the header of the column a rejects file adds. */
	return _("import error");
}

int csvio_write_reject(FILE *f, const char *raw, size_t len, char delim, const char *why)
{
	size_t body = len;
	const char *eol = "\n";

	if (body > 0 && raw[body - 1] == '\n')
		body--;
	if (body > 0 && raw[body - 1] == '\r')
		body--, eol = "\r\n";
	if (fwrite(raw, 1, body, f) != body || fputc(delim, f) == EOF ||
	    csv_fwrite(f, why, strlen(why)) != 0 || fputs(eol, f) == EOF)
		return CB_EIO;
	return 0;
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
	struct csvio_row row = {.c = *c,
	    .line = line,
	    .fields = fields,
	    .raw = b->cur_raw,
	    .raw_len = b->cur_raw_len};
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
	struct buf raw; /* the text of the row being read (when b->reject is set) */
	/* From the header row. */
	bool have_header;
	bool header_bad;
	int *col_field; /* per column: field index, or -1 when ignored */
	char **col_name;
	size_t n_cols;
	bool join_name; /* several columns ("Фамилия", "Имя") make up the name */
};

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

/* Whether column header h is the error column of a rejects file. */
static bool is_reject_column(const char *h)
{
	return strcmp(h, csvio_reject_column()) == 0 || strcmp(h, "import error") == 0;
}

struct option_check {
	struct reader *r;
	const char *opt;
};

/* Checks that an --map or --ignore entry names a column of the header,
 * so a typo in an option is not silently ignored. */
static void check_option_name(const char *name, const char *value, void *ctx)
{
	struct option_check *oc = ctx;
	bool found = false;

	(void)value;
	for (size_t i = 0; i < oc->r->n_cols && !found; i++)
		found = strcmp(oc->r->col_name[i], name) == 0;
	if (!found) {
		csvio_batch_error(oc->r->b, 0, _("%s: the file has no column \"%s\""), oc->opt,
		    name);
		oc->r->header_bad = true;
	}
}

/* The field of column i of the header, or -1 with the problem recorded
 * (*alias set when a built-in alias named it). */
static int header_field(struct reader *r, size_t i, long line, bool *alias)
{
	const char *h = r->col_name[i];
	char *mapped = option_lookup(r->opt ? r->opt->map : NULL, h);
	char *ignored = option_lookup(r->opt ? r->opt->ignore : NULL, h);
	const char *a;
	int f = -1;

	*alias = false;
	if (utf8_invalid_at(h, strlen(h)) >= 0) {
		csvio_batch_error(r->b, line, _("column %zu: header is not valid UTF-8"), i + 1);
		r->header_bad = true;
	} else if (ignored || is_reject_column(h)) {
		/* Ignored explicitly, or the error column of a rejects file. */
	} else if (mapped) {
		f = field_by_header(mapped);
		if (f < 0) {
			csvio_batch_error(r->b, 0,
			    _("--map: \"%s=%s\": unknown field \"%s\" (fields: %s)"), h, mapped,
			    mapped, case_field_list());
			r->header_bad = true;
		}
	} else if ((f = field_by_header(h)) < 0 && (a = header_alias_find(h)) != NULL) {
		f = case_field_find(a);
		*alias = true;
	} else if (f < 0) {
		csvio_batch_error(r->b, line,
		    _("unknown column \"%s\" (known: %s); name it with --map '%s=FIELD' or "
		      "skip it with --ignore '%s'"),
		    h, case_field_list(), h, h);
		r->header_bad = true;
	}
	free(mapped);
	free(ignored);
	return f;
}

/* Refuses a header that names a column twice or gives a field twice;
 * only the name may come from several aliased columns, which are joined. */
static void check_twice(struct reader *r, size_t i, int f, bool alias, bool *col_alias, long line)
{
	const char *h = r->col_name[i];

	for (size_t j = 0; j < i; j++) {
		if (strcmp(r->col_name[j], h) == 0) {
			csvio_batch_error(r->b, line,
			    _("duplicate column \"%s\" (columns %zu and %zu)"), h, j + 1, i + 1);
			r->header_bad = true;
			return;
		}
		if (f >= 0 && r->col_field[j] == f) {
			if (f == FIELD_NAME && alias && col_alias[j]) {
				r->join_name = true;
				continue;
			}
			csvio_batch_error(r->b, line,
			    _("columns \"%s\" and \"%s\" both give field %s"), r->col_name[j], h,
			    case_fields[f].name);
			r->header_bad = true;
			return;
		}
	}
}

static void read_header(struct reader *r, long line)
{
	r->n_cols = r->n_fields;
	r->col_field = xcalloc(r->n_cols, sizeof *r->col_field);
	r->col_name = xcalloc(r->n_cols, sizeof *r->col_name);
	bool *col_alias = xcalloc(r->n_cols ? r->n_cols : 1, sizeof *col_alias);
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
		if (r->col_name[i][0] == '\0') {
			/* Spreadsheets add unnamed trailing columns; fine while empty. */
			r->col_field[i] = COL_UNNAMED;
			continue;
		}
		int f = header_field(r, i, line, &col_alias[i]);
		check_twice(r, i, f, col_alias[i], col_alias, line);
		r->col_field[i] = f;
		if (f >= 0 && col_alias[i]) {
			/* TRANSLATORS: one column read through a built-in header name. */
			char *s = xasprintf(_("\"%s\" as %s"), r->col_name[i], case_fields[f].name);
			strlist_add(&r->b->aliased, s);
			free(s);
		}
	}
	free(col_alias);
	if (r->opt) {
		struct option_check map = {r, "--map"}, ign = {r, "--ignore"};
		csvio_option_each(r->opt->map, check_option_name, &map);
		csvio_option_each(r->opt->ignore, check_option_name, &ign);
	}
	r->have_header = true;
	if (r->header_bad)
		r->b->fatal = true;
	else if (r->b->reject)
		r->b->reject(0, (const char *)r->raw.p, r->raw.len, NULL, r->b->reject_ctx);
}

/* Records a problem with the cell of column col: named as the file names
 * the column. msg is the setter's message, which starts with the field's
 * own name ("injuries: ..."); a column of another name says which. */
static void cell_error(struct reader *r, long line, size_t col, int f, const char *msg)
{
	const char *fname = case_fields[f].name;
	size_t n = strlen(fname);
	bool prefixed = strncmp(msg, fname, n) == 0 && strncmp(msg + n, ": ", 2) == 0;

	if (strcmp(r->col_name[col], fname) == 0) {
		if (prefixed)
			csvio_batch_error(r->b, line, "%s", msg);
		else
			csvio_batch_error(r->b, line, "%s: %s", fname, msg);
		return;
	}
	if (prefixed)
		msg += n + 2;
	/* TRANSLATORS: «» in Russian and Kazakh. */
	csvio_batch_error(r->b, line, _("column \"%s\": %s"), r->col_name[col], msg);
}

/* The name from several columns, their non-empty cells joined by spaces. */
static char *joined_name(struct reader *r)
{
	struct buf b = {0};

	for (size_t i = 0; i < r->n_cols; i++) {
		if (r->col_field[i] != FIELD_NAME || r->fields[i].len == 0)
			continue;
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_put(&b, r->fields[i].s, r->fields[i].len);
	}
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

/* Sets column i's cell; false when it is refused (the problem recorded). */
static bool read_cell(struct reader *r, long line, size_t i, struct case_record *c,
    uint32_t *fields, bool *name_done)
{
	const struct field_text *t = &r->fields[i];
	int f = r->col_field[i];
	long at;
	struct cb_err e = {0};

	if (f == COL_UNNAMED && t->len > 0) {
		csvio_batch_error(r->b, line,
		    _("column %zu has no name in the header but holds a value; name it or "
		      "remove it"),
		    i + 1);
		return false;
	}
	if (f < 0)
		return true;
	if (memchr(t->s, '\0', t->len)) {
		cell_error(r, line, i, f, _("contains a NUL byte"));
		return false;
	}
	if ((at = utf8_invalid_at(t->s, t->len)) >= 0) {
		char *m = xasprintf(_("invalid UTF-8 (byte 0x%02x at offset %ld); save the file "
		                      "as UTF-8"),
		    (unsigned char)t->s[at], at);
		cell_error(r, line, i, f, m);
		free(m);
		return false;
	}
	*fields |= 1u << f;
	if (f == FIELD_NAME && r->join_name) {
		if (*name_done)
			return true;
		*name_done = true;
		char *v = joined_name(r);
		int rc = case_set_field(c, f, v, true, &e);
		free(v);
		if (rc != 0)
			cell_error(r, line, i, f, e.msg);
		return rc == 0;
	}
	if (t->len == 0)
		return true;
	if (case_set_field(c, f, t->s, true, &e) != 0) {
		cell_error(r, line, i, f, e.msg);
		return false;
	}
	return true;
}

static void read_row(struct reader *r, long line)
{
	bool blank = true, bad = false, name_done = false;
	size_t before = r->b->n_errors;

	for (size_t i = 0; i < r->n_fields && blank; i++)
		blank = r->fields[i].len == 0;
	if (blank) /* e.g. ",,,," rows that spreadsheets leave at the end */
		return;
	csvio_row_begin(r->b);
	if (r->n_fields != r->n_cols) {
		csvio_batch_error(r->b, line,
		    ngettext("wrong column count: %zu field, the header has %zu",
		        "wrong column count: %zu fields, the header has %zu", r->n_fields),
		    r->n_fields, r->n_cols);
		csvio_row_end(r->b, line, (const char *)r->raw.p, r->raw.len, before);
		return;
	}

	struct case_record c;
	uint32_t fields = 0;

	case_init(&c);
	for (size_t i = 0; i < r->n_cols; i++)
		bad |= !read_cell(r, line, i, &c, &fields, &name_done);
	if (!bad) {
		struct cb_err e = {0};
		if (case_validate(&c, &e) != 0) {
			csvio_batch_error(r->b, line, "%s", e.msg);
			bad = true;
		}
	}
	if (bad) {
		case_free(&c);
		csvio_row_end(r->b, line, (const char *)r->raw.p, r->raw.len, before);
		return;
	}
	r->b->cur_raw = (const char *)r->raw.p;
	r->b->cur_raw_len = r->raw.len;
	csvio_batch_keep(r->b, &c, line, fields);
	r->b->cur_raw = NULL;
	r->b->cur_raw_len = 0;
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

/* Excel's "sep=;" first line, which names the delimiter and is no row. */
static bool is_sep_line(const char *s, size_t n)
{
	return n >= 5 && memcmp(s, "sep=", 4) == 0 && (n == 5 || s[5] == '\r' || s[5] == '\n');
}

/* Only spaces are trimmed from unquoted cells when tabs separate them. */
static int space_only(unsigned char c)
{
	return c == ' ';
}

/* Frees what a reader holds. */
static void reader_free(struct reader *r)
{
	clear_fields(r);
	free(r->fields);
	for (size_t i = 0; i < r->n_cols; i++)
		free(r->col_name[i]);
	free(r->col_name);
	free(r->col_field);
	buf_free(&r->raw);
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
	b->delim = opt && opt->delimiter ? opt->delimiter : ',';
	csv_set_delim(&p, (unsigned char)b->delim);
	if (b->delim == '\t')
		csv_set_space_func(&p, space_only);
	/* Feeding one physical line at a time lets every row know the line it
	 * starts on, also when quoted fields hold line breaks. */
	while (!b->stopped && (n = getline(&chunk, &cap, f)) > 0) {
		const char *s = chunk;
		size_t len = (size_t)n;

		r.line++;
		if (r.line == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3, len -= 3;
		if (r.line == 1 && is_sep_line(s, len))
			continue;
		if (r.row_start == 0 && !is_blank_line(s, len))
			r.row_start = r.line;
		if (b->reject) {
			if (r.row_start == 0 || r.row_start == r.line)
				r.raw.len = 0;
			buf_put(&r.raw, s, len);
		}
		if (csv_parse(&p, s, len, on_field, on_row, &r) != len) {
			csvio_batch_error(b, r.row_start ? r.row_start : r.line,
			    _("malformed CSV: %s (a quote inside a field must be doubled, and a "
			      "quoted field closed)"),
			    csv_strerror(csv_error(&p)));
			b->fatal = true;
			rc = CB_EINVAL;
			break;
		}
	}
	if (ferror(f)) {
		rc = cb_err_set(err, CB_EIO, _("%s: cannot read the file"), name);
	} else if (rc == 0 && !b->stopped && csv_fini(&p, on_field, on_row, &r) != 0) {
		csvio_batch_error(b, r.row_start ? r.row_start : r.line,
		    _("malformed CSV: a quoted field is not closed before the end of the file"));
		b->fatal = true;
	}
	free(chunk);
	reader_free(&r);
	csv_free(&p);
	if (rc == CB_EIO)
		return rc;
	if (!r.have_header && b->n_errors == 0) {
		csvio_batch_error(b, 0,
		    _("the file is empty: it needs a header row naming the columns"));
		b->fatal = true;
	}
	if (b->n_errors > 0)
		return csvio_errors_summary(err, CB_EINVAL, name, b->n_errors);
	return 0;
}
