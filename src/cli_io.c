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

static void print_batch_errors(const char *cmd, const struct csvio_batch *b)
{
	for (size_t i = 0; i < b->errors.n; i++) {
		char *clean = text_sanitize(b->errors.items[i], 0);
		fprintf(stderr, "casebook: %s: %s\n", cmd, clean);
		free(clean);
	}
	if (b->n_errors > b->errors.n)
		fprintf(stderr, _("casebook: %s: ... and %zu more\n"), cmd,
		    b->n_errors - b->errors.n);
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

enum { O_DRY_RUN = 1, O_MAP, O_IGNORE, O_FORMAT, O_NO_META, O_OUTPUT, O_RAW };

static const struct cli_option import_options[] = {
    {O_DRY_RUN, "dry-run", 'n', NULL, N_("check every row and report; write nothing")},
    {O_FORMAT, "format", 0, N_("csv|json"),
        N_("the file's format (default: from its name or content)")},
    {O_MAP, "map", 0, N_("'Header=field,...'"), N_("read column Header as field")},
    {O_IGNORE, "ignore", 0, N_("'Header,...'"), N_("leave these columns out")},
    {O_RAW, "raw", 0, NULL, N_("keep a leading apostrophe in cells (a file from export --raw)")},
    {0},
};

/* The file being imported. */
struct input {
	FILE *f;
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
	return rc;
}

/* Opens file ("-": standard input, made seekable) and decides its
 * format (format, else by its name or content). Returns 0 or an exit
 * status after saying what was wrong. */
static int open_input(const char *file, const char *format, struct input *in, struct csvio_batch *b)
{
	bool from_stdin = strcmp(file, "-") == 0;
	struct stat sb;

	in->name = from_stdin ? _("standard input") : file;
	in->f = from_stdin ? rereadable_stdin() : fopen(file, "r");
	if (!in->f) {
		char *clean = text_sanitize(in->name, 0);
		fprintf(stderr, _("casebook: import: cannot open %s: %s\n"), clean,
		    strerror(errno));
		free(clean);
		return EXIT_USER;
	}
	in->json = format
	    ? strcmp(format, "json") == 0
	    : has_suffix(file, ".json") || (!has_suffix(file, ".csv") && jsonio_sniff(in->f));
	if (isatty(STDERR_FILENO) && fstat(fileno(in->f), &sb) == 0 && sb.st_size > PROGRESS_BYTES)
		b->progress = show_progress;
	return 0;
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
	const char *format = cli_arg(a, O_FORMAT);
	bool dry_run = cli_flag(a, O_DRY_RUN);
	struct input in = {.opt = &opt};
	struct import_plan plan = {0};
	struct import_stats stats;
	struct store *st = NULL;
	struct csvio_batch b;
	struct cb_err err = {0};
	int status = 0, rc;

	if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return cli_usage("import", _("unknown format \"%s\" (csv or json)"), format);
	csvio_batch_init(&b);
	if ((status = open_input(a->words[0], format, &in, &b)) != 0)
		return status;
	rc = import_scan(&plan, db_exists(cli->dbdir) ? cli->dbdir : NULL, read_input, &in, &b,
	    &err);
	if (in.f != stdin)
		fclose(in.f);
	if (rc == 0) {
		b.progress_ctx = (void *)_("writing");
		if (dry_run && db_exists(cli->dbdir))
			status = cli_store(cli, false, &st);
		else if (!dry_run)
			status = cli_store(cli, true, &st);
		if (status == 0)
			rc = import_stream(st, &plan, &b, dry_run, &stats, &err);
		if (b.progress)
			fputc('\n', stderr);
	}
	import_plan_free(&plan);
	if (status == 0 && rc != 0) {
		print_batch_errors("import", &b);
		if (rc != CB_EIO)
			cb_err_prefix(&err, "%s", in.name);
		status = cli_fail(&err);
	}
	csvio_batch_free(&b);
	if (status != 0)
		return status;
	unsigned long total = (unsigned long)(stats.added + stats.updated);
	if (dry_run)
		printf(ngettext("would import %lu case (%zu new, %zu updated, %zu unchanged); "
		                "nothing written\n",
		           "would import %lu cases (%zu new, %zu updated, %zu unchanged); nothing "
		           "written\n",
		           total),
		    total, stats.added, stats.updated, stats.unchanged);
	else
		printf(ngettext("imported %lu case (%zu new, %zu updated, %zu unchanged)\n",
		           "imported %lu cases (%zu new, %zu updated, %zu unchanged)\n", total),
		    total, stats.added, stats.updated, stats.unchanged);
	return EXIT_OK;
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
	if (!status)
		status = parse_filter("export", a->words, a->n_words, &q);
	if (status || (status = cli_store(cli, false, &st)) != 0) {
		query_free(q);
		return status;
	}
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
	if (!status)
		status = parse_filter("report", a->words, a->n_words, &q);
	if (status || (status = cli_store(cli, false, &st)) != 0) {
		query_free(q);
		return status;
	}
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
       "'Header,...']"),
    N_("add or update cases from CSV or JSON, all or nothing"),
    N_("Adds (and, for rows with an id, updates) cases from a CSV or JSON file: every row is "
       "checked first, then all are written, or none."),
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
