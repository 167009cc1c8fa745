/* case.c — the case model: vocabularies, partial dates, the CSV list syntax
 * of measures and injuries, setting fields from text, validation. */
#include "case.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/uchar.h>

#include "text.h"
#include "util.h"
#include "vocab_match.h"

/* ---- Vocabularies ------------------------------------------------------- */

#define VOCAB(name, terms) { name, terms, (int)(sizeof terms / sizeof terms[0]) }

static const struct vocab_term measure_terms[] = {
	{ "detention", N_("detention"), "030101" },
	{ "admin_arrest", N_("administrative arrest"), "030102 + MT29 01" },
	{ "fine", N_("fine"), NULL },
	{ "admin_case", N_("administrative case"), NULL },
	{ "criminal_case", N_("criminal case"), NULL },
	{ "warning", N_("warning"), NULL },
	{ "preventive", N_("preventive measure (summons, home visit, pre-event detention)"), NULL },
	{ "refusal", N_("refusal of an assembly"), "120106" },
	{ "threat", N_("threat"), "020103010000" },
	{ "surveillance", N_("surveillance"), "020103030000" },
	{ "hacking", N_("hacking"), NULL },
	{ "internet_block", N_("internet block"), NULL },
	{ "search", N_("search"), "040101" },
	{ "other", N_("other measure"), NULL },
};

static const struct vocab_term injury_terms[] = {
	{ "strangulation", N_("strangulation"), NULL },
	{ "bruise", N_("bruise"), NULL },
	{ "abrasion", N_("abrasion"), NULL },
	{ "head_trauma", N_("craniocerebral trauma, concussion"), NULL },
	{ "joint_injury", N_("joint injury"), NULL },
	{ "fracture", N_("fracture"), NULL },
	{ "laceration", N_("laceration"), NULL },
	{ "burn", N_("burn"), NULL },
	{ "chemical", N_("chemical (tear gas, pepper spray)"), NULL },
	{ "other", N_("other injury"), NULL },
};

static const struct vocab_term status_terms[] = {
	{ "open", N_("open"), NULL },
	{ "awaiting_trial", N_("awaiting trial"), NULL },
	{ "in_court", N_("in court"), NULL },
	{ "appeal", N_("appeal"), NULL },
	{ "closed", N_("closed"), NULL },
};

static const struct vocab_term verification_terms[] = {
	{ "confirmed", N_("confirmed"), NULL },
	{ "likely", N_("likely"), NULL },
	{ "possible", N_("possible"), NULL },
	{ "unknown", N_("unknown"), NULL },
};

static const struct vocab_term confidentiality_terms[] = {
	{ "public", N_("public"), NULL },
	{ "internal", N_("internal"), NULL },
	{ "restricted", N_("restricted"), NULL },
};

static const struct vocab_term sex_terms[] = {
	{ "f", N_("female"), NULL },
	{ "m", N_("male"), NULL },
	{ "unknown", N_("unknown"), NULL },
};

const struct vocab vocab_measure = VOCAB(N_("measure type"), measure_terms);
const struct vocab vocab_injury = VOCAB(N_("injury type"), injury_terms);
const struct vocab vocab_status = VOCAB(N_("status"), status_terms);
const struct vocab vocab_verification = VOCAB(N_("verification"), verification_terms);
const struct vocab vocab_confidentiality = VOCAB(N_("confidentiality"), confidentiality_terms);
const struct vocab vocab_sex = VOCAB(N_("sex"), sex_terms);

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch;
}

