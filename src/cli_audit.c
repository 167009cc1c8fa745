/* cli_audit.c — the commands over the audit log: history (one case, field
 * by field), audit (the whole log, and --verify of its hash chain) and
 * undo. cli.c's check also verifies the chain through cli_audit_verify. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "text.h"
#include "util.h"

enum { OPT_JSON = 1, OPT_SINCE, OPT_USER, OPT_VERIFY };

/* Prints one entry as a line or, with json, appends it to the array arr. */
struct printer {
	json_t *arr;
	int n;
	int64_t since;
	const char *user;
	bool with_case; /* the whole log: say which case */
};

static int print_entry(const struct audit_entry *e, void *ctx)
{
	struct printer *p = ctx;

	if (e->time < p->since || (p->user && strcmp(e->user, p->user) != 0))
		return 0;
	p->n++;
	if (p->arr) {
		json_array_append_new(p->arr, audit_json(e));
		return 0;
	}
	char *line = audit_format(e);
	if (p->with_case && e->case_id != AUDIT_MANY)
		printf(_("case %llu  "), (unsigned long long)e->case_id);
	printf("%s\n", line);
	free(line);
	return 0;
}

static int print_json(json_t *arr)
{
	char *s = json_dumps(arr, JSON_INDENT(2));
	json_decref(arr);
	if (!s)
		return EXIT_DB;
	printf("%s\n", s);
	free(s);
	return EXIT_OK;
}

/* ---- history ------------------------------------------------------------ */

