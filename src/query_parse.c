/* query_parse.c — the filter language of DESIGN.md §4: filter text (or
 * command-line words) to terms, terms back to canonical text, and sort keys.
 * Reads no database. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "codec.h"
#include "datefmt.h"
#include "fold.h"
#include "header_alias.h"
#include "idset.h"
#include "index_key.h"
#include "query.h"
#include "query_int.h"
#include "searches.h"
#include "util.h"

/* ---- Fields -------------------------------------------------------------- */

/* A filter field is an index of case_indexes with .filter set; a term's
 * field is that index. */

const char *query_field_names(bool facets_only)
{
	static char all[256], facets[256];
	char *s = facets_only ? facets : all;
	if (!s[0]) {
		for (int i = 0; i < IDX__COUNT; i++) {
			if (!case_indexes[i].filter || (facets_only && !case_indexes[i].facet))
				continue;
			if (s[0])
				strcat(s, ", ");
			strcat(s, case_indexes[i].name);
		}
		for (int f = QF_PERSON; !facets_only && f < QF__END; f++) {
			strcat(s, ", ");
			strcat(s, query_person_field_name(f));
		}
	}
	return s;
}

static int field_find(const char *name, size_t len)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if (case_indexes[i].filter && strlen(case_indexes[i].name) == len &&
		    strncasecmp(case_indexes[i].name, name, len) == 0)
			return i;
	return query_person_field(name, len);
}

/* Filter words for indexes that are parts of a field, which office
 * headers do not name: compared folded, as header_alias_find compares. */
static const struct {
	const char *word;
	int idx;
} part_words[] = {
    {"сутки", IDX_DAYS},
    {"суток", IDX_DAYS},
    {"дни", IDX_DAYS},
    {"тәулік", IDX_DAYS},
    {"отырыс", IDX_HEARING}, /* "сот отырысы", a court hearing */
    {"шара", IDX_MEASURE},
    {"шаралар", IDX_MEASURE},
    {"экспертиза", IDX_EXAM},
    {"сараптама", IDX_EXAM},
};

/* The filter field that a field's name in Russian, Kazakh or English
 * stands for ("город", "Қала", "травма", "сутки"): the words an office
 * file's columns use (header_alias.h), the field's label, and the words of
 * part_words; -1 when the word names none. A list field stands for its
 * first index (measures: measure, not days). */
static int field_by_word(const char *p, size_t len)
{
	char word[64];

	if (len >= sizeof word)
		return -1;
	memcpy(word, p, len);
	word[len] = '\0';
	char *folded = fold_text(word);
	for (size_t i = 0; i < sizeof part_words / sizeof part_words[0]; i++) {
		char *w = fold_text(part_words[i].word);
		bool same = strcmp(w, folded) == 0;
		free(w);
		if (same) {
			free(folded);
			return part_words[i].idx;
		}
	}
	free(folded);
	const char *name = header_alias_find(word);
	int f = name ? case_field_find(name) : -1;
	if (f == FIELD_NAME_LATIN || f == FIELD_ALIASES)
		f = FIELD_NAME;
	for (int i = 0; f >= 0 && i < IDX__COUNT; i++)
		if (case_indexes[i].filter && case_indexes[i].field == f)
			return i;
	return -1;
}

/* Edits (insert, delete, change, swap of neighbours) between two short
 * ASCII words, counted without case; more than 3 is 3. */
static unsigned edits(const char *a, size_t n, const char *b, size_t m)
{
	unsigned d[17][17];

	if (n > 16 || m > 16)
		return 3;
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++) {
			if (i == 0 || j == 0) {
				d[i][j] = (unsigned)(i + j);
				continue;
			}
			unsigned c =
			    tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			unsigned v = d[i - 1][j - 1] + c;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m] > 3 ? 3 : d[n][m];
}

/* The filter field a word before a colon was most likely meant to be
 * (one edit away, two for names of six letters or more), or -1: such a
 * word is a typo to report, any other is free text. */