/* ASCII case-insensitive equality, independent of the locale. */
static bool ascii_eq_nocase(const char *a, const char *b)
{
	while (*a && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static bool is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* Index of the term whose key equals key (exact, ASCII case-insensitive), or -1. */
int vocab_find(const struct vocab *v, const char *key)
{
	if (!key)
		return -1;
	for (int i = 0; i < v->count; i++)
		if (ascii_eq_nocase(v->terms[i].key, key))
			return i;
	return -1;
}

/* A key, a label in any language, a synonym or a unique prefix
 * (vocab_match.h); on failure a message naming the nearest terms. */
int vocab_parse(const struct vocab *v, const char *key, int *out, struct cb_err *err)
{
	return vocab_match(v, key, out, err);
}

/* Key of term i; "?" when out of range. */
const char *vocab_key(const struct vocab *v, int i)
{
	return i >= 0 && i < v->count ? v->terms[i].key : "?";
}

/* Translated label of term i; "?" when out of range. */
const char *vocab_label(const struct vocab *v, int i)
{
	return i >= 0 && i < v->count ? _(v->terms[i].label) : "?";
}

static void join_keys(char *dst, size_t size, const char *const *keys, int n)
{
	size_t len = 0;

	dst[0] = '\0';
	for (int i = 0; i < n && len + 1 < size; i++) {
		int w = snprintf(dst + len, size - len, "%s%s", i ? ", " : "", keys[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* "a, b, c": the known keys. Built once per vocabulary, kept in static storage. */
const char *vocab_list(const struct vocab *v)
{
	static struct {
		const struct vocab *v;
		char s[512];
	} cache[8];
	size_t i;

	for (i = 0; i < sizeof cache / sizeof cache[0]; i++) {
		if (cache[i].v == v)
			return cache[i].s;
		if (!cache[i].v)
			break;
	}
	if (i == sizeof cache / sizeof cache[0])
		i--; /* more vocabularies than slots: reuse the last one */
	const char *keys[64];
	int n = v->count < 64 ? v->count : 64;
	for (int k = 0; k < n; k++)
		keys[k] = v->terms[k].key;
	join_keys(cache[i].s, sizeof cache[i].s, keys, n);
	cache[i].v = v;
	return cache[i].s;
}

/* ---- Partial dates ------------------------------------------------------ */

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* True when s starts with exactly n ASCII digits; their value in *out. */
static bool digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Whether d is unset or a real calendar period; shared with the codec's checks. */
static bool pdate_valid(struct pdate d)
{
	if (d.year == 0)
		return d.month == 0 && d.day == 0;
	if (d.year < 1000 || d.year > 9999 || d.month > 12)
		return false;
	if (d.month == 0)
		return d.day == 0;
	return d.day <= days_in_month(d.year, d.month);
}

/* Parses YYYY, YYYY-MM or YYYY-MM-DD, calendar-checked; "" gives an unset date. */
int pdate_parse(const char *s, struct pdate *out, struct cb_err *err)
{
	struct pdate d = { 0, 0, 0 };
	unsigned y = 0, m = 0, day = 0;
	size_t len;

	s = str_or_empty(s);
	len = strlen(s);
	if (len == 0) {
		*out = d;
		return 0;
	}
	if ((len != 4 && len != 7 && len != 10) || !digits(s, 4, &y) ||
	    (len >= 7 && (s[4] != '-' || !digits(s + 5, 2, &m))) ||
	    (len == 10 && (s[7] != '-' || !digits(s + 8, 2, &day))))
		return cb_err_set(err, CB_EINVAL,
		    _("bad date \"%.64s\" (expected YYYY, YYYY-MM or YYYY-MM-DD)"), s);
	if (y < 1000)
		return cb_err_set(err, CB_EINVAL, _("bad date \"%s\": year %u out of range (1000..9999)"),
		    s, y);
	if (len >= 7 && (m < 1 || m > 12))
		return cb_err_set(err, CB_EINVAL, _("bad date \"%s\": month %u out of range"), s, m);
	if (len == 10 && (day < 1 || day > days_in_month(y, m)))
		return cb_err_set(err, CB_EINVAL, _("bad date \"%s\": %04u-%02u has no day %u"),
		    s, y, m, day);
	d.year = (uint16_t)y;
	d.month = (uint8_t)m;
	d.day = (uint8_t)day;
	*out = d;
	return 0;
}

/* Writes the canonical form ("" when unset) into buf (11 bytes at least). */
/* Writes n decimal digits of v (zero-padded) at p; returns the end. */
static char *put_digits(char *p, unsigned v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

char *pdate_format(struct pdate d, char *buf)
{
	/* By hand rather than snprintf: every date index key goes through here. */
	char *p = buf;

	if (pdate_is_set(d)) {
		p = put_digits(p, d.year % 10000u, 4);
		if (d.month) {
			*p++ = '-';
			p = put_digits(p, d.month % 100u, 2);
			if (d.day) {
				*p++ = '-';
				p = put_digits(p, d.day % 100u, 2);
			}
		}
	}
	*p = '\0';
	return buf;
}

/* First and last day covered as YYYYMMDD; both 0 when unset. */
void pdate_span(struct pdate d, uint32_t *first, uint32_t *last)
{
	unsigned m1, m2, d2;

	if (!pdate_is_set(d)) {
		*first = *last = 0;
		return;
	}
	m1 = d.month ? d.month : 1;
	m2 = d.month ? d.month : 12;
	d2 = d.day ? d.day : days_in_month(d.year, m2);
	*first = (uint32_t)d.year * 10000 + m1 * 100 + (d.day ? d.day : 1);
	*last = (uint32_t)d.year * 10000 + m2 * 100 + d2;
}

/* Unset first, then by first day, then the wider period first. */
int pdate_cmp(struct pdate a, struct pdate b)
{
	uint32_t af, al, bf, bl;

	if (!pdate_is_set(a) || !pdate_is_set(b))
		return (int)pdate_is_set(a) - (int)pdate_is_set(b);
	pdate_span(a, &af, &al);
	pdate_span(b, &bf, &bl);
	if (af != bf)
		return af < bf ? -1 : 1;
	if (al != bl)
		return al > bl ? -1 : 1;
	return 0;
}

/* ---- Lists -------------------------------------------------------------- */

/* Appends a copy of s. */
void strlist_add(struct strlist *l, const char *s)
{
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	l->items[l->n++] = xstrdup(s);
}

static void strlist_take(struct strlist *l, char *s)
{
	l->items = xreallocarray(l->items, l->n + 1, sizeof *l->items);
	l->items[l->n++] = s;
}

/* Frees the items and leaves an empty list. */
void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

/* End of the segment starting at s: the first sep not escaped by '\'. */
static const char *seg_end(const char *s, const char *end, char sep)
{
	while (s < end && *s != sep)
		s += (*s == '\\' && s + 1 < end) ? 2 : 1;
	return s;
}

/* A trimmed, unescaped copy of s[0..n): "\|", "\\" and, with colon, "\:"
 * become the character; any other backslash stays as written. */
static char *unescape(const char *s, size_t n, bool colon)
{
	char *out, *o;

	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	out = o = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n &&
		    (s[i + 1] == '|' || s[i + 1] == '\\' || (colon && s[i + 1] == ':')))
			i++;
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

static void put_escaped(struct buf *b, const char *s, bool colon)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || (colon && *s == ':'))
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*s);
	}
}

/* Splits a plain list on unescaped '|'; items trimmed, empty ones dropped. */
int strlist_parse(const char *s, struct strlist *out, struct cb_err *err)
{
	const char *p, *end, *e;

	(void)err;
	out->items = NULL;
	out->n = 0;
	if (!s)
		return 0;
	end = s + strlen(s);
	for (p = s;; p = e + 1) {
		e = seg_end(p, end, '|');
		char *item = unescape(p, (size_t)(e - p), false);
		if (item[0])
			strlist_take(out, item);
		else
			free(item);
		if (e >= end)
			break;
	}
	return 0;
}

/* Joins with '|', escaping '|' and '\'. */
char *strlist_format(const struct strlist *l)
{
	struct buf b = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_putc(&b, '|');
		put_escaped(&b, l->items[i], false);
	}
	return buf_steal(&b);
}

/* ---- Measures and injuries ---------------------------------------------- */

enum { MK_DAYS, MK_FINE, MK_DATE, MK_ARTICLE, MK_COURT, MK__COUNT };
static const char *const measure_keys[MK__COUNT] = { "days", "fine", "date", "article", "court" };
enum { IK_BODY, IK_NOTE, IK_EXAM, IK__COUNT };
static const char *const injury_keys[IK__COUNT] = { "body", "note", "exam" };

/* Longest arrest or detention accepted: a sanity bound (100 years). */
#define DAYS_MAX 36500

/* Frees the strings of a measure (not the struct itself). */
void measure_free(struct measure *m)
{
	free(m->fine);
	free(m->article);
	free(m->court);
	m->fine = m->article = m->court = NULL;
}

/* Frees the strings of an injury (not the struct itself). */
void injury_free(struct injury *i)
{
	free(i->body);
	free(i->note);
	i->body = i->note = NULL;
}

static int key_find(const char *const *keys, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (ascii_eq_nocase(keys[i], key))
			return i;
	return -1;
}

/* Parses a whole number lo..hi made of digits only. */
static bool parse_int_range(const char *s, long lo, long hi, long *out)
{
	long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > hi)
			return false;
	}
	if (v < lo)
		return false;
	*out = v;
	return true;
}

