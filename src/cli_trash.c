/* cli_trash.c — the commands over the trash (store_trash.h): trash (list
 * the deleted cases, who deleted them when), restore ID and purge
 * ID|--older-than AGE; and drafts, the forms left unsaved. rm itself (cli.c) moves a case into the
 * trash. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "casejson.h"
#include "datefmt.h"
#include "store_drafts.h"
#include "store_trash.h"
#include "text.h"
#include "util.h"

enum { OPT_JSON = 1, OPT_OLDER, OPT_YES, OPT_ALL };

/* "no case N" when id was never a case, else err's message ("case N is
 * not in the trash"). */
static int not_in_trash(struct store *st, uint64_t id, const struct cb_err *err)
{
	struct case_record c;
	struct cb_err gerr = {0};
	int rc = store_get(st, id, &c, &gerr);

	case_free(&c);
	if (rc == CB_ENOTFOUND)
		return cli_no_case(id);
	if (rc == 0) {
		fprintf(stderr, _("casebook: case %llu is not in the trash\n"),
		    (unsigned long long)id);
		return EXIT_USER;
	}
	return cli_fail(err);
}

/* ---- trash -------------------------------------------------------------- */

struct lister {
	json_t *arr;
	uint64_t n;
};

static int list_one(const struct trash_entry *e, void *ctx)
{
	struct lister *l = ctx;
	char when[TEXT_TIME_MAX];

	l->n++;
	if (l->arr) {
		json_t *o = json_object();
		text_time(when, e->deleted_at, TEXT_TIME_UTC);
		json_object_set_new(o, "id", json_integer((json_int_t)e->id));
		json_object_set_new(o, "deleted_at", json_string(when));
		json_object_set_new(o, "deleted_by", json_string(e->deleted_by));
		json_object_set_new(o, "case", casejson_from_case(&e->c));
		json_array_append_new(l->arr, o);
		return 0;
	}
	char *name = text_sanitize(case_display_name(&e->c), 0);
	char *user = text_sanitize(e->deleted_by, 0);
	/* TRANSLATORS: one line of `casebook trash`: id, deletion time, user, name. */
	printf(_("%6llu  deleted %s by %s  %s\n"), (unsigned long long)e->id,
	    datefmt_show_time(when, e->deleted_at), user, name);
	free(name);
	free(user);
	return 0;
}

