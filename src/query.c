/* query.c — the filter language of DESIGN.md §4 and its planner over the
 * secondary indexes.
 *
 * A filter is an AND of terms; a term is an OR of alternatives; each
 * alternative names one or more index keys (a range or a name prefix names
 * many). Planning reads no case records. Every term is sized with
 * mdb_cursor_count and the terms run smallest first. The working set starts
 * as the smallest term: a sorted id array while it is sparse, a bitmap over
 * the ids (dense from 1; 125 KB for a million) once it is dense. A sparse
 * set is tested against a bigger term by probing its duplicate pages
 * (MDB_GET_MULTIPLE), galloping within a page and jumping with
 * MDB_GET_BOTH_RANGE over pages that cannot hold a candidate; a dense set
 * is ANDed with the term read whole. Exclusions run last and subtract.
 * The result is a bitmap, or nothing at all for the unfiltered list.
 *
 * Sorted pages are found by walking the sort key's index in key order and
 * testing membership in the bitmap; the order found so far is kept, so the
 * next page costs only the rows it adds. A far page of the unfiltered list
 * is found from the keys' counts without reading the rows before it, and a
 * small result is sorted by decoding its cases, which is cheaper than
 * walking a big index to find a few rows. Facets count each key's
 * duplicates that are in the result. */
#include "query.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "codec.h"
#include "fold.h"
#include "idset.h"
#include "index_key.h"
#include "store_lmdb.h"
#include "util.h"

/* ---- Fields -------------------------------------------------------------- */

/* A filter field is an index of case_indexes with .filter set; a term's
 * field is that index. */

static const char *field_names(bool facets_only)
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
	}
	return s;
}

static int field_find(const char *name, size_t len)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if (case_indexes[i].filter && strlen(case_indexes[i].name) == len &&
		    strncasecmp(case_indexes[i].name, name, len) == 0)
			return i;
	return -1;
}

static int key_style(int idx)
{
	return case_indexes[idx].key;
}

/* ---- Parsed filters ------------------------------------------------------ */

struct qalt {
	char *text;           /* as typed, unquoted (for query_to_text) */
	char *key;            /* text: folded key; vocab: the term's key */
	bool clipped;         /* a key was cut to the key size: confirm on the record */
	uint32_t lo, hi;      /* date: YYYYMMDD span; days: inclusive range */
	struct strlist words; /* name: folded word prefixes, all must match */
};

struct qterm {
	int field; /* enum case_index */
	bool negate;
	struct qalt *alts;
	size_t n;
};

struct query {
	struct qterm *terms;
	size_t n;
};

static void term_free(struct qterm *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->alts[i].text);
		free(t->alts[i].key);
		strlist_free(&t->alts[i].words);
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

static bool parse_uint(const char *s, size_t len, uint32_t *out)
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

static int bad_days(const char *v, struct cb_err *err)
{
	return cb_err_set(err, CB_EINVAL,
	    _("bad days \"%s\" (expected N, >=N, <=N, >N, <N or N..M, N a whole number)"), v);
}

static int parse_days(struct qalt *a, struct cb_err *err)
{
	const char *v = a->text, *dots = strstr(v, "..");
	uint32_t n;

	a->lo = 0, a->hi = UINT32_MAX;
	if (dots) {
		if (dots == v && !dots[2])
			return bad_days(v, err);
		if (dots > v && !parse_uint(v, (size_t)(dots - v), &a->lo))
			return bad_days(v, err);
		if (dots[2] && !parse_uint(dots + 2, strlen(dots + 2), &a->hi))
			return bad_days(v, err);
		if (a->lo > a->hi)
			return cb_err_set(err, CB_EINVAL, _("range \"%s\" ends before it starts"), v);
		return 0;
	}
	if (v[0] == '>' || v[0] == '<') {
		bool eq = v[1] == '=';
		const char *num = v + 1 + eq;
		if (!parse_uint(num, strlen(num), &n))
			return bad_days(v, err);
		if (v[0] == '>') {
			a->lo = eq ? n : n + 1;
		} else {
			if (!eq && n == 0)
				return cb_err_set(err, CB_EINVAL, _("\"%s\" can match nothing"), v);
			a->hi = eq ? n : n - 1;
		}
		return 0;
	}
	if (!parse_uint(v, strlen(v), &n))
		return bad_days(v, err);
	a->lo = a->hi = n;
	return 0;
}

static int parse_date_range(struct qalt *a, struct cb_err *err)
{
	const char *v = a->text, *dots = strstr(v, "..");
	struct pdate d;
	uint32_t first, last;
	int rc;

	if (!dots) {
		if ((rc = pdate_parse(v, &d, err)) != 0)
			return rc;
		pdate_span(d, &a->lo, &a->hi);
		return 0;
	}
	if (dots == v && !dots[2])
		return cb_err_set(err, CB_EINVAL,
		    _("bad date range \"%s\" (expected A..B, A.. or ..B)"), v);
	a->lo = 0, a->hi = 99991231;
	if (dots > v) {
		char *s = xstrndup(v, (size_t)(dots - v));
		rc = pdate_parse(s, &d, err);
		free(s);
		if (rc)
			return rc;
		pdate_span(d, &first, &last);
		a->lo = first;
	}
	if (dots[2]) {
		if ((rc = pdate_parse(dots + 2, &d, err)) != 0)
			return rc;
		pdate_span(d, &first, &last);
		a->hi = last;
	}
	if (a->lo > a->hi)
		return cb_err_set(err, CB_EINVAL, _("range \"%s\" ends before it starts"), v);
	return 0;
}