/* Gives an empty string as NULL so that both mean "not given". */
static char *nonempty_or_free(char *s)
{
	if (s && !s[0]) {
		free(s);
		return NULL;
	}
	return s;
}

/* One `key=value` part of an item: the shared work of both list kinds.
 * Returns the key index, or a negative code with err set. */
static int item_part(const char *p, const char *q, const char *type, const char *what,
    const char *const *keys, int nkeys, unsigned *seen, char **val, struct cb_err *err)
{
	const char *eq = memchr(p, '=', (size_t)(q - p));
	char *key = unescape(p, (size_t)((eq ? eq : q) - p), true);
	int k;

	*val = NULL;
	if (!eq) {
		int rc = cb_err_set(err, CB_EINVAL,
		    _("%s: part \"%.64s\" has no value (expected key=value)"), type, key);
		free(key);
		return rc;
	}
	k = key_find(keys, nkeys, key);
	if (k < 0) {
		char known[256];
		join_keys(known, sizeof known, keys, nkeys);
		int rc = cb_err_set(err, CB_EINVAL, _("%s: unknown key \"%.64s\" (%s keys: %s)"),
		    type, key, _(what), known);
		free(key);
		return rc;
	}
	free(key);
	if (*seen & (1u << k))
		return cb_err_set(err, CB_EINVAL, _("%s: duplicate key \"%s\""), type, keys[k]);
	*seen |= 1u << k;
	*val = unescape(eq + 1, (size_t)(q - eq - 1), true);
	return k;
}

/* True when the part [p,q) is only white space (e.g. a trailing ':'). */
static bool blank(const char *p, const char *q)
{
	while (p < q && is_space((unsigned char)*p))
		p++;
	return p == q;
}

