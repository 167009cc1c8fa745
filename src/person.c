/* person.c — the model of people across cases (include/person.h): identity
 * keys from name skeletons, the conservative linking rule, a person's
 * derived names, repeat marks and totals. Pure functions: no storage. */
#include "person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skeleton.h"

/* Words of one name that are looked at; the rest is ignored. */
#define MAX_WORDS 32

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Length of the whitespace at p (ASCII blanks or a no-break space), 0 if none. */
static size_t space_at(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
		return 1;
	if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0)
		return 2;
	return 0;
}

int person_key(const char *name, char *out)
{
	char words[MAX_WORDS][SKELETON_CAP];
	char *sorted[MAX_WORDS];
	int n = 0;

	out[0] = 0;
	if (!name)
		return 0;
	for (const char *p = name; *p && n < MAX_WORDS;) {
		size_t sp = space_at(p);
		if (sp) {
			p += sp;
			continue;
		}
		const char *start = p;
		while (*p && !space_at(p))
			p++;
		if (skeleton_word(start, (size_t)(p - start), words[n], SKELETON_CAP) == 0)
			continue; /* punctuation only: not a word */
		sorted[n] = words[n];
		n++;
	}
	qsort(sorted, (size_t)n, sizeof *sorted, cmp_str);
	size_t len = 0;
	int kept = 0;
	for (int i = 0; i < n; i++) {
		if (kept && strcmp(sorted[i], sorted[i - 1]) == 0)
			continue; /* a word written twice counts once */
		size_t w = strlen(sorted[i]);
		if (len + (kept ? 1 : 0) + w >= PERSON_KEY_MAX)
			break; /* clipped at a word boundary */
		if (kept)
			out[len++] = ' ';
		memcpy(out + len, sorted[i], w);
		len += w;
		out[len] = 0;
		kept++;
	}
	return kept;
}

/* Adds the key of one spelling to out unless empty or there already. */
static void add_key(struct strlist *out, const char *spelling)
{
	char k[PERSON_KEY_MAX];

	if (str_empty(spelling) || person_key(spelling, k) == 0)
		return;
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->items[i], k) == 0)
			return;
	strlist_add(out, k);
}

void person_case_keys(const struct case_record *c, struct strlist *out)
{
	if (str_empty(c->name))
		return;
	add_key(out, c->name);
	add_key(out, c->name_latin);
	for (size_t i = 0; i < c->aliases.n; i++)
		add_key(out, c->aliases.items[i]);
}

/* Splits a key (words sorted, single spaces) in place into words[]. */
static int key_words(char *k, char **words)
{
	int n = 0;
	for (char *p = strtok(k, " "); p && n < MAX_WORDS; p = strtok(NULL, " "))
		words[n++] = p;
	return n;
}

/* True when every word of the sorted list a is in the sorted list b. */
static bool words_subset(char **a, int na, char **b, int nb)
{
	int j = 0;
	for (int i = 0; i < na; i++) {
		while (j < nb && strcmp(b[j], a[i]) < 0)
			j++;
		if (j == nb || strcmp(b[j], a[i]) != 0)
			return false;
		j++;
	}
	return true;
}

enum person_match person_match_keys(const char *key_a, int year_a, const char *key_b, int year_b,
    enum person_reason *reason)
{
	char a[PERSON_KEY_MAX], b[PERSON_KEY_MAX];
	char *wa[MAX_WORDS], *wb[MAX_WORDS];

	if (reason)
		*reason = PREASON_NONE;
	if (str_empty(key_a) || str_empty(key_b))
		return PERSON_DIFFERENT;
	if (year_a && year_b && year_a != year_b)
		return PERSON_DIFFERENT;
	snprintf(a, sizeof a, "%s", key_a);
	snprintf(b, sizeof b, "%s", key_b);
	int na = key_words(a, wa), nb = key_words(b, wb);
	if (strcmp(key_a, key_b) == 0) {
		if (na >= 2 && year_a && year_b)
			return PERSON_SAME;
		if (reason)
			*reason = na < 2 ? PREASON_ONE_WORD : PREASON_SAME_NAME_NO_YEAR;
		return PERSON_POSSIBLE;
	}
	if (na < nb ? words_subset(wa, na, wb, nb) : words_subset(wb, nb, wa, na)) {
		if (reason)
			*reason = PREASON_PART_OF_NAME;
		return PERSON_POSSIBLE;
	}
	return PERSON_DIFFERENT;
}

