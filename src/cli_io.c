/* cli_io.c — import, export, report, backup and demo: the data going in
 * and out of a database. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvio.h"
#include "import.h"
#include "jsonio.h"
#include "query.h"
#include "report.h"
#include "safefile.h"
#include "textconv.h"
#include "text.h"
#include "util.h"

/* The demo data set, examples/demo.csv, built into the binary so that
 * `casebook demo` works from the source tree and after `make install`
 * alike. The path is relative to the top of the tree, where make runs. */
__asm__(".section .rodata\n"
        ".balign 16\n"
        ".globl casebook_demo_csv\n"
        ".hidden casebook_demo_csv\n"
        "casebook_demo_csv:\n"
        ".incbin \"examples/demo.csv\"\n"
        ".globl casebook_demo_csv_end\n"
        ".hidden casebook_demo_csv_end\n"
        "casebook_demo_csv_end:\n"
        ".byte 0\n"
        ".previous\n");
extern const char casebook_demo_csv[];
extern const char casebook_demo_csv_end[];

/* Files above this size show progress on a terminal. */
#define PROGRESS_BYTES (4u << 20)

/* The problems of a batch, each distinct one once with the lines that
 * have it, then how many more there were. */
static void print_batch_errors(const char *cmd, const struct csvio_batch *b)
{
	for (size_t i = 0; i < csvio_problem_count(b); i++) {
		char *line = csvio_problem_text(b, i);
		if (!line)
			continue;
		char *clean = text_sanitize(line, 0);
		fprintf(stderr, "casebook: %s: %s\n", cmd, clean);
		free(clean);
		free(line);
	}
	size_t rest = csvio_problems_untold(b);
	if (rest > 0)
		fprintf(stderr, _("casebook: %s: ... and %zu more\n"), cmd, rest);
}

