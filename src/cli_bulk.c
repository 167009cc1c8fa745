/* cli_bulk.c — `casebook set FILTER... -- FIELD=VALUE...`: one change made
 * to every case a filter matches, in one transaction (bulk.h), with
 * --dry-run and, on a terminal, a question with the number of cases when
 * more than a handful would change. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "audit.h"
#include "bulk.h"
#include "query.h"
#include "text.h"
#include "util.h"

/* Up to this many cases change without a question. */
#define ASK_ABOVE 5

enum { O_DRY_RUN = 1, O_YES };

static const struct cli_option set_options[] = {
    {O_DRY_RUN, "dry-run", 'n', NULL, N_("list what would change; change nothing")},
    {O_YES, "yes", 'y', NULL, N_("do not ask before changing many cases")},
    {0},
};

/* Every id the filter matches, in id order. */
static int matching_ids(struct store *st, const struct query *q, uint64_t **ids, size_t *n,
    struct cb_err *err)
{
	struct query_sort sort = {SORT_ID, false};
	struct query_result *r;
	int rc;

	if ((rc = query_run(st, q, sort, &r, err)) != 0)
		return rc;
	size_t total = query_result_count(r);
	*ids = xcalloc(total ? total : 1, sizeof **ids);
	*n = query_result_page(r, 0, total, *ids);
	query_result_free(r);
	return 0;
}

/* --dry-run: one line per case that would change. */
static void print_would(const struct case_record *old, const struct case_record *new, void *ctx)
{
	struct audit_change *ch;
	size_t n;
	(void)ctx;

	audit_diff(old, new, &ch, &n);
	char *what = audit_changes_format(ch, n);
	char *name = text_sanitize(case_display_name(old), 0);
	printf("%6llu  %s: %s\n", (unsigned long long)old->id, name, what);
	free(name);
	free(what);
	audit_changes_free(ch, n);
}

/* Asks on the terminal; false unless the user answers yes. */
static bool confirm(const struct bulk_change *bc, size_t n)
{
	char *q = bulk_question(bc, n), *full = xasprintf("%s [y/N]", q);
	bool yes = cli_answer_yes(full);

	free(full);
	free(q);
	return yes;
}

/* How the command runs: from its options, which may also follow the "--"
 * (set city:Almaty -- status=closed --dry-run). */
struct set_flags {
	bool dry, yes;
};

/* Parses the FIELD=VALUE words after "--" into bc; an exit status on error. */
static int read_change(const struct cli_args *a, struct bulk_change *bc, struct set_flags *f)
{
	struct cb_err err = {0};
	int first = a->n_before_dashes;

	f->dry = cli_flag(a, O_DRY_RUN);
	f->yes = cli_flag(a, O_YES);

	if (first < 0 || first >= a->n_words)
		return cli_usage("set", "%s",
		    _("give the filter, then --, then what to set (e.g. city:Almaty -- "
		      "status=in_court)"));
	for (int i = first; i < a->n_words; i++) {
		const char *w = a->words[i];
		if (strcmp(w, "--dry-run") == 0 || strcmp(w, "-n") == 0)
			f->dry = true;
		else if (strcmp(w, "--yes") == 0 || strcmp(w, "-y") == 0)
			f->yes = true;
		else if (bulk_add(bc, w, &err) != 0)
			return cli_fail(&err);
	}
	if (bc->n == 0)
		return cli_usage("set", "%s", _("give at least one FIELD=VALUE after --"));
	return 0;
}

static int run_set(struct store *st, const struct set_flags *f, const struct query *q,
    const struct bulk_change *bc)
{
	struct cb_err err = {0};
	struct bulk_plan plan;
	uint64_t *ids = NULL, change = 0;
	size_t n = 0;
	bool dry = f->dry;
	int rc;

	if ((rc = matching_ids(st, q, &ids, &n, &err)) == 0)
		rc = bulk_plan(st, ids, n, bc, dry ? print_would : NULL, NULL, &plan, &err);
	free(ids);
	if (rc)
		return cli_fail(&err);
	if (plan.n == 0) {
		printf(ngettext("nothing to change: the %zu matching case already has these "
		                "values\n",
		           "nothing to change: the %zu matching cases already have these values\n",
		           (unsigned long)plan.seen),
		    plan.seen);
		bulk_plan_free(&plan);
		return EXIT_OK;
	}
	if (dry) {
		printf(ngettext("would change %zu case of %zu matching; nothing was changed\n",
		           "would change %zu cases of %zu matching; nothing was changed\n",
		           (unsigned long)plan.n),
		    plan.n, plan.seen);
		bulk_plan_free(&plan);
		return EXIT_OK;
	}
	if (plan.n > ASK_ABOVE && !f->yes && isatty(STDIN_FILENO) && isatty(STDERR_FILENO) &&
	    !confirm(bc, plan.n)) {
		fprintf(stderr, "%s\n", _("casebook: set: nothing was changed"));
		bulk_plan_free(&plan);
		return EXIT_USER;
	}
	char *what = query_to_text(q);
	rc = bulk_commit(st, &plan, bc, what, &change, &err);
	free(what);
	if (rc) {
		bulk_plan_free(&plan);
		return cli_fail(&err);
	}
	if (change)
		printf(ngettext("changed %zu case (change %llu; casebook undo --change %llu "
		                "reverts "
		                "it)\n",
		           "changed %zu cases (change %llu; casebook undo --change %llu reverts "
		           "all of them)\n",
		           (unsigned long)plan.n),
		    plan.n, (unsigned long long)change, (unsigned long long)change);
	else
		printf(ngettext("changed %zu case\n", "changed %zu cases\n", (unsigned long)plan.n),
		    plan.n);
	bulk_plan_free(&plan);
	return EXIT_OK;
}

static int cmd_set(struct cli *cli, const struct cli_args *a)
{
	struct bulk_change bc = {0};
	struct query *q = NULL;
	struct cb_err err = {0};
	struct set_flags f;
	struct store *st;
	int rc;

	if ((rc = read_change(a, &bc, &f)) != 0) {
		bulk_free(&bc);
		return rc;
	}
	if (query_parse_argv(a->n_before_dashes, a->words, &q, &err) != 0) {
		bulk_free(&bc);
		return cli_fail(&err);
	}
	if ((rc = cli_store(cli, !f.dry, &st)) == 0)
		rc = run_set(st, &f, q, &bc);
	query_free(q);
	bulk_free(&bc);
	return rc;
}

const struct cli_command cli_cmd_set = {
    "set",
    cmd_set,
    N_("set FILTER... -- FIELD=VALUE... [--dry-run] [--yes]"),
    N_("change many cases at once (undoable)"),
    N_("Sets status, lawyer, verification or confidentiality, or adds a measure "
       "(measure=TYPE:part=value...), on every case the FILTER terms match, in one change "
       "that casebook undo --change N reverts as a whole."),
    set_options,
    CLI_DASH_WORDS,
    1,
    -1,
    N_("give the filter, then --, then what to set (e.g. city:Almaty -- status=in_court)"),
};