enum person_match person_match_lists(const struct strlist *keys_a, int year_a,
    const struct strlist *keys_b, int year_b, enum person_reason *reason)
{
	enum person_match best = PERSON_DIFFERENT;

	if (reason)
		*reason = PREASON_NONE;
	for (size_t i = 0; i < keys_a->n; i++)
		for (size_t j = 0; j < keys_b->n; j++) {
			enum person_reason r;
			enum person_match m = person_match_keys(keys_a->items[i], year_a,
			    keys_b->items[j], year_b, &r);
			if (m > best) {
				best = m;
				if (reason)
					*reason = r;
			}
			if (best == PERSON_SAME)
				return best;
		}
	return best;
}

const char *person_reason_text(enum person_reason r)
{
	switch (r) {
	case PREASON_SAME_NAME_NO_YEAR:
		return _("same name, birth year not known on both");
	case PREASON_PART_OF_NAME:
		return _("one name is a part of the other");
	case PREASON_ONE_WORD:
		return _("the same one-word name");
	case PREASON_SAME_NAME_YEAR:
		return _("same name and birth year, kept apart by hand");
	default:
		return "";
	}
}

bool person_is_admin_sanction(int measure_type)
{
	return measure_type == MEASURE_ADMIN_ARREST || measure_type == MEASURE_FINE ||
	    measure_type == MEASURE_WARNING;
}

void person_record_init(struct person_record *p)
{
	memset(p, 0, sizeof *p);
	p->sex = SEX_UNKNOWN;
}

void person_record_free(struct person_record *p)
{
	strlist_free(&p->names);
	memset(&p->names, 0, sizeof p->names);
}

void person_add_name(struct strlist *l, const char *s)
{
	if (str_empty(s))
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i], s) == 0)
			return;
	strlist_add(l, s);
}

void person_derive(struct person_record *p, const struct case_record *cases, size_t n)
{
	int years[64], counts[64], ny = 0, sex = -1;

	strlist_free(&p->names);
	memset(&p->names, 0, sizeof p->names);
	for (size_t i = 0; i < n; i++) {
		const struct case_record *c = &cases[i];
		person_add_name(&p->names, c->name);
		person_add_name(&p->names, c->name_latin);
		for (size_t j = 0; j < c->aliases.n; j++)
			person_add_name(&p->names, c->aliases.items[j]);
		if (c->sex != SEX_UNKNOWN)
			sex = sex == -1 || sex == c->sex ? c->sex : -2;
		if (c->birth_year) {
			int k = 0;
			while (k < ny && years[k] != c->birth_year)
				k++;
			if (k == ny && ny < 64)
				years[ny] = c->birth_year, counts[ny++] = 0;
			if (k < ny)
				counts[k]++;
		}
	}
	p->sex = sex >= 0 ? sex : SEX_UNKNOWN;
	p->sex_mixed = sex == -2;
	p->birth_year = 0;
	for (int k = 0, best = 0; k < ny; k++)
		if (counts[k] > best || (counts[k] == best && years[k] < p->birth_year)) {
			best = counts[k];
			p->birth_year = years[k];
		}
	p->n_cases = (uint32_t)n;
}

/* ---- Timeline ----------------------------------------------------------- */