static void show_progress(size_t rows, void *ctx)
{
	fputc('\r', stderr);
	fprintf(stderr, ngettext("%s: %zu row...", "%s: %zu rows...", rows), (const char *)ctx,
	    rows);
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Whether the database directory holds a database yet (a dry run must
 * not create one). */
static bool db_exists(const char *dir)
{
	char *p = xasprintf("%s/data.mdb", dir);
	struct stat sb;
	bool yes = stat(p, &sb) == 0;
	free(p);
	return yes;
}

/* Standard input as a file that can be read twice: itself when it is one
 * (`< file`), else copied into an unnamed temporary file (tmpfile: mode
 * 0600, gone when closed). NULL with errno set on failure. */
static FILE *rereadable_stdin(void)
{
	char chunk[65536];
	size_t n;
	FILE *t;

	if (fseeko(stdin, 0, SEEK_CUR) == 0)
		return stdin;
	if (!(t = tmpfile()))
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (fwrite(chunk, 1, n, t) != n)
			break;
	if (ferror(stdin) || ferror(t) || fflush(t) != 0) {
		int e = errno ? errno : EIO;
		fclose(t);
		errno = e;
		return NULL;
	}
	rewind(t);
	return t;
}

enum {
	O_DRY_RUN = 1,
	O_MAP,
	O_IGNORE,
	O_FORMAT,
	O_NO_META,
	O_OUTPUT,
	O_RAW,
	O_ENCODING,
	O_DELIMITER,
	O_REJECTS,
	O_PARTIAL
};

static const struct cli_option import_options[] = {
    {O_DRY_RUN, "dry-run", 'n', NULL,
        N_("check every row and report; write nothing into the database")},
    {O_FORMAT, "format", 0, N_("csv|json"),
        N_("the file's format (default: from its name or content)")},
    {O_MAP, "map", 0, N_("'Header=field,...'"), N_("read column Header as field")},
    {O_IGNORE, "ignore", 0, N_("'Header,...'"), N_("leave these columns out")},
    {O_RAW, "raw", 0, NULL, N_("keep a leading apostrophe in cells (a file from export --raw)")},
    {O_ENCODING, "encoding", 0, N_("NAME"),
        N_("the file's encoding (default: detected; e.g. utf-8, windows-1251, koi8-r)")},
    {O_DELIMITER, "delimiter", 0, N_("comma|semicolon|tab"),
        N_("what separates the columns (default: detected)")},
    {O_REJECTS, "rejects", 0, N_("FILE"),
        N_("write the refused rows, with what is wrong, into the new file FILE")},
    {O_PARTIAL, "partial", 0, NULL,
        N_("import the good rows and refuse only the bad ones (default: all or nothing)")},
    {0},
};

/* The file being imported. */
struct input {
	FILE *file; /* as opened */
	struct textconv_stream *text; /* its text as UTF-8 */
	FILE *f; /* what the reader reads */
	const char *name; /* for messages */
	const struct csvio_options *opt;
	bool json;
};

static int read_input(void *ctx, struct csvio_batch *b, struct cb_err *err)
{
	struct input *in = ctx;

	b->progress_ctx = (void *)_("reading");
	int rc = in->json ? jsonio_read(in->f, in->name, in->opt, b, err)
	                  : csvio_read(in->f, in->name, in->opt, b, err);
	if (b->progress)
		fputc('\n', stderr);
	if (rc == CB_EIO && textconv_failed(in->text, err)) {
		cb_err_prefix(err, "%s", in->name);
		b->fatal = true;
	}
	return rc;
}

/* The delimiter an option names: a word or the character itself. */
static char delimiter_named(const char *s)
{
	if (strcmp(s, "comma") == 0 || strcmp(s, ",") == 0)
		return ',';
	if (strcmp(s, "semicolon") == 0 || strcmp(s, ";") == 0)
		return ';';
	if (strcmp(s, "tab") == 0 || strcmp(s, "\t") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	if (strcmp(s, "|") == 0 || strcmp(s, "pipe") == 0)
		return '|';
	return 0;
}

/* Opens file ("-": standard input, made seekable), reads it as UTF-8
 * (encoding, else detected) and decides its format (format, else by its
 * name or content) and a CSV file's delimiter. Returns 0 or an exit
 * status after saying what was wrong. */
static int open_input(const char *file, const char *format, const char *encoding, struct input *in,
    struct csvio_options *opt, struct csvio_batch *b)
{
	bool from_stdin = strcmp(file, "-") == 0;
	struct cb_err err = {0};
	struct stat sb;
	size_t len;

	in->name = from_stdin ? _("standard input") : file;
	in->file = from_stdin ? rereadable_stdin() : fopen(file, "r");
	if (!in->file) {
		char *clean = text_sanitize(in->name, 0);
		fprintf(stderr, _("casebook: import: cannot open %s: %s\n"), clean,
		    strerror(errno));
		free(clean);
		return EXIT_USER;
	}
	if (textconv_open(in->file, encoding, &in->text, &err) != 0) {
		cb_err_prefix(&err, "import: %s", in->name);
		if (in->file != stdin)
			fclose(in->file);
		return cli_fail(&err);
	}
	const char *head = textconv_peek(in->text, &len);
	in->f = textconv_file(in->text);
	in->json = format
	    ? strcmp(format, "json") == 0
	    : has_suffix(file, ".json") || (!has_suffix(file, ".csv") && jsonio_sniff(head, len));
	if (!in->json && !opt->delimiter)
		opt->delimiter = textconv_delimiter(head, len, NULL);
	if (isatty(STDERR_FILENO) && fstat(fileno(in->file), &sb) == 0 &&
	    sb.st_size > PROGRESS_BYTES)
		b->progress = show_progress;
	return 0;
}

static void close_input(struct input *in)
{
	textconv_close(in->text);
	in->text = NULL;
	if (in->file && in->file != stdin)
		fclose(in->file);
	in->file = NULL;
}

/* Says on one line how the file was read, when that was not plain UTF-8
 * with commas and casebook's own column names. */
static void print_reading(const struct input *in, const struct csvio_batch *b)
{
	const char *enc = textconv_stream_name(in->text);
	bool plain = strcmp(enc, textconv_encoding_name(TEXTCONV_UTF8)) == 0;
	struct buf line = {0};

	if (in->json && plain)
		return;
	if (!in->json && plain && b->delim == ',' && b->aliased.n == 0)
		return;
	char *s =
	    in->json ? xasprintf(_("read as %s"), enc) : textconv_summary_named(enc, b->delim);
	buf_puts(&line, s);
	free(s);
	for (size_t i = 0; i < b->aliased.n; i++) {
		/* TRANSLATORS: joins the summary and the list of columns read
		 * through built-in header names: "...; columns: "ФИО" as name, ..." */
		buf_puts(&line, i == 0 ? _("; columns: ") : ", ");
		buf_puts(&line, b->aliased.items[i]);
	}
	char *clean = text_sanitize(buf_cstr(&line), 0), *name = text_sanitize(in->name, 0);
	fprintf(stderr, "casebook: import: %s: %s\n", name, clean);
	free(clean);
	free(name);
	buf_free(&line);
}

/* The rejects file: written while the import reads, kept only when it
 * holds a refused row. */
struct rejects {
	struct safefile sf;
	FILE *f;
	char delim;
	size_t rows;
	size_t rows_at_mark;
	off_t mark; /* where pass two starts; -1 before it */
	bool failed;
};

static void reject_row(long line, const char *raw, size_t len, const char *why, void *ctx)
{
	struct rejects *r = ctx;

	(void)line;
	if (r->failed)
		return;
	if (line == 0) {
		/* The byte-order mark makes spreadsheets read the file as UTF-8. */
		fputs("\xef\xbb\xbf", r->f);
		char *h = xstrndup(raw, len);
		r->failed = csvio_write_reject(r->f, h, len, r->delim, csvio_reject_column()) != 0;
		free(h);
		return;
	}
	r->failed = csvio_write_reject(r->f, raw, len, r->delim, why) != 0;
	r->rows++;
}

static void reject_rewind(void *ctx)
{
	struct rejects *r = ctx;

	if (r->mark < 0) {
		r->mark = ftello(r->f);
		r->rows_at_mark = r->rows;
		return;
	}
	if (fflush(r->f) != 0 || ftruncate(r->sf.fd, r->mark) != 0 ||
	    fseeko(r->f, r->mark, SEEK_SET) != 0)
		r->failed = true;
	r->rows = r->rows_at_mark;
}

/* Starts the rejects file, which must be new. Returns 0 or an exit status. */
static int rejects_open(struct rejects *r, const char *path, struct csvio_batch *b, char delim)
{
	struct cb_err err = {0};
	struct stat sb;

	if (lstat(path, &sb) == 0) {
		char *clean = text_sanitize(path, 0);
		fprintf(stderr,
		    _("casebook: import: --rejects: %s exists already; give the name "
		      "of a new file\n"),
		    clean);
		free(clean);
		return EXIT_USER;
	}
	if (safefile_open(&r->sf, path, SAFEFILE_NOREPLACE, &err) != 0) {
		cb_err_prefix(&err, "import: --rejects");
		return cli_fail(&err);
	}
	r->f = safefile_stream(&r->sf);
	r->delim = delim;
	r->mark = -1;
	b->reject = reject_row;
	b->reject_rewind = reject_rewind;
	b->reject_ctx = r;
	return 0;
}

/* Keeps the rejects file when it holds rows (removes it otherwise) and
 * says where it is. Returns 0 or an exit status. */
static int rejects_close(struct rejects *r, const char *path)
{
	struct cb_err err = {0};
	char *clean = text_sanitize(path, 0);
	int status = 0;

	if (!r->f) {
		free(clean);
		return 0;
	}
	if (r->rows == 0 || r->failed) {
		safefile_abort(&r->sf);
		if (r->failed) {
			fprintf(stderr, _("casebook: import: cannot write %s: %s\n"), clean,
			    strerror(errno));
			status = EXIT_USER;
		}
	} else if (safefile_commit(&r->sf, &err) != 0) {
		cb_err_prefix(&err, "import: --rejects");
		status = cli_fail(&err);
	} else {
		fprintf(stderr,
		    ngettext("casebook: import: %zu refused row is in %s: correct it there and "
		             "import that file\n",
		        "casebook: import: %zu refused rows are in %s: correct them there and "
		        "import that file\n",
		        r->rows),
		    r->rows, clean);
	}
	r->f = NULL;
	free(clean);
	return status;
}

/* What an import did, on standard output. */
static void print_outcome(const struct import_stats *stats, bool dry_run, size_t refused)
{
	unsigned long total = (unsigned long)(stats->added + stats->updated);

	if (dry_run)
		printf(ngettext("would import %lu case (%zu new, %zu updated, %zu unchanged); "
		                "nothing written\n",
		           "would import %lu cases (%zu new, %zu updated, %zu unchanged); nothing "
		           "written\n",
		           total),
		    total, stats->added, stats->updated, stats->unchanged);
	else
		printf(ngettext("imported %lu case (%zu new, %zu updated, %zu unchanged)\n",
		           "imported %lu cases (%zu new, %zu updated, %zu unchanged)\n", total),
		    total, stats->added, stats->updated, stats->unchanged);
	if (refused > 0)
		printf(dry_run ? ngettext("%zu row would be refused\n",
		                     "%zu rows would be refused\n", refused)
		               : ngettext("%zu row refused\n", "%zu rows refused\n", refused),
		    refused);
}

/* Pass two and the outcome: the store opened (not created for a dry run)
 * and the spooled rows written. Returns the exit status. */
static int import_write(struct cli *cli, struct import_plan *plan, struct csvio_batch *b,
    bool dry_run, struct import_stats *stats, struct cb_err *err)
{
	struct store *st = NULL;
	int status = 0, rc = 0;

	b->progress_ctx = (void *)_("writing");
	if (dry_run && db_exists(cli->dbdir))
		status = cli_store(cli, false, &st);
	else if (!dry_run)
		status = cli_store(cli, true, &st);
	if (status == 0)
		rc = import_stream(st, plan, b, dry_run, stats, err);
	if (b->progress)
		fputc('\n', stderr);
	return status ? status : rc;
}

/* Two passes (import.h): every row is read and checked before the store is
 * opened, so a bad file creates no database, and spooled to a private
 * temporary file (in the database directory when it exists); then the
 * spooled rows are written in one transaction. No row is kept in memory. */
static int cmd_import(struct cli *cli, const struct cli_args *a)
{
	struct csvio_options opt = {.map = cli_arg(a, O_MAP),
	    .ignore = cli_arg(a, O_IGNORE),
	    .raw = cli_flag(a, O_RAW)};
	const char *format = cli_arg(a, O_FORMAT), *delim = cli_arg(a, O_DELIMITER);
	const char *rejects_path = cli_arg(a, O_REJECTS);
	bool dry_run = cli_flag(a, O_DRY_RUN);
	struct input in = {.opt = &opt};
	struct import_plan plan = {.partial = cli_flag(a, O_PARTIAL)};
	struct import_stats stats = {0};
	struct rejects rej = {.sf = {.fd = -1}};
	struct csvio_batch b;
	struct cb_err err = {0};
	int status = 0, rc;

	if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return cli_usage("import", _("unknown format \"%s\" (csv or json)"), format);
	if (delim && !(opt.delimiter = delimiter_named(delim)))
		return cli_usage("import", _("unknown delimiter \"%s\" (comma, semicolon or tab)"),
		    delim);
	csvio_batch_init(&b);
	status = open_input(a->words[0], format, cli_arg(a, O_ENCODING), &in, &opt, &b);
	if (status != 0)
		return status;
	if (rejects_path && in.json)
		status = cli_usage("import", "%s", _("--rejects needs a CSV file"));
	else if (rejects_path)
		status = rejects_open(&rej, rejects_path, &b, opt.delimiter);
	if (status != 0) {
		close_input(&in);
		return status;
	}
	rc = import_scan(&plan, db_exists(cli->dbdir) ? cli->dbdir : NULL, read_input, &in, &b,
	    &err);
	print_reading(&in, &b);
	close_input(&in);
	if (rc == 0)
		rc = import_write(cli, &plan, &b, dry_run, &stats, &err);
	import_plan_free(&plan);
	if (rc > 0) { /* an exit status: the store could not be opened */
		status = rc;
		rc = 0;
	}
	print_batch_errors("import", &b);
	if (status == 0 && rc != 0) {
		size_t n = strlen(in.name);
		/* The readers' own summaries name the file already. */
		if (rc != CB_EIO && !(strncmp(err.msg, in.name, n) == 0 && err.msg[n] == ':'))
			cb_err_prefix(&err, "%s", in.name);
		status = cli_fail(&err);
	}
	int rstatus = rejects_close(&rej, rejects_path ? rejects_path : "");
	size_t refused = b.n_rejected;
	csvio_batch_free(&b);
	if (status != 0)
		return status;
	print_outcome(&stats, dry_run, refused);
	if (rstatus != 0)
		return rstatus;
	return refused > 0 && stats.added + stats.updated == 0 ? EXIT_USER : EXIT_OK;
}

/* ---- export ------------------------------------------------------------- */

struct export_ctx {
	FILE *f;
	bool json, no_meta, raw;
	struct jsonio_writer jw;
	struct query_result *res;
};

static int export_one(const struct case_record *c, void *ctx)
{
	struct export_ctx *x = ctx;

	if (x->res && !query_result_contains(x->res, c->id))
		return 0;
	if (x->json)
		return jsonio_write_case(&x->jw, c);
	return csvio_write_case_ex(x->f, c,
	    (x->no_meta ? CSVIO_NO_META : 0) | (x->raw ? CSVIO_RAW : 0));
}

/* Splits a command's arguments into options handled by fn and filter words. */
static int parse_filter(const char *cmd, char **words, int n, struct query **q)
{
	struct cb_err err = {0};

	*q = NULL;
	if (query_parse_argv(n, words, q, &err) != 0) {
		cb_err_prefix(&err, "%s", cmd);
		return cli_fail(&err);
	}
	return 0;
}

/* Once status (a usage error already found, or 0) is 0: the filter of
 * cmd's words, and the store opened to read. On failure nothing is left to
 * free and the exit status is returned. */
static int filter_and_store(struct cli *cli, const char *cmd, const struct cli_args *a, int status,
    struct query **q, struct store **st)
{
	if (!status)
		status = parse_filter(cmd, a->words, a->n_words, q);
	if (status || (status = cli_store(cli, false, st)) != 0) {
		query_free(*q);
		*q = NULL;
	}
	return status;
}

static const struct cli_option export_options[] = {
    {O_FORMAT, "format", 0, N_("csv|json"), N_("the output format (default csv)")},
    {O_NO_META, "no-meta", 0, NULL, N_("leave out id, rev, created, updated and updated_by")},
    {O_RAW, "raw", 0, NULL,
        N_("no apostrophe before cells a spreadsheet would run (for programs)")},
    {O_OUTPUT, "output", 'o', N_("FILE"),
        N_("write into FILE (owner-only, replaced when complete) instead of standard output")},
    {0},
};

static int cmd_export(struct cli *cli, const struct cli_args *a)
{
	const char *format = cli_arg(a, O_FORMAT), *out = cli_arg(a, O_OUTPUT);
	struct export_ctx x = {.no_meta = cli_flag(a, O_NO_META), .raw = cli_flag(a, O_RAW)};
	int status = 0, rc;
	struct query *q = NULL;
	struct store *st;
	struct cb_err err = {0};

	if (!format)
		format = "csv";
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		status = cli_usage("export", _("unknown format \"%s\" (csv or json)"), format);
	if ((status = filter_and_store(cli, "export", a, status, &q, &st)) != 0)
		return status;
	if (q && !query_is_empty(q)) {
		struct query_sort sort = {SORT_ID, false};
		if ((rc = query_run(st, q, sort, &x.res, &err)) != 0) {
			query_free(q);
			return cli_fail(&err);
		}
	}
	query_free(q);
	struct safefile sf = {.fd = -1};
	if (out && safefile_open(&sf, out, 0, &err) != 0) {
		cb_err_prefix(&err, "export");
		query_result_free(x.res);
		return cli_fail(&err);
	}
	x.f = out ? safefile_stream(&sf) : stdout;
	x.json = strcmp(format, "json") == 0;
	rc = !x.f    ? CB_EIO
	    : x.json ? jsonio_write_begin(&x.jw, x.f, x.no_meta)
	             : csvio_write_header_ex(x.f, x.no_meta);
	if (rc == 0)
		rc = store_foreach(st, export_one, &x, &err);
	if (rc == 0 && x.json)
		rc = jsonio_write_end(&x.jw);
	if (x.res)
		query_result_free(x.res);
	/* The file takes the target's name only when it is complete. */
	if (out && rc == 0) {
		if ((rc = safefile_commit(&sf, &err)) != 0) {
			cb_err_prefix(&err, "export");
			return cli_fail(&err);
		}
	} else if (out) {
		int e = errno;
		safefile_abort(&sf);
		errno = e;
	}
	if (rc == CB_EIO) {
		char *clean = out ? text_sanitize(out, 0) : NULL;
		if (out)
			fprintf(stderr,
			    _("casebook: export: cannot write %s: %s; the file was left "
			      "as it was\n"),
			    clean, strerror(errno));
		else
			fprintf(stderr, _("casebook: export: cannot write the output: %s\n"),
			    strerror(errno));
		free(clean);
		return EXIT_USER;
	}
	return rc ? cli_fail(&err) : EXIT_OK;
}

/* ---- report ------------------------------------------------------------- */

static const struct cli_option report_options[] = {
    {O_FORMAT, "format", 0, N_("text|md"), N_("plain text (the default) or Markdown")},
    {0},
};

static int cmd_report(struct cli *cli, const struct cli_args *a)
{
	const char *format = cli_arg(a, O_FORMAT);
	int status = 0, rc;
	struct query *q = NULL;
	struct store *st;
	struct cb_err err = {0};
	struct report r;

	if (!format)
		format = "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "md") != 0)
		status = cli_usage("report", _("unknown format \"%s\" (text or md)"), format);
	if ((status = filter_and_store(cli, "report", a, status, &q, &st)) != 0)
		return status;
	rc = report_build(st, q, &r, &err);
	query_free(q);
	if (rc != 0)
		return cli_fail(&err);
	report_render(stdout, &r, strcmp(format, "md") == 0 ? REPORT_MARKDOWN : REPORT_TEXT);
	report_free(&r);
	return EXIT_OK;
}

/* ---- backup ------------------------------------------------------------- */

static int cmd_backup(struct cli *cli, const struct cli_args *a)
{
	struct store *st;
	struct cb_err err = {0};
	uint64_t n = 0;
	int status;

	if ((status = cli_store(cli, false, &st)) != 0)
		return status;
	/* Counted first: the copy holds at least this snapshot's cases, and
	 * says so only once it is safely written. */
	if (store_count(st, &n, &err) != 0 || store_backup(st, a->words[0], &err) != 0)
		return cli_fail(&err);
	char *dest = text_sanitize(a->words[0], 0);
	printf(ngettext("backed up %lu case to %s (compacted); verify it with: casebook -d %s "
	                "check\n",
	           "backed up %lu cases to %s (compacted); verify it with: casebook -d %s check\n",
	           (unsigned long)n),
	    (unsigned long)n, dest, dest);
	free(dest);
	return EXIT_OK;
}

/* ---- demo --------------------------------------------------------------- */

struct demo_ctx {
	struct csvio_batch *b;
	struct cb_err err;
};

static int demo_write(struct store_txn *tx, void *ctx)
{
	struct demo_ctx *d = ctx;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	for (size_t i = 0; i < d->b->n; i++) {
		d->b->rows[i].c.id = 0; /* a rerun after the map grew starts afresh */
		if ((rc = store_txn_add(tx, &d->b->rows[i].c, &d->err)) != 0)
			return rc;
	}
	if (!gmtime_r(&now, &tm) || strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(stamp, sizeof stamp, "%lld", (long long)now);
	return store_txn_meta_put(tx, "demo_loaded", stamp, &d->err);
}

static int cmd_demo(struct cli *cli, const struct cli_args *a)
{
	struct store *st;
	struct cb_err err = {0};
	struct csvio_batch b;
	struct demo_ctx d = {.b = &b};
	char *when = NULL;
	uint64_t n = 0;
	int status, rc;

	(void)a;
	if ((status = cli_store(cli, true, &st)) != 0)
		return status;
	rc = store_meta_get(st, "demo_loaded", &when, &err);
	if (rc == 0) {
		store_count(st, &n, &err);
		printf(ngettext("the demo data was already loaded (%s); %lu case in %s\n",
		           "the demo data was already loaded (%s); %lu cases in %s\n",
		           (unsigned long)n),
		    when, (unsigned long)n, cli->dbdir);
		free(when);
		return EXIT_OK;
	}
	if (rc != CB_ENOTFOUND)
		return cli_fail(&err);

	size_t len = (size_t)(casebook_demo_csv_end - casebook_demo_csv);
	FILE *f = fmemopen((void *)casebook_demo_csv, len, "r");
	if (!f)
		die("%s", _("out of memory"));
	csvio_batch_init(&b);
	rc = csvio_read(f, "demo.csv", NULL, &b, &err);
	fclose(f);
	if (rc != 0) { /* the bundled file is checked by the tests; never here */
		print_batch_errors("demo", &b);
		csvio_batch_free(&b);
		return cli_fail(&err);
	}
	rc = store_write(st, demo_write, &d, &err);
	if (rc != 0 && d.err.code != 0)
		err = d.err;
	size_t added = b.n;
	csvio_batch_free(&b);
	if (rc != 0)
		return cli_fail(&err);
	store_count(st, &n, &err);
	/* Two counts, two plurals: the second half is its own message. */
	printf(ngettext("loaded the demo data: %zu case of the 24 April and 1 May 2021 protests; ",
	           "loaded the demo data: %zu cases of the 24 April and 1 May 2021 protests; ",
	           added),
	    added);
	printf(ngettext("%lu case in %s\n", "%lu cases in %s\n", (unsigned long)n),
	    (unsigned long)n, cli->dbdir);
	return EXIT_OK;
}

const struct cli_command cli_cmd_import = {
    "import",
    cmd_import,
    N_("import FILE|- [--dry-run] [--format csv|json] [--map 'Header=field,...'] [--ignore "
       "'Header,...'] [--encoding NAME] [--delimiter comma|semicolon|tab] [--partial] "
       "[--rejects FILE]"),
    N_("add or update cases from CSV or JSON, all or nothing"),
    N_("Adds (and, for rows with an id, updates) cases from a CSV or JSON file: every row is "
       "checked first, then all are written, or none (with --partial: the good ones). The "
       "encoding, the delimiter and Russian, Kazakh or English column names are recognised."),
    import_options,
    0,
    1,
    1,
    N_("give one file to import (CSV or JSON, - for stdin)"),
};

const struct cli_command cli_cmd_export = {
    "export",
    cmd_export,
    N_("export [FILTER...] [--format csv|json] [--no-meta] [-o FILE]"),
    N_("cases as CSV or JSON"),
    N_("Writes the cases that match the FILTER terms (all without one) as CSV or JSON."),
    export_options,
    CLI_DASH_WORDS,
    0,
    -1,
    "",
};

const struct cli_command cli_cmd_report = {
    "report",
    cmd_report,
    N_("report [FILTER...] [--format text|md]"),
    N_("bulletin-style summary"),
    N_("Summarises the cases that match the FILTER terms as a monitoring bulletin does."),
    report_options,
    CLI_DASH_WORDS,
    0,
    -1,
    "",
};

static const struct cli_option no_options[] = {{0}};

const struct cli_command cli_cmd_backup = {
    "backup",
    cmd_backup,
    N_("backup DEST"),
    N_("consistent hot copy (compacted)"),
    N_("Copies the database, compacted and consistent, into the directory DEST while others "
       "keep working."),
    no_options,
    0,
    1,
    1,
    N_("give the directory to copy the database into"),
};

const struct cli_command cli_cmd_demo = {
    "demo",
    cmd_demo,
    N_("demo"),
    N_("load the bundled demo data set"),
    N_("Loads the cases of the 24 April and 1 May 2021 protests (once)."),
    no_options,
    0,
    0,
    0,
    N_("takes no arguments"),
};