/* Fills the parsed parts of alternative a of a term on index idx. */
static int parse_alt(int idx, struct qalt *a, struct cb_err *err)
{
	const struct vocab *voc = case_index_vocab(idx);
	int i, rc;

	if (!a->text[0])
		return cb_err_set(err, CB_EINVAL, _("empty value (use field:value)"));
	switch (key_style(idx)) {
	case KEY_FOLDED:
		index_filter_keys(idx, a->text, &a->words, &a->clipped);
		if (a->words.n == 0)
			return cb_err_set(err, CB_EINVAL, _("empty value (use field:value)"));
		a->key = xstrdup(a->words.items[0]);
		strlist_free(&a->words);
		return 0;
	case KEY_EXACT:
		if ((rc = vocab_parse(voc, a->text, &i, err)) != 0)
			return rc;
		a->key = xstrdup(vocab_key(voc, i));
		free(a->text); /* canonical spelling for query_to_text */
		a->text = xstrdup(a->key);
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
	const char *s = p;
	while (isalpha((unsigned char)*s) || *s == '_')
		s++;
	if (*s == ':' && s > p) {
		int f = field_find(p, (size_t)(s - p));
		if (f < 0) {
			rc = cb_err_set(err, CB_EINVAL, _("unknown field \"%.*s\" (fields: %s)"),
			    (int)(s - p), p, field_names(false));
			goto fail;
		}
		t->field = f;
		value = s + 1;
	} else if (*s == ':') {
		rc = cb_err_set(err, CB_EINVAL, _("no field before \":\" (fields: %s)"),
		    field_names(false));
		goto fail;
	} else {
		t->field = IDX_NAME; /* a bare word */
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

/* True when word (up to white space) has the form [-]field: with letters. */
static bool starts_term(const char *w)
{
	if (*w == '-')
		w++;
	const char *s = w;
	while (isalpha((unsigned char)*s) || *s == '_')
		s++;
	return s > w && *s == ':';
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

static void put_value(struct buf *b, const char *s)
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
		buf_puts(&b, index_name(t->field));
		buf_putc(&b, ':');
		for (size_t j = 0; j < t->n; j++) {
			if (j)
				buf_putc(&b, ',');
			put_value(&b, t->alts[j].text);
		}
	}
	buf_cstr(&b);
	return buf_steal(&b);
}

/* ---- Sort keys ----------------------------------------------------------- */

static const char *const sort_names[] = {
	[SORT_ID] = "id", [SORT_DATE] = "date", [SORT_NAME] = "name",
	[SORT_CITY] = "city", [SORT_HEARING] = "hearing",
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
	    _("unknown sort key \"%s\" (known: id, date, name, city, hearing; '-' before one sorts descending)"),
	    str_or_empty(s));
}

/* Name of a sort key, "?" when unknown. */
const char *query_sort_name(int key)
{
	return key >= 0 && key < N_SORTS ? sort_names[key] : "?";
}

static int sort_index(int key)
{
	switch (key) {
	case SORT_DATE: return IDX_DATE;
	case SORT_NAME: return IDX_SORTNAME;
	case SORT_CITY: return IDX_CITY;
	case SORT_HEARING: return IDX_HEARING;
	default: return -1;
	}
}

/* ---- Duplicate lists, a page at a time ----------------------------------- */

/* With the cursor on the first duplicate of a key (data d), makes d the
 * first page of duplicates. *single is set when the key has one id only
 * (LMDB then keeps no duplicate page and GET_MULTIPLE would not fill d). */
static int page_first(MDB_cursor *c, MDB_val *d, size_t *count, bool *single)
{
	size_t n = 0;
	int rc = mdb_cursor_count(c, &n);
	if (rc)
		return rc;
	*count = (size_t)n;
	*single = n <= 1;
	if (*single)
		return d->mv_size == 8 ? 0 : MDB_CORRUPTED;
	MDB_val k;
	return mdb_cursor_get(c, &k, d, MDB_GET_MULTIPLE);
}

static int page_next(MDB_cursor *c, MDB_val *d, bool single)
{
	if (single)
		return MDB_NOTFOUND;
	MDB_val k;
	return mdb_cursor_get(c, &k, d, MDB_NEXT_MULTIPLE);
}

/* ---- Planning ------------------------------------------------------------ */

struct keyref {
	unsigned char *data;
	size_t len;
	size_t count;
};

/* A union of index keys' duplicate lists, or (set.w != NULL) a set read already. */
struct plan {
	int idx;
	bool negate;
	struct keyref *keys;
	size_t nk, capk;
	uint64_t est;
	struct idbm set;
};

struct ctx {
	struct store *st;
	MDB_txn *txn;
	MDB_cursor *cur[IDX__COUNT];
	uint64_t maxid;
	uint64_t ncases;
	struct cb_err *err;
};

static int ctx_cursor(struct ctx *cx, int idx, MDB_cursor **out)
{
	if (!cx->cur[idx]) {
		int rc = mdb_cursor_open(cx->txn, store_dbi_index(cx->st, idx), &cx->cur[idx]);
		if (rc)
			return store_lmdb_error(cx->err, rc, _("reading an index"));
	}
	*out = cx->cur[idx];
	return 0;
}

static void ctx_close(struct ctx *cx)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if (cx->cur[i])
			mdb_cursor_close(cx->cur[i]);
	memset(cx->cur, 0, sizeof cx->cur);
}

static int ctx_open(struct ctx *cx, struct store *st, struct cb_err *err)
{
	MDB_cursor *c;
	MDB_val k, d;
	MDB_stat ms;
	int rc;

	memset(cx, 0, sizeof *cx);
	cx->st = st;
	cx->err = err;
	if ((rc = store_read_begin(st, &cx->txn, err)) != 0)
		return rc;
	if ((rc = mdb_stat(cx->txn, store_dbi_cases(st), &ms)) != 0)
		goto fail;
	cx->ncases = ms.ms_entries;
	if ((rc = mdb_cursor_open(cx->txn, store_dbi_cases(st), &c)) != 0)
		goto fail;
	rc = mdb_cursor_get(c, &k, &d, MDB_LAST);
	if (rc == 0 && k.mv_size == 8)
		cx->maxid = ids_load(k.mv_data, 0);
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		goto fail;
	return 0;
fail:
	store_read_end(st);
	return store_lmdb_error(err, rc, _("reading the database"));
}

static void ctx_end(struct ctx *cx)
{
	ctx_close(cx);
	store_read_end(cx->st);
}

static int lmdb_fail(struct ctx *cx, int rc)
{
	return store_lmdb_error(cx->err, rc, _("reading an index"));
}

static void plan_add_key(struct plan *p, const void *data, size_t len, size_t count)
{
	if (p->nk == p->capk) {
		p->capk = p->capk ? p->capk * 2 : 8;
		p->keys = xreallocarray(p->keys, p->capk, sizeof *p->keys);
	}
	struct keyref *k = &p->keys[p->nk++];
	k->data = xmalloc(len ? len : 1);
	memcpy(k->data, data, len);
	k->len = len;
	k->count = count;
	p->est += count;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->nk; i++)
		free(p->keys[i].data);
	free(p->keys);
	if (p->set.w)
		idbm_free(&p->set);
	memset(p, 0, sizeof *p);
}

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->data, y->data, n);
	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Sorts the keys and drops repeats (city:a,A names one key twice). */
static void plan_dedupe(struct plan *p)
{
	if (p->nk < 2)
		return;
	qsort(p->keys, p->nk, sizeof *p->keys, keyref_cmp);
	size_t w = 1;
	for (size_t i = 1; i < p->nk; i++) {
		if (keyref_cmp(&p->keys[w - 1], &p->keys[i]) == 0) {
			p->est -= p->keys[i].count;
			free(p->keys[i].data);
		} else {
			p->keys[w++] = p->keys[i];
		}
	}
	p->nk = w;
}

static int resolve_exact(struct ctx *cx, struct plan *p, const char *key)
{
	MDB_cursor *c;
	MDB_val k = {strlen(key), (void *)key}, d;
	size_t n;
	int rc;

	if ((rc = ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = mdb_cursor_count(c, &n)) != 0)
		return lmdb_fail(cx, rc);
	plan_add_key(p, key, strlen(key), (size_t)n);
	return 0;
}

/* Adds every key of a range: date periods lying wholly inside lo..hi, days
 * in lo..hi, or name words starting with prefix. */
