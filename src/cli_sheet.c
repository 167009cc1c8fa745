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

#include "query.h"
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

/* The value of option argv[*i] ("--width 60" or "--width=60"); NULL when missing. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static bool is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int parse_args(int argc, char **argv, struct sheet_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		if (strcmp(arg, "--redact") == 0) {
			a->o.redact = true;
		} else if (strcmp(arg, "--unredacted") == 0) {
			a->o.unredacted = true;
		} else if (is_opt(arg, "--format")) {
			if (!(v = opt_value(argc, argv, &i, "--format")))
				return cli_usage("sheet", "%s", _("--format needs text or pdf"));
			a->format = v;
		} else if (is_opt(arg, "--width")) {
			char *end;
			if (!(v = opt_value(argc, argv, &i, "--width")))
				return cli_usage(
				    "sheet", "%s", _("--width needs a number of columns"));
			errno = 0;
			long w = strtol(v, &end, 10);
			if (errno || end == v || *end || w < SHEET_MIN_WIDTH || w > SHEET_MAX_WIDTH)
				return cli_usage("sheet",
				    _("bad width \"%s\" (a number of columns, %d to %d)"), v,
				    SHEET_MIN_WIDTH, SHEET_MAX_WIDTH);
			a->o.width = (int)w;
		} else if (is_opt(arg, "--filter")) {
			if (!(v = opt_value(argc, argv, &i, "--filter")))
				return cli_usage(
				    "sheet", "%s", _("--filter needs a filter, e.g. city:Almaty"));
			if (a->filter.len)
				buf_putc(&a->filter, ' ');
			buf_puts(&a->filter, v);
			a->have_filter = true;
		} else if (strcmp(arg, "-o") == 0 || is_opt(arg, "--output")) {
			v = strcmp(arg, "-o") == 0 ? (i + 1 < argc ? argv[++i] : NULL)
			                           : opt_value(argc, argv, &i, "--output");
			if (!v || !*v)
				return cli_usage("sheet", "%s", _("-o needs a file name"));
			a->out = v;
		} else if (strncmp(arg, "-o", 2) == 0) {
			a->out = arg + 2;
		} else if (arg[0] == '-' && arg[1]) {
			return cli_usage("sheet", _("unknown option %s"), arg);
		} else {
			uint64_t id;
			int rc = cli_parse_id(arg, &id);
			if (rc != 0)
				return rc;
			a->ids = xreallocarray(a->ids, a->n_ids + 1, sizeof *a->ids);
			a->ids[a->n_ids++] = id;
		}
	}
	if (a->n_ids && a->have_filter)
		return cli_usage("sheet", "%s", _("give case ids or --filter, not both"));
	if (!a->n_ids && !a->have_filter)
		return cli_usage("sheet", "%s", _("give case ids or --filter FILTER"));
	if (a->o.redact && a->o.unredacted)
		return cli_usage(
		    "sheet", "%s", _("--redact and --unredacted contradict each other"));
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

/* Writes the sheets to path, created (or truncated) owner-only. */
static int write_file(const char *path, const struct buf *b)
{
	struct stat sb;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		goto fail;
	/* An existing file keeps its old mode through O_CREAT: tighten it.
	 * Only regular files: -o /dev/stdout must not chmod a terminal. */
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & 077) &&
	    fchmod(fd, 0600) != 0)
		goto fail_fd;
	if (util_write_all(fd, b->p, b->len) != 0)
		goto fail_fd;
	if (close(fd) != 0)
		goto fail;
	return 0;
fail_fd:
	close(fd);
fail:;
	char *clean = text_sanitize(path, 0);
	fprintf(stderr, _("casebook: sheet: cannot write %s: %s\n"), clean, strerror(errno));
	free(clean);
	return EXIT_USER;
}

int cmd_sheet(struct cli *cli, int argc, char **argv)
{
	struct sheet_args a = {0};
	struct cb_err err = {0};
	struct buf out = {0};
	struct sheet_pdf *pdf = NULL;
	struct store *st;
	int rc;

	sheet_options_init(&a.o);
	if ((rc = parse_args(argc, argv, &a)) != 0)
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

	if (a.o.format == SHEET_FORMAT_PDF)
		pdf = sheet_pdf_begin(&a.o, &out);
	for (size_t i = 0; i < a.n_ids && rc == 0; i++) {
		struct case_record c;
		case_init(&c);
		if (store_get(st, a.ids[i], &c, &err) != 0) {
			rc = cli_fail(&err);
		} else {
			if (c.confidentiality == CONF_RESTRICTED && !a.o.redact && !a.o.unredacted)
				fprintf(stderr,
				    _("casebook: sheet: case %llu is restricted: printed "
				      "redacted (--unredacted prints it in full)\n"),
				    (unsigned long long)c.id);
			if (pdf) {
				sheet_pdf_add(pdf, &c);
			} else {
				if (i > 0)
					buf_putc(&out, '\f');
				sheet_render_text(&c, &a.o, &out);
			}
		}
		case_free(&c);
	}
	if (pdf && sheet_pdf_end(pdf, &err) != 0 && rc == 0)
		rc = cli_fail(&err);
	if (rc != 0)
		goto done;
	if (a.out) {
		rc = write_file(a.out, &out);
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
