/* cli_query.c — `list` and `facets`: a filter through the query module,
 * written as a table that fits the terminal, CSV, JSON, ids or a count. */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "casejson.h"
#include "config.h"
#include "csvio.h"
#include "datefmt.h"
#include "display.h"
#include "listdoc.h"
#include "print.h"
#include "query.h"
#include "text.h"
#include "util.h"

/* table: for the screen; text and pdf: the list as a document (listdoc.h). */
enum { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_IDS, FMT_TEXT, FMT_PDF };

/* Reports a failed write to stdout (a full disk, a closed pipe). */
static int write_failed(void)
{
	struct cb_err err;
	cb_err_set(&err, CB_EIO, _("cannot write the output"));
	return cli_fail(&err);
}

/* Rows decoded at a time. */
#define CHUNK 512

/* Terminal width: $COLUMNS, else the terminal's, else 80. */
static size_t term_width(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	if (c && atoi(c) > 0)
		return (size_t)atoi(c);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

enum { COL_ID, COL_NAME, COL_DATE, COL_CITY, COL_MEASURES, COL_INJURIES, N_COLS };

static const char *const col_heads[N_COLS] = {
    N_("ID"),
    N_("Name"),
    N_("Date"),
    N_("City"),
    N_("Measures"),
    N_("Injuries"),
};

/* The cells of one case, sanitized. */
static void row_cells(const struct case_record *c, char *cells[N_COLS])
{
	char date[16];

	cells[COL_ID] = xasprintf("%llu", (unsigned long long)c->id);
	cells[COL_NAME] = text_sanitize(case_display_name(c), 0);
	cells[COL_DATE] = xstrdup(datefmt_show(c->date, date));
	/* Places and terms as the user's language names them (display.h). */
	char *s = display_city(c->city, c->region);
	cells[COL_CITY] = text_sanitize(s, 0);
	free(s);
	s = display_items_short(c, FIELD_MEASURES);
	cells[COL_MEASURES] = text_sanitize(s, 0);
	free(s);
	s = display_items_short(c, FIELD_INJURIES);
	cells[COL_INJURIES] = text_sanitize(s, 0);
	free(s);
}

struct table {
	size_t w[N_COLS];
	bool laid_out;
};

/* Column widths from the first rows: natural widths, then the widest
 * flexible column shrinks one column at a time until the line fits. */
static void table_layout(struct table *t, char *(*cells)[N_COLS], size_t n)
{
	size_t width = term_width(), total = 0;

	for (int j = 0; j < N_COLS; j++)
		t->w[j] = text_width(_(col_heads[j]));
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < N_COLS; j++) {
			size_t w = text_width(cells[i][j]);
			if (w > t->w[j])
				t->w[j] = w;
		}
	for (int j = 0; j < N_COLS; j++)
		total += t->w[j] + (j ? 2 : 0);
	while (total > width) {
		int widest = -1;
		for (int j = COL_NAME; j < N_COLS; j++)
			if (j != COL_DATE && t->w[j] > 4 && (widest < 0 || t->w[j] > t->w[widest]))
				widest = j;
		if (widest < 0)
			break;
		t->w[widest]--;
		total--;
	}
	t->laid_out = true;
}

static void table_line(const struct table *t, char *const cells[N_COLS], FILE *f)
{
	struct buf b = {0};
	int last = N_COLS - 1;

	/* Trailing empty columns leave no trailing spaces. */
	while (last > 0 && !*cells[last])
		last--;
	for (int j = 0; j <= last; j++) {
		if (j)
			buf_puts(&b, "  ");
		if (j == COL_ID) { /* numbers right-aligned */
			size_t w = text_width(cells[j]);
			for (; w < t->w[j]; w++)
				buf_putc(&b, ' ');
			text_put_fitted(&b, cells[j], t->w[j], false);
		} else {
			text_put_fitted(&b, cells[j], t->w[j], j < last);
		}
	}
	buf_putc(&b, '\n');
	fwrite(b.p, 1, b.len, f);
	buf_free(&b);
}