static int measure_item(const char *p, const char *e, struct measure *m, struct cb_err *err)
{
	const char *q = seg_end(p, e, ':');
	char *type = unescape(p, (size_t)(q - p), true);
	unsigned seen = 0;
	int rc = 0;

	memset(m, 0, sizeof *m);
	m->days = -1;
	if (!type[0]) {
		rc = cb_err_set(err, CB_EINVAL, _("\"%.*s\": missing measure type (known: %s)"),
		    (int)(e - p > 64 ? 64 : e - p), p, vocab_list(&vocab_measure));
		goto out;
	}
	if ((rc = vocab_parse(&vocab_measure, type, &m->type, err)))
		goto out;
	while (q < e) {
		char *val;
		long days;
		p = q + 1;
		q = seg_end(p, e, ':');
		if (blank(p, q))
			continue;
		int k = item_part(p, q, type, N_("measure"), measure_keys, MK__COUNT, &seen, &val, err);
		if (k < 0) {
			rc = k;
			goto out;
		}
		switch (k) {
		case MK_DAYS:
			if (val[0] && !parse_int_range(val, 0, DAYS_MAX, &days))
				rc = cb_err_set(err, CB_EINVAL,
				    _("%s: bad days \"%.64s\" (expected a whole number 0..%d)"),
				    type, val, DAYS_MAX);
			else if (val[0])
				m->days = (int32_t)days;
			free(val);
			break;
		case MK_DATE:
			if ((rc = pdate_parse(val, &m->date, err)))
				cb_err_prefix(err, "%s", type);
			free(val);
			break;
		case MK_FINE:
			m->fine = nonempty_or_free(val);
			break;
		case MK_ARTICLE:
			m->article = nonempty_or_free(val);
			break;
		default:
			m->court = nonempty_or_free(val);
			break;
		}
		if (rc)
			goto out;
	}
out:
	free(type);
	if (rc)
		measure_free(m);
	return rc;
}

static int injury_item(const char *p, const char *e, struct injury *inj, struct cb_err *err)
{
	const char *q = seg_end(p, e, ':');
	char *type = unescape(p, (size_t)(q - p), true);
	unsigned seen = 0;
	int rc = 0;

	memset(inj, 0, sizeof *inj);
	inj->exam = -1;
	if (!type[0]) {
		rc = cb_err_set(err, CB_EINVAL, _("\"%.*s\": missing injury type (known: %s)"),
		    (int)(e - p > 64 ? 64 : e - p), p, vocab_list(&vocab_injury));
		goto out;
	}
	if ((rc = vocab_parse(&vocab_injury, type, &inj->type, err)))
		goto out;
	while (q < e) {
		char *val;
		p = q + 1;
		q = seg_end(p, e, ':');
		if (blank(p, q))
			continue;
		int k = item_part(p, q, type, N_("injury"), injury_keys, IK__COUNT, &seen, &val, err);
		if (k < 0) {
			rc = k;
			goto out;
		}
		switch (k) {
		case IK_BODY:
			inj->body = nonempty_or_free(val);
			break;
		case IK_NOTE:
			inj->note = nonempty_or_free(val);
			break;
		default:
			if (ascii_eq_nocase(val, "yes"))
				inj->exam = 1;
			else if (ascii_eq_nocase(val, "no"))
				inj->exam = 0;
			else if (val[0])
				rc = cb_err_set(err, CB_EINVAL,
				    _("%s: bad exam \"%.64s\" (expected yes or no)"), type, val);
			free(val);
			break;
		}
		if (rc)
			goto out;
	}
out:
	free(type);
	if (rc)
		injury_free(inj);
	return rc;
}

/* Splits s on unescaped '|' and parses each non-blank item with fn into a
 * growing array of elements of size sz; frees everything on error. */
static int parse_items(const char *s, size_t sz, int (*fn)(const char *, const char *, void *, struct cb_err *),
    void (*fr)(void *), void **out, size_t *n, struct cb_err *err)
{
	const char *p, *e, *end;
	unsigned char *arr = NULL;
	size_t cnt = 0;

	*out = NULL;
	*n = 0;
	s = str_or_empty(s);
	end = s + strlen(s);
	for (p = s;; p = e + 1) {
		e = seg_end(p, end, '|');
		if (!blank(p, e)) {
			arr = xreallocarray(arr, cnt + 1, sz);
			int rc = fn(p, e, arr + cnt * sz, err);
			if (rc) {
				for (size_t i = 0; i < cnt; i++)
					fr(arr + i * sz);
				free(arr);
				return rc;
			}
			cnt++;
		}
		if (e >= end)
			break;
	}
	*out = arr;
	*n = cnt;
	return 0;
}

static int measure_item_v(const char *p, const char *e, void *m, struct cb_err *err)
{
	return measure_item(p, e, m, err);
}

static void measure_free_v(void *m)
{
	measure_free(m);
}

static int injury_item_v(const char *p, const char *e, void *i, struct cb_err *err)
{
	return injury_item(p, e, i, err);
}

static void injury_free_v(void *i)
{
	injury_free(i);
}

/* Parses `type[:key=value]...|...` into a new array of measures. */
int measures_parse(const char *s, struct measure **out, size_t *n, struct cb_err *err)
{
	void *arr;
	int rc = parse_items(s, sizeof **out, measure_item_v, measure_free_v, &arr, n, err);

	*out = arr;
	return rc;
}

/* Parses `type[:key=value]...|...` into a new array of injuries. */
int injuries_parse(const char *s, struct injury **out, size_t *n, struct cb_err *err)
{
	void *arr;
	int rc = parse_items(s, sizeof **out, injury_item_v, injury_free_v, &arr, n, err);

	*out = arr;
	return rc;
}

static void put_part(struct buf *b, const char *key, const char *val)
{
	if (str_empty(val))
		return;
	buf_putc(b, ':');
	buf_puts(b, key);
	buf_putc(b, '=');
	put_escaped(b, val, true);
}

