/* cli_searches.c — `casebook searches`: the saved searches with the number
 * of cases each matches now; `searches add NAME FILTER...` and `searches
 * rm NAME`. Any filter can then use `@NAME` (searches.h). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "searches.h"
#include "text.h"
#include "util.h"

enum { O_REPLACE = 1 };

static const struct cli_option searches_options[] = {
    {O_REPLACE, "replace", 0, NULL, N_("add: replace a saved search of that name")},
    {0},
};

/* The number of cases name matches now, or -1 (the error in err). */
static long live_count(struct store *st, const char *name, struct cb_err *err)
{
	struct query_sort sort = {SORT_ID, false};
	struct query_result *r;
	struct query *q;
	char *term = xasprintf("@%s", name);
	long n = -1;

	if (query_parse(term, &q, err) == 0) {
		if (query_run(st, q, sort, &r, err) == 0) {
			n = (long)query_result_count(r);
			query_result_free(r);
		}
		query_free(q);
	}
	free(term);
	return n;
}

static int list_searches(struct store *st)
{
	struct saved_search *s;
	struct cb_err err = {0};
	size_t n;

	if (searches_list(st, &s, &n, &err) != 0)
		return cli_fail(&err);
	if (n == 0)
		printf("%s\n",
		    _("no saved searches yet (casebook searches add NAME FILTER... saves one)"));
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (text_width(s[i].name) > w)
			w = text_width(s[i].name);
	for (size_t i = 0; i < n; i++) {
		long count = live_count(st, s[i].name, &err);
		char *name = text_sanitize(s[i].name, 0), *filter = text_sanitize(s[i].filter, 0);
		struct buf b = {0};
		text_put_fitted(&b, name, w, true);
		if (count >= 0)
			printf("@%s  %6ld  %s\n", buf_cstr(&b), count, filter);
		else /* it uses a search removed meanwhile, say */
			printf("@%s  %6s  %s  (%s)\n", buf_cstr(&b), "?", filter, err.msg);
		buf_free(&b);
		free(name);
		free(filter);
	}
	searches_free(s, n);
	return EXIT_OK;
}

static int cmd_searches(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	const char *verb = a->n_words ? a->words[0] : NULL;
	int rc;

	if (!verb) {
		if ((rc = cli_store(cli, false, &st)) != 0)
			return rc;
		return list_searches(st);
	}
	if (strcmp(verb, "add") == 0) {
		if (a->n_words < 3)
			return cli_usage("searches", "%s",
			    _("give a name and a filter, e.g. searches add almaty_court "
			      "city:Almaty "
			      "status:in_court"));
		const char *name = a->words[1][0] == '@' ? a->words[1] + 1 : a->words[1];
		struct query *q;
		if (query_parse_argv(a->n_words - 2, a->words + 2, &q, &err) != 0)
			return cli_fail(&err);
		char *text = query_to_text(q);
		query_free(q);
		if ((rc = cli_store(cli, true, &st)) == 0 &&
		    (rc = searches_add(st, name, text, cli_flag(a, O_REPLACE), &err)) != 0)
			rc = cli_fail(&err);
		if (rc == 0) {
			long n = live_count(st, name, &err);
			char *clean = text_sanitize(name, 0);
			printf(ngettext("saved @%s (%ld case now)\n", "saved @%s (%ld cases now)\n",
			           (unsigned long)(n < 0 ? 0 : n)),
			    clean, n < 0 ? 0 : n);
			free(clean);
		}
		free(text);
		return rc;
	}
	if (strcmp(verb, "rm") == 0) {
		if (a->n_words != 2)
			return cli_usage("searches", "%s", _("give the name of one saved search"));
		const char *name = a->words[1][0] == '@' ? a->words[1] + 1 : a->words[1];
		if ((rc = cli_store(cli, true, &st)) != 0)
			return rc;
		if (searches_rm(st, name, &err) != 0)
			return cli_fail(&err);
		char *clean = text_sanitize(name, 0);
		printf(_("removed @%s\n"), clean);
		free(clean);
		return EXIT_OK;
	}
	return cli_usage("searches", _("unknown action \"%s\" (known: add, rm; none lists them)"),
	    verb);
}

const struct cli_command cli_cmd_searches = {
    "searches",
    cmd_searches,
    N_("searches [add NAME FILTER... [--replace] | rm NAME]"),
    N_("saved searches, shared: list, add, rm"),
    N_("Lists the saved searches with the number of cases each matches now, saves a filter "
       "under a name, or removes one. Any filter can use a saved search as @NAME."),
    searches_options,
    CLI_DASH_WORDS,
    0,
    -1,
    "",
};