static int cmp_case_date(const void *a, const void *b)
{
	const struct case_record *x = a, *y = b;
	int c = pdate_cmp(x->date, y->date);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* One dated administrative sanction: its first day and where it is. */
struct sanction {
	uint32_t day; /* YYYYMMDD */
	size_t c, m;
};

static int cmp_sanction(const void *a, const void *b)
{
	const struct sanction *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->c != y->c)
		return x->c < y->c ? -1 : 1;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* YYYYMMDD plus months (the day of the month kept, so the 31st of a
 * shorter month compares after its last day, as it should). */
static uint32_t add_months(uint32_t day, int months)
{
	uint32_t y = day / 10000, m = day / 100 % 100, d = day % 100;
	uint32_t t = y * 12 + (m - 1) + (uint32_t)months;
	return (t / 12) * 10000 + (t % 12 + 1) * 100 + d;
}

static void mark_repeats(struct person_timeline *tl, int window)
{
	struct sanction *s = NULL;
	size_t ns = 0, cap = 0;

	for (size_t i = 0; i < tl->n; i++) {
		const struct case_record *c = &tl->cases[i];
		for (size_t j = 0; j < c->n_measures; j++) {
			const struct measure *m = &c->measures[j];
			uint32_t first, last;
			if (!person_is_admin_sanction(m->type))
				continue;
			pdate_span(pdate_is_set(m->date) ? m->date : c->date, &first, &last);
			if (!first)
				continue;
			if (ns == cap)
				s = xrealloc(s, (cap = cap ? cap * 2 : 16) * sizeof *s);
			s[ns++] = (struct sanction){first, i, j};
		}
	}
	if (ns > 1)
		qsort(s, ns, sizeof *s, cmp_sanction);
	/* The latest sanction strictly before a day is the previous group of
	 * equal days: a sanction is a repeat when that day is in the window. */
	uint32_t prev = 0;
	for (size_t k = 0; k < ns;) {
		size_t e = k;
		while (e < ns && s[e].day == s[k].day)
			e++;
		bool rep = prev && s[k].day <= add_months(prev, window);
		for (size_t q = k; q < e; q++)
			if (rep) {
				tl->repeat[s[q].c][s[q].m] = true;
				tl->totals.repeats++;
			}
		prev = s[k].day;
		k = e;
	}
	free(s);
}

/* The fines of the timeline as "150 MRP, 20000 KZT": amounts of one unit
 * (the text after the number) added up, in the order first seen; a fine
 * that does not start with a whole number is listed as written. */
static char *sum_fines(const struct person_timeline *tl)
{
	struct strlist units = {0}, texts = {0};
	unsigned long long *sums = NULL;
	struct buf out = {0};

	for (size_t i = 0; i < tl->n; i++)
		for (size_t j = 0; j < tl->cases[i].n_measures; j++) {
			const char *f = tl->cases[i].measures[j].fine;
			char *end;
			if (str_empty(f))
				continue;
			unsigned long long v = strtoull(f, &end, 10);
			if (end == f || (*end && *end != ' ') || f[0] == '-' || f[0] == '+' ||
			    f[0] == ' ') {
				strlist_add(&texts, f);
				continue;
			}
			while (*end == ' ')
				end++;
			size_t k = 0;
			while (k < units.n && strcmp(units.items[k], end) != 0)
				k++;
			if (k == units.n) {
				strlist_add(&units, end);
				sums = xrealloc(sums, units.n * sizeof *sums);
				sums[k] = 0;
			}
			sums[k] += v;
		}
	for (size_t k = 0; k < units.n; k++)
		buf_printf(&out, "%s%llu%s%s", out.len ? ", " : "", sums[k],
		    units.items[k][0] ? " " : "", units.items[k]);
	for (size_t k = 0; k < texts.n; k++)
		buf_printf(&out, "%s%s", out.len ? ", " : "", texts.items[k]);
	strlist_free(&units);
	strlist_free(&texts);
	free(sums);
	if (!out.len)
		return xstrdup("");
	return buf_steal(&out);
}

void person_timeline_build(struct person_timeline *tl, struct case_record *cases, size_t n,
    int window_months)
{
	memset(tl, 0, sizeof *tl);
	person_record_init(&tl->person);
	tl->cases = cases;
	tl->n = n;
	if (n > 1)
		qsort(cases, n, sizeof *cases, cmp_case_date);
	tl->repeat = xcalloc(n ? n : 1, sizeof *tl->repeat);
	for (size_t i = 0; i < n; i++) {
		const struct case_record *c = &cases[i];
		tl->repeat[i] = xcalloc(c->n_measures ? c->n_measures : 1, sizeof **tl->repeat);
		for (size_t j = 0; j < c->n_measures; j++) {
			const struct measure *m = &c->measures[j];
			uint32_t d = m->days > 0 ? (uint32_t)m->days : 0;
			if (m->type == MEASURE_DETENTION)
				tl->totals.detentions++, tl->totals.detention_days += d;
			else if (m->type == MEASURE_ADMIN_ARREST)
				tl->totals.arrests++, tl->totals.arrest_days += d;
			if (!str_empty(m->fine) || m->type == MEASURE_FINE)
				tl->totals.fines++;
		}
	}
	tl->totals.cases = (uint32_t)n;
	mark_repeats(tl, window_months > 0 ? window_months : 12);
	tl->totals.fine_total = sum_fines(tl);
}

void person_timeline_free(struct person_timeline *tl)
{
	for (size_t i = 0; i < tl->n; i++) {
		free(tl->repeat[i]);
		case_free(&tl->cases[i]);
	}
	free(tl->repeat);
	free(tl->cases);
	free(tl->totals.fine_total);
	person_record_free(&tl->person);
	memset(tl, 0, sizeof *tl);
}

bool person_timeline_case_repeats(const struct person_timeline *tl, size_t i)
{
	if (i >= tl->n)
		return false;
	for (size_t j = 0; j < tl->cases[i].n_measures; j++)
		if (tl->repeat[i][j])
			return true;
	return false;
}