/* The CSV form of measures: exactly what measures_parse reads back. */
char *measures_format(const struct measure *m, size_t n)
{
	struct buf b = { 0 };
	char date[11];

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, vocab_key(&vocab_measure, m[i].type));
		if (m[i].days >= 0)
			buf_printf(&b, ":days=%d", (int)m[i].days);
		put_part(&b, "fine", m[i].fine);
		put_part(&b, "date", pdate_format(m[i].date, date));
		put_part(&b, "article", m[i].article);
		put_part(&b, "court", m[i].court);
	}
	return buf_steal(&b);
}

/* The CSV form of injuries: exactly what injuries_parse reads back. */
char *injuries_format(const struct injury *inj, size_t n)
{
	struct buf b = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, vocab_key(&vocab_injury, inj[i].type));
		put_part(&b, "body", inj[i].body);
		put_part(&b, "note", inj[i].note);
		if (inj[i].exam >= 0)
			buf_puts(&b, inj[i].exam ? ":exam=yes" : ":exam=no");
	}
	return buf_steal(&b);
}

/* ---- The case ----------------------------------------------------------- */

const struct field_def case_fields[FIELD__COUNT] = {
	[FIELD_ID] = { "id", N_("ID"), false },
	[FIELD_REV] = { "rev", N_("Revision"), false },
	[FIELD_NAME] = { "name", N_("Name"), true },
	[FIELD_NAME_LATIN] = { "name_latin", N_("Name (Latin)"), true },
	[FIELD_ALIASES] = { "aliases", N_("Other spellings"), true },
	[FIELD_SEX] = { "sex", N_("Sex"), true },
	[FIELD_BIRTH_YEAR] = { "birth_year", N_("Year of birth"), true },
	[FIELD_AFFILIATION] = { "affiliation", N_("Affiliation"), true },
	[FIELD_EVENT] = { "event", N_("Event"), true },
	[FIELD_DATE] = { "date", N_("Date"), true },
	[FIELD_REGION] = { "region", N_("Region"), true },
	[FIELD_CITY] = { "city", N_("City"), true },
	[FIELD_MEASURES] = { "measures", N_("Measures"), true },
	[FIELD_INJURIES] = { "injuries", N_("Injuries"), true },
	[FIELD_STATUS] = { "status", N_("Status"), true },
	[FIELD_VERIFICATION] = { "verification", N_("Verification"), true },
	[FIELD_LAWYER] = { "lawyer", N_("Lawyer"), true },
	[FIELD_HEARING] = { "hearing", N_("Next hearing"), true },
	[FIELD_CONFIDENTIALITY] = { "confidentiality", N_("Confidentiality"), true },
	[FIELD_SOURCES] = { "sources", N_("Sources"), true },
	[FIELD_NOTES] = { "notes", N_("Notes"), true },
	[FIELD_CREATED] = { "created", N_("Created"), false },
	[FIELD_UPDATED] = { "updated", N_("Updated"), false },
	[FIELD_UPDATED_BY] = { "updated_by", N_("Updated by"), false },
};

/* Defaults: sex unknown, status open, verification unknown, confidentiality internal. */
void case_init(struct case_record *c)
{
	memset(c, 0, sizeof *c);
	c->sex = SEX_UNKNOWN;
	c->status = STATUS_OPEN;
	c->verification = VERIF_UNKNOWN;
	c->confidentiality = CONF_INTERNAL;
}

static void free_measures(struct measure *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		measure_free(&m[i]);
	free(m);
}

static void free_injuries(struct injury *inj, size_t n)
{
	for (size_t i = 0; i < n; i++)
		injury_free(&inj[i]);
	free(inj);
}

/* Frees everything and leaves c case_init'ed, so a second call is harmless. */
void case_free(struct case_record *c)
{
	free(c->name);
	free(c->name_latin);
	strlist_free(&c->aliases);
	strlist_free(&c->affiliation);
	free(c->event);
	free(c->region);
	free(c->city);
	free_measures(c->measures, c->n_measures);
	free_injuries(c->injuries, c->n_injuries);
	free(c->lawyer);
	strlist_free(&c->sources);
	free(c->notes);
	free(c->updated_by);
	free(c->unknown);
	case_init(c);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void strlist_copy(struct strlist *dst, const struct strlist *src)
{
	dst->items = NULL;
	dst->n = 0;
	for (size_t i = 0; i < src->n; i++)
		strlist_add(dst, src->items[i]);
}

/* Deep copy; dst must not hold a live record. */
void case_copy(struct case_record *dst, const struct case_record *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->name_latin = dup_or_null(src->name_latin);
	strlist_copy(&dst->aliases, &src->aliases);
	strlist_copy(&dst->affiliation, &src->affiliation);
	dst->event = dup_or_null(src->event);
	dst->region = dup_or_null(src->region);
	dst->city = dup_or_null(src->city);
	dst->measures = NULL;
	if (src->n_measures) {
		dst->measures = xreallocarray(NULL, src->n_measures, sizeof *dst->measures);
		for (size_t i = 0; i < src->n_measures; i++) {
			dst->measures[i] = src->measures[i];
			dst->measures[i].fine = dup_or_null(src->measures[i].fine);
			dst->measures[i].article = dup_or_null(src->measures[i].article);
			dst->measures[i].court = dup_or_null(src->measures[i].court);
		}
	}
	dst->injuries = NULL;
	if (src->n_injuries) {
		dst->injuries = xreallocarray(NULL, src->n_injuries, sizeof *dst->injuries);
		for (size_t i = 0; i < src->n_injuries; i++) {
			dst->injuries[i] = src->injuries[i];
			dst->injuries[i].body = dup_or_null(src->injuries[i].body);
			dst->injuries[i].note = dup_or_null(src->injuries[i].note);
		}
	}
	dst->lawyer = dup_or_null(src->lawyer);
	strlist_copy(&dst->sources, &src->sources);
	dst->notes = dup_or_null(src->notes);
	dst->updated_by = dup_or_null(src->updated_by);
	dst->unknown = NULL;
	if (src->unknown_len) {
		dst->unknown = xmalloc(src->unknown_len);
		memcpy(dst->unknown, src->unknown, src->unknown_len);
	} else {
		dst->unknown_len = 0;
	}
}

/* Field index by name (exact), or -1. */
int case_field_find(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < FIELD__COUNT; i++)
		if (strcmp(case_fields[i].name, name) == 0)
			return i;
	return -1;
}