/* Writes the rows of ids in the chosen format. */
static int write_rows(struct store *st, const uint64_t *ids, size_t n, int fmt, struct table *t,
    bool *first_json)
{
	struct case_record *cs = xcalloc(n ? n : 1, sizeof *cs);
	size_t got = 0;
	struct cb_err err = {0};
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		rc = store_get(st, ids[i], &cs[got], &err);
		if (rc == CB_ENOTFOUND) { /* deleted since the query ran */
			case_free(&cs[got]);
			rc = 0;
			continue;
		}
		if (rc) {
			case_free(&cs[got]);
			break;
		}
		got++;
	}
	if (!rc && fmt == FMT_TABLE) {
		char *(*cells)[N_COLS] = xcalloc(got ? got : 1, sizeof *cells);
		for (size_t i = 0; i < got; i++)
			row_cells(&cs[i], cells[i]);
		if (!t->laid_out) {
			table_layout(t, cells, got);
			char *heads[N_COLS];
			for (int j = 0; j < N_COLS; j++)
				heads[j] = (char *)_(col_heads[j]);
			table_line(t, heads, stdout);
		}
		for (size_t i = 0; i < got; i++) {
			table_line(t, cells[i], stdout);
			for (int j = 0; j < N_COLS; j++)
				free(cells[i][j]);
		}
		free(cells);
	} else if (!rc && fmt == FMT_CSV) {
		for (size_t i = 0; i < got && !rc; i++)
			rc = csvio_write_case(stdout, &cs[i]);
	} else if (!rc && fmt == FMT_JSON) {
		for (size_t i = 0; i < got; i++) {
			json_t *o = casejson_from_case(&cs[i]);
			char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputs(*first_json ? "[\n" : ",\n", stdout);
			*first_json = false;
			fputs(s ? s : "null", stdout);
			free(s);
			json_decref(o);
		}
	}
	for (size_t i = 0; i < got; i++)
		case_free(&cs[i]);
	free(cs);
	if (rc && rc != CB_EIO)
		return cli_fail(&err);
	if (rc)
		return write_failed();
	return 0;
}

enum { O_SORT = 1, O_FORMAT, O_COUNT, O_OUTPUT, O_WIDTH };

static const struct cli_option list_options[] = {
    {O_SORT, "sort", 0, N_("KEY"), N_("sort by id, date, name, city or hearing; -KEY reverses")},
    {O_FORMAT, "format", 0, N_("FORMAT"),
        N_("table (the default), csv, json, ids, or a document to print: text or pdf")},
    {O_COUNT, "count", 0, NULL, N_("print only the number of matching cases")},
    {O_OUTPUT, "output", 'o', N_("FILE"), N_("text and pdf: write FILE (created 0600)")},
    {O_WIDTH, "width", 0, N_("N"), N_("text: columns of the document (default: sheet_width)")},
    {0},
};

/* The output format named by --format, or -1 after a usage message. */
static int list_format(const char *val)
{
	static const char *const names[] = {[FMT_TABLE] = "table",
	    [FMT_CSV] = "csv",
	    [FMT_JSON] = "json",
	    [FMT_IDS] = "ids",
	    [FMT_TEXT] = "text",
	    [FMT_PDF] = "pdf"};

	if (!val)
		return FMT_TABLE;
	for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
		if (strcmp(val, names[i]) == 0)
			return i;
	cli_usage("list", _("unknown format \"%s\" (known: table, csv, json, ids, text, pdf)"),
	    val);
	return -1;
}

/* --format text or pdf: the whole result as one document (listdoc.h),
 * to -o FILE or standard output. */
static int list_document(struct store *st, struct query_result *r, const char *filter, int fmt,
    const struct cli_args *a)
{
	struct sheet_options o;
	struct cb_err err = {0};
	struct buf out = {0};
	const char *path = cli_arg(a, O_OUTPUT), *width = cli_arg(a, O_WIDTH);
	size_t n = query_result_count(r);
	uint64_t *ids = xcalloc(n ? n : 1, sizeof *ids);
	int rc;

	print_sheet_options(&o, config_get());
	o.format = fmt == FMT_PDF ? SHEET_FORMAT_PDF : SHEET_FORMAT_TEXT;
	if (width) {
		char *end;
		long w = strtol(width, &end, 10);
		if (*end || w < SHEET_MIN_WIDTH || w > SHEET_MAX_WIDTH) {
			free(ids);
			return cli_usage("list",
			    _("--width wants a number from %d to %d, not \"%s\""), SHEET_MIN_WIDTH,
			    SHEET_MAX_WIDTH, width);
		}
		o.width = (int)w;
	}
	n = query_result_page(r, 0, n, ids);
	rc = listdoc_render(st, ids, n, filter, &o, &out, &err);
	free(ids);
	if (rc)
		rc = cli_fail(&err);
	else if (path && strcmp(path, "-") != 0)
		rc = cli_write_file("list", path, &out);
	else if (util_write_all(STDOUT_FILENO, out.p, out.len) != 0)
		rc = write_failed();
	buf_free(&out);
	return rc;
}