static int cmd_history(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct printer p = {0};
	struct store *st;
	uint64_t id;
	int rc;

	if ((rc = cli_parse_id(a->words[0], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (cli_flag(a, OPT_JSON))
		p.arr = json_array();
	if (store_history(st, id, print_entry, &p, &err) != 0) {
		json_decref(p.arr);
		return cli_fail(&err);
	}
	/* A deleted case still has its history; an id that never was a case
	 * has none, and says so as show does. */
	if (p.n == 0) {
		json_decref(p.arr);
		return cli_no_case(id);
	}
	return p.arr ? print_json(p.arr) : EXIT_OK;
}

static const struct cli_option history_options[] = {
    {OPT_JSON, "json", 0, NULL, N_("print the entries as a JSON array")},
    {0},
};

const struct cli_command cli_cmd_history = {
    "history",
    cmd_history,
    N_("history ID [--json]"),
    N_("who changed what in a case, and when"),
    N_("Prints who created, changed, undid and deleted case ID, when, and each changed "
       "field with its old and new value."),
    history_options,
    0,
    1,
    1,
    N_("give one case id"),
};

/* ---- audit -------------------------------------------------------------- */

int cli_audit_verify(struct store *st, bool quiet)
{
	struct store_audit_report rep;
	struct cb_err err = {0};
	char when[32];
	int rc = store_audit_verify(st, &rep, &err);

	if (rc == CB_ECORRUPT && rep.broken) {
		if (!rep.case_id && !rep.time) {
			fprintf(stderr, _("casebook: audit log broken after entry %llu: %s\n"),
			    (unsigned long long)(rep.seq - 1), rep.why);
			return EXIT_DB;
		}
		time_t t = (time_t)rep.time;
		struct tm tm;
		if (!rep.time || !localtime_r(&t, &tm) ||
		    !strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm))
			snprintf(when, sizeof when, "?");
		if (rep.case_id == AUDIT_MANY)
			fprintf(stderr,
			    _("casebook: audit log broken at entry %llu (a change to several "
			      "cases, "
			      "%s): %s\n"),
			    (unsigned long long)rep.seq, when, rep.why);
		else
			fprintf(stderr,
			    _("casebook: audit log broken at entry %llu (case %llu, %s): %s\n"),
			    (unsigned long long)rep.seq, (unsigned long long)rep.case_id, when,
			    rep.why);
		return EXIT_DB;
	}
	if (rc)
		return cli_fail(&err);
	if (quiet)
		return EXIT_OK;
	printf(ngettext("ok: audit log of %llu entry, hash chain intact",
	           "ok: audit log of %llu entries, hash chain intact", rep.entries),
	    (unsigned long long)rep.entries);
	if (rep.unchained)
		printf(ngettext(" (%llu entry unchained: written before version 2 of the log)",
		           " (%llu entries unchained: written before version 2 of the log)",
		           rep.unchained),
		    (unsigned long long)rep.unchained);
	if (rep.chained) {
		char hex[2 * AUDIT_HASH_LEN + 1];
		audit_hex(rep.head, hex);
		printf(_("; head %s"), hex);
	}
	printf("\n");
	return EXIT_OK;
}

/* Midnight (local time) at the start of DATE, "YYYY-MM-DD". */
static int parse_since(const char *s, int64_t *out)
{
	struct tm tm = {0};
	char *end = strptime(s, "%Y-%m-%d", &tm);

	if (!end || *end)
		return -1;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

static int cmd_audit(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct printer p = {0};
	struct store *st;
	const char *since = cli_arg(a, OPT_SINCE);
	int rc;

	if (since && parse_since(since, &p.since) != 0)
		return cli_usage("audit", _("--since: \"%s\" is not a date (YYYY-MM-DD)"), since);
	p.user = cli_arg(a, OPT_USER);
	p.with_case = true;
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (cli_flag(a, OPT_VERIFY))
		return cli_audit_verify(st, false);
	if (cli_flag(a, OPT_JSON))
		p.arr = json_array();
	if (store_audit_foreach(st, print_entry, &p, &err) != 0) {
		json_decref(p.arr);
		return cli_fail(&err);
	}
	return p.arr ? print_json(p.arr) : EXIT_OK;
}

static const struct cli_option audit_options[] = {
    {OPT_SINCE, "since", 0, N_("DATE"), N_("only entries from DATE (YYYY-MM-DD) on")},
    {OPT_USER, "user", 0, N_("USER"), N_("only entries written by USER")},
    {OPT_JSON, "json", 0, NULL, N_("print the entries as a JSON array")},
    {OPT_VERIFY, "verify", 0, NULL, N_("only verify the hash chain (exit 3 when broken)")},
    {0},
};

const struct cli_command cli_cmd_audit = {
    "audit",
    cmd_audit,
    N_("audit [--since DATE] [--user U] [--json] [--verify]"),
    N_("the change log; verify its hash chain"),
    N_("Lists every change to every case, oldest first; --verify checks that no entry "
       "was edited or removed."),
    audit_options,
    0,
    0,
    0,
    N_("takes no words"),
};

/* ---- undo --------------------------------------------------------------- */

enum { OPT_CHANGE = OPT_VERIFY + 1 };

/* undo --change N: a change to many cases, as a whole. */
static int undo_change(struct cli *cli, const char *arg)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t change;
	size_t n;
	int rc;

	if (cli_parse_id(arg, &change) != 0)
		return cli_usage("undo", _("--change wants the number of a change, e.g. 12"));
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (store_undo_change(st, change, &n, &err) != 0)
		return cli_fail(&err);
	printf(ngettext("change %llu undone: %zu case has its values from before it again\n",
	           "change %llu undone: %zu cases have their values from before it again\n",
	           (unsigned long)n),
	    (unsigned long long)change, n);
	return EXIT_OK;
}

static int cmd_undo(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	const char *change = cli_arg(a, OPT_CHANGE);
	uint64_t id;
	uint32_t rev;
	int rc;

	if (change && a->n_words)
		return cli_usage("undo", "%s", _("give a case id or --change N, not both"));
	if (change)
		return undo_change(cli, change);
	if (a->n_words != 1)
		return cli_usage("undo", "%s", _("give one case id, or --change N"));
	if ((rc = cli_parse_id(a->words[0], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if ((rc = store_undo(st, id, &rev, &err)) != 0)
		return cli_fail(&err);
	printf(_("case %llu: last change undone (now revision %u)\n"), (unsigned long long)id, rev);
	return EXIT_OK;
}

static const struct cli_option undo_options[] = {
    {OPT_CHANGE, "change", 0, N_("N"),
        N_("undo change N to several cases as a whole (casebook set prints N)")},
    {0},
};

const struct cli_command cli_cmd_undo = {
    "undo",
    cmd_undo,
    N_("undo ID | --change N"),
    N_("revert the last change of a case, or a change to many"),
    N_("Reverts the newest change of case ID not yet undone, as a new revision; "
       "`casebook history ID` shows it. --change N reverts change N to several cases "
       "(casebook set) as a whole."),
    undo_options,
    0,
    0,
    1,
    N_("give one case id, or --change N"),
};
