/* cli_person.c — the commands over people across cases: person (names,
 * timeline, totals, repeat marks), persons (people of a filter, possible
 * duplicates), link, unlink and merge; and the "possible duplicate" notes
 * that add, edit and import print. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config.h"
#include "datefmt.h"
#include "display.h"
#include "person.h"
#include "query.h"
#include "text.h"
#include "util.h"

enum { O_JSON = 1, O_COUNT, O_FORMAT, O_DUPLICATES, O_REV };

/* Parses a person id; prints the error and returns EXIT_USER when bad. */
static int parse_person(const char *s, uint64_t *id)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || errno || v == 0 || s[0] == '-') {
		char *clean = text_sanitize(s, 0);
		fprintf(stderr, _("casebook: bad person id \"%s\" (expected a number such as 7)\n"),
		    clean);
		free(clean);
		return EXIT_USER;
	}
	*id = v;
	return 0;
}

static int window(void)
{
	int w = config_get()->repeat_window_months;
	return w > 0 ? w : 12;
}

static int print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return EXIT_DB;
	printf("%s\n", s);
	free(s);
	return EXIT_OK;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- person ------------------------------------------------------------- */

/* "  EVENT, CITY" (either may be missing). */
static void print_place(const struct case_record *c)
{
	if (!str_empty(c->event))
		printf("  %s", c->event);
	if (!str_empty(c->city)) {
		char *city = display_city(c->city, c->region);
		printf("%s%s", str_empty(c->event) ? "  " : ", ", city);
		free(city);
	}
}

static json_t *timeline_json(const struct person_timeline *tl)
{
	json_t *o = json_object(), *names = json_array(), *cases = json_array(),
	       *tot = json_object();
	const struct person_record *p = &tl->person;

	json_object_set_new(o, "id", json_integer((json_int_t)p->id));
	json_object_set_new(o, "rev", json_integer(p->rev));
	for (size_t i = 0; i < p->names.n; i++)
		json_array_append_new(names, json_string(p->names.items[i]));
	json_object_set_new(o, "names", names);
	json_object_set_new(o, "sex", json_string(vocab_key(&vocab_sex, p->sex)));
	json_object_set_new(o, "birth_year",
	    p->birth_year ? json_integer(p->birth_year) : json_null());
	if (p->merged_into)
		json_object_set_new(o, "merged_into", json_integer((json_int_t)p->merged_into));
	for (size_t i = 0; i < tl->n; i++) {
		const struct case_record *c = &tl->cases[i];
		json_t *co = json_object(), *ms = json_array(), *inj = json_array();
		char d[16];
		json_object_set_new(co, "case", json_integer((json_int_t)c->id));
		json_object_set_new(co, "date", json_string(pdate_format(c->date, d)));
		json_object_set_new(co, "event", json_string(or_empty(c->event)));
		json_object_set_new(co, "city", json_string(or_empty(c->city)));
		for (size_t j = 0; j < c->n_measures; j++) {
			const struct measure *m = &c->measures[j];
			json_t *mo = json_object();
			json_object_set_new(mo, "type",
			    json_string(vocab_key(&vocab_measure, m->type)));
			if (m->days >= 0)
				json_object_set_new(mo, "days", json_integer(m->days));
			if (!str_empty(m->fine))
				json_object_set_new(mo, "fine", json_string(m->fine));
			if (pdate_is_set(m->date))
				json_object_set_new(mo, "date",
				    json_string(pdate_format(m->date, d)));
			if (!str_empty(m->article))
				json_object_set_new(mo, "article", json_string(m->article));
			if (!str_empty(m->court))
				json_object_set_new(mo, "court", json_string(m->court));
			json_object_set_new(mo, "repeat", json_boolean(tl->repeat[i][j]));
			json_array_append_new(ms, mo);
		}
		for (size_t j = 0; j < c->n_injuries; j++) {
			const struct injury *x = &c->injuries[j];
			json_t *io = json_object();
			json_object_set_new(io, "type",
			    json_string(vocab_key(&vocab_injury, x->type)));
			if (!str_empty(x->body))
				json_object_set_new(io, "body", json_string(x->body));
			json_array_append_new(inj, io);
		}
		json_object_set_new(co, "measures", ms);
		json_object_set_new(co, "injuries", inj);
		json_array_append_new(cases, co);
	}
	json_object_set_new(o, "cases", cases);
	json_object_set_new(tot, "cases", json_integer(tl->totals.cases));
	json_object_set_new(tot, "detention_days", json_integer(tl->totals.detention_days));
	json_object_set_new(tot, "arrest_days", json_integer(tl->totals.arrest_days));
	json_object_set_new(tot, "fines", json_integer(tl->totals.fines));
	json_object_set_new(tot, "fine_total", json_string(tl->totals.fine_total));
	json_object_set_new(tot, "repeats", json_integer(tl->totals.repeats));
	json_object_set_new(o, "totals", tot);
	json_object_set_new(o, "repeat_window_months", json_integer(window()));
	return o;
}