static int resolve_range(struct ctx *cx, struct plan *p, int kind, uint32_t lo, uint32_t hi,
    const char *prefix)
{
	MDB_cursor *c;
	MDB_val k, d;
	size_t n;
	unsigned char be[4];
	char year[8];
	int rc, op = MDB_SET_RANGE;

	if ((rc = ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	if (kind == KEY_DATE) {
		if (lo == 0) {
			op = MDB_FIRST;
		} else {
			k.mv_size = index_key_date_seek(lo, year);
			k.mv_data = year;
		}
	} else if (kind == KEY_DAYS) {
		index_key_days(lo, be);
		k.mv_data = be, k.mv_size = 4;
	} else {
		k.mv_data = (void *)prefix, k.mv_size = strlen(prefix);
	}
	for (rc = mdb_cursor_get(c, &k, &d, op); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if (kind == KEY_DATE) {
			uint32_t first, last;
			if (!index_key_date_span(k.mv_data, k.mv_size, &first, &last))
				continue;
			if (first > hi)
				break;
			if (first < lo || last > hi)
				continue;
		} else if (kind == KEY_DAYS) {
			uint32_t v;
			if (!index_key_days_value(k.mv_data, k.mv_size, &v))
				continue;
			if (v > hi)
				break;
		} else {
			size_t pl = strlen(prefix);
			if (k.mv_size < pl || memcmp(k.mv_data, prefix, pl) != 0)
				break;
		}
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			return lmdb_fail(cx, rc);
		plan_add_key(p, k.mv_data, k.mv_size, (size_t)n);
	}
	if (rc && rc != MDB_NOTFOUND)
		return lmdb_fail(cx, rc);
	return 0;
}

/* Sets in b the ids under every key of p. */
static int plan_to_bm(struct ctx *cx, const struct plan *p, struct idbm *b)
{
	MDB_cursor *c;
	int rc;

	if ((rc = ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	for (size_t i = 0; i < p->nk; i++) {
		MDB_val k = {p->keys[i].len, p->keys[i].data}, d;
		size_t cnt;
		bool single;
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
		if (rc == MDB_NOTFOUND)
			continue;
		if (rc || (rc = page_first(c, &d, &cnt, &single)) != 0)
			return lmdb_fail(cx, rc);
		do
			idbm_set_page(b, d.mv_data, d.mv_size / 8);
		while ((rc = page_next(c, &d, single)) == 0);
		if (rc != MDB_NOTFOUND)
			return lmdb_fail(cx, rc);
	}
	return 0;
}

/* The ids of p as a sorted array. */
static int plan_to_arr(struct ctx *cx, const struct plan *p, struct idarr *out)
{
	MDB_cursor *c;
	int rc;

	if (p->set.w) {
		idbm_to_array(&p->set, &out->v, &out->n, &out->cap);
		return 0;
	}
	if (p->nk != 1) {
		struct idbm b = {0};
		idbm_init(&b, cx->maxid);
		rc = plan_to_bm(cx, p, &b);
		if (rc == 0)
			idbm_to_array(&b, &out->v, &out->n, &out->cap);
		idbm_free(&b);
		return rc;
	}
	if ((rc = ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	MDB_val k = {p->keys[0].len, p->keys[0].data}, d;
	size_t cnt;
	bool single;
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = page_first(c, &d, &cnt, &single)) != 0)
		return lmdb_fail(cx, rc);
	do
		idarr_append(out, d.mv_data, d.mv_size / 8);
	while ((rc = page_next(c, &d, single)) == 0);
	return rc == MDB_NOTFOUND ? 0 : lmdb_fail(cx, rc);
}

/* Marks (marks[i] = 1) each candidate v[i] found under key k, walking the
 * key's duplicate pages alongside the sorted candidates: a page is read
 * only when a candidate may be in it, and a far candidate is reached with
 * one MDB_GET_BOTH_RANGE instead of reading the pages between. Returns the
 * number of hits or a negative code. */
static long probe_key(struct ctx *cx, MDB_cursor *c, const struct keyref *kr,
    const uint64_t *v, size_t n, unsigned char *marks)
{
	MDB_val k = {kr->len, kr->data}, d;
	size_t cnt, pos = 0;
	long hits = 0;
	bool single;
	int rc;

	if (n == 0)
		return 0;
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc || (rc = page_first(c, &d, &cnt, &single)) != 0)
		return lmdb_fail(cx, rc);
	for (;;) {
		size_t pn = d.mv_size / 8, j = 0;
		if (pn == 0)
			break;
		uint64_t lo = ids_load(d.mv_data, 0), hi = ids_load(d.mv_data, pn - 1);
		pos = ids_gallop(v, n, pos, lo);
		while (pos < n && v[pos] <= hi) {
			j = ids_gallop_raw(d.mv_data, pn, j, v[pos]);
			if (j < pn && ids_load(d.mv_data, j) == v[pos]) {
				hits += !marks[pos];
				marks[pos] = 1;
			}
			pos++;
		}
		if (pos >= n || single)
			break;
		if (v[pos] - hi > 4 * (hi - lo + 1) + 256) {
			MDB_val want = {sizeof v[pos], (void *)&v[pos]};
			k.mv_size = kr->len, k.mv_data = kr->data;
			rc = mdb_cursor_get(c, &k, &want, MDB_GET_BOTH_RANGE);
			if (rc == 0)
				rc = mdb_cursor_get(c, &k, &d, MDB_GET_MULTIPLE);
		} else {
			rc = page_next(c, &d, single);
		}
		if (rc == MDB_NOTFOUND)
			break;
		if (rc)
			return lmdb_fail(cx, rc);
	}
	return hits;
}

/* Keeps in a only the ids in p (keep) or only those not in p (!keep). */
static int filter_arr(struct ctx *cx, struct idarr *a, const struct plan *p, bool keep)
{
	size_t w = 0;
	int rc;

	if (a->n == 0)
		return 0;
	if (p->set.w) {
		for (size_t i = 0; i < a->n; i++)
			if (idbm_test(&p->set, a->v[i]) == keep)
				a->v[w++] = a->v[i];
		a->n = w;
		return 0;
	}
	/* Probing costs about one step per candidate and key; reading the
	 * term whole costs one per id it holds plus a bitmap scan. */
	if (p->nk > 1 && p->est + (cx->maxid >> 6) < (uint64_t)p->nk * a->n) {
		struct idbm b = {0};
		idbm_init(&b, cx->maxid);
		if ((rc = plan_to_bm(cx, p, &b)) == 0) {
			for (size_t i = 0; i < a->n; i++)
				if (idbm_test(&b, a->v[i]) == keep)
					a->v[w++] = a->v[i];
			a->n = w;
		}
		idbm_free(&b);
		return rc;
	}
	MDB_cursor *c;
	if ((rc = ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	unsigned char *marks = xcalloc(a->n, 1);
	size_t hits = 0;
	for (size_t i = 0; i < p->nk && hits < a->n; i++) {
		long h = probe_key(cx, c, &p->keys[i], a->v, a->n, marks);
		if (h < 0) {
			free(marks);
			return (int)h;
		}
		hits += (size_t)h;
	}
	for (size_t i = 0; i < a->n; i++)
		if ((marks[i] != 0) == keep)
			a->v[w++] = a->v[i];
	a->n = w;
	free(marks);
	return 0;
}

static int eval_and_words(struct ctx *cx, struct plan *words, size_t n, struct idarr *out);

/* Keeps in a only the cases that really match alternative text of index
 * idx: a key cut to the key size also holds values that differ after it. */
static int confirm_ids(struct ctx *cx, int idx, const char *text, struct idarr *a)
{
	MDB_dbi cases = store_dbi_cases(cx->st);
	size_t w = 0;
	int rc = 0;

	for (size_t i = 0; i < a->n && !rc; i++) {
		uint64_t id = a->v[i];
		MDB_val k = {sizeof id, &id}, v;
		struct case_record c;
		if ((rc = mdb_get(cx->txn, cases, &k, &v)) == MDB_NOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc)
			return lmdb_fail(cx, rc);
		case_init(&c);
		rc = codec_decode(v.mv_data, v.mv_size, &c, cx->err);
		if (rc)
			cb_err_prefix(cx->err, _("case %llu"), (unsigned long long)id);
		else if (index_case_matches(&c, idx, text))
			a->v[w++] = id;
		case_free(&c);
	}
	a->n = w;
	return rc;
}

/* The ids of one alternative of term t, exactly (confirmed when clipped). */
static int alt_ids(struct ctx *cx, const struct qterm *t, const struct qalt *a, struct idarr *out)
{
	int rc = 0;

	if (key_style(t->field) == KEY_WORDS) {
		/* name:"ivan pet": every word must start a name word. */
		const struct strlist *w = &a->words;
		struct plan *wp = xcalloc(w->n, sizeof *wp);
		for (size_t j = 0; j < w->n && !rc; j++) {
			wp[j].idx = t->field;
			rc = resolve_range(cx, &wp[j], KEY_WORDS, 0, 0, w->items[j]);
			plan_dedupe(&wp[j]);
		}
		if (!rc)
			rc = eval_and_words(cx, wp, w->n, out);
		for (size_t j = 0; j < w->n; j++)
			plan_free(&wp[j]);
		free(wp);
	} else {
		struct plan p = {.idx = t->field};
		if ((rc = resolve_exact(cx, &p, a->key)) == 0 && p.nk)
			rc = plan_to_arr(cx, &p, out);
		plan_free(&p);
	}
	if (!rc && a->clipped)
		rc = confirm_ids(cx, t->field, a->text, out);
	return rc;
}

/* Builds the plan of term t. A term whose alternatives are intersections
 * (several name words) or must be confirmed (clipped keys) is read into a
 * set; any other is a union of keys, sized and read later. */
static int plan_term(struct ctx *cx, const struct qterm *t, struct plan *p)
{
	int kind = key_style(t->field), rc = 0;
	bool exact = false;

	memset(p, 0, sizeof *p);
	p->idx = t->field;
	p->negate = t->negate;
	for (size_t i = 0; i < t->n; i++)
		if ((kind == KEY_WORDS && t->alts[i].words.n > 1) || t->alts[i].clipped)
			exact = true;
	if (exact) {
		idbm_init(&p->set, cx->maxid);
		for (size_t i = 0; i < t->n && !rc; i++) {
			struct idarr a = {0};
			rc = alt_ids(cx, t, &t->alts[i], &a);
			for (size_t j = 0; j < a.n; j++)
				idbm_set(&p->set, a.v[j]);
			idarr_free(&a);
		}
		p->est = idbm_count(&p->set);
		return rc;
	}
	for (size_t i = 0; i < t->n && !rc; i++) {
		const struct qalt *a = &t->alts[i];
		switch (kind) {
		case KEY_FOLDED:
		case KEY_EXACT:
			rc = resolve_exact(cx, p, a->key);
			break;
		case KEY_DATE:
		case KEY_DAYS:
			rc = resolve_range(cx, p, kind, a->lo, a->hi, NULL);
			break;
		case KEY_WORDS:
			rc = resolve_range(cx, p, KEY_WORDS, 0, 0, a->words.items[0]);
			break;
		}
	}
	plan_dedupe(p);
	return rc;
}

static int plan_est_cmp(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;
	return (x->est > y->est) - (x->est < y->est);
}

/* Intersects positive plans (any order) into a sorted array. */
static int eval_and_words(struct ctx *cx, struct plan *ps, size_t n, struct idarr *out)
{
	int rc;
	qsort(ps, n, sizeof *ps, plan_est_cmp);
	if (n == 0 || ps[0].est == 0)
		return 0;
	if ((rc = plan_to_arr(cx, &ps[0], out)) != 0)
		return rc;
	for (size_t i = 1; i < n && out->n && !rc; i++)
		rc = filter_arr(cx, out, &ps[i], true);
	return rc;
}

/* Every id in the store. Ids are dense unless cases were deleted; then the
 * `days` index, which holds every case, gives them without reading records. */
static int all_ids(struct ctx *cx, struct idbm *b)
{
	MDB_cursor *c;
	MDB_val k, d;
	int rc;

	if (cx->ncases == cx->maxid) {
		idbm_fill(b, 1, cx->maxid);
		return 0;
	}
	if ((rc = ctx_cursor(cx, IDX_DAYS, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		size_t cnt;
		bool single;
		if ((rc = page_first(c, &d, &cnt, &single)) != 0)
			return lmdb_fail(cx, rc);
		do
			idbm_set_page(b, d.mv_data, d.mv_size / 8);
		while ((rc = page_next(c, &d, single)) == 0);
		if (rc != MDB_NOTFOUND)
			return lmdb_fail(cx, rc);
	}
	if (rc != MDB_NOTFOUND)
		return lmdb_fail(cx, rc);
	if (idbm_count(b) == cx->ncases)
		return 0;
	/* The index disagrees with the records (check will say why): trust the records. */
	memset(b->w, 0, b->nw * sizeof *b->w);
	rc = mdb_cursor_open(cx->txn, store_dbi_cases(cx->st), &c);
	if (rc)
		return lmdb_fail(cx, rc);
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT))
		if (k.mv_size == 8)
			idbm_set(b, ids_load(k.mv_data, 0));
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : lmdb_fail(cx, rc);
}

/* The working set of an evaluation: a sorted array while it is sparse
 * (candidates can then be probed against big terms without reading them
 * whole), a bitmap once it is dense (a term is then read whole and ANDed). */
struct work {
	bool dense;
	struct idarr a;
	struct idbm b;
	size_t n;
};

static void work_to_bitmap(struct ctx *cx, struct work *w)
{
	idbm_init(&w->b, cx->maxid);
	for (size_t i = 0; i < w->a.n; i++)
		idbm_set(&w->b, w->a.v[i]);
	idarr_free(&w->a);
	w->dense = true;
}

static void work_to_array(struct work *w)
{
	w->a.n = 0;
	idbm_to_array(&w->b, &w->a.v, &w->a.n, &w->a.cap);
	idbm_free(&w->b);
	w->dense = false;
}

/* Probing a candidate costs some sixteen times reading one id of a term. */
static unsigned probe_cost = 16;

/* Tuning: relative cost of probing one candidate against an index. */
void query_set_probe_cost(unsigned cost)
{
	probe_cost = cost;
}

/* Applies plan p (keep: AND, else AND NOT) to the working set. */
static int work_apply(struct ctx *cx, struct work *w, struct plan *p, struct idbm *scratch)
{
	bool keep = !p->negate;
	int rc;

	if (w->n == 0)
		return 0;
	if (w->dense && !p->set.w && (uint64_t)w->n * probe_cost < p->est)
		work_to_array(w);
	if (!w->dense && !p->set.w && (uint64_t)w->n * probe_cost >= p->est)
		work_to_bitmap(cx, w);
	if (!w->dense) {
		if ((rc = filter_arr(cx, &w->a, p, keep)) != 0)
			return rc;
		w->n = w->a.n;
		return 0;
	}
	if (p->set.w) {
		size_t n = 0;
		for (size_t i = 0; i < w->b.nw; i++) {
			w->b.w[i] = keep ? w->b.w[i] & p->set.w[i] : w->b.w[i] & ~p->set.w[i];
			n += ids_popcount(w->b.w[i]);
		}
		w->n = n;
		return 0;
	}
	/* Read the term whole into a bitmap and AND (NOT) it: setting bits
	 * in order is cheaper than testing each id with a branch. */
	if (!scratch->w)
		idbm_init(scratch, cx->maxid);
	else
		memset(scratch->w, 0, scratch->nw * sizeof *scratch->w);
	if ((rc = plan_to_bm(cx, p, scratch)) != 0)
		return rc;
	size_t n = 0;
	for (size_t i = 0; i < w->b.nw; i++) {
		w->b.w[i] = keep ? w->b.w[i] & scratch->w[i] : w->b.w[i] & ~scratch->w[i];
		n += ids_popcount(w->b.w[i]);
	}
	w->n = n;
	return 0;
}

/* Evaluates q into bitmap b (initialised for cx->maxid); *count = its size.
 * Positive terms go smallest first; exclusions last. */
static int eval(struct ctx *cx, const struct query *q, struct idbm *b, size_t *count)
{
	size_t n = q ? q->n : 0, np = 0;
	struct plan *ps = xcalloc(n ? n : 1, sizeof *ps);
	struct work w = {0};
	struct idbm scratch = {0};
	int rc = 0;

	*count = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = plan_term(cx, &q->terms[i], &ps[np++]);
	if (rc)
		goto out;
	/* Positive terms first, smallest first; exclusions after them. */
	for (size_t i = 0; i < np; i++)
		if (ps[i].negate)
			ps[i].est += UINT64_MAX / 2;
	qsort(ps, np, sizeof *ps, plan_est_cmp);
	for (size_t i = 0; i < np; i++)
		if (ps[i].negate)
			ps[i].est -= UINT64_MAX / 2;

	if (np == 0 || ps[0].negate) {
		w.dense = true;
		idbm_init(&w.b, cx->maxid);
		if ((rc = all_ids(cx, &w.b)) != 0)
			goto out;
		w.n = idbm_count(&w.b);
	} else if (ps[0].set.w) {
		w.dense = true;
		w.b = ps[0].set;
		memset(&ps[0].set, 0, sizeof ps[0].set);
		w.n = idbm_count(&w.b);
	} else if (ps[0].est * 32 < cx->maxid) {
		if ((rc = plan_to_arr(cx, &ps[0], &w.a)) != 0)
			goto out;
		w.n = w.a.n;
	} else {
		w.dense = true;
		idbm_init(&w.b, cx->maxid);
		if ((rc = plan_to_bm(cx, &ps[0], &w.b)) != 0)
			goto out;
		w.n = idbm_count(&w.b);
	}
	for (size_t i = ps[0].negate ? 0 : 1; i < np && w.n && !rc; i++)
		rc = work_apply(cx, &w, &ps[i], &scratch);
	if (rc)
		goto out;
	if (w.dense) {
		uint64_t *t = b->w; /* same size: hand the words over */
		b->w = w.b.w;
		w.b.w = t;
	} else {
		for (size_t i = 0; i < w.a.n; i++)
			idbm_set(b, w.a.v[i]);
	}
	*count = w.n;
out:
	for (size_t i = 0; i < np; i++)
		plan_free(&ps[i]);
	free(ps);
	idarr_free(&w.a);
	if (w.b.w)
		idbm_free(&w.b);
	if (scratch.w)
		idbm_free(&scratch);
	return rc;
}

/* ---- Results and sorted pages -------------------------------------------- */

enum walk_phase { W_START, W_INDEX, W_DONE };

struct query_result {
	struct store *st;
	struct query_sort sort;
	bool all;     /* every id 1..max: the set is not materialised */
	uint64_t max; /* largest id when the query ran */
	struct idbm set;
	size_t count;
	bool ranked;
	/* The sorted order found so far (sorts other than id). A case is
	 * under one key of a sort index, so the walk finds each once; only a
	 * concurrent change between two walks could show one twice. */
	struct idarr order;
	int phase;
	unsigned char *resume; /* last key walked completely */
	size_t resume_len;
	/* For "all" results: each key of the sort index with its first row,
	 * so that a far page is found from the counts alone. */
	struct keydir *dir;
	size_t ndir;
	size_t dir_rows; /* rows the index covers; rows after these have no value */
	bool dir_built;
};

struct keydir {
	unsigned char *key;
	size_t len;
	size_t start, count;
};

static int walk_sort_index(struct query_result *r, MDB_txn *txn, size_t want,
    struct cb_err *err);

static size_t decode_sort_limit = (size_t)-1;
/* A page this many rows beyond the walked order is found by key counts. */
static size_t far_rows = 4096;

/* Tuning: how far beyond the walked rows a page is found by key counts. */
void query_set_far_rows(size_t n)
{
	far_rows = n;
}

/* Tuning: results up to n cases are sorted by decoding them. */
void query_set_decode_sort_limit(size_t n)
{
	decode_sort_limit = n;
}

/* Evaluates a filter on the newest snapshot; holds no transaction afterwards. */
int query_run(struct store *st, const struct query *q, struct query_sort sort,
    struct query_result **out, struct cb_err *err)
{
	struct ctx cx;
	int rc;

	*out = NULL;
	if ((rc = ctx_open(&cx, st, err)) != 0)
		return rc;
	struct query_result *r = xcalloc(1, sizeof *r);
	r->st = st;
	r->sort = sort;
	if (sort_index(sort.key) < 0)
		r->sort.key = SORT_ID;
	r->max = cx.maxid;
	if (query_is_empty(q) && cx.ncases == cx.maxid) {
		/* Everything, and ids are dense: nothing to read. */
		r->all = true;
		r->count = (size_t)cx.maxid;
		rc = 0;
	} else {
		idbm_init(&r->set, cx.maxid);
		rc = eval(&cx, q, &r->set, &r->count);
	}
	/* The first page of an unfiltered sorted list is wanted next (the
	 * list's first screen): find it in this transaction. */
	if (rc == 0 && r->all && r->sort.key != SORT_ID && r->count > 0)
		rc = walk_sort_index(r, cx.txn, 256, err);
	ctx_end(&cx);
	if (rc) {
		query_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* Frees a result (NULL is fine). */
void query_result_free(struct query_result *r)
{
	if (!r)
		return;
	if (r->set.w)
		idbm_free(&r->set);
	idarr_free(&r->order);
	free(r->resume);
	for (size_t i = 0; i < r->ndir; i++)
		free(r->dir[i].key);
	free(r->dir);
	free(r);
}

/* Number of matching cases. */
size_t query_result_count(const struct query_result *r)
{
	return r ? r->count : 0;
}

/* True when id is in the result. */
bool query_result_contains(const struct query_result *r, uint64_t id)
{
	if (!r)
		return false;
	return r->all ? id >= 1 && id <= r->max : idbm_test(&r->set, id);
}

/* Materialises the set of an "all" result, for the rarely taken paths. */
static void ensure_set(struct query_result *r)
{
	if (r->all && !r->set.w) {
		idbm_init(&r->set, r->max);
		idbm_fill(&r->set, 1, r->max);
	}
}

/* Appends the ids of key's page d that are in the result. */
static void take_page(struct query_result *r, const MDB_val *d, struct idarr *to)
{
	size_t n = d->mv_size / 8;
	if (r->all) {
		/* Ids added since the query ran are larger than max, and last. */
		size_t k = ids_gallop_raw(d->mv_data, n, 0, r->max + 1);
		idarr_append(to, d->mv_data, k);
		return;
	}
	for (size_t j = 0; j < n; j++) {
		uint64_t id = ids_load(d->mv_data, j);
		if (idbm_test(&r->set, id))
			idarr_push(to, id);
	}
}

/* Appends the result's ids not placed by the index walk (no sort value), last. */
static void take_rest(struct query_result *r)
{
	struct idbm emitted = {0};

	ensure_set(r);
	idbm_init(&emitted, r->set.max);
	for (size_t i = 0; i < r->order.n; i++)
		idbm_set(&emitted, r->order.v[i]);
	if (r->sort.descending) {
		for (size_t i = r->set.nw; i-- > 0;) {
			uint64_t x = r->set.w[i] & ~emitted.w[i];
			while (x) {
				int b = 63 - __builtin_clzll(x);
				idarr_push(&r->order, ((uint64_t)i << 6) | (uint64_t)b);
				x &= ~(UINT64_C(1) << b);
			}
		}
	} else {
		for (size_t i = 0; i < r->set.nw; i++) {
			uint64_t x = r->set.w[i] & ~emitted.w[i];
			while (x) {
				idarr_push(&r->order, ((uint64_t)i << 6) | (uint64_t)__builtin_ctzll(x));
				x &= x - 1;
			}
		}
	}
	idbm_free(&emitted);
	r->phase = W_DONE;
}

/* Walks the sort index on from where the last walk stopped, whole keys at
 * a time, until at least `want` rows are placed or the index ends. */
static int walk_sort_index(struct query_result *r, MDB_txn *txn, size_t want, struct cb_err *err)
{
	MDB_cursor *c;
	MDB_val k, d;
	struct idarr tmp = {0};
	bool desc = r->sort.descending;
	int rc = mdb_cursor_open(txn, store_dbi_index(r->st, sort_index(r->sort.key)), &c);

	if (rc)
		return store_lmdb_error(err, rc, _("reading an index"));
	if (r->phase == W_START) {
		rc = mdb_cursor_get(c, &k, &d, desc ? MDB_LAST : MDB_FIRST);
	} else {
		k.mv_data = r->resume, k.mv_size = r->resume_len;
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE);
		if (desc) {
			if (rc == MDB_NOTFOUND)
				rc = mdb_cursor_get(c, &k, &d, MDB_LAST);
			else if (rc == 0)
				rc = mdb_cursor_get(c, &k, &d, MDB_PREV_NODUP);
		} else if (rc == 0 && k.mv_size == r->resume_len &&
		    memcmp(k.mv_data, r->resume, r->resume_len) == 0) {
			rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP);
		}
	}
	r->phase = W_INDEX;
	while (rc == 0) {
		size_t cnt;
		bool single;
		if (desc && (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST_DUP)) != 0)
			break;
		if ((rc = page_first(c, &d, &cnt, &single)) != 0)
			break;
		tmp.n = 0;
		do
			take_page(r, &d, desc ? &tmp : &r->order);
		while ((rc = page_next(c, &d, single)) == 0);
		if (rc != MDB_NOTFOUND)
			break;
		rc = 0;
		for (size_t i = tmp.n; i-- > 0;)
			idarr_push(&r->order, tmp.v[i]);
		free(r->resume);
		r->resume = xmalloc(k.mv_size ? k.mv_size : 1);
		memcpy(r->resume, k.mv_data, k.mv_size);
		r->resume_len = k.mv_size;
		if (r->order.n >= want || r->order.n >= r->count)
			break;
		rc = mdb_cursor_get(c, &k, &d, desc ? MDB_PREV_NODUP : MDB_NEXT_NODUP);
	}
	mdb_cursor_close(c);
	idarr_free(&tmp);
	if (rc == MDB_NOTFOUND || r->order.n >= r->count) {
		take_rest(r);
		return 0;
	}
	if (rc)
		return store_lmdb_error(err, rc, _("reading an index"));
	return 0;
}

struct keyed {
	uint64_t id;
	char *key; /* NULL: no value (sorts last) */
	size_t len;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (!x->key || !y->key) {
		if (x->key || y->key)
			return x->key ? -1 : 1;
	} else {
		size_t n = x->len < y->len ? x->len : y->len;
		int c = memcmp(x->key, y->key, n);
		if (c || x->len != y->len)
			return c ? c : (x->len > y->len ? 1 : -1);
	}
	return (x->id > y->id) - (x->id < y->id);
}

static int keyed_cmp_desc(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (!x->key != !y->key)
		return x->key ? -1 : 1;
	return keyed_cmp(b, a);
}

/* Sorts a small result by decoding its cases: the sort key is computed
 * exactly as the index computes it, so the order equals the index walk's. */
static int decode_sort(struct query_result *r, MDB_txn *txn, struct cb_err *err)
{
	int idx = sort_index(r->sort.key), rc = 0;
	struct keyed *ks = xcalloc(r->count ? r->count : 1, sizeof *ks);
	size_t n = 0;
	MDB_dbi cases = store_dbi_cases(r->st);

	ensure_set(r);
	for (size_t i = 0; i < r->set.nw && !rc; i++) {
		uint64_t x = r->set.w[i];
		while (x && !rc) {
			uint64_t id = ((uint64_t)i << 6) | (uint64_t)__builtin_ctzll(x);
			x &= x - 1;
			MDB_val k = {sizeof id, &id}, v;
			struct case_record c;
			struct strlist keys = {0};
			ks[n].id = id;
			rc = mdb_get(txn, cases, &k, &v);
			if (rc == MDB_NOTFOUND) { /* deleted since the query ran */
				rc = 0;
				n++;
				continue;
			}
			if (rc) {
				rc = store_lmdb_error(err, rc, _("reading a case"));
				break;
			}
			case_init(&c);
			if ((rc = codec_decode(v.mv_data, v.mv_size, &c, err)) != 0) {
				cb_err_prefix(err, _("case %llu"), (unsigned long long)id);
				break;
			}
			index_case_keys(&c, idx, &keys);
			if (keys.n) {
				ks[n].len = index_key_len(idx, keys.items[0]);
				ks[n].key = xmalloc(ks[n].len + 1);
				memcpy(ks[n].key, keys.items[0], ks[n].len + 1);
			}
			strlist_free(&keys);
			case_free(&c);
			n++;
		}
	}
	if (!rc) {
		qsort(ks, n, sizeof *ks, r->sort.descending ? keyed_cmp_desc : keyed_cmp);
		r->order.n = 0;
		for (size_t i = 0; i < n; i++)
			idarr_push(&r->order, ks[i].id);
		r->phase = W_DONE;
	}
	for (size_t i = 0; i < n; i++)
		free(ks[i].key);
	free(ks);
	return rc;
}

/* Makes sure at least `want` rows of the sorted order are known. */
static int extend_order(struct query_result *r, size_t want)
{
	struct cb_err err;
	MDB_txn *txn;
	int rc;

	if (want > r->count)
		want = r->count;
	if (r->phase == W_DONE || r->order.n >= want)
		return 0;
	if ((rc = store_read_begin(r->st, &txn, &err)) != 0)
		return rc;
	if (r->phase == W_START && r->count < 100000) {
		MDB_stat ms;
		size_t limit = decode_sort_limit;
		if (limit == (size_t)-1) {
			/* Decoding a case costs about as much as testing 1,600
			 * index entries, and a walk for the first page of a
			 * result of R cases walks about 40 / R of the index:
			 * decoding is cheaper while R * R < entries / 40. */
			limit = 0;
			if (mdb_stat(txn, store_dbi_index(r->st, sort_index(r->sort.key)), &ms) == 0)
				limit = (size_t)sqrt((double)ms.ms_entries / 40.0);
		}
		if (r->count <= limit) {
			rc = decode_sort(r, txn, &err);
			store_read_end(r->st);
			return rc;
		}
	}
	/* Some slack, so that scrolling row by row does not walk for every row. */
	rc = walk_sort_index(r, txn, want + 256, &err);
	store_read_end(r->st);
	return rc;
}

/* Rows in id order, from the bitmap and its rank directory. */
static size_t id_page(struct query_result *r, size_t first, size_t max, uint64_t *ids)
{
	size_t got = 0;

	if (first >= r->count || max == 0)
		return 0;
	if (r->all) {
		for (; got < max; got++)
			ids[got] = r->sort.descending ? r->max - first - got : first + got + 1;
		return got;
	}
	if (!r->ranked) {
		idbm_build_rank(&r->set);
		r->ranked = true;
	}
	if (!r->sort.descending) {
		uint64_t id = idbm_select(&r->set, first);
		for (; id <= r->set.max && got < max; id++)
			if (idbm_test(&r->set, id))
				ids[got++] = id;
	} else {
		uint64_t id = idbm_select(&r->set, r->count - 1 - first);
		for (;; id--) {
			if (idbm_test(&r->set, id))
				ids[got++] = id;
			if (got == max || id == 0)
				break;
		}
	}
	return got;
}

/* Lists the keys of the sort index with their counts, in sort order. */
static int build_dir(struct query_result *r, MDB_txn *txn)
{
	MDB_cursor *c;
	MDB_val k, d;
	size_t cap = 0, n;
	int rc = mdb_cursor_open(txn, store_dbi_index(r->st, sort_index(r->sort.key)), &c);

	if (rc)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			break;
		if (r->ndir == cap) {
			cap = cap ? cap * 2 : 64;
			r->dir = xreallocarray(r->dir, cap, sizeof *r->dir);
		}
		struct keydir *e = &r->dir[r->ndir++];
		e->key = xmalloc(k.mv_size ? k.mv_size : 1);
		memcpy(e->key, k.mv_data, k.mv_size);
		e->len = k.mv_size;
		e->count = n;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return rc;
	if (r->sort.descending)
		for (size_t i = 0; i < r->ndir / 2; i++) {
			struct keydir t = r->dir[i];
			r->dir[i] = r->dir[r->ndir - 1 - i];
			r->dir[r->ndir - 1 - i] = t;
		}
	r->dir_rows = 0;
	for (size_t i = 0; i < r->ndir; i++) {
		r->dir[i].start = r->dir_rows;
		r->dir_rows += r->dir[i].count;
	}
	r->dir_built = true;
	return 0;
}

/* Appends the ids at positions lo..lo+n-1 (ascending id order) of key e,
 * skipping whole pages by their size. */
static int key_slice(MDB_cursor *c, const struct keydir *e, size_t lo, size_t n,
    struct idarr *out)
{
	MDB_val k = {e->len, e->key}, d;
	size_t cnt, at = 0;
	bool single;
	int rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);

	if (rc || (rc = page_first(c, &d, &cnt, &single)) != 0)
		return rc;
	do {
		size_t pn = d.mv_size / 8;
		if (at + pn > lo) {
			size_t from = lo > at ? lo - at : 0;
			size_t take = pn - from;
			if (take > lo + n - (at + from))
				take = lo + n - (at + from);
			idarr_append(out, (const unsigned char *)d.mv_data + from * 8, take);
		}
		at += pn;
	} while (at < lo + n && (rc = page_next(c, &d, single)) == 0);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* A far page of an "all" result from the key counts: finds the key that
 * holds row first and reads only the pages the rows are on. Returns the
 * number of ids, or 0 when the page reaches the rows without a value
 * (the caller then walks). */
static size_t far_page(struct query_result *r, size_t first, size_t max, uint64_t *ids)
{
	struct cb_err err;
	struct idarr got = {0}, tmp = {0};
	MDB_txn *txn;
	MDB_cursor *c = NULL;
	int rc;

	if (store_read_begin(r->st, &txn, &err) != 0)
		return 0;
	rc = r->dir_built ? 0 : build_dir(r, txn);
	if (rc || first + max > r->dir_rows || r->dir_rows > r->count) {
		store_read_end(r->st);
		return 0;
	}
	rc = mdb_cursor_open(txn, store_dbi_index(r->st, sort_index(r->sort.key)), &c);
	/* The last key starting at or before row first. */
	size_t lo = 0, hi = r->ndir;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->dir[mid].start <= first)
			lo = mid;
		else
			hi = mid;
	}
	size_t row = first;
	for (size_t i = lo; !rc && i < r->ndir && got.n < max; i++) {
		const struct keydir *e = &r->dir[i];
		size_t skip = row - e->start, n = e->count - skip;
		if (n > max - got.n)
			n = max - got.n;
		if (!r->sort.descending) {
			rc = key_slice(c, e, skip, n, &got);
		} else {
			/* Rows run down the ids within a key. */
			tmp.n = 0;
			rc = key_slice(c, e, e->count - skip - n, n, &tmp);
			for (size_t j = tmp.n; j-- > 0;)
				idarr_push(&got, tmp.v[j]);
		}
		row = e->start + e->count;
	}
	if (c)
		mdb_cursor_close(c);
	store_read_end(r->st);
	size_t n = rc || got.n != max ? 0 : got.n;
	if (n)
		memcpy(ids, got.v, n * sizeof *ids);
	idarr_free(&got);
	idarr_free(&tmp);
	return n;
}

/* Ids of rows [first, first + max) in sort order, without decoding cases. */
size_t query_result_page(struct query_result *r, size_t first, size_t max, uint64_t *ids)
{
	if (!r || first >= r->count)
		return 0;
	if (max > r->count - first)
		max = r->count - first;
	if (r->sort.key == SORT_ID)
		return id_page(r, first, max, ids);
	if (r->all && r->phase != W_DONE && first > r->order.n + far_rows) {
		size_t n = far_page(r, first, max, ids);
		if (n)
			return n;
	}
	if (extend_order(r, first + max) != 0)
		return 0;
	if (first >= r->order.n)
		return 0;
	if (max > r->order.n - first)
		max = r->order.n - first;
	memcpy(ids, r->order.v + first, max * sizeof *ids);
	return max;
}

/* Row of id in the sorted result, -1 when absent. */
long query_result_row(struct query_result *r, uint64_t id)
{
	if (!query_result_contains(r, id))
		return -1;
	if (r->sort.key == SORT_ID) {
		if (r->all)
			return (long)(r->sort.descending ? r->max - id : id - 1);
		if (!r->ranked) {
			idbm_build_rank(&r->set);
			r->ranked = true;
		}
		size_t rank = idbm_rank(&r->set, id);
		return (long)(r->sort.descending ? r->count - 1 - rank : rank);
	}
	size_t from = 0;
	for (;;) {
		for (size_t i = from; i < r->order.n; i++)
			if (r->order.v[i] == id)
				return (long)i;
		if (r->phase == W_DONE)
			return -1;
		from = r->order.n;
		size_t want = r->order.n * 2 > 4096 ? r->order.n * 2 : 4096;
		if (extend_order(r, want) != 0)
			return -1;
		if (r->order.n == from && r->phase != W_DONE)
			return -1;
	}
}

/* ---- Facets -------------------------------------------------------------- */

/* The original spelling of text field idx in case id, or NULL. */
static char *facet_value(struct ctx *cx, int idx, uint64_t id)
{
	MDB_val k = {sizeof id, &id}, v;
	struct case_record c;
	char *s = NULL;

	if (mdb_get(cx->txn, store_dbi_cases(cx->st), &k, &v) != 0)
		return NULL;
	case_init(&c);
	if (codec_decode(v.mv_data, v.mv_size, &c, NULL) == 0) {
		s = case_get_field(&c, case_indexes[idx].field);
		if (!s[0]) {
			free(s);
			s = NULL;
		}
	}
	case_free(&c);
	return s;
}

static int facet_cmp(const void *a, const void *b)
{
	const struct facet *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	int c = strcmp(x->value, y->value);
	return c ? c : strcmp(x->key, y->key);
}

/* The ids that facets are counted within: every id up to max (set NULL)
 * or the ids of set. */
struct fscope {
	const struct idbm *set;
	uint64_t max;
	size_t count;     /* ids in the scope */
	struct idarr ids; /* the set as an array, made once when probing pays */
	bool have_ids;
};

/* The index of a facet field, or a negative code. */
static int facet_field(const char *field, struct cb_err *err)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if (case_indexes[i].facet && strcmp(case_indexes[i].name, str_or_empty(field)) == 0)
			return i;
	return cb_err_set(err, CB_EINVAL, _("no facets for \"%s\" (fields: %s)"),
	    str_or_empty(field), field_names(true));
}

/* Counts the values of field f (an index) within scope s, most
 * frequent first. Every id of the scope: each key's duplicate count, no
 * page read. A small set: its ids probed against each key. Otherwise each
 * key's duplicate pages are read and tested against the bitmap. */
static int count_field(struct ctx *cx, int f, struct fscope *s, struct facet **out, size_t *n)
{
	int idx = f;
	struct facet *fs = NULL;
	size_t nf = 0, capf = 0;
	MDB_cursor *c, *pc = NULL;
	MDB_val k, d;
	MDB_stat ms;
	unsigned char *marks = NULL;
	int rc, fail = 0;

	*out = NULL;
	*n = 0;
	if (s->set && s->count == 0)
		return 0;
	if ((rc = ctx_cursor(cx, idx, &c)) != 0)
		return rc;
	/* Probing costs about probe_cost per result id and key (say 40
	 * keys); testing the bitmap about one per index entry. A separate
	 * cursor probes, so the key walk keeps its place. */
	if (s->set && mdb_stat(cx->txn, store_dbi_index(cx->st, idx), &ms) == 0 &&
	    (uint64_t)s->count * probe_cost * 40 < ms.ms_entries) {
		if (!s->have_ids) {
			idbm_to_array(s->set, &s->ids.v, &s->ids.n, &s->ids.cap);
			s->have_ids = true;
		}
		if ((rc = mdb_cursor_open(cx->txn, store_dbi_index(cx->st, idx), &pc)) != 0)
			return lmdb_fail(cx, rc);
		marks = xcalloc(s->ids.n ? s->ids.n : 1, 1);
	}
	/* No id beyond max: every duplicate of a key counts. */
	bool whole = !s->set && cx->maxid <= s->max;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		size_t cnt, hits = 0;
		bool single;
		uint64_t first;
		if ((rc = page_first(c, &d, &cnt, &single)) != 0)
			break;
		first = ids_load(d.mv_data, 0);
		if (whole) {
			hits = cnt;
		} else if (pc) {
			/* A small result: test its ids against this key. */
			struct keyref kr = {k.mv_data, k.mv_size, cnt};
			memset(marks, 0, s->ids.n);
			long h = probe_key(cx, pc, &kr, s->ids.v, s->ids.n, marks);
			if (h < 0) {
				fail = (int)h;
				break;
			}
			hits = (size_t)h;
			for (size_t i = 0; i < s->ids.n && h; i++)
				if (marks[i]) {
					first = s->ids.v[i];
					break;
				}
		} else if (s->set) {
			/* Only text values are spelled from a case: the others
			 * need no first id, and finding it costs a scan. */
			bool want = key_style(f) == KEY_FOLDED;
			do
				hits += idbm_count_page(s->set, d.mv_data, d.mv_size / 8,
				    want && !hits ? &first : NULL);
			while ((rc = page_next(c, &d, single)) == 0);
			if (rc != MDB_NOTFOUND)
				break;
			rc = 0;
		} else {
			/* Every id up to max; cases added since are last in each key. */
			for (;;) {
				size_t pn = d.mv_size / 8, j = ids_gallop_raw(d.mv_data, pn, 0, s->max + 1);
				hits += j;
				if (j < pn || (rc = page_next(c, &d, single)) != 0)
					break;
			}
			if (rc && rc != MDB_NOTFOUND)
				break;
			rc = 0;
		}
		if (hits == 0)
			continue;
		if (nf == capf) {
			capf = capf ? capf * 2 : 16;
			fs = xreallocarray(fs, capf, sizeof *fs);
		}
		fs[nf].key = xstrndup(k.mv_data, k.mv_size);
		fs[nf].count = hits;
		fs[nf].value = key_style(f) == KEY_FOLDED ? facet_value(cx, idx, first) : NULL;
		if (!fs[nf].value)
			fs[nf].value = xstrdup(fs[nf].key);
		nf++;
	}
	free(marks);
	if (pc)
		mdb_cursor_close(pc);
	if (fail)
		rc = fail;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc)
		rc = lmdb_fail(cx, rc);
	if (rc) {
		query_facets_free(fs, nf);
		return rc;
	}
	if (nf)
		qsort(fs, nf, sizeof *fs, facet_cmp);
	*out = fs;
	*n = nf;
	return 0;
}

