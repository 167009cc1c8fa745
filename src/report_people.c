/* report_people.c — the people behind the bulletin's figures: how many
 * distinct people each group's cases concern, and who among them has an
 * administrative sanction repeated within repeat_window_months (see
 * report_people in report.h). Read through person.h, never by scanning
 * every person. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "datefmt.h"
#include "person.h"
#include "person_view.h"
#include "text.h"
#include "util.h"

/* The distinct people of the cases ids: each person once, each case of an
 * unidentified person as one. */
static int count_people(struct store *st, const struct idarr *ids, size_t unidentified, size_t *out,
    struct cb_err *err)
{
	size_t np = 0;
	int rc = store_persons_of_cases(st, ids->v, ids->n, NULL, &np, err);

	if (rc == 0)
		*out = np + unidentified;
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether the person may be named in the bulletin: every case of theirs
 * names them and none is restricted. */
static bool nameable(const struct person_timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++)
		if (str_empty(tl->cases[i].name) || tl->cases[i].confidentiality == CONF_RESTRICTED)
			return false;
	return tl->n > 0;
}

/* "2021-02-23 administrative arrest, 15 days; ..." for the marked
 * sanctions of tl, sanitized. */
static char *marked(const struct person_timeline *tl)
{
	struct buf b = {0};
	char d[16];

	for (size_t i = 0; i < tl->n; i++) {
		const struct case_record *c = &tl->cases[i];
		for (size_t j = 0; j < c->n_measures; j++) {
			if (!tl->repeat[i][j])
				continue;
			const struct measure *m = &c->measures[j];
			struct pdate when = pdate_is_set(m->date) ? m->date : c->date;
			char *what = person_view_measure(m);
			buf_printf(&b, "%s%s %s", b.len ? "; " : "", datefmt_show(when, d), what);
			free(what);
		}
	}
	char *s = text_sanitize(buf_cstr(&b), 0);
	buf_free(&b);
	return s;
}

/* The people among r's cases with a repeated sanction: the cases that
 * repeat:yes finds, kept when the report counts them, then their people. */
static int find_repeats(struct store *st, struct report *r, struct cb_err *err)
{
	struct query *q = NULL;
	struct query_result *res = NULL;
	struct query_sort sort = {SORT_ID, false};
	int rc;

	if ((rc = query_parse("repeat:yes", &q, err)) != 0)
		return rc;
	rc = query_run(st, q, sort, &res, err);
	query_free(q);
	if (rc)
		return rc;
	size_t total = query_result_count(res), got = 0, keep = 0;
	uint64_t *ids = xmalloc((total ? total : 1) * sizeof *ids);
	while (got < total) {
		size_t n = query_result_page(res, got, total - got, ids + got);
		if (n == 0)
			break;
		got += n;
	}
	query_result_free(res);
	for (size_t i = 0; i < got; i++)
		if (bsearch(&ids[i], r->ids.v, r->ids.n, sizeof *r->ids.v, cmp_id))
			ids[keep++] = ids[i];
	struct person_count *pc = NULL;
	size_t np = 0;
	rc = keep ? store_persons_of_cases(st, ids, keep, &pc, &np, err) : 0;
	free(ids);
	for (size_t i = 0; i < np && rc == 0; i++) {
		struct person_timeline tl;
		if ((rc = store_person_timeline(st, pc[i].person_id, r->repeat_window, &tl, err)) !=
		    0)
			break;
		if (tl.totals.repeats) {
			r->repeats =
			    xreallocarray(r->repeats, r->n_repeats + 1, sizeof *r->repeats);
			struct report_repeat *p = &r->repeats[r->n_repeats++];
			p->person = pc[i].person_id;
			p->name = nameable(&tl) && tl.person.names.n
			    ? xstrdup(tl.person.names.items[0])
			    : NULL;
			p->repeats = tl.totals.repeats;
			p->sanctions = marked(&tl);
		}
		person_timeline_free(&tl);
	}
	free(pc);
	return rc;
}

int report_people(struct store *st, struct report *r, struct cb_err *err)
{
	int w = config_get()->repeat_window_months;
	int rc;

	r->repeat_window = w > 0 ? w : 12;
	if (!store_persons_built(st))
		return 0;
	/* The ids come in store order; sorted, they can be searched. */
	qsort(r->ids.v, r->ids.n, sizeof *r->ids.v, cmp_id);
	if ((rc = count_people(st, &r->ids, r->unidentified, &r->people, err)) != 0)
		return rc;
	for (size_t i = 0; i < r->n_events; i++)
		for (int g = 0; g < REPORT__GROUPS; g++) {
			struct report_group *grp = &r->events[i].group[g];
			if (grp->cases == 0)
				continue;
			rc = count_people(st, &grp->ids, grp->unidentified, &grp->people, err);
			if (rc)
				return rc;
		}
	return find_repeats(st, r, err);
}