/* One measure as "admin_arrest 15 days, fine 100 MRP, KoAP 488, court X". */
static void print_measure(const struct measure *m, bool repeat)
{
	char d[16];
	printf("      %s", vocab_label(&vocab_measure, m->type));
	if (m->days >= 0)
		printf(ngettext(", %d day", ", %d days", (unsigned long)m->days), m->days);
	if (!str_empty(m->fine))
		printf(", %s", m->fine);
	if (pdate_is_set(m->date))
		printf(", %s", datefmt_show(m->date, d));
	if (!str_empty(m->article))
		printf(", %s", m->article);
	if (!str_empty(m->court))
		printf(", %s", m->court);
	if (repeat)
		printf("  %s", _("[repeat]"));
	putchar('\n');
}

static void print_timeline(const struct person_timeline *tl)
{
	const struct person_record *p = &tl->person;
	const struct person_totals *t = &tl->totals;

	printf(_("person %llu\n"), (unsigned long long)p->id);
	if (p->merged_into)
		printf(_("merged into person %llu\n"), (unsigned long long)p->merged_into);
	printf("  %s ", _("names:"));
	for (size_t i = 0; i < p->names.n; i++)
		printf("%s%s", i ? "; " : "", p->names.items[i]);
	putchar('\n');
	if (p->birth_year)
		printf("  %s %d\n", _("birth year:"), p->birth_year);
	if (p->sex != SEX_UNKNOWN)
		printf("  %s %s\n", _("sex:"), vocab_label(&vocab_sex, p->sex));
	printf("  ");
	printf(ngettext("%u case", "%u cases", t->cases), t->cases);
	printf("; ");
	printf(ngettext("detention %u day", "detention %u days", t->detention_days),
	    t->detention_days);
	printf("; ");
	printf(ngettext("arrest %u day", "arrest %u days", t->arrest_days), t->arrest_days);
	if (t->fines) {
		printf("; ");
		printf(ngettext("%u fine", "%u fines", t->fines), t->fines);
		if (*t->fine_total)
			printf(" (%s)", t->fine_total);
	}
	putchar('\n');
	if (t->repeats) {
		printf("  ");
		printf(ngettext("%u administrative sanction repeated within %d months",
		           "%u administrative sanctions repeated within %d months", t->repeats),
		    t->repeats, window());
		putchar('\n');
	}
	for (size_t i = 0; i < tl->n; i++) {
		const struct case_record *c = &tl->cases[i];
		char d[16];
		printf("\n  %-10s  ", pdate_is_set(c->date) ? datefmt_show(c->date, d) : "—");
		printf(_("case %llu"), (unsigned long long)c->id);
		print_place(c);
		putchar('\n');
		for (size_t j = 0; j < c->n_measures; j++)
			print_measure(&c->measures[j], tl->repeat[i][j]);
		for (size_t j = 0; j < c->n_injuries; j++) {
			const struct injury *x = &c->injuries[j];
			printf("      %s %s", _("injury:"), vocab_label(&vocab_injury, x->type));
			if (!str_empty(x->body))
				printf(" (%s)", x->body);
			putchar('\n');
		}
	}
}

static int cmd_person(struct cli *cli, const struct cli_args *a)
{
	struct person_timeline tl;
	struct cb_err err = {0};
	struct store *st;
	uint64_t id;
	int rc;

	if ((rc = parse_person(a->words[0], &id)) != 0)
		return rc;
	if ((rc = cli_store(cli, false, &st)) != 0)
		return rc;
	if (store_person_timeline(st, id, window(), &tl, &err) != 0)
		return cli_fail(&err);
	if (cli_flag(a, O_JSON))
		rc = print_json(timeline_json(&tl));
	else
		print_timeline(&tl);
	person_timeline_free(&tl);
	return rc;
}

static const struct cli_option person_options[] = {
    {O_JSON, "json", 0, NULL, N_("print the person as a JSON object")},
    {0},
};

