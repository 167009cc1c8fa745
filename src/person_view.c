/* person_view.c — one-line summaries of a case and the other cases of its
 * person (see person_view.h). */
#include "person_view.h"

#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "person.h"
#include "store.h"
#include "text.h"
#include "util.h"

/* How much a measure weighs, higher first: what a lawyer would name
 * first when asked "what happened to them". */
static int weight(int type)
{
	static const int order[] = {
	    MEASURE_CRIMINAL_CASE,
	    MEASURE_ADMIN_ARREST,
	    MEASURE_DETENTION,
	    MEASURE_FINE,
	    MEASURE_SEARCH,
	    MEASURE_ADMIN_CASE,
	    MEASURE_WARNING,
	    MEASURE_PREVENTIVE,
	    MEASURE_REFUSAL,
	    MEASURE_THREAT,
	    MEASURE_HACKING,
	    MEASURE_SURVEILLANCE,
	    MEASURE_INTERNET_BLOCK,
	    MEASURE_OTHER,
	};
	int n = (int)(sizeof order / sizeof order[0]);

	for (int i = 0; i < n; i++)
		if (order[i] == type)
			return n - i;
	return 0;
}

int person_view_strongest(const struct case_record *c)
{
	int best = -1;

	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		if (best < 0) {
			best = (int)i;
			continue;
		}
		const struct measure *b = &c->measures[best];
		int wm = weight(m->type), wb = weight(b->type);
		if (wm > wb || (wm == wb && m->days > b->days))
			best = (int)i;
	}
	return best;
}

char *person_view_measure(const struct measure *m)
{
	struct buf b = {0};

	buf_puts(&b, vocab_label(&vocab_measure, m->type));
	if (m->days >= 0) {
		buf_puts(&b, ", ");
		buf_printf(&b, ngettext("%d day", "%d days", (unsigned long)m->days), (int)m->days);
	}
	if (!str_empty(m->fine))
		buf_printf(&b, ", %s", m->fine);
	char *s = text_sanitize(buf_cstr(&b), 0);
	buf_free(&b);
	return s;
}

/* True when the event's title starts with date, in one form or the other
 * ("2021-05-01 DCK rallies", "01.05.2021 митинг"): the line then says the
 * date once, as the title has it. */
static bool titled_by(const char *event, struct pdate date)
{
	char iso[DATEFMT_BUFSZ], local[DATEFMT_BUFSZ];

	if (str_empty(event) || !pdate_is_set(date))
		return false;
	datefmt_format(date, DATEFMT_ISO, iso);
	datefmt_format(date, DATEFMT_LOCAL, local);
	return strncmp(event, iso, strlen(iso)) == 0 || strncmp(event, local, strlen(local)) == 0;
}

char *person_view_case_line(const struct case_record *c, bool all)
{
	struct buf b = {0};
	char d[DATEFMT_BUFSZ];

	/* The date in the form the user reads dates in (datefmt_show). */
	if (pdate_is_set(c->date) && !titled_by(c->event, c->date))
		buf_puts(&b, datefmt_show(c->date, d));
	if (!str_empty(c->event))
		buf_printf(&b, "%s%s", b.len ? ", " : "", c->event);
	int best = person_view_strongest(c);
	for (size_t i = 0; i < c->n_measures; i++) {
		if (!all && (int)i != best)
			continue;
		char *m = person_view_measure(&c->measures[i]);
		buf_printf(&b, "%s%s", b.len == 0 ? "" : all && (int)i != 0 ? "; " : ": ", m);
		free(m);
	}
	if (b.len == 0)
		buf_printf(&b, _("case %llu"), (unsigned long long)c->id);
	char *s = text_sanitize(buf_cstr(&b), 0);
	buf_free(&b);
	return s;
}

static int by_date(const void *a, const void *b)
{
	const struct case_record *x = a, *y = b;
	int r = pdate_cmp(x->date, y->date);

	if (r)
		return r;
	return x->id < y->id ? -1 : x->id > y->id;
}

int person_view_others(struct store *st, uint64_t case_id, uint64_t *person,
    struct case_record **out, size_t *n, struct cb_err *err)
{
	struct idarr ids = {0};
	uint64_t pid = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (person)
		*person = 0;
	if ((rc = store_person_of_case(st, case_id, &pid, err)) != 0 || pid == 0)
		return rc;
	if (person)
		*person = pid;
	if ((rc = store_person_cases(st, pid, &ids, err)) != 0)
		return rc;
	struct case_record *cs = xreallocarray(NULL, ids.n ? ids.n : 1, sizeof *cs);
	size_t k = 0;
	for (size_t i = 0; i < ids.n && rc == 0; i++) {
		if (ids.v[i] == case_id)
			continue;
		case_init(&cs[k]);
		rc = store_get(st, ids.v[i], &cs[k], err);
		if (rc == 0)
			k++;
		else
			case_free(&cs[k]);
	}
	idarr_free(&ids);
	if (rc) {
		person_view_others_free(cs, k);
		return rc;
	}
	qsort(cs, k, sizeof *cs, by_date);
	*out = cs;
	*n = k;
	return 0;
}

void person_view_others_free(struct case_record *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		case_free(&cases[i]);
	free(cases);
}
