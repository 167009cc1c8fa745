/* cli.c — global options, the command table, option parsing from each
 * command's table (and its --help), and the core commands: add, show,
 * edit, rm, check. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "casejson.h"
#include "config.h"
#include "datefmt.h"
#include "display.h"
#include "fold.h"
#include "header_alias.h"
#include "person.h"
#include "merge.h"
#include "text.h"
#include "tui.h"
#include "util.h"

#ifndef CASEBOOK_VERSION
#define CASEBOOK_VERSION "0.1"
#endif

/* The commands defined below, in this file. */
static const struct cli_command cli_cmd_add, cli_cmd_show, cli_cmd_edit, cli_cmd_rm;

static const struct cli_command *const commands[] = {
    &cli_cmd_add,
    &cli_cmd_show,
    &cli_cmd_edit,
    &cli_cmd_rm,
    &cli_cmd_set,
    &cli_cmd_searches,
    &cli_cmd_list,
    &cli_cmd_facets,
    &cli_cmd_import,
    &cli_cmd_export,
    &cli_cmd_sheet,
    &cli_cmd_report,
    &cli_cmd_person,
    &cli_cmd_persons,
    &cli_cmd_link,
    &cli_cmd_unlink,
    &cli_cmd_merge,
    &cli_cmd_history,
    &cli_cmd_audit,
    &cli_cmd_undo,
    &cli_cmd_trash,
    &cli_cmd_restore,
    &cli_cmd_purge,
    &cli_cmd_drafts,
    &cli_cmd_check,
    &cli_cmd_backup,
    &cli_cmd_demo,
    &cli_cmd_init,
    &cli_cmd_places,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

/* The brief of each command starts in this column of casebook --help. */
#define BRIEF_COL 40

static void usage(FILE *f)
{
	fprintf(f, "%s",
	    _("usage: casebook [-d DIR] [-r] [COMMAND [ARGS...]]\n"
	      "  with no command: the terminal UI\n"));
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const char *syn = _(commands[i]->synopsis);
		size_t used = 11 + text_width(syn); /* "  casebook " */
		fprintf(f, "  casebook %s", syn);
		if (used + 2 > BRIEF_COL) {
			fputc('\n', f);
			used = 0;
		}
		fprintf(f, "%*s%s\n", (int)(BRIEF_COL - used), "", _(commands[i]->brief));
	}
	fprintf(f, "%s",
	    _("  -d DIR  database directory (default $CASEBOOK_DB, else "
	      "$XDG_DATA_HOME/casebook)\n  -r      read-only\n"
	      "casebook COMMAND --help describes a command and its options.\n"));
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
	const struct cli_command *c = find_command(cmd);
	char *msg, *clean;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die("%s", _("out of memory"));
	va_end(ap);
	clean = text_sanitize(msg, 0);
	fprintf(stderr, "casebook: %s: %s\n", cmd, clean);
	if (c)
		fprintf(stderr, _("usage: casebook %s\n"), _(c->synopsis));
	free(clean);
	free(msg);
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

int cli_parse_rev(const char *cmd, const char *s, uint32_t *rev)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v == 0 || v > UINT32_MAX || s[0] == '-')
		return cli_usage(cmd, _("bad revision \"%s\" (expected a number such as 3)"), s);
	*rev = (uint32_t)v;
	return 0;
}

int cli_no_case(uint64_t id)
{
	fprintf(stderr, _("casebook: no case %llu\n"), (unsigned long long)id);
	return EXIT_USER;
}

bool cli_answer_yes(const char *question)
{
	static const char *const yes[] = {"y", "yes", "д", "да", "и", "иә"};
	char line[64];
	bool ok = false;

	fprintf(stderr, "%s ", question);
	fflush(stderr);
	if (!fgets(line, sizeof line, stdin))
		return false;
	line[strcspn(line, " \t\r\n")] = '\0';
	char *w = fold_text(line);
	for (size_t i = 0; i < sizeof yes / sizeof yes[0] && !ok; i++)
		ok = strcmp(w, yes[i]) == 0;
	free(w);
	return ok;
}

/* ---- options ------------------------------------------------------------ */

const char *cli_arg(const struct cli_args *a, int id)
{
	for (int i = a->n_given - 1; i >= 0; i--)
		if (a->given[i].id == id)
			return a->given[i].val;
	return NULL;
}