/* "name, name_latin, ...": the user-settable field names. */
const char *case_field_list(void)
{
	static char list[512];

	if (!list[0]) {
		const char *names[FIELD__COUNT];
		int n = 0;
		for (int i = 0; i < FIELD__COUNT; i++)
			if (case_fields[i].user_set)
				names[n++] = case_fields[i].name;
		join_keys(list, sizeof list, names, n);
	}
	return list;
}

/* The current UTC year; re-read at most once an hour, since the store
 * validates every record it writes. */
static int current_year(void)
{
	static int year;
	static time_t until;
	time_t now = time(NULL);
	struct tm tm;

	if (year && now < until)
		return year;
	year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2100;
	until = now + 3600;
	return year;
}

#define BIRTH_YEAR_MIN 1900

/* Strict "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
static bool parse_time(const char *s, int64_t *out)
{
	unsigned y, mo, d, h, mi, se;
	struct tm tm;

	if (strlen(s) != 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d) || s[10] != 'T' || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &se) || s[19] != 'Z')
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || se > 60)
		return false;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	tm.tm_hour = (int)h;
	tm.tm_min = (int)mi;
	tm.tm_sec = (int)se;
	*out = (int64_t)timegm(&tm);
	return true;
}

/* Parses digits only into an unsigned 64-bit number. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		unsigned dgt = (unsigned)(*s - '0');
		if (v > (max - dgt) / 10)
			return false;
		v = v * 10 + dgt;
	}
	*out = v;
	return true;
}

static char **text_slot(struct case_record *c, int field)
{
	switch (field) {
	case FIELD_NAME: return &c->name;
	case FIELD_NAME_LATIN: return &c->name_latin;
	case FIELD_EVENT: return &c->event;
	case FIELD_REGION: return &c->region;
	case FIELD_CITY: return &c->city;
	case FIELD_LAWYER: return &c->lawyer;
	case FIELD_NOTES: return &c->notes;
	case FIELD_UPDATED_BY: return &c->updated_by;
	default: return NULL;
	}
}

static const char *const *text_slot_c(const struct case_record *c, int field)
{
	return (const char *const *)text_slot((struct case_record *)c, field);
}

static struct strlist *list_slot(struct case_record *c, int field)
{
	switch (field) {
	case FIELD_ALIASES: return &c->aliases;
	case FIELD_AFFILIATION: return &c->affiliation;
	case FIELD_SOURCES: return &c->sources;
	default: return NULL;
	}
}

/* The vocabulary of a vocabulary field, its slot and default. */
static const struct vocab *vocab_slot(struct case_record *c, int field, int **slot, int *def)
{
	switch (field) {
	case FIELD_SEX:
		*slot = &c->sex;
		*def = SEX_UNKNOWN;
		return &vocab_sex;
	case FIELD_STATUS:
		*slot = &c->status;
		*def = STATUS_OPEN;
		return &vocab_status;
	case FIELD_VERIFICATION:
		*slot = &c->verification;
		*def = VERIF_UNKNOWN;
		return &vocab_verification;
	case FIELD_CONFIDENTIALITY:
		*slot = &c->confidentiality;
		*def = CONF_INTERNAL;
		return &vocab_confidentiality;
	default:
		return NULL;
	}
}

/* The work of case_set_field on an already trimmed value; messages are
 * prefixed with the field name by the caller. */
