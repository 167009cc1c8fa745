/* query_person.c — the filter terms about people across cases: person:ID
 * (the cases of one person), cases:N (cases of people with that many
 * cases: N, >=N, <=N, >N, <N or N..M) and repeat:yes (cases with an
 * administrative sanction repeated within repeat_window_months; repeat:no
 * is every other case). Their sets come from the person databases
 * (store_person_int.h), read whole into a bitmap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "idset.h"
#include "query.h"
#include "query_int.h"
#include "store_person_int.h"
#include "util.h"

static const char *const names[] = {
    [QF_PERSON - IDX__COUNT] = "person",
    [QF_CASES - IDX__COUNT] = "cases",
    [QF_REPEAT - IDX__COUNT] = "repeat",
};

int query_person_field(const char *name, size_t len)
{
	for (int i = QF_PERSON; i < QF__END; i++)
		if (strlen(names[i - IDX__COUNT]) == len &&
		    strncasecmp(names[i - IDX__COUNT], name, len) == 0)
			return i;
	return -1;
}

const char *query_person_field_name(int field)
{
	return field >= QF_PERSON && field < QF__END ? names[field - IDX__COUNT] : "?";
}

static int bad_cases(const char *v, struct cb_err *err)
{
	return cb_err_set(err, CB_EINVAL,
	    _("bad number of cases \"%s\" (expected N, >=N, <=N, >N, <N or N..M)"), v);
}

/* cases:N, >=N, <=N, >N, <N, N..M into lo..hi. */
static int parse_count(struct qalt *a, struct cb_err *err)
{
	int rc = query_parse_range(a, 1, bad_cases, err);

	if (rc == 0 && a->lo == 0)
		a->lo = 1; /* a person has at least one case */
	if (rc == 0 && a->lo > a->hi)
		return cb_err_set(err, CB_EINVAL, _("range \"%s\" ends before it starts"), a->text);
	return rc;
}

int query_person_parse_alt(int field, struct qalt *a, struct cb_err *err)
{
	int yes;

	if (!a->text[0])
		return cb_err_set(err, CB_EINVAL, _("empty value (use field:value)"));
	switch (field) {
	case QF_PERSON: {
		char *end;
		unsigned long long v = strtoull(a->text, &end, 10);
		if (*end || v == 0 || a->text[0] == '-' || a->text[0] == '+' || v > UINT32_MAX)
			return cb_err_set(err, CB_EINVAL,
			    _("bad person id \"%s\" (expected a number such as 7)"), a->text);
		a->lo = a->hi = (uint32_t)v;
		return 0;
	}
	case QF_CASES:
		return parse_count(a, err);
	default:
		if (vocab_parse(&vocab_exam, a->text, &yes, err) != 0)
			return CB_EINVAL;
		a->key = xstrdup(vocab_key(&vocab_exam, yes));
		free(a->text);
		a->text = xstrdup(a->key);
		a->lo = strcmp(a->key, "yes") == 0;
		return 0;
	}
}

int query_person_plan(struct ctx *cx, const struct qterm *t, struct idbm *set)
{
	int w = config_get()->repeat_window_months, rc = 0;
	bool all_done = false;

	for (size_t i = 0; i < t->n && rc == 0; i++) {
		const struct qalt *a = &t->alts[i];
		if (t->field == QF_PERSON) {
			rc = store_person_filter_person(cx->st, cx->txn, a->lo, set);
		} else if (t->field == QF_CASES) {
			rc = store_person_filter_cases(cx->st, cx->txn, a->lo, a->hi, set);
		} else if (a->lo) {
			rc = store_person_filter_repeat(cx->st, cx->txn, w > 0 ? w : 12, set);
		} else if (!all_done) {
			/* repeat:no: every case without a repeat mark. */
			struct idbm rep;
			idbm_init(&rep, cx->maxid);
			rc = store_person_filter_repeat(cx->st, cx->txn, w > 0 ? w : 12, &rep);
			if (rc == 0) {
				struct query none = {0};
				struct idbm every;
				size_t n;
				idbm_init(&every, cx->maxid);
				rc = query_eval(cx, &none, &every, &n);
				idbm_andnot(&every, &rep);
				for (size_t k = 0; k < set->nw; k++)
					set->w[k] |= every.w[k];
				idbm_free(&every);
			}
			idbm_free(&rep);
			all_done = true;
		}
	}
	if (rc > 0)
		return query_lmdb_fail(cx, rc);
	if (rc < 0 && cx->err && !cx->err->msg[0])
		cb_err_set(cx->err, rc, _("reading people"));
	return rc;
}