bool cli_flag(const struct cli_args *a, int id)
{
	return cli_arg(a, id) != NULL;
}

static const struct cli_option help_option = {
    -1,
    "help",
    0,
    NULL,
    N_("print this help and exit"),
};

/* `casebook CMD --help`: synopsis, what it does, every option. */
static void command_help(const struct cli_command *c)
{
	printf(_("usage: casebook %s\n"), _(c->synopsis));
	printf("%s\n", _(c->summary));
	printf("\n%s\n", _("Options:"));
	for (const struct cli_option *o = c->opts;; o++) {
		if (o->id == 0)
			o = &help_option;
		struct buf b = {0};
		if (o->short_name)
			buf_printf(&b, "-%c, ", o->short_name);
		buf_printf(&b, "--%s", o->name);
		if (o->arg)
			buf_printf(&b, " %s", o->arg);
		printf("  %-22s %s\n", buf_cstr(&b), _(o->help));
		buf_free(&b);
		if (o == &help_option)
			break;
	}
}

/* The option of c that argument s names: "--name", "--name=V" (*inline_val
 * set to V), "-s" or "-sV" (*inline_val set to V). NULL when s names none. */
static const struct cli_option *match_option(const struct cli_command *c, const char *s,
    const char **inline_val)
{
	*inline_val = NULL;
	for (const struct cli_option *o = c->opts; o->id; o++) {
		size_t n = strlen(o->name);
		if (s[1] == '-' && strncmp(s + 2, o->name, n) == 0 &&
		    (s[2 + n] == '\0' || s[2 + n] == '=')) {
			if (s[2 + n] == '=')
				*inline_val = s + 3 + n;
			return o;
		}
		/* "-oVALUE" only where words cannot begin with a dash: in a
		 * filter, "-o..." would be a term excluding something. */
		if (o->short_name && s[1] == o->short_name && s[0] == '-' &&
		    (s[2] == '\0' || (o->arg && !(c->flags & CLI_DASH_WORDS)))) {
			if (s[2])
				*inline_val = s + 2;
			return o;
		}
	}
	return NULL;
}

/* Parses argv[1..] of command c into a. Returns 0, EXIT_USAGE after a
 * message, or -1 when --help was asked for (and printed). */
static int parse_args(const struct cli_command *c, int argc, char **argv, struct cli_args *a)
{
	bool words_only = false;

	a->cmd = c;
	a->n_before_dashes = -1;
	a->words = xcalloc((size_t)argc + 1, sizeof *a->words);
	a->given = xcalloc((size_t)argc + 1, sizeof *a->given);
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *val;
		if (words_only || s[0] != '-' || s[1] == '\0') {
			a->words[a->n_words++] = argv[i];
			continue;
		}
		if (strcmp(s, "--") == 0) {
			words_only = true;
			a->n_before_dashes = a->n_words;
			continue;
		}
		if (strcmp(s, "--help") == 0) {
			command_help(c);
			return -1;
		}
		const struct cli_option *o = match_option(c, s, &val);
		if (!o) {
			if (s[1] != '-' && (c->flags & CLI_DASH_WORDS)) {
				a->words[a->n_words++] = argv[i];
				continue;
			}
			return cli_usage(c->name,
			    _("unknown option %s (casebook %s --help lists them)"), s, c->name);
		}
		if (!o->arg && val)
			return cli_usage(c->name, _("--%s takes no value"), o->name);
		if (o->arg && !val) {
			if (i + 1 >= argc)
				return cli_usage(c->name, _("--%s needs a value (%s)"), o->name,
				    o->arg);
			val = argv[++i];
		}
		a->given[a->n_given++] = (struct cli_given){o->id, val ? val : ""};
	}
	if (a->n_words < c->min_words || (c->max_words >= 0 && a->n_words > c->max_words))
		return cli_usage(c->name, "%s", _(c->words_help));
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
			fprintf(stderr,
			    _("casebook: no database at %s (add a case or run "
			      "`casebook demo` to create one)\n"),
			    dir);
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
		fprintf(stderr,
		    _("casebook: %s is open read-only (-r, or you may not write "
		      "there); nothing was changed\n"),
		    dir);
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
	char *note;
	int rc;

	if ((rc = tui_need_terminal()) != 0 || (rc = open_store(cli, !cli->readonly)) != 0)
		return rc;
	o.note = note = cli_shared_note(cli->dbdir);
	rc = tui_main(cli->st, &o);
	free(note);
	return rc;
}