/* Counts of each value of a field within a filter's result, most first. */
int query_facets(struct store *st, const char *field, const struct query *filter,
    struct facet **out, size_t *n, struct cb_err *err)
{
	struct ctx cx;
	struct idbm set = {0};
	struct fscope s = {.max = UINT64_MAX};
	int rc, f;

	*out = NULL;
	*n = 0;
	if ((f = facet_field(field, err)) < 0)
		return f;
	if ((rc = ctx_open(&cx, st, err)) != 0)
		return rc;
	if (!query_is_empty(filter)) {
		idbm_init(&set, cx.maxid);
		if ((rc = eval(&cx, filter, &set, &s.count)) != 0)
			goto out;
		s.set = &set;
		s.max = set.max;
	}
	rc = count_field(&cx, f, &s, out, n);
out:
	ctx_end(&cx);
	if (set.w)
		idbm_free(&set);
	idarr_free(&s.ids);
	return rc;
}

/* Counts of several fields' values within an evaluated result. */
int query_result_facets(struct query_result *r, const char *const *fields, size_t nfields,
    struct facet **out, size_t *n, struct cb_err *err)
{
	struct ctx cx;
	struct fscope s = {0};
	int rc = 0;

	for (size_t i = 0; i < nfields; i++) {
		out[i] = NULL;
		n[i] = 0;
	}
	for (size_t i = 0; i < nfields; i++)
		if ((rc = facet_field(fields[i], err)) < 0)
			return rc;
	if (!r || nfields == 0)
		return 0;
	if ((rc = ctx_open(&cx, r->st, err)) != 0)
		return rc;
	s.count = r->count;
	if (r->all) {
		s.max = r->max;
	} else {
		s.set = &r->set;
		s.max = r->set.max;
	}
	for (size_t i = 0; i < nfields && !rc; i++)
		rc = count_field(&cx, facet_field(fields[i], NULL), &s, &out[i], &n[i]);
	ctx_end(&cx);
	idarr_free(&s.ids);
	if (rc) {
		for (size_t i = 0; i < nfields; i++) {
			query_facets_free(out[i], n[i]);
			out[i] = NULL;
			n[i] = 0;
		}
	}
	return rc;
}

/* Frees what query_facets returned. */
void query_facets_free(struct facet *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].value);
		free(f[i].key);
	}
	free(f);
}
