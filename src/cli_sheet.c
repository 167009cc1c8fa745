/* cli_sheet.c — `casebook sheet ID... | --filter FILTER [--redact]
 * [--unredacted] [--format text|pdf] [--width N] [-o FILE]`: case sheets on
 * stdout or in a file readable only by its owner. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "print.h"
#include "query.h"
#include "safefile.h"
#include "sheet.h"
#include "text.h"
#include "util.h"

struct sheet_args {
	uint64_t *ids;
	size_t n_ids;
	struct buf filter;
	bool have_filter;
	const char *out;
	const char *format;
	struct sheet_options o;
};

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

enum { O_REDACT = 1, O_UNREDACTED, O_FORMAT, O_WIDTH, O_FILTER, O_OUTPUT };

static const struct cli_option sheet_options[] = {
    {O_FILTER, "filter", 0, N_("FILTER"),
        N_("the sheets of every case the filter matches (repeatable)")},
    {O_REDACT, "redact", 0, NULL, N_("initials only; leave out what identifies the person")},
    {O_UNREDACTED, "unredacted", 0, NULL, N_("print restricted cases in full too")},
    {O_FORMAT, "format", 0, N_("text|pdf"), N_("plain text (default: sheet_format) or A4 PDF")},
    {O_WIDTH, "width", 0, N_("N"), N_("text sheets: columns (default: sheet_width, 80)")},
    {O_OUTPUT, "output", 'o', N_("FILE"),
        N_("write into FILE (created owner-only); - for standard output")},
    {0},
};

static int parse_args(const struct cli_args *args, struct sheet_args *a)
{
	const char *v;

	a->o.redact = cli_flag(args, O_REDACT);
	a->o.unredacted = cli_flag(args, O_UNREDACTED);
	a->format = cli_arg(args, O_FORMAT);
	if ((v = cli_arg(args, O_WIDTH))) {
		char *end;
		errno = 0;
		long w = strtol(v, &end, 10);
		if (errno || end == v || *end || w < SHEET_MIN_WIDTH || w > SHEET_MAX_WIDTH)
			return cli_usage("sheet",
			    _("bad width \"%s\" (a number of columns, %d to %d)"), v,
			    SHEET_MIN_WIDTH, SHEET_MAX_WIDTH);
		a->o.width = (int)w;
	}
	for (int i = 0; i < args->n_given; i++) {
		if (args->given[i].id != O_FILTER)
			continue;
		if (a->filter.len)
			buf_putc(&a->filter, ' ');
		buf_puts(&a->filter, args->given[i].val);
		a->have_filter = true;
	}
	if ((v = cli_arg(args, O_OUTPUT))) {
		if (!*v)
			return cli_usage("sheet", "%s", _("-o needs a file name"));
		a->out = v;
	}
	for (int i = 0; i < args->n_words; i++) {
		uint64_t id;
		int rc = cli_parse_id(args->words[i], &id);
		if (rc != 0)
			return rc;
		a->ids = xreallocarray(a->ids, a->n_ids + 1, sizeof *a->ids);
		a->ids[a->n_ids++] = id;
	}
	if (a->n_ids && a->have_filter)
		return cli_usage("sheet", "%s", _("give case ids or --filter, not both"));
	if (!a->n_ids && !a->have_filter)
		return cli_usage("sheet", "%s", _("give case ids or --filter FILTER"));
	if (a->o.redact && a->o.unredacted)
		return cli_usage("sheet", "%s",
		    _("--redact and --unredacted contradict each other"));
	if (a->out && strcmp(a->out, "-") == 0)
		a->out = NULL;
	if (a->format) {
		struct cb_err err = {0};
		if (sheet_format_parse(a->format, &a->o.format, &err) != 0)
			return cli_usage("sheet", "%s", err.msg);
	} else if (a->out && ends_with(a->out, ".pdf")) {
		a->o.format = SHEET_FORMAT_PDF;
	} else if (a->out && ends_with(a->out, ".txt")) {
		a->o.format = SHEET_FORMAT_TEXT;
	}
	return 0;
}

/* The ids a filter matches, in id order. */
static int filter_ids(struct store *st, const char *text, struct sheet_args *a)
{
	struct cb_err err = {0};
	struct query *q = NULL;
	struct query_result *r = NULL;
	struct query_sort sort = {SORT_ID, false};

	if (query_parse(text, &q, &err) != 0)
		return cli_fail(&err);
	if (query_run(st, q, sort, &r, &err) != 0) {
		query_free(q);
		return cli_fail(&err);
	}
	a->n_ids = query_result_count(r);
	a->ids = xreallocarray(a->ids, a->n_ids ? a->n_ids : 1, sizeof *a->ids);
	a->n_ids = query_result_page(r, 0, a->n_ids, a->ids);
	query_result_free(r);
	query_free(q);
	if (a->n_ids == 0) {
		char *clean = text_sanitize(text, 0);
		fprintf(stderr, _("casebook: sheet: no case matches \"%s\"\n"), clean);
		free(clean);
		return EXIT_USER;
	}
	return 0;
}