static int field_near(const char *name, size_t len)
{
	int best = -1;
	unsigned best_d = 3;

	if (len < 3)
		return -1;
	for (int i = 0; i < IDX__COUNT; i++) {
		if (!case_indexes[i].filter)
			continue;
		const char *f = case_indexes[i].name;
		size_t m = strlen(f);
		unsigned d = edits(name, len, f, m), allowed = m >= 6 ? 2 : 1;
		if (d <= allowed && d < best_d) {
			best = i;
			best_d = d;
		}
	}
	return best;
}

int query_key_style(int idx)
{
	return case_indexes[idx].key;
}

/* ---- Parsed filters ------------------------------------------------------ */

static void term_free(struct qterm *t)
{
	free(t->saved);
	for (size_t i = 0; i < t->n; i++) {
		free(t->alts[i].text);
		free(t->alts[i].key);
		strlist_free(&t->alts[i].words);
		index_words_free(t->alts[i].nw, t->alts[i].nnw);
	}
	free(t->alts);
}

/* Frees a parsed filter (NULL is fine). */
void query_free(struct query *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		term_free(&q->terms[i]);
	free(q->terms);
	free(q);
}

/* True when the filter has no terms. */
bool query_is_empty(const struct query *q)
{
	return !q || q->n == 0;
}

/* A whole number of at most 9 digits, s[0..len). */
bool query_parse_uint(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = (uint32_t)v;
	return true;
}

int query_parse_range(struct qalt *a, uint32_t lo, int (*bad)(const char *v, struct cb_err *err),
    struct cb_err *err)
{
	const char *v = a->text, *dots = strstr(v, "..");
	uint32_t n;

	a->lo = lo, a->hi = UINT32_MAX;
	if (dots) {
		if ((dots == v && !dots[2]) ||
		    (dots > v && !query_parse_uint(v, (size_t)(dots - v), &a->lo)) ||
		    (dots[2] && !query_parse_uint(dots + 2, strlen(dots + 2), &a->hi)))
			return bad(v, err);
	} else if (v[0] == '>' || v[0] == '<') {
		bool eq = v[1] == '=';
		const char *num = v + 1 + eq;
		if (!query_parse_uint(num, strlen(num), &n))
			return bad(v, err);
		if (v[0] == '>')
			a->lo = eq ? n : n + 1;
		else if (!eq && n == 0)
			return cb_err_set(err, CB_EINVAL, _("\"%s\" can match nothing"), v);
		else
			a->hi = eq ? n : n - 1;
	} else if (query_parse_uint(v, strlen(v), &n)) {
		a->lo = a->hi = n;
	} else {
		return bad(v, err);
	}
	if (a->lo > a->hi)
		return cb_err_set(err, CB_EINVAL, _("range \"%s\" ends before it starts"), v);
	return 0;
}

static int bad_days(const char *v, struct cb_err *err)
{
	return cb_err_set(err, CB_EINVAL,
	    _("bad days \"%s\" (expected N, >=N, <=N, >N, <N or N..M, N a whole number)"), v);
}

static int parse_days(struct qalt *a, struct cb_err *err)
{
	return query_parse_range(a, 0, bad_days, err);
}

static int parse_date_range(struct qalt *a, struct cb_err *err)
{
	struct pdate from, to;
	uint32_t first, last;
	/* Either form, DD.MM.YYYY or ISO, at both ends (datefmt.h). */
	int rc = datefmt_parse_range(a->text, &from, &to, err);

	if (rc < 0)
		return rc;
	if (rc == 0) {
		if ((rc = datefmt_parse(a->text, &from, err)) != 0)
			return rc;
		pdate_span(from, &a->lo, &a->hi);
		return 0;
	}
	a->lo = 0, a->hi = 99991231;
	if (pdate_is_set(from)) {
		pdate_span(from, &first, &last);
		a->lo = first;
	}
	if (pdate_is_set(to)) {
		pdate_span(to, &first, &last);
		a->hi = last;
	}
	return 0;
}

/* An event value that is a date in either form (2021-05-01, 01.05.2021,
 * 05.2021, 2021) names the events of that date (query_event.c): its span
 * into a->lo..a->hi, which stay 0 for any other value. */
static void event_date(struct qalt *a)
{
	struct pdate d;

	if (datefmt_parse(a->text, &d, NULL) == 0 && pdate_is_set(d))
		pdate_span(d, &a->lo, &a->hi);
}

