/* cli.c — global options, the command table and the core commands:
 * add, show, edit, rm, history, check. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "casejson.h"
#include "tui.h"
#include "util.h"

#ifndef CASEBOOK_VERSION
#define CASEBOOK_VERSION "0.1"
#endif

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *synopsis;
};

static const struct command commands[] = {
	{"add", cmd_add, N_("add FIELD=VALUE...           create a case; prints its id")},
	{"show", cmd_show, N_("show ID [--json]              print one case")},
	{"edit", cmd_edit, N_("edit ID [--rev N] FIELD=VALUE...  change fields (--rev: refuse if changed since)")},
	{"rm", cmd_rm, N_("rm ID [--rev N]               delete a case")},
	{"list", cmd_list, N_("list [FILTER...] [--sort KEY] [--format table|csv|json|ids] [--count]")},
	{"facets", cmd_facets, N_("facets FIELD [FILTER...]      values and counts, most first")},
	{"import", cmd_import, N_("import FILE|- [--dry-run] [--format csv|json] [--map 'Header=field,...'] [--ignore 'Header,...']")},
	{"export", cmd_export, N_("export [FILTER...] [--format csv|json] [--no-meta] [-o FILE]")},
	{"sheet", cmd_sheet, N_("sheet ID... | --filter FILTER [--redact|--unredacted] [--format text|pdf] [--width N] [-o FILE]")},
	{"report", cmd_report, N_("report [FILTER...] [--format text|md]  bulletin-style summary")},
	{"history", cmd_history, N_("history ID                    who changed a case, and when")},
	{"check", cmd_check, N_("check                         verify records and indexes agree")},
	{"backup", cmd_backup, N_("backup DEST                   consistent hot copy (compacted)")},
	{"demo", cmd_demo, N_("demo                          load the bundled demo data set")},
};

static void usage(FILE *f)
{
	fprintf(f, "%s", _("usage: casebook [-d DIR] [-r] [COMMAND [ARGS...]]\n"
	    "  with no command: the terminal UI\n"));
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  casebook %s\n", _(commands[i].synopsis));
	fprintf(f, "%s", _("  -d DIR  database directory (default $CASEBOOK_DB, else "
	    "$XDG_DATA_HOME/casebook)\n  -r      read-only\n"));
}

int cli_fail(const struct cb_err *err)
{
	char *clean = text_sanitize(err->msg, 0);
	fprintf(stderr, "casebook: %s\n", clean);
	free(clean);
	return cb_exit_status(err->code) ? cb_exit_status(err->code) : EXIT_DB;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "casebook: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			fprintf(stderr, _("usage: casebook %s\n"), _(commands[i].synopsis));
	return EXIT_USAGE;
}

int cli_parse_id(const char *s, uint64_t *id)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || errno || v == 0 || s[0] == '-') {
		char *clean = text_sanitize(s, 0);
		fprintf(stderr, _("casebook: bad case id \"%s\" (expected a number such as 42)\n"),
		    clean);
		free(clean);
		return EXIT_USER;
	}
	*id = v;
	return 0;
}

/* Opens the database once: read-only with -r, else for writing (created
 * when missing if create is set). The store itself falls back to reading
 * when the user may not write there. Returns 0 or an exit status. */
static int open_store(struct cli *cli, bool create)
{
	struct cb_err err = {0};
	struct store_options opt = {0};
	int rc;

	if (cli->st)
		return 0;
	if (cli->readonly)
		opt.flags |= STORE_RDONLY;
	else if (!create)
		opt.flags |= STORE_NOCREATE;
	if ((rc = store_open(&cli->st, cli->dbdir, &opt, &err)) != 0) {
		if (rc == CB_ENOTFOUND && !create) {
			char *dir = text_sanitize(cli->dbdir, 0);
			fprintf(stderr, _("casebook: no database at %s (add a case or run "
			    "`casebook demo` to create one)\n"), dir);
			free(dir);
		} else {
			cli_fail(&err);
		}
		return rc == CB_ENOTFOUND ? EXIT_USER : EXIT_DB;
	}
	return 0;
}