static int cmd_trash(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct lister l = {0};
	struct store *st;
	int rc;

	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (cli_flag(a, OPT_JSON))
		l.arr = json_array();
	if (store_trash_foreach(st, list_one, &l, &err) != 0) {
		json_decref(l.arr);
		return cli_fail(&err);
	}
	if (l.arr) {
		char *s = json_dumps(l.arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(l.arr);
		if (!s)
			return EXIT_DB;
		printf("%s\n", s);
		free(s);
	} else if (l.n == 0) {
		printf("%s\n", _("The trash is empty."));
	}
	return EXIT_OK;
}

static const struct cli_option trash_options[] = {
    {OPT_JSON, "json", 0, NULL, N_("print the deleted cases as a JSON array")},
    {0},
};

const struct cli_command cli_cmd_trash = {
    "trash",
    cmd_trash,
    N_("trash [--json]"),
    N_("list the deleted cases"),
    N_("Lists the cases in the trash, oldest deletion first, with who deleted them "
       "and when; `casebook restore ID` brings one back."),
    trash_options,
    0,
    0,
    0,
    N_("takes no words"),
};

/* ---- restore ------------------------------------------------------------ */

static int cmd_restore(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t id;
	uint32_t rev;
	int rc;

	(void)a;
	if ((rc = cli_parse_id(a->words[0], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if ((rc = store_restore(st, id, &rev, &err)) != 0)
		return rc == CB_ENOTFOUND ? not_in_trash(st, id, &err) : cli_fail(&err);
	printf(_("case %llu restored (now revision %u)\n"), (unsigned long long)id, rev);
	return EXIT_OK;
}

static const struct cli_option restore_options[] = {{0}};

const struct cli_command cli_cmd_restore = {
    "restore",
    cmd_restore,
    N_("restore ID"),
    N_("bring a case back from the trash"),
    N_("Brings case ID back from the trash with all its fields, as a new revision."),
    restore_options,
    0,
    1,
    1,
    N_("give one case id"),
};

/* ---- purge -------------------------------------------------------------- */

/* Parses an age such as "90d" (days; "12w" weeks) into seconds; -1 when bad. */
static int64_t parse_age(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (end == s || errno || v < 0 || v > 100000 || s[0] == '-')
		return -1;
	if (strcmp(end, "d") == 0)
		return (int64_t)v * 86400;
	if (strcmp(end, "w") == 0)
		return (int64_t)v * 7 * 86400;
	return -1;
}

/* On a terminal, asks question: true for yes (cli_answer_yes). Without a
 * terminal, or with --yes, no question. */
static bool confirm(const struct cli_args *a, const char *question)
{
	if (cli_flag(a, OPT_YES) || !isatty(STDIN_FILENO))
		return true;
	return cli_answer_yes(question);
}

static int purge_older(struct store *st, const struct cli_args *a, const char *age)
{
	struct cb_err err = {0};
	int64_t secs = parse_age(age);
	uint64_t n;
	char q[256];

	if (secs < 0)
		return cli_usage("purge",
		    _("bad age \"%s\" for --older-than (expected days or weeks "
		      "such as 90d or 12w)"),
		    age);
	snprintf(q, sizeof q,
	    _("Purge every case deleted more than %s ago? They cannot be "
	      "restored. [y/N]"),
	    age);
	if (!confirm(a, q)) {
		printf("%s\n", _("Nothing was purged."));
		return EXIT_OK;
	}
	if (store_purge_older(st, (int64_t)time(NULL) - secs, &n, &err) != 0)
		return cli_fail(&err);
	printf(ngettext("%llu case purged from the trash\n", "%llu cases purged from the trash\n",
	           n),
	    (unsigned long long)n);
	return EXIT_OK;
}

static int cmd_purge(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct trash_entry e;
	struct store *st;
	const char *age = cli_arg(a, OPT_OLDER);
	uint64_t id;
	char q[256];
	int rc;

	if ((age && a->n_words) || (!age && a->n_words != 1))
		return cli_usage("purge", "%s", _("give one case id or --older-than AGE"));
	if (!age && (rc = cli_parse_id(a->words[0], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (age)
		return purge_older(st, a, age);
	if ((rc = store_trash_get(st, id, &e, &err)) != 0) {
		trash_entry_free(&e);
		return rc == CB_ENOTFOUND ? not_in_trash(st, id, &err) : cli_fail(&err);
	}
	char *name = text_sanitize(case_display_name(&e.c), 0);
	snprintf(q, sizeof q, _("Purge case %llu (%s) for good? It cannot be restored. [y/N]"),
	    (unsigned long long)id, name);
	free(name);
	trash_entry_free(&e);
	if (!confirm(a, q)) {
		printf("%s\n", _("Nothing was purged."));
		return EXIT_OK;
	}
	if ((rc = store_purge(st, id, &err)) != 0)
		return rc == CB_ENOTFOUND ? not_in_trash(st, id, &err) : cli_fail(&err);
	printf(_("case %llu purged from the trash\n"), (unsigned long long)id);
	return EXIT_OK;
}

static const struct cli_option purge_options[] = {
    {OPT_OLDER, "older-than", 0, N_("AGE"),
        N_("purge every case deleted more than AGE ago (90d, 12w)")},
    {OPT_YES, "yes", 'y', NULL, N_("do not ask, even on a terminal")},
    {0},
};

const struct cli_command cli_cmd_purge = {
    "purge",
    cmd_purge,
    N_("purge ID | --older-than AGE [--yes]"),
    N_("delete cases in the trash for good"),
    N_("Removes case ID (or every case deleted more than AGE ago) from the trash for good; "
       "asks first on a terminal. The purge is recorded in the audit log."),
    purge_options,
    0,
    0,
    1,
    N_("give one case id or --older-than AGE"),
};

/* ---- drafts ------------------------------------------------------------- */

static int list_draft(const struct draft_seen *s, void *ctx)
{
	const struct draft *d = s->d;
	char when[TEXT_TIME_MAX];
	char *user = text_sanitize(d->user, 0);
	int *n = ctx;

	(*n)++;
	printf("%s  ", user);
	free(user);
	if (d->case_id)
		printf(_("case %llu"), (unsigned long long)d->case_id);
	else
		printf("%s", _("a new case"));
	if (s->why) {
		char *why = text_sanitize(s->why, 0);
		/* TRANSLATORS: a draft that does not decode; it is not deleted. */
		printf(_("  cannot be read: %s; kept aside\n"), why);
		free(why);
		return 0;
	}
	printf(_("  changed %s"), datefmt_show_time(when, d->changed));
	if (d->base_rev)
		printf(_("  from revision %u"), d->base_rev);
	const char *name = draft_get(d, "name");
	if (!str_empty(name)) {
		char *clean = text_sanitize(name, 0);
		printf("  %s", clean);
		free(clean);
	}
	putchar('\n');
	return 0;
}

static int cmd_drafts(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	int rc, n = 0;

	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (store_drafts_foreach(st, cli_flag(a, OPT_ALL) ? NULL : util_username(), list_draft, &n,
	        &err) != 0)
		return cli_fail(&err);
	if (n == 0)
		printf("%s\n", _("No unsaved drafts."));
	return EXIT_OK;
}

static const struct cli_option drafts_options[] = {
    {OPT_ALL, "all", 0, NULL, N_("list every user's drafts, not only yours")},
    {0},
};

const struct cli_command cli_cmd_drafts = {
    "drafts",
    cmd_drafts,
    N_("drafts [--all]"),
    N_("list unsaved form drafts"),
    N_("Lists your drafts: forms of the terminal UI left unsaved (closed by a dropped "
       "connection, a signal or a crash), which casebook offers to resume on its next start."),
    drafts_options,
    0,
    0,
    0,
    N_("takes no words"),
};