/* Fills the parsed parts of alternative a of a term on index idx. */
static int parse_alt(int idx, struct qalt *a, struct cb_err *err)
{
	const struct vocab *voc;
	int i, rc;

	if (idx >= IDX__COUNT)
		return query_person_parse_alt(idx, a, err);
	voc = case_index_vocab(idx);
	if (!a->text[0])
		return cb_err_set(err, CB_EINVAL, _("empty value (use field:value)"));
	switch (query_key_style(idx)) {
	case KEY_FOLDED:
		index_filter_keys(idx, a->text, &a->words, &a->clipped);
		if (a->words.n == 0)
			return cb_err_set(err, CB_EINVAL, _("empty value (use field:value)"));
		a->key = xstrdup(a->words.items[0]);
		strlist_free(&a->words);
		if (idx == IDX_EVENT)
			event_date(a);
		return 0;
	case KEY_EXACT:
		if ((rc = vocab_parse(voc, a->text, &i, err)) != 0)
			return rc;
		a->key = xstrdup(vocab_key(voc, i));
		free(a->text); /* canonical spelling for query_to_text */
		a->text = xstrdup(a->key);
		return 0;
	case KEY_PLACE:
		/* Every key the value names: its places' keys and its text. */
		index_filter_keys(idx, a->text, &a->words, &a->clipped);
		if (a->words.n == 0)
			return cb_err_set(err, CB_EINVAL, _("empty value (use field:value)"));
		a->key = xstrdup(a->words.items[0]);
		return 0;
	case KEY_DATE:
		return parse_date_range(a, err);
	case KEY_DAYS:
		return parse_days(a, err);
	case KEY_WORDS:
		index_filter_keys(idx, a->text, &a->words, &a->clipped);
		if (a->words.n == 0)
			return cb_err_set(err, CB_EINVAL,
			    _("\"%s\" has no letters or digits to search names for"), a->text);
		bool clipped;
		index_filter_words(a->text, &a->nw, &a->nnw, &clipped);
		a->clipped |= clipped;
		return 0;
	}
	return 0;
}

/* Splits the value part of a term into alternatives at unquoted commas,
 * removing quotes and the backslash escapes inside them. */
static int split_alts(const char *v, struct qterm *t, struct cb_err *err)
{
	struct buf cur = {0};
	bool inq = false;
	size_t cap = 0;

	for (const char *p = v;; p++) {
		if (!*p || (*p == ',' && !inq)) {
			if (inq) {
				buf_free(&cur);
				return cb_err_set(err, CB_EINVAL, _("missing closing quote"));
			}
			if (t->n == cap) {
				cap = cap ? cap * 2 : 4;
				t->alts = xreallocarray(t->alts, cap, sizeof *t->alts);
			}
			memset(&t->alts[t->n], 0, sizeof t->alts[t->n]);
			/* Surrounding spaces are not part of a value. */
			const char *s = buf_cstr(&cur);
			size_t len = cur.len;
			while (len && isspace((unsigned char)s[len - 1]))
				len--;
			while (len && isspace((unsigned char)*s))
				s++, len--;
			t->alts[t->n++].text = xstrndup(s, len);
			cur.len = 0;
			if (!*p)
				break;
			continue;
		}
		if (*p == '"') {
			inq = !inq;
			continue;
		}
		if (inq && *p == '\\' && (p[1] == '"' || p[1] == '\\')) {
			buf_putc(&cur, (unsigned char)*++p);
			continue;
		}
		buf_putc(&cur, (unsigned char)*p);
	}
	buf_free(&cur);
	return 0;
}

/* `@name` (after any '-'): a saved search, looked up when the filter runs
 * (query_plan.c), so the name is only checked for its form here. */
static int parse_saved(const char *raw, const char *name, struct qterm *t, struct cb_err *err)
{
	int rc = searches_name_check(name, err);

	if (rc) {
		cb_err_prefix(err, _("filter \"%s\""), raw);
		memset(t, 0, sizeof *t);
		return rc;
	}
	t->field = IDX_NAME;
	t->saved = xstrdup(name);
	return 0;
}