int cli_store(struct cli *cli, bool write, struct store **out)
{
	int rc;

	if ((rc = open_store(cli, write)) != 0)
		return rc;
	if (write && store_readonly(cli->st)) {
		char *dir = text_sanitize(cli->dbdir, 0);
		fprintf(stderr, _("casebook: %s is open read-only (-r, or you may not write "
		    "there); nothing was changed\n"), dir);
		free(dir);
		return EXIT_USER;
	}
	*out = cli->st;
	return 0;
}

/* The terminal UI: a terminal first (so nothing is created for a script
 * that forgot a command), then the database: for writing when the user
 * may, created on first use; else read-only, which the UI says. */
static int run_tui(struct cli *cli)
{
	struct tui_options o = {.dbdir = cli->dbdir, .asked_readonly = cli->readonly};
	int rc;

	if ((rc = tui_need_terminal()) != 0 || (rc = open_store(cli, !cli->readonly)) != 0)
		return rc;
	return tui_main(cli->st, &o);
}

/* ---- add / edit --------------------------------------------------------- */

static int assign_all(struct case_record *c, int argc, char **argv)
{
	struct cb_err err = {0};

	for (int i = 0; i < argc; i++) {
		if (case_assign(c, argv[i], &err) != 0)
			return cli_fail(&err);
	}
	if (case_validate(c, &err) != 0)
		return cli_fail(&err);
	return 0;
}

int cmd_add(struct cli *cli, int argc, char **argv)
{
	struct case_record c;
	struct cb_err err = {0};
	struct store *st;
	int rc;

	if (argc < 2)
		return cli_usage("add", "%s", _("give at least one FIELD=VALUE"));
	case_init(&c);
	if ((rc = assign_all(&c, argc - 1, argv + 1)) != 0 || (rc = cli_store(cli, true, &st)) != 0) {
		case_free(&c);
		return rc;
	}
	if (store_add(st, &c, &err) != 0) {
		case_free(&c);
		return cli_fail(&err);
	}
	printf("%llu\n", (unsigned long long)c.id);
	case_free(&c);
	return EXIT_OK;
}

/* Parses "--rev N" or "--rev=N" at argv[*i]; returns 1 when it was one. */
static int parse_rev(int argc, char **argv, int *i, uint32_t *rev, int *status)
{
	const char *val = NULL;
	char *end;

	if (strcmp(argv[*i], "--rev") == 0) {
		if (*i + 1 >= argc) {
			*status = cli_usage(argv[0], "%s", _("--rev needs a revision number"));
			return 1;
		}
		val = argv[++*i];
	} else if (strncmp(argv[*i], "--rev=", 6) == 0) {
		val = argv[*i] + 6;
	} else {
		return 0;
	}
	errno = 0;
	unsigned long v = strtoul(val, &end, 10);
	if (!*val || *end || errno || v == 0 || v > UINT32_MAX || val[0] == '-')
		*status = cli_usage(argv[0], _("bad revision \"%s\" (expected a number such as 3)"),
		    val);
	else
		*rev = (uint32_t)v;
	return 1;
}

int cmd_edit(struct cli *cli, int argc, char **argv)
{
	struct case_record c;
	struct cb_err err = {0};
	struct store *st;
	uint64_t id;
	uint32_t rev = 0;
	int rc = 0, nassign = 0;
	char **assign;

	if (argc < 3)
		return cli_usage("edit", "%s", _("give a case id and at least one FIELD=VALUE"));
	if ((rc = cli_parse_id(argv[1], &id)) != 0)
		return rc;
	assign = xcalloc((size_t)argc, sizeof *assign);
	for (int i = 2; i < argc && rc == 0; i++) {
		if (!parse_rev(argc, argv, &i, &rev, &rc))
			assign[nassign++] = argv[i];
	}
	if (rc == 0 && nassign == 0)
		rc = cli_usage("edit", "%s", _("give at least one FIELD=VALUE"));
	if (rc == 0)
		rc = cli_store(cli, true, &st);
	if (rc) {
		free(assign);
		return rc;
	}
	if (store_get(st, id, &c, &err) != 0) {
		free(assign);
		case_free(&c);
		return cli_fail(&err);
	}
	/* Without --rev, the revision read here guards against a change that
	 * lands between this read and the write. */
	uint32_t expected = rev ? rev : c.rev;
	if ((rc = assign_all(&c, nassign, assign)) == 0) {
		if (store_update(st, &c, expected, &err) != 0)
			rc = cli_fail(&err);
		else
			printf(_("case %llu is now at revision %u\n"), (unsigned long long)id, c.rev);
	}
	free(assign);
	case_free(&c);
	return rc;
}