/* ---- add / edit --------------------------------------------------------- */

/* One FIELD=VALUE of add or edit. FIELD may also be a field's label or a
 * column name as office spreadsheets have it (header_alias.h: "Пол",
 * "Город", "ФИО"), so a line copied from a Russian or Kazakh `show` reads
 * back. */
static int assign_one(struct case_record *c, const char *arg, struct cb_err *err)
{
	const char *eq = strchr(arg, '=');

	if (eq && eq > arg) {
		char *name = xstrndup(arg, (size_t)(eq - arg));
		const char *alias = case_field_find(name) < 0 ? header_alias_find(name) : NULL;
		free(name);
		if (alias) {
			char *as = xasprintf("%s%s", alias, eq);
			int rc = case_assign(c, as, err);
			free(as);
			return rc;
		}
	}
	return case_assign(c, arg, err);
}

static int assign_all(struct case_record *c, int argc, char **argv)
{
	struct cb_err err = {0};

	for (int i = 0; i < argc; i++) {
		if (assign_one(c, argv[i], &err) != 0)
			return cli_fail(&err);
	}
	if (case_validate(c, &err) != 0)
		return cli_fail(&err);
	return 0;
}

static int cmd_add(struct cli *cli, const struct cli_args *a)
{
	struct case_record c;
	struct cb_err err = {0};
	struct store *st;
	int rc;

	case_init(&c);
	if ((rc = assign_all(&c, a->n_words, a->words)) != 0 ||
	    (rc = cli_store(cli, true, &st)) != 0) {
		case_free(&c);
		return rc;
	}
	if (store_add(st, &c, &err) != 0) {
		case_free(&c);
		return cli_fail(&err);
	}
	printf("%llu\n", (unsigned long long)c.id);
	fflush(stdout);
	cli_person_note(st, c.id);
	case_free(&c);
	return EXIT_OK;
}

static const struct cli_option no_options[] = {{0}};

static const struct cli_command cli_cmd_add = {
    "add",
    cmd_add,
    N_("add FIELD=VALUE..."),
    N_("create a case; prints its id"),
    N_("Creates a case from FIELD=VALUE assignments (see FIELDS in casebook(1)) and prints its "
       "id."),
    no_options,
    0,
    1,
    -1,
    N_("give at least one FIELD=VALUE"),
};

enum { O_REV = 1, O_JSON };

static const struct cli_option rev_options[] = {
    {O_REV, "rev", 0, N_("N"), N_("refuse if the case is no longer at revision N")},
    {0},
};

/* The case id (the first word) and the --rev (0 when not given) of cmd;
 * an exit status when either is bad. */
static int parse_id_rev(const char *cmd, const struct cli_args *a, uint64_t *id, uint32_t *rev)
{
	const char *r = cli_arg(a, O_REV);
	int rc;

	*rev = 0;
	if ((rc = cli_parse_id(a->words[0], id)) != 0)
		return rc;
	if (r && (rc = cli_parse_rev(cmd, r, rev)) != 0)
		return rc;
	return 0;
}

/* edit --rev N of a case now at a later revision: the colleague's changes
 * since N and the assignments are merged three-way (merge.h); saved when
 * no field was changed by both, else refused naming each such field with
 * both values. */
static int edit_merged(struct store *st, struct case_record *theirs, uint32_t rev, int n,
    char **words)
{
	struct case_record base, yours, out;
	struct merge_result res = {0};
	struct cb_err err = {0};
	char when[TEXT_TIME_MAX];
	int rc;

	if (merge_base_at(st, theirs->id, rev, &base, &err) != 0) {
		case_free(&base);
		/* Without the base, the conflict is reported as before. */
		err = (struct cb_err){0};
		store_update(st, theirs, rev, &err);
		return cli_fail(&err);
	}
	case_init(&yours);
	case_copy(&yours, &base);
	if ((rc = assign_all(&yours, n, words)) == 0) {
		merge_cases(&base, theirs, &yours, &out, &res);
		datefmt_show_time(when, theirs->updated);
		if (res.n) {
			char *what = merge_describe(&res);
			fprintf(stderr,
			    _("casebook: case %llu was changed by %s at %s since revision %u, and "
			      "you both changed: %s; nothing was saved\n"),
			    (unsigned long long)theirs->id, str_or_empty(theirs->updated_by), when,
			    rev, what);
			free(what);
			rc = EXIT_USER;
		} else if (store_update(st, &out, theirs->rev, &err) != 0) {
			rc = cli_fail(&err);
		} else {
			printf(_("case %llu is now at revision %u (merged with the changes made "
			         "since revision %u)\n"),
			    (unsigned long long)out.id, out.rev, rev);
		}
		merge_result_free(&res);
		case_free(&out);
	}
	case_free(&yours);
	case_free(&base);
	return rc;
}