/* Parses one term (its text as one token: quotes kept, spaces allowed). */
static int parse_term(const char *raw, struct qterm *t, struct cb_err *err)
{
	const char *p = raw, *value;
	int rc;

	memset(t, 0, sizeof *t);
	if (p[0] == '-' && p[1]) {
		t->negate = true;
		p++;
	}
	if (*p == '@')
		return parse_saved(raw, p + 1, t, err);
	const char *s = p;
	bool ascii = true;
	/* A field's name: Latin letters and '_', or a word in another script
	 * (its name in Russian or Kazakh: field_by_word), which may hold a
	 * hyphen ("іс-шара", "аты-жөні"). */
	while (isalpha((unsigned char)*s) || *s == '_' || (unsigned char)*s >= 0x80 ||
	    (*s == '-' && !ascii && (unsigned char)s[1] >= 0x80)) {
		ascii = ascii && (unsigned char)*s < 0x80;
		s++;
	}
	int f = -1;
	if (*s == ':' && s > p)
		f = ascii ? field_find(p, (size_t)(s - p)) : -1;
	/* A field named by a word of prose ("Митинг: 1 мая") with nothing
	 * after its colon is that prose: a name word, not an empty term. */
	if (f < 0 && *s == ':' && s > p && s[1])
		f = field_by_word(p, (size_t)(s - p));
	if (f >= 0) {
		t->field = f;
		value = s + 1;
	} else if (ascii && *s == ':' && s > p && (f = field_near(p, (size_t)(s - p))) >= 0) {
		rc = cb_err_set(err, CB_EINVAL,
		    _("unknown field \"%.*s\"; did you mean %s? (fields: %s)"), (int)(s - p), p,
		    case_indexes[f].name, query_field_names(false));
		goto fail;
	} else {
		/* A bare word, also when it holds a colon that follows no field
		 * name ("Meeting: 1 May", 10:30, a URL): free text. */
		t->field = IDX_NAME;
		value = p;
	}
	if ((rc = split_alts(value, t, err)) != 0)
		goto fail;
	for (size_t i = 0; i < t->n; i++)
		if ((rc = parse_alt(t->field, &t->alts[i], err)) != 0)
			goto fail;
	return 0;
fail:
	cb_err_prefix(err, _("filter \"%s\""), raw);
	term_free(t);
	memset(t, 0, sizeof *t);
	return rc;
}

static int add_term(struct query *q, const char *raw, size_t *cap, struct cb_err *err)
{
	struct qterm t;
	int rc = parse_term(raw, &t, err);
	if (rc)
		return rc;
	if (q->n == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		q->terms = xreallocarray(q->terms, *cap, sizeof *q->terms);
	}
	q->terms[q->n++] = t;
	return 0;
}

/* Adds the terms of text: tokens separated by unquoted white space. */
static int parse_text(struct query *q, const char *text, size_t *cap, struct cb_err *err)
{
	const char *p = text;

	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		bool inq = false;
		while (*p && (inq || !isspace((unsigned char)*p))) {
			if (*p == '"')
				inq = !inq;
			else if (inq && *p == '\\' && p[1])
				p++;
			p++;
		}
		char *raw = xstrndup(start, (size_t)(p - start));
		int rc = add_term(q, raw, cap, err);
		free(raw);
		if (rc)
			return rc;
	}
	return 0;
}

/* Parses filter text into terms; errors name the bad term. */
int query_parse(const char *text, struct query **out, struct cb_err *err)
{
	struct query *q = xcalloc(1, sizeof *q);
	size_t cap = 0;
	int rc = parse_text(q, str_or_empty(text), &cap, err);
	if (rc) {
		query_free(q);
		*out = NULL;
		return rc;
	}
	*out = q;
	return 0;
}

/* True when word (up to white space) has the form [-]field: with a
 * field's name (or one near it: its term gets the error). */
static bool starts_term(const char *w)
{
	if (*w == '-')
		w++;
	if (*w == '@') /* a saved search */
		return true;
	const char *s = w;
	while (isalpha((unsigned char)*s) || *s == '_')
		s++;
	size_t n = (size_t)(s - w);
	return n > 0 && *s == ':' && (field_find(w, n) >= 0 || field_near(w, n) >= 0);
}

