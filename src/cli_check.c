/* cli_check.c — `casebook check`: records, checksums, indexes, people,
 * the trash and the audit chain verified, and the report printed. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "person.h"
#include "store.h"
#include "util.h"

static void print_problem(const char *line, void *ctx)
{
	(void)ctx;
	printf("%s\n", line);
}

enum { O_REWRITE = 1 };

static const struct cli_option check_options[] = {
    {O_REWRITE, "rewrite", 0, NULL,
        N_("first give records from before checksums one (cases do not change)")},
    {0},
};

static int cmd_check(struct cli *cli, const struct cli_args *a)
{
	struct store_check_report rep;
	struct cb_err err = {0};
	struct store *st;
	bool rewrite = cli_flag(a, O_REWRITE);
	int rc;

	if ((rc = cli_store(cli, rewrite, &st)) != 0)
		return rc;
	if (rewrite) {
		/* Records from before checksums get one; a damaged record stops it. */
		uint64_t n = 0;
		if (store_rewrite(st, &n, &err) != 0)
			return cli_fail(&err);
		printf(ngettext("rewrote %llu record with a checksum\n",
		           "rewrote %llu records with a checksum\n", (unsigned long)n),
		    (unsigned long long)n);
	}
	/* The audit chain first: a broken link is named even when the records
	 * and indexes also disagree. */
	int chain = cli_audit_verify(st, false);
	rc = store_check(st, print_problem, NULL, &rep, &err);
	if (chain != EXIT_OK && rc == 0)
		return chain;
	if (rc == CB_ECORRUPT && rep.problems) {
		char *p = xasprintf(ngettext("%llu problem", "%llu problems", rep.problems),
		    (unsigned long long)rep.problems);
		char *in = xasprintf(ngettext("in %llu case", "in %llu cases", rep.cases),
		    (unsigned long long)rep.cases);
		/* TRANSLATORS: "3 problems" "in 5 cases". */
		fprintf(stderr, _("casebook: check: %s %s\n"), p, in);
		free(p);
		free(in);
		return chain != EXIT_OK ? chain : EXIT_USER;
	}
	if (rc)
		return cli_fail(&err);
	/* Two counts, each with its own plural form. */
	char *cases = xasprintf(ngettext("%llu case", "%llu cases", rep.cases),
	    (unsigned long long)rep.cases);
	char *entries =
	    xasprintf(ngettext("%llu index entry", "%llu index entries", rep.index_entries),
	        (unsigned long long)rep.index_entries);
	printf(_("ok: %s, %s, records and indexes agree\n"), cases, entries);
	if (store_persons_built(st))
		printf(ngettext("ok: %llu person, links of cases and people agree both ways\n",
		           "ok: %llu people, links of cases and people agree both ways\n",
		           (unsigned long)rep.persons),
		    (unsigned long long)rep.persons);
	else
		printf("%s\n",
		    _("note: people are not built yet in this database (opened read-only)"));
	if (rep.trashed)
		printf(
		    ngettext("ok: %llu case in the trash, its record and the deleted index agree\n",
		        "ok: %llu cases in the trash, their records and the deleted index agree\n",
		        rep.trashed),
		    (unsigned long long)rep.trashed);
	free(cases);
	free(entries);
	if (rep.old_records)
		printf(ngettext("note: %llu case was written by an older casebook and has no "
		                "checksum yet; casebook check --rewrite adds it\n",
		           "note: %llu cases were written by an older casebook and have no "
		           "checksum yet; casebook check --rewrite adds them\n",
		           (unsigned long)rep.old_records),
		    (unsigned long long)rep.old_records);
	return EXIT_OK;
}

const struct cli_command cli_cmd_check = {
    "check",
    cmd_check,
    N_("check [--rewrite]"),
    N_("verify records, checksums and indexes agree"),
    N_("Reads every record (verifying its checksum) and index entry and reports any "
       "that disagree."),
    check_options,
    0,
    0,
    0,
    N_("takes no arguments"),
};