static int set_field(struct case_record *c, int field, const char *v, struct cb_err *err)
{
	char **text = text_slot(c, field);
	struct strlist *list = list_slot(c, field);
	int *vslot, def;
	const struct vocab *voc = vocab_slot(c, field, &vslot, &def);
	int rc;

	if (text) {
		free(*text);
		*text = v[0] ? xstrdup(v) : NULL;
		return 0;
	}
	if (list) {
		struct strlist tmp;
		if ((rc = strlist_parse(v, &tmp, err)))
			return rc;
		strlist_free(list);
		*list = tmp;
		return 0;
	}
	if (voc) {
		int val = def;
		if (v[0] && (rc = vocab_parse(voc, v, &val, err)))
			return rc;
		*vslot = val;
		return 0;
	}
	switch (field) {
	case FIELD_ID:
	case FIELD_REV: {
		uint64_t n = 0;
		uint64_t max = field == FIELD_ID ? UINT64_MAX : UINT32_MAX;
		if (v[0] && !parse_u64(v, max, &n))
			return cb_err_set(err, CB_EINVAL, _("bad number \"%.64s\""), v);
		if (field == FIELD_ID)
			c->id = n;
		else
			c->rev = (uint32_t)n;
		return 0;
	}
	case FIELD_BIRTH_YEAR: {
		uint64_t n = 0;
		int now = current_year();
		if (v[0] && !parse_u64(v, 100000, &n))
			return cb_err_set(err, CB_EINVAL, _("bad number \"%.64s\""), v);
		if (v[0] && (n < BIRTH_YEAR_MIN || n > (uint64_t)now))
			return cb_err_set(err, CB_EINVAL, _("%s is not a plausible year of birth (%d..%d)"),
			    v, BIRTH_YEAR_MIN, now);
		c->birth_year = (int)n;
		return 0;
	}
	case FIELD_DATE:
		return pdate_parse(v, &c->date, err);
	case FIELD_HEARING:
		return pdate_parse(v, &c->hearing, err);
	case FIELD_MEASURES: {
		struct measure *m;
		size_t n;
		if ((rc = measures_parse(v, &m, &n, err)))
			return rc;
		free_measures(c->measures, c->n_measures);
		c->measures = m;
		c->n_measures = n;
		return 0;
	}
	case FIELD_INJURIES: {
		struct injury *inj;
		size_t n;
		if ((rc = injuries_parse(v, &inj, &n, err)))
			return rc;
		free_injuries(c->injuries, c->n_injuries);
		c->injuries = inj;
		c->n_injuries = n;
		return 0;
	}
	case FIELD_CREATED:
	case FIELD_UPDATED: {
		int64_t t = 0;
		if (v[0] && !parse_time(v, &t))
			return cb_err_set(err, CB_EINVAL,
			    _("bad time \"%.64s\" (expected YYYY-MM-DDTHH:MM:SSZ, in UTC)"), v);
		if (field == FIELD_CREATED)
			c->created = t;
		else
			c->updated = t;
		return 0;
	}
	default:
		return cb_err_set(err, CB_EINVAL, _("unknown field"));
	}
}

/* Sets one field from its CSV text form; the record is unchanged on error. */
int case_set_field(struct case_record *c, int field, const char *value,
    bool allow_internal, struct cb_err *err)
{
	const char *fname;
	char *v;
	size_t n;
	int rc;

	if (field < 0 || field >= FIELD__COUNT)
		return cb_err_set(err, CB_EINVAL, _("unknown field number %d"), field);
	fname = case_fields[field].name;
	if (!case_fields[field].user_set && !allow_internal)
		return cb_err_set(err, CB_EINVAL, _("%s: kept by casebook, it cannot be set"), fname);
	value = str_or_empty(value);
	if (text_valid_len(value, strlen(value)) != strlen(value))
		return cb_err_set(err, CB_EINVAL,
		    _("%s: not valid UTF-8 text (save the file as UTF-8)"), fname);
	while (is_space((unsigned char)*value))
		value++;
	n = strlen(value);
	while (n > 0 && is_space((unsigned char)value[n - 1]))
		n--;
	/* Copy only when there is trailing space to cut. */
	v = value[n] ? xstrndup(value, n) : NULL;
	rc = set_field(c, field, v ? v : value, err);
	if (rc)
		cb_err_prefix(err, "%s", fname);
	free(v);
	return rc;
}

/* Parses "FIELD=VALUE" and sets the user field. */
int case_assign(struct case_record *c, const char *assignment, struct cb_err *err)
{
	const char *eq = strchr(str_or_empty(assignment), '=');
	char *name;
	int f;

	if (!eq)
		return cb_err_set(err, CB_EINVAL,
		    _("\"%.64s\": expected FIELD=VALUE, e.g. city=Almaty (fields: %s)"),
		    str_or_empty(assignment), case_field_list());
	name = unescape(assignment, (size_t)(eq - assignment), false);
	f = case_field_find(name);
	if (f < 0) {
		int rc = cb_err_set(err, CB_EINVAL, _("unknown field \"%.64s\" (fields: %s)"),
		    name, case_field_list());
		free(name);
		return rc;
	}
	free(name);
	return case_set_field(c, f, eq + 1, false, err);
}