static int cmd_list(struct cli *cli, const struct cli_args *a)
{
	struct query_sort sort = {SORT_ID, false};
	struct query *q = NULL;
	struct query_result *r = NULL;
	struct cb_err err = {0};
	struct store *st;
	const char *sort_key = cli_arg(a, O_SORT);
	bool count_only = cli_flag(a, O_COUNT);
	int fmt = list_format(cli_arg(a, O_FORMAT)), rc;

	if (fmt < 0)
		return EXIT_USAGE;
	const char *path = cli_arg(a, O_OUTPUT);
	if ((path || cli_arg(a, O_WIDTH)) && fmt != FMT_TEXT && fmt != FMT_PDF)
		return cli_usage("list", "%s", _("-o and --width are for --format text or pdf"));
	if (fmt == FMT_PDF && (!path || strcmp(path, "-") == 0) && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s",
		    _("casebook: list: not writing a PDF to the terminal; redirect it (> list.pdf) "
		      "or use -o FILE\n"));
		return EXIT_USER;
	}
	if (sort_key && query_sort_parse(sort_key, &sort, &err) != 0)
		return cli_usage("list", "%s", err.msg);
	if (query_parse_argv(a->n_words, a->words, &q, &err) != 0)
		return cli_fail(&err);
	if ((rc = cli_store(cli, false, &st)) != 0) {
		query_free(q);
		return rc;
	}
	if (query_run(st, q, sort, &r, &err) != 0) {
		query_free(q);
		return cli_fail(&err);
	}
	if (!count_only && (fmt == FMT_TEXT || fmt == FMT_PDF)) {
		char *filter = query_to_text(q);
		query_free(q);
		rc = list_document(st, r, filter, fmt, a);
		free(filter);
		query_result_free(r);
		return rc;
	}
	query_free(q);
	size_t total = query_result_count(r);
	if (count_only) {
		printf("%zu\n", total);
		query_result_free(r);
		return EXIT_OK;
	}
	if (fmt == FMT_CSV && csvio_write_header(stdout) != 0) {
		query_result_free(r);
		return write_failed();
	}
	struct table t = {0};
	bool first_json = true;
	uint64_t ids[CHUNK];
	rc = 0;
	for (size_t at = 0; at < total && !rc;) {
		size_t n = query_result_page(r, at, CHUNK, ids);
		if (n == 0)
			break;
		if (fmt == FMT_IDS) {
			for (size_t i = 0; i < n; i++)
				printf("%llu\n", (unsigned long long)ids[i]);
		} else {
			rc = write_rows(st, ids, n, fmt, &t, &first_json);
		}
		at += n;
	}
	query_result_free(r);
	if (fmt == FMT_JSON && !rc)
		fputs(first_json ? "[]\n" : "\n]\n", stdout);
	if (!rc && fflush(stdout) != 0)
		return write_failed();
	return rc;
}

const struct cli_command cli_cmd_list = {
    "list",
    cmd_list,
    N_("list [FILTER...] [--sort KEY] [--format table|csv|json|ids|text|pdf] [-o FILE] [--count]"),
    N_("the cases a filter matches"),
    N_("Lists the cases that match every FILTER term (see FILTERS in casebook(1))."),
    list_options,
    CLI_DASH_WORDS,
    0,
    -1,
    "",
};

static int cmd_facets(struct cli *cli, const struct cli_args *a)
{
	struct query *q = NULL;
	struct cb_err err = {0};
	struct store *st;
	struct facet *fs;
	size_t n;
	int rc;

	if (query_parse_argv(a->n_words - 1, a->words + 1, &q, &err) != 0)
		return cli_fail(&err);
	if ((rc = cli_store(cli, false, &st)) != 0) {
		query_free(q);
		return rc;
	}
	rc = query_facets(st, a->words[0], q, &fs, &n, &err);
	query_free(q);
	if (rc)
		return cli_fail(&err);
	int w = 1;
	if (n)
		w = snprintf(NULL, 0, "%llu", (unsigned long long)fs[0].count);
	for (size_t i = 0; i < n; i++) {
		char *v = text_sanitize(display_term(a->words[0], fs[i].value), 0);
		printf("%*llu  %s\n", w, (unsigned long long)fs[i].count, v);
		free(v);
	}
	query_facets_free(fs, n);
	if (fflush(stdout) != 0)
		return write_failed();
	return EXIT_OK;
}

static const struct cli_option facets_options[] = {{0}};

const struct cli_command cli_cmd_facets = {
    "facets",
    cmd_facets,
    N_("facets FIELD [FILTER...]"),
    N_("values and counts, most first"),
    N_("Counts the cases of each value of FIELD among those that match the FILTER terms."),
    facets_options,
    CLI_DASH_WORDS,
    1,
    -1,
    N_("give a field, e.g. facets city"),
};