/* Writes b to path through a private temporary file that takes the name
 * only when complete (safefile.h): never through a link, and a failure
 * leaves an existing file as it was. */
int cli_write_file(const char *cmd, const char *path, const struct buf *b)
{
	struct safefile sf;
	struct cb_err err = {0};

	if (safefile_open(&sf, path, 0, &err) != 0)
		goto fail;
	if (util_write_all(sf.fd, b->p, b->len) != 0) {
		int e = errno;
		safefile_abort(&sf);
		char *clean = text_sanitize(path, 0);
		cb_err_set(&err, CB_EIO, _("cannot write %s: %s; the file was left as it was"),
		    clean, strerror(e));
		free(clean);
		goto fail;
	}
	if (safefile_commit(&sf, &err) != 0)
		goto fail;
	return 0;
fail:
	cb_err_prefix(&err, "%s", cmd);
	return cli_fail(&err);
}

/* Warns about a restricted case that is printed redacted without being asked. */
static void note_restricted(const struct case_record *c, void *ctx)
{
	const struct sheet_options *o = ctx;

	if (c->confidentiality == CONF_RESTRICTED && !o->redact && !o->unredacted)
		fprintf(stderr,
		    _("casebook: sheet: case %llu is restricted: printed "
		      "redacted (--unredacted prints it in full)\n"),
		    (unsigned long long)c->id);
}

static int cmd_sheet(struct cli *cli, const struct cli_args *args)
{
	struct sheet_args a = {0};
	struct cb_err err = {0};
	struct buf out = {0};
	struct store *st;
	int rc;

	/* The config file's defaults, then the command line's options. */
	print_sheet_options(&a.o, config_get());
	if ((rc = parse_args(args, &a)) != 0)
		goto done;
	if (a.o.format == SHEET_FORMAT_PDF && !a.out && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s",
		    _("casebook: sheet: not writing a PDF to the terminal; "
		      "redirect it (> case.pdf) or use -o FILE\n"));
		rc = EXIT_USER;
		goto done;
	}
	if ((rc = cli_store(cli, false, &st)) != 0)
		goto done;
	if (a.have_filter && (rc = filter_ids(st, buf_cstr(&a.filter), &a)) != 0)
		goto done;
	if (print_render(st, a.ids, a.n_ids, &a.o, note_restricted, &a.o, &out, &err) != 0) {
		rc = cli_fail(&err);
		goto done;
	}
	if (a.out) {
		rc = cli_write_file("sheet", a.out, &out);
	} else if (util_write_all(STDOUT_FILENO, out.p, out.len) != 0) {
		fprintf(stderr, _("casebook: sheet: cannot write output: %s\n"), strerror(errno));
		rc = EXIT_USER;
	}
done:
	buf_free(&out);
	buf_free(&a.filter);
	free(a.ids);
	return rc;
}

const struct cli_command cli_cmd_sheet = {
    "sheet",
    cmd_sheet,
    N_("sheet ID... | --filter FILTER [--redact|--unredacted] [--format text|pdf] [--width N] [-o "
       "FILE]"),
    N_("case sheets for a court file or a family (text or PDF)"),
    N_("Prints the case sheets of the cases given by id or by filter, for a court file or a "
       "family."),
    sheet_options,
    0,
    0,
    -1,
    "",
};