/* The field's CSV text form, malloc'd; "" for empty. */
char *case_get_field(const struct case_record *c, int field)
{
	const char *const *text = text_slot_c(c, field);
	char date[11];
	char when[TEXT_TIME_MAX];

	if (text)
		return xstrdup(str_or_empty(*text));
	switch (field) {
	case FIELD_ID:
		return c->id ? xasprintf("%llu", (unsigned long long)c->id) : xstrdup("");
	case FIELD_REV:
		return c->rev ? xasprintf("%lu", (unsigned long)c->rev) : xstrdup("");
	case FIELD_ALIASES:
		return strlist_format(&c->aliases);
	case FIELD_AFFILIATION:
		return strlist_format(&c->affiliation);
	case FIELD_SOURCES:
		return strlist_format(&c->sources);
	case FIELD_SEX:
		return xstrdup(vocab_key(&vocab_sex, c->sex));
	case FIELD_STATUS:
		return xstrdup(vocab_key(&vocab_status, c->status));
	case FIELD_VERIFICATION:
		return xstrdup(vocab_key(&vocab_verification, c->verification));
	case FIELD_CONFIDENTIALITY:
		return xstrdup(vocab_key(&vocab_confidentiality, c->confidentiality));
	case FIELD_BIRTH_YEAR:
		return c->birth_year ? xasprintf("%d", c->birth_year) : xstrdup("");
	case FIELD_DATE:
		return xstrdup(pdate_format(c->date, date));
	case FIELD_HEARING:
		return xstrdup(pdate_format(c->hearing, date));
	case FIELD_MEASURES:
		return measures_format(c->measures, c->n_measures);
	case FIELD_INJURIES:
		return injuries_format(c->injuries, c->n_injuries);
	case FIELD_CREATED:
		return xstrdup(c->created ? text_time(when, c->created, TEXT_TIME_UTC) : "");
	case FIELD_UPDATED:
		return xstrdup(c->updated ? text_time(when, c->updated, TEXT_TIME_UTC) : "");
	default:
		return xstrdup("");
	}
}

/* Whole-case rules that single fields cannot check. */
int case_validate(const struct case_record *c, struct cb_err *err)
{
	char d[11];

	if (c->sex < 0 || c->sex >= vocab_sex.count || c->status < 0 ||
	    c->status >= vocab_status.count || c->verification < 0 ||
	    c->verification >= vocab_verification.count || c->confidentiality < 0 ||
	    c->confidentiality >= vocab_confidentiality.count)
		return cb_err_set(err, CB_EINVAL, _("a vocabulary field holds an unknown value"));
	if (!pdate_valid(c->date) || !pdate_valid(c->hearing))
		return cb_err_set(err, CB_EINVAL, _("date: not a calendar date"));
	if (c->birth_year && (c->birth_year < BIRTH_YEAR_MIN || c->birth_year > current_year()))
		return cb_err_set(err, CB_EINVAL, _("birth_year: %d is not a plausible year of birth"),
		    c->birth_year);
	if (c->birth_year && pdate_is_set(c->date) && c->birth_year > c->date.year)
		return cb_err_set(err, CB_EINVAL,
		    _("birth_year: %d is after the date of the event (%s)"), c->birth_year,
		    pdate_format(c->date, d));
	if (c->birth_year && pdate_is_set(c->hearing) && c->birth_year > c->hearing.year)
		return cb_err_set(err, CB_EINVAL, _("birth_year: %d is after the hearing (%s)"),
		    c->birth_year, pdate_format(c->hearing, d));
	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		if (m->type < 0 || m->type >= vocab_measure.count || m->days > DAYS_MAX ||
		    !pdate_valid(m->date))
			return cb_err_set(err, CB_EINVAL, _("measures: measure %zu is not valid"), i + 1);
	}
	for (size_t i = 0; i < c->n_injuries; i++) {
		const struct injury *inj = &c->injuries[i];
		if (inj->type < 0 || inj->type >= vocab_injury.count || inj->exam < -1 ||
		    inj->exam > 1)
			return cb_err_set(err, CB_EINVAL, _("injuries: injury %zu is not valid"), i + 1);
	}
	return 0;
}

/* Total days of detention and administrative arrest over all measures. */
int case_total_days(const struct case_record *c)
{
	int64_t total = 0;

	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		if ((m->type == MEASURE_DETENTION || m->type == MEASURE_ADMIN_ARREST) && m->days > 0)
			total += m->days;
	}
	return total > INT_MAX ? INT_MAX : (int)total;
}

/* The name to show: name, else name_latin, else "(unidentified)". */
const char *case_display_name(const struct case_record *c)
{
	if (!str_empty(c->name))
		return c->name;
	if (!str_empty(c->name_latin))
		return c->name_latin;
	return _("(unidentified)");
}

/* Initials for redacted output: "Ninagul DZHUMANIYAZOVA" -> "N. D.". */
char *case_initials(const struct case_record *c)
{
	const char *name = !str_empty(c->name) ? c->name : c->name_latin;
	const unsigned char *s = (const unsigned char *)str_or_empty(name);
	const unsigned char *end = s + strlen((const char *)s);
	struct buf b = { 0 };

	while (*s) {
		uint32_t cp;
		while (*s && is_space(*s))
			s++;
		if (!*s)
			break;
		size_t len = text_decode((const char *)s, (size_t)(end - s), &cp);
		if (b.len)
			buf_putc(&b, ' ');
		/* ICU's mapping does not depend on the process locale. */
		text_put_char(&b, (uint32_t)u_toupper((UChar32)cp));
		buf_putc(&b, '.');
		s += len;
		while (*s && !is_space(*s))
			s++;
	}
	if (!b.len) {
		buf_free(&b);
		return xstrdup(_("(unidentified)"));
	}
	return buf_steal(&b);
}