int cmd_rm(struct cli *cli, int argc, char **argv)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t id = 0;
	uint32_t rev = 0;
	int rc = 0;
	bool have_id = false;

	for (int i = 1; i < argc && rc == 0; i++) {
		if (parse_rev(argc, argv, &i, &rev, &rc))
			continue;
		if (have_id)
			return cli_usage("rm", "%s", _("give one case id"));
		if ((rc = cli_parse_id(argv[i], &id)) != 0)
			return rc;
		have_id = true;
	}
	if (rc)
		return rc;
	if (!have_id)
		return cli_usage("rm", "%s", _("give a case id"));
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (store_delete(st, id, rev, &err) != 0)
		return cli_fail(&err);
	printf(_("case %llu deleted\n"), (unsigned long long)id);
	return EXIT_OK;
}

/* ---- show --------------------------------------------------------------- */

static void print_field(const char *name, const char *value)
{
	char *clean = text_sanitize(value, 1);
	printf("%-16s ", name);
	for (const char *p = clean; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("%-16s ", "");
	}
	putchar('\n');
	free(clean);
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	struct case_record c;
	struct cb_err err = {0};
	struct store *st;
	uint64_t id = 0;
	bool json = false, have_id = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage("show", _("unknown option %s"), argv[i]);
		} else if (have_id) {
			return cli_usage("show", "%s", _("give one case id"));
		} else {
			if ((rc = cli_parse_id(argv[i], &id)) != 0)
				return rc;
			have_id = true;
		}
	}
	if (!have_id)
		return cli_usage("show", "%s", _("give a case id"));
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (store_get(st, id, &c, &err) != 0) {
		case_free(&c);
		return cli_fail(&err);
	}
	if (json) {
		json_t *obj = casejson_from_case(&c);
		char *s = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(obj);
	} else {
		for (int f = 0; f < FIELD__COUNT; f++) {
			char *v = case_get_field(&c, f);
			if (*v || f == FIELD_NAME)
				print_field(case_fields[f].name, *v ? v : case_display_name(&c));
			free(v);
		}
	}
	case_free(&c);
	return EXIT_OK;
}

/* ---- history ------------------------------------------------------------ */