static int cmd_edit(struct cli *cli, const struct cli_args *a)
{
	struct case_record c;
	struct cb_err err = {0};
	struct store *st;
	uint64_t id;
	uint32_t rev;
	int rc;

	if ((rc = parse_id_rev("edit", a, &id, &rev)) != 0)
		return rc;
	if (a->n_words < 2)
		return cli_usage("edit", "%s", _("give at least one FIELD=VALUE"));
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (store_get(st, id, &c, &err) != 0) {
		case_free(&c);
		return cli_fail(&err);
	}
	/* --rev of an older revision: merged with the changes since (merge.h). */
	if (rev && rev != c.rev) {
		rc = edit_merged(st, &c, rev, a->n_words - 1, a->words + 1);
		case_free(&c);
		return rc;
	}
	/* Without --rev, the revision read here guards against a change that
	 * lands between this read and the write. */
	uint32_t expected = rev ? rev : c.rev;
	if ((rc = assign_all(&c, a->n_words - 1, a->words + 1)) == 0) {
		if (store_update(st, &c, expected, &err) != 0)
			rc = cli_fail(&err);
		else {
			printf(_("case %llu is now at revision %u\n"), (unsigned long long)id,
			    c.rev);
			fflush(stdout);
			cli_person_note(st, id);
		}
	}
	case_free(&c);
	return rc;
}

static const struct cli_command cli_cmd_edit = {
    "edit",
    cmd_edit,
    N_("edit ID [--rev N] FIELD=VALUE..."),
    N_("change fields (--rev: refuse if changed since)"),
    N_("Changes fields of case ID; the other fields keep their values."),
    rev_options,
    0,
    1,
    -1,
    N_("give a case id and at least one FIELD=VALUE"),
};

static int cmd_rm(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t id = 0;
	uint32_t rev;
	int rc;

	if ((rc = parse_id_rev("rm", a, &id, &rev)) != 0)
		return rc;
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (store_delete(st, id, rev, &err) != 0)
		return cli_fail(&err);
	printf(_("case %llu moved to the trash (casebook restore %llu brings it back)\n"),
	    (unsigned long long)id, (unsigned long long)id);
	return EXIT_OK;
}

static const struct cli_command cli_cmd_rm = {
    "rm",
    cmd_rm,
    N_("rm ID [--rev N]"),
    N_("move a case to the trash"),
    N_("Moves case ID to the trash: it leaves every list, count and search, its id "
       "stays reserved and `casebook restore ID` brings it back; its history stays."),
    rev_options,
    0,
    1,
    1,
    N_("give one case id"),
};

/* ---- show --------------------------------------------------------------- */

/* One line of show: the field's name padded to width columns, then its
 * value (continuation lines indented as far). */
static void print_field(const char *name, const char *value, size_t width)
{
	char *clean = text_sanitize(value, 1);
	size_t w = text_width(name);

	printf("%s%*s ", name, (int)(w < width ? width - w : 0), "");
	for (const char *p = clean; *p; p++) {
		putchar(*p);
		if (*p == '\n' && p[1])
			printf("%*s ", (int)width, "");
	}
	putchar('\n');
	free(clean);
}

/* The fields of c that have a value (and the name, always). In Russian
 * and Kazakh names and values are in the language, in a form edit reads
 * back (display.h); in English the keys, as the field syntax has them. */
static void show_text(const struct case_record *c)
{
	size_t width = 16;

	for (int f = 0; f < FIELD__COUNT; f++)
		if (text_width(display_field_name(f)) > width)
			width = text_width(display_field_name(f));
	for (int f = 0; f < FIELD__COUNT; f++) {
		char *v = display_field(c, f);
		if (*v || f == FIELD_NAME)
			print_field(display_field_name(f), *v ? v : case_display_name(c), width);
		free(v);
	}
}