const struct cli_command cli_cmd_person = {
    "person",
    cmd_person,
    N_("person ID [--json]"),
    N_("one person's names, cases and totals"),
    N_("Prints person ID: every spelling of their name, birth year, their cases in time order "
       "with measures and injuries, the totals of detention and arrest days and fines, and a "
       "mark on each administrative sanction repeated within repeat_window_months."),
    person_options,
    0,
    1,
    1,
    N_("give one person id"),
};

/* ---- persons ------------------------------------------------------------ */

enum { F_TABLE, F_CSV, F_JSON };

/* A CSV cell, quoted when needed and kept from running as a spreadsheet
 * formula as export does (a leading apostrophe). */
static void csv_cell(const char *s, bool last)
{
	bool quote = strpbrk(s, ",\"\n\r") != NULL;
	if (strchr("=+-@\t\r'", s[0]) && s[0])
		putchar('\'');
	if (quote) {
		putchar('"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

static char *names_joined(const struct person_record *p, const char *sep)
{
	struct buf b = {0};
	for (size_t i = 0; i < p->names.n; i++)
		buf_printf(&b, "%s%s", i ? sep : "", p->names.items[i]);
	buf_putc(&b, 0);
	return (char *)b.p;
}

static int print_people(struct store *st, const struct person_count *pc, size_t n, int fmt)
{
	struct cb_err err = {0};
	json_t *arr = fmt == F_JSON ? json_array() : NULL;

	if (fmt == F_CSV)
		printf("person,cases,matching,birth_year,names\n");
	else if (fmt == F_TABLE)
		printf("%-8s %6s %6s  %-4s  %s\n", _("person"), _("cases"), _("match"), _("born"),
		    _("names"));
	for (size_t i = 0; i < n; i++) {
		struct person_record p;
		if (store_person_get(st, pc[i].person_id, &p, &err) != 0) {
			json_decref(arr);
			return cli_fail(&err);
		}
		char *names = names_joined(&p, fmt == F_CSV ? "|" : "; ");
		char num[3][24], year[8] = "";
		snprintf(num[0], sizeof num[0], "%llu", (unsigned long long)p.id);
		snprintf(num[1], sizeof num[1], "%u", pc[i].total);
		snprintf(num[2], sizeof num[2], "%u", pc[i].matching);
		if (p.birth_year)
			snprintf(year, sizeof year, "%d", p.birth_year);
		if (fmt == F_CSV) {
			csv_cell(num[0], false), csv_cell(num[1], false), csv_cell(num[2], false);
			csv_cell(year, false), csv_cell(names, true);
		} else if (fmt == F_TABLE) {
			printf("%-8s %6s %6s  %-4s  %s\n", num[0], num[1], num[2],
			    *year ? year : "-", names);
		} else {
			json_t *o = json_object(), *na = json_array();
			json_object_set_new(o, "person", json_integer((json_int_t)p.id));
			json_object_set_new(o, "cases", json_integer(pc[i].total));
			json_object_set_new(o, "matching", json_integer(pc[i].matching));
			json_object_set_new(o, "birth_year",
			    p.birth_year ? json_integer(p.birth_year) : json_null());
			for (size_t j = 0; j < p.names.n; j++)
				json_array_append_new(na, json_string(p.names.items[j]));
			json_object_set_new(o, "names", na);
			json_array_append_new(arr, o);
		}
		free(names);
		person_record_free(&p);
	}
	return arr ? print_json(arr) : EXIT_OK;
}

/* One side of a duplicate pair: id, names, birth year, events and cities. */
static void print_side(struct store *st, uint64_t pid)
{
	struct person_record p;
	struct idarr ids = {0};
	struct cb_err err;

	if (store_person_get(st, pid, &p, &err) != 0)
		return;
	char *names = names_joined(&p, "; "), year[12] = "—";
	if (p.birth_year)
		snprintf(year, sizeof year, "%d", p.birth_year);
	printf("  %-6llu %s (%s %s)\n", (unsigned long long)pid, names, _("born"), year);
	free(names);
	store_person_cases(st, pid, &ids, &err);
	for (size_t i = 0; i < ids.n; i++) {
		struct case_record c;
		char d[16];
		if (store_get(st, ids.v[i], &c, &err) == 0) {
			printf("         ");
			printf(_("case %llu"), (unsigned long long)c.id);
			if (pdate_is_set(c.date))
				printf("  %s", datefmt_show(c.date, d));
			print_place(&c);
			putchar('\n');
		}
		case_free(&c);
	}
	free(ids.v);
	person_record_free(&p);
}

struct dups {
	struct store *st;
	size_t n;
};

static int print_pair(const struct person_pair *pair, void *ctx)
{
	struct dups *d = ctx;
	if (d->n++)
		putchar('\n');
	printf(_("persons %llu and %llu may be one person: %s\n"), (unsigned long long)pair->a,
	    (unsigned long long)pair->b, person_reason_text(pair->reason));
	print_side(d->st, pair->a);
	print_side(d->st, pair->b);
	return 0;
}

static int cmd_persons(struct cli *cli, const struct cli_args *a)
{
	struct query_sort sort = {SORT_ID, false};
	struct query *q = NULL;
	struct query_result *r = NULL;
	struct cb_err err = {0};
	struct store *st;
	const char *f = cli_arg(a, O_FORMAT);
	int fmt = F_TABLE, rc;

	if (f && strcmp(f, "csv") == 0)
		fmt = F_CSV;
	else if (f && strcmp(f, "json") == 0)
		fmt = F_JSON;
	else if (f && strcmp(f, "table") != 0)
		return cli_usage("persons", _("unknown format \"%s\" (known: table, csv, json)"),
		    f);
	if (query_parse_argv(a->n_words, a->words, &q, &err) != 0)
		return cli_fail(&err);
	if ((rc = cli_store(cli, false, &st)) != 0) {
		query_free(q);
		return rc;
	}
	if (cli_flag(a, O_DUPLICATES)) {
		struct dups d = {st, 0};
		query_free(q);
		if (store_person_duplicates(st, print_pair, &d, &err) != 0)
			return cli_fail(&err);
		if (d.n == 0)
			printf("%s\n", _("no possible duplicates"));
		return EXIT_OK;
	}
	rc = query_run(st, q, sort, &r, &err);
	query_free(q);
	if (rc != 0)
		return cli_fail(&err);
	size_t total = query_result_count(r);
	uint64_t *ids = xmalloc((total ? total : 1) * sizeof *ids);
	size_t got = 0;
	while (got < total) {
		size_t n = query_result_page(r, got, total - got, ids + got);
		if (n == 0)
			break;
		got += n;
	}
	query_result_free(r);
	struct person_count *pc = NULL;
	size_t np;
	bool count = cli_flag(a, O_COUNT);
	rc = store_persons_of_cases(st, ids, got, count ? NULL : &pc, &np, &err);
	free(ids);
	if (rc != 0)
		return cli_fail(&err);
	if (count)
		printf("%zu\n", np);
	else
		rc = print_people(st, pc, np, fmt);
	free(pc);
	return rc;
}

static const struct cli_option persons_options[] = {
    {O_COUNT, "count", 0, NULL, N_("print only the number of people")},
    {O_FORMAT, "format", 0, N_("FORMAT"), N_("table (default), csv or json")},
    {O_DUPLICATES, "duplicates", 0, NULL,
        N_("list pairs of people that may be one person, with the evidence")},
    {0},
};

const struct cli_command cli_cmd_persons = {
    "persons",
    cmd_persons,
    N_("persons [FILTER...] [--count] [--format table|csv|json] [--duplicates]"),
    N_("the people of the cases a filter matches"),
    N_("Lists the people with at least one case matching every FILTER term, with their "
       "number of cases, most first; --duplicates lists possible duplicates instead."),
    persons_options,
    CLI_DASH_WORDS,
    0,
    -1,
    "",
};

/* ---- link, unlink, merge ------------------------------------------------ */

static int cmd_link(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t cid, pid;
	uint32_t rev = 0;
	const char *r = cli_arg(a, O_REV);
	int rc;

	if ((rc = cli_parse_id(a->words[0], &cid)) != 0 ||
	    (rc = parse_person(a->words[1], &pid)) != 0)
		return rc;
	if (r && (rc = cli_parse_rev("link", r, &rev)) != 0)
		return rc;
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (store_person_link(st, cid, pid, rev, &err) != 0)
		return cli_fail(&err);
	printf(_("case %llu now belongs to person %llu\n"), (unsigned long long)cid,
	    (unsigned long long)pid);
	return EXIT_OK;
}

static const struct cli_option link_options[] = {
    {O_REV, "rev", 0, N_("N"), N_("refuse if the person is no longer at revision N")},
    {0},
};

const struct cli_command cli_cmd_link = {
    "link",
    cmd_link,
    N_("link CASE PERSON [--rev N]"),
    N_("say that a case belongs to a person"),
    N_("Moves case CASE to person PERSON (by hand: the automatic rule leaves it there). "
       "Undo it by linking the case back to its former person."),
    link_options,
    0,
    2,
    2,
    N_("give a case id and a person id"),
};

static int cmd_unlink(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t cid, pid = 0, from = 0;
	int rc;

	if ((rc = cli_parse_id(a->words[0], &cid)) != 0)
		return rc;
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	store_person_of_case(st, cid, &from, &err);
	if (store_person_unlink(st, cid, &pid, &err) != 0)
		return cli_fail(&err);
	printf(_("case %llu is now person %llu (was person %llu)\n"), (unsigned long long)cid,
	    (unsigned long long)pid, (unsigned long long)from);
	return EXIT_OK;
}

const struct cli_command cli_cmd_unlink = {
    "unlink",
    cmd_unlink,
    N_("unlink CASE"),
    N_("split a case off its person"),
    N_("Makes case CASE a person of its own (a new person id). Undo it by linking the case "
       "back to its former person."),
    NULL,
    0,
    1,
    1,
    N_("give one case id"),
};

static int cmd_merge(struct cli *cli, const struct cli_args *a)
{
	struct cb_err err = {0};
	struct store *st;
	uint64_t into, from;
	uint32_t rev[2] = {0, 0};
	const char *r = cli_arg(a, O_REV);
	int rc;

	if ((rc = parse_person(a->words[0], &into)) != 0 ||
	    (rc = parse_person(a->words[1], &from)) != 0)
		return rc;
	if (r) {
		char *a1 = xstrdup(r), *comma = strchr(a1, ',');
		if (!comma) {
			free(a1);
			return cli_usage("merge", "%s",
			    _("--rev takes two revisions, one for each person: N,M"));
		}
		*comma = 0;
		rc = cli_parse_rev("merge", a1, &rev[0]);
		if (rc == 0)
			rc = cli_parse_rev("merge", comma + 1, &rev[1]);
		free(a1);
		if (rc)
			return rc;
	}
	if ((rc = cli_store(cli, true, &st)) != 0)
		return rc;
	if (store_person_merge(st, into, rev[0], from, rev[1], &err) != 0)
		return cli_fail(&err);
	printf(_("person %llu merged into person %llu\n"), (unsigned long long)from,
	    (unsigned long long)into);
	return EXIT_OK;
}

static const struct cli_option merge_options[] = {
    {O_REV, "rev", 0, N_("N,M"), N_("refuse if the persons are no longer at revisions N and M")},
    {0},
};

const struct cli_command cli_cmd_merge = {
    "merge",
    cmd_merge,
    N_("merge PERSON OTHER [--rev N,M]"),
    N_("make two people one"),
    N_("Moves every case of person OTHER to person PERSON; every spelling of the name goes "
       "along. Undo it by linking each case back to OTHER (its id stays)."),
    merge_options,
    0,
    2,
    2,
    N_("give two person ids"),
};

/* ---- notes for add, edit and import ------------------------------------- */

void cli_person_note(struct store *st, uint64_t case_id)
{
	struct person_candidate cand[8];
	struct cb_err err;
	size_t n;

	if (store_person_candidates(st, case_id, cand, 8, &n, &err) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct idarr ids = {0};
		struct buf list = {0};
		store_person_cases(st, cand[i].person_id, &ids, &err);
		for (size_t j = 0; j < ids.n && j < 5; j++)
			buf_printf(&list, "%s%llu", j ? ", " : "", (unsigned long long)ids.v[j]);
		if (ids.n > 5)
			buf_puts(&list, ", …");
		buf_putc(&list, 0);
		fprintf(stderr,
		    ngettext("casebook: case %llu: possible duplicate of person %llu (%zu case: "
		             "%s; %s)\n",
		        "casebook: case %llu: possible duplicate of person %llu (%zu cases: %s; "
		        "%s)\n",
		        ids.n),
		    (unsigned long long)case_id, (unsigned long long)cand[i].person_id, ids.n,
		    (const char *)list.p, person_reason_text(cand[i].reason));
		buf_free(&list);
		free(ids.v);
	}
}

size_t cli_person_count(struct store *st, const uint64_t *ids, size_t n)
{
	struct person_candidate cand[1];
	struct cb_err err;
	size_t with = 0, k;

	for (size_t i = 0; i < n; i++)
		if (store_person_candidates(st, ids[i], cand, 1, &k, &err) == 0 && k)
			with++;
	return with;
}

void cli_person_summary_line(size_t with)
{
	if (with)
		fprintf(stderr,
		    ngettext("casebook: %zu case may belong to people already here: casebook "
		             "persons "
		             "--duplicates\n",
		        "casebook: %zu cases may belong to people already here: casebook persons "
		        "--duplicates\n",
		        with),
		    with);
}