static int print_history(const struct audit_entry *e, void *ctx)
{
	char when[32];
	time_t t = (time_t)e->time;
	struct tm tm;
	char *user = text_sanitize(e->user, 0);

	(void)ctx;
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	if (e->action == AUDIT_DELETE)
		printf("%s  %-10s %-8s %s %u\n", when, user, audit_action_name(e->action),
		    _("at revision"), e->old_rev);
	else
		printf("%s  %-10s %-8s %s %u\n", when, user, audit_action_name(e->action),
		    _("revision"), e->new_rev);
	free(user);
	return 0;
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t id;
	int rc, n = 0;

	if (argc != 2)
		return cli_usage("history", "%s", _("give one case id"));
	if ((rc = cli_parse_id(argv[1], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (store_history(st, id, print_history, &n, &err) != 0)
		return cli_fail(&err);
	return EXIT_OK;
}

/* ---- check -------------------------------------------------------------- */

static void print_problem(const char *line, void *ctx)
{
	(void)ctx;
	printf("%s\n", line);
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	struct store_check_report rep;
	struct cb_err err = {0};
	struct store *st;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage("check", "%s", _("takes no arguments"));
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	rc = store_check(st, print_problem, NULL, &rep, &err);
	if (rc == CB_ECORRUPT && rep.problems) {
		fprintf(stderr, _("casebook: check: %llu problems in %llu cases\n"),
		    (unsigned long long)rep.problems, (unsigned long long)rep.cases);
		return EXIT_USER;
	}
	if (rc)
		return cli_fail(&err);
	printf(_("ok: %llu cases, %llu index entries, records and indexes agree\n"),
	    (unsigned long long)rep.cases, (unsigned long long)rep.index_entries);
	return EXIT_OK;
}

/* ---- terminal guard ----------------------------------------------------- */

/* When standard output is a terminal, every byte a command prints passes
 * through text_sanitize, so data (a CSV export, a JSON name, a report) can
 * never send escape sequences to the user's terminal. A UTF-8 sequence cut
 * by a buffer boundary is carried over to the next write. */
struct tty_guard {
	int fd;
	char carry[4];
	size_t ncarry;
};

/* Length of an incomplete UTF-8 sequence at the end of p[0..n), or 0. */
static size_t utf8_incomplete_tail(const unsigned char *p, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = p[n - back];
		if ((c & 0xc0) == 0x80)
			continue; /* a continuation byte: look further back */
		size_t need = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

static void guard_emit(struct tty_guard *g, const char *s, size_t n)
{
	char *raw = xstrndup(s, n), *clean = text_sanitize(raw, 1);
	util_write_all(g->fd, clean, strlen(clean));
	free(raw);
	free(clean);
}

static ssize_t guard_write(void *cookie, const char *buf, size_t size)
{
	struct tty_guard *g = cookie;
	struct buf b = {0};

	buf_put(&b, g->carry, g->ncarry);
	buf_put(&b, buf, size);
	size_t tail = utf8_incomplete_tail(b.p, b.len);
	guard_emit(g, (const char *)b.p, b.len - tail);
	memcpy(g->carry, b.p + b.len - tail, tail);
	g->ncarry = tail;
	buf_free(&b);
	return (ssize_t)size;
}

static int guard_close(void *cookie)
{
	struct tty_guard *g = cookie;
	if (g->ncarry)
		guard_emit(g, g->carry, g->ncarry);
	free(g);
	return 0;
}

static void guard_stdout(void)
{
	static const cookie_io_functions_t io = {.write = guard_write, .close = guard_close};
	struct tty_guard *g;
	FILE *f;

	if (!isatty(STDOUT_FILENO))
		return;
	g = xcalloc(1, sizeof *g);
	g->fd = STDOUT_FILENO;
	if (!(f = fopencookie(g, "w", io))) {
		free(g);
		return;
	}
	fflush(stdout);
	setvbuf(f, NULL, _IOLBF, 0);
	stdout = f;
}

/* ---- dispatch ----------------------------------------------------------- */

static const char *default_dbdir(char **owned)
{
	const char *env = getenv("CASEBOOK_DB");
	if (env && *env)
		return env;
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return *owned = xasprintf("%s/casebook", xdg);
	const char *home = getenv("HOME");
	return *owned = xasprintf("%s/.local/share/casebook", home && *home ? home : ".");
}

int cli_main(int argc, char **argv)
{
	struct cli cli = {0};
	char *owned = NULL;
	const char *dir = NULL;
	int opt, rc;
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{0, 0, 0, 0},
	};

	/* '+': stop at the command, whose own options come after it. */
	while ((opt = getopt_long(argc, argv, "+d:rhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'r':
			cli.readonly = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("casebook %s\n", CASEBOOK_VERSION);
			return EXIT_OK;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	cli.dbdir = dir ? dir : default_dbdir(&owned);
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		rc = run_tui(&cli);
	} else {
		const struct command *cmd = NULL;
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(commands[i].name, argv[0]) == 0)
				cmd = &commands[i];
		if (!cmd) {
			char *clean = text_sanitize(argv[0], 0);
			fprintf(stderr, _("casebook: unknown command \"%s\" (try casebook --help)\n"),
			    clean);
			free(clean);
			free(owned);
			return EXIT_USAGE;
		}
		guard_stdout();
		rc = cmd->run(&cli, argc, argv);
	}
	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, _("casebook: cannot write output: %s\n"), strerror(errno));
		rc = EXIT_USER;
	}
	if (fclose(stdout) != 0 && rc == 0)
		rc = EXIT_USER;
	store_close(cli.st);
	free(owned);
	return rc;
}