static int cmd_show(struct cli *cli, const struct cli_args *a)
{
	struct case_record c;
	struct cb_err err = {0};
	struct store *st;
	uint64_t id = 0;
	int rc;

	if ((rc = cli_parse_id(a->words[0], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (store_get(st, id, &c, &err) != 0) {
		case_free(&c);
		return cli_fail(&err);
	}
	uint64_t person = 0;
	if (store_person_of_case(st, id, &person, &err) != 0) {
		case_free(&c);
		return cli_fail(&err);
	}
	if (cli_flag(a, O_JSON)) {
		json_t *obj = casejson_from_case(&c);
		json_object_set_new(obj, "person",
		    person ? json_integer((json_int_t)person) : json_null());
		char *s = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s);
		free(s);
		json_decref(obj);
	} else {
		show_text(&c);
	}
	case_free(&c);
	return EXIT_OK;
}

static const struct cli_option show_options[] = {
    {O_JSON, "json", 0, NULL, N_("print the case as a JSON object")},
    {0},
};

static const struct cli_command cli_cmd_show = {
    "show",
    cmd_show,
    N_("show ID [--json]"),
    N_("print one case"),
    N_("Prints every field of case ID that has a value."),
    show_options,
    0,
    1,
    1,
    N_("give one case id"),
};

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

static void guard_emit(struct tty_guard *g, const char *s, size_t n)
{
	struct buf clean = {0};

	text_sanitize_put(&clean, s, n, 1);
	util_write_all(g->fd, clean.p, clean.len);
	buf_free(&clean);
}

static ssize_t guard_write(void *cookie, const char *buf, size_t size)
{
	struct tty_guard *g = cookie;
	struct buf b = {0};

	buf_put(&b, g->carry, g->ncarry);
	buf_put(&b, buf, size);
	size_t tail = text_incomplete_tail((const char *)b.p, b.len);
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

/* Without -d: $CASEBOOK_DB, else the config's `database` (the user's file,
 * else the system's), else the per-user default. */
static const char *default_dbdir(char **owned)
{
	const char *env = getenv("CASEBOOK_DB");
	if (env && *env)
		return env;
	const struct config *cfg = config_get();
	if (cfg->database)
		return cfg->database;
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return *owned = xasprintf("%s/casebook", xdg);
	const char *home = getenv("HOME");
	return *owned = xasprintf("%s/.local/share/casebook", home && *home ? home : ".");
}

/* A bad global option, in our words: getopt's own message would echo the
 * argument raw. */
static int global_usage_error(int opt, const char *arg)
{
	char *clean = text_sanitize(arg, 0);
	if (opt == ':')
		fprintf(stderr, _("casebook: %s needs a value\n"), clean);
	else
		fprintf(stderr, _("casebook: unknown option %s (try casebook --help)\n"), clean);
	free(clean);
	return EXIT_USAGE;
}

/* Parses the command's arguments from its table and runs it. */
static int run_command(struct cli *cli, const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_args a = {0};
	int rc = parse_args(cmd, argc, argv, &a);

	if (rc == 0) {
		char *note = cmd == &cli_cmd_init ? NULL : cli_shared_note(cli->dbdir);
		if (note) {
			fprintf(stderr, "casebook: %s\n", note);
			free(note);
		}
		guard_stdout();
		rc = cmd->run(cli, &a);
	} else if (rc < 0) {
		rc = EXIT_OK; /* --help */
	}
	free(a.words);
	free(a.given);
	return rc;
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

	/* '+': stop at the command, whose own options come after it; ':': no
	 * messages from getopt itself. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:d:rhV", longopts, NULL)) != -1) {
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
		default: {
			/* A short option: optind may still point into its cluster. */
			char shortopt[3] = {'-', (char)optopt, '\0'};
			return global_usage_error(opt, optopt ? shortopt : argv[optind - 1]);
		}
		}
	}
	cli.dbdir = dir ? dir : default_dbdir(&owned);
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		rc = run_tui(&cli);
	} else {
		const struct cli_command *cmd = find_command(argv[0]);
		if (!cmd) {
			char *clean = text_sanitize(argv[0], 0);
			fprintf(stderr,
			    _("casebook: unknown command \"%s\" (try casebook --help)\n"), clean);
			free(clean);
			free(owned);
			return EXIT_USAGE;
		}
		rc = run_command(&cli, cmd, argc, argv);
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