/* Parses command-line words; a word may hold several terms or a value with spaces. */
int query_parse_argv(int argc, char *const argv[], struct query **out, struct cb_err *err)
{
	struct query *q = xcalloc(1, sizeof *q);
	size_t cap = 0;
	int rc = 0;

	for (int i = 0; i < argc && !rc; i++) {
		const char *a = argv[i];
		if (strchr(a, '"')) {
			rc = parse_text(q, a, &cap, err);
			continue;
		}
		/* The shell already grouped the words: within one element, words
		 * that do not start a new field:value term continue the value
		 * before them (event:2021-05-01 DCK rallies). */
		struct buf term = {0};
		const char *p = a;
		while (*p && !rc) {
			while (isspace((unsigned char)*p))
				p++;
			if (!*p)
				break;
			const char *start = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
			if (term.len && starts_term(start)) {
				rc = add_term(q, buf_cstr(&term), &cap, err);
				term.len = 0;
			}
			if (term.len)
				buf_putc(&term, ' ');
			buf_put(&term, start, (size_t)(p - start));
		}
		if (!rc && term.len)
			rc = add_term(q, buf_cstr(&term), &cap, err);
		buf_free(&term);
	}
	if (rc) {
		query_free(q);
		*out = NULL;
		return rc;
	}
	*out = q;
	return 0;
}

/* Appends a filter value, quoted when it is empty or holds white space, a
 * comma, a quote or a backslash. */
void query_quote(struct buf *b, const char *s)
{
	bool quote = !*s;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || *p == ',' || *p == '"' || *p == '\\')
			quote = true;
	if (!quote) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(b, '\\');
		buf_putc(b, (unsigned char)*p);
	}
	buf_putc(b, '"');
}

/* The names of the filter's saved searches. */
void query_saved_names(const struct query *q, struct strlist *out)
{
	for (size_t i = 0; q && i < q->n; i++)
		if (q->terms[i].saved)
			strlist_add(out, q->terms[i].saved);
}

/* Canonical text of the filter, which parses back to the same filter. */
char *query_to_text(const struct query *q)
{
	struct buf b = {0};

	for (size_t i = 0; q && i < q->n; i++) {
		const struct qterm *t = &q->terms[i];
		if (i)
			buf_putc(&b, ' ');
		if (t->negate)
			buf_putc(&b, '-');
		if (t->saved) {
			buf_printf(&b, "@%s", t->saved);
			continue;
		}
		buf_puts(&b,
		    t->field >= IDX__COUNT ? query_person_field_name(t->field)
		                           : index_name(t->field));
		buf_putc(&b, ':');
		for (size_t j = 0; j < t->n; j++) {
			if (j)
				buf_putc(&b, ',');
			query_quote(&b, t->alts[j].text);
		}
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

/* ---- Sort keys ----------------------------------------------------------- */

static const char *const sort_names[] = {
    [SORT_ID] = "id",
    [SORT_DATE] = "date",
    [SORT_NAME] = "name",
    [SORT_CITY] = "city",
    [SORT_HEARING] = "hearing",
};
#define N_SORTS (int)(sizeof sort_names / sizeof sort_names[0])

/* Parses "date", "-date", "name", ... into a sort key and direction. */
int query_sort_parse(const char *s, struct query_sort *out, struct cb_err *err)
{
	const char *k = str_or_empty(s);
	bool desc = false;
	if (*k == '-' || *k == '+') {
		desc = *k == '-';
		k++;
	}
	for (int i = 0; i < N_SORTS; i++) {
		if (strcmp(k, sort_names[i]) == 0) {
			out->key = i;
			out->descending = desc;
			return 0;
		}
	}
	return cb_err_set(err, CB_EINVAL,
	    _("unknown sort key \"%s\" (known: id, date, name, city, hearing; '-' before one sorts "
	      "descending)"),
	    str_or_empty(s));
}

/* Name of a sort key, "?" when unknown. */
const char *query_sort_name(int key)
{
	return key >= 0 && key < N_SORTS ? sort_names[key] : "?";
}

int query_sort_index(int key)
{
	switch (key) {
	case SORT_DATE:
		return IDX_DATE;
	case SORT_NAME:
		return IDX_SORTNAME;
	case SORT_CITY:
		return IDX_CITY;
	case SORT_HEARING:
		return IDX_HEARING;
	default:
		return -1;
	}
}
