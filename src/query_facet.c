/* query_facet.c — facet counts: for each key of a field's index, how many
 * of its cases are in the result (or in the whole database). */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "codec.h"
#include "idset.h"
#include "index_key.h"
#include "place.h"
#include "query.h"
#include "query_int.h"
#include "util.h"

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

/* The label of a place key in the language of place names, or NULL for a
 * text key (whose label is spelled from a case). */
static char *facet_place_label(const MDB_val *k)
{
	size_t p = place_key_place(k->mv_data, k->mv_size);
	return p == GAZETTEER_NONE ? NULL : place_label(p);
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
	size_t count; /* ids in the scope */
	struct idarr ids; /* the set as an array, made once when probing pays */
	bool have_ids;
	struct query_fcache *cache; /* per-case key tables, or NULL */
};

/* The index of a facet field (with buckets: also date and days), or a
 * negative code. */
static int facet_field(const char *field, bool buckets, struct cb_err *err)
{
	for (int i = 0; i < IDX__COUNT; i++)
		if ((case_indexes[i].facet || (buckets && (i == IDX_DATE || i == IDX_DAYS))) &&
		    strcmp(case_indexes[i].name, str_or_empty(field)) == 0)
			return i;
	return cb_err_set(err, CB_EINVAL, _("no facets for \"%s\" (fields: %s)"),
	    str_or_empty(field), query_field_names(true));
}

/* The walk over the keys of one field's index. */
struct fwalk {
	struct ctx *cx;
	struct fscope *s;
	MDB_cursor *c; /* the key walk */
	MDB_cursor *pc; /* probes a small scope's ids, so the walk keeps its place */
	unsigned char *marks;
	bool whole; /* every duplicate of a key counts */
	bool text; /* values are spelled from a case: find one id */
	int fail; /* a probe's error code */
};

/* Counts the ids in scope under the key the walk is on (its first page in
 * d); *first is one of them. Returns 0 or an LMDB code (w->fail for a
 * probe's error). */
static int key_hits(struct fwalk *w, const MDB_val *k, MDB_val *d, size_t *hits, uint64_t *first)
{
	struct fscope *s = w->s;
	size_t cnt;
	bool single;
	int rc;

	*hits = 0;
	if ((rc = query_page_first(w->c, d, &cnt, &single)) != 0)
		return rc;
	*first = ids_load(d->mv_data, 0);
	if (w->whole) {
		*hits = cnt;
	} else if (w->pc) {
		/* A small result: test its ids against this key. */
		struct keyref kr = {.data = k->mv_data, .len = k->mv_size, .count = cnt};
		memset(w->marks, 0, s->ids.n);
		long h = query_probe_key(w->cx, w->pc, &kr, s->ids.v, s->ids.n, w->marks);
		if (h < 0) {
			w->fail = (int)h;
			return 0;
		}
		*hits = (size_t)h;
		for (size_t i = 0; i < s->ids.n && h; i++)
			if (w->marks[i]) {
				*first = s->ids.v[i];
				break;
			}
	} else if (s->set) {
		/* Only text values are spelled from a case: the others need
		 * no first id, and finding it costs a scan. */
		do
			*hits += idbm_count_page(s->set, d->mv_data, d->mv_size / 8,
			    w->text && !*hits ? first : NULL);
		while ((rc = query_page_next(w->c, d, single)) == 0);
	} else {
		/* Every id up to max; cases added since are last in each key. */
		for (;;) {
			size_t pn = d->mv_size / 8,
			       j = ids_gallop_raw(d->mv_data, pn, 0, s->max + 1);
			*hits += j;
			if (j < pn || (rc = query_page_next(w->c, d, single)) != 0)
				break;
		}
	}
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Prepares probing when the scope is small against the index: probing
 * costs about query_probe_cost per result id and key (say 40 keys),
 * testing the bitmap about one per index entry. */
static int probe_setup(struct fwalk *w, int idx)
{
	struct ctx *cx = w->cx;
	struct fscope *s = w->s;
	MDB_stat ms;
	int rc;

	if (!s->set || mdb_stat(cx->txn, store_dbi_index(cx->st, idx), &ms) != 0 ||
	    (uint64_t)s->count * query_probe_cost * 40 >= ms.ms_entries)
		return 0;
	if (!s->have_ids) {
		idbm_to_array(s->set, &s->ids.v, &s->ids.n, &s->ids.cap);
		s->have_ids = true;
	}
	if ((rc = mdb_cursor_open(cx->txn, store_dbi_index(cx->st, idx), &w->pc)) != 0)
		return query_lmdb_fail(cx, rc);
	w->marks = xcalloc(s->ids.n ? s->ids.n : 1, 1);
	return 0;
}

/* Starts counting field f within scope s: w's cursor, and *crc 0 with the
 * counts in *h when the cache's table can serve; else *crc 1, and a small
 * set is probed against each key (w set up for it), a large one walks the
 * index. */
static int walk_begin(struct ctx *cx, int f, struct fscope *s, struct fwalk *w, struct fkey_hits *h,
    int *crc)
{
	int rc;

	if ((rc = query_ctx_cursor(cx, f, &w->c)) != 0)
		return rc;
	if ((*crc = query_fcache_count(s->cache, cx, f, s->set, s->max, h)) < 0)
		return *crc;
	if (*crc == 1 && (rc = probe_setup(w, f)) != 0)
		return rc;
	/* No id beyond max: every duplicate of a key counts. */
	w->whole = !s->set && cx->maxid <= s->max;
	return 0;
}

/* One value counted by facet_scan: an index key, its label, its count. */
struct scan_value {
	char *key, *value;
	uint64_t count;
};

/* The slot of key in the open-addressing table of n (a power of two)
 * slots, each NULL or a value. */
static struct scan_value **scan_slot(struct scan_value **t, size_t n, const char *key)
{
	uint64_t h = 1469598103934665603u;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	size_t i = (size_t)h & (n - 1);
	while (t[i] && strcmp(t[i]->key, key) != 0)
		i = (i + 1) & (n - 1);
	return &t[i];
}

/* Counts a place field by reading the cases in scope, when its index was
 * made with another gazetteer (a read-only open before the rebuild): the
 * counts are then those the rebuilt index will give. */
static int facet_scan(struct ctx *cx, int f, struct fscope *s, struct facet **out, size_t *n)
{
	size_t cap = 1024, nv = 0;
	struct scan_value **t = xcalloc(cap, sizeof *t);
	struct strlist keys = {0};
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(cx->txn, store_dbi_cases(cx->st), &c);

	if (rc)
		goto done;
	while ((rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) == 0) {
		uint64_t id = k.mv_size == 8 ? ids_load(k.mv_data, 0) : 0;
		struct case_record r;
		if (!id || id > s->max || (s->set && !idbm_test(s->set, id)))
			continue;
		case_init(&r);
		if (codec_decode(v.mv_data, v.mv_size, &r, NULL) == 0)
			index_case_keys(&r, f, &keys);
		for (size_t i = 0; i < keys.n; i++) {
			if ((nv + 1) * 2 > cap) {
				struct scan_value **old = t;
				t = xcalloc(cap * 2, sizeof *t);
				for (size_t j = 0; j < cap; j++)
					if (old[j])
						*scan_slot(t, cap * 2, old[j]->key) = old[j];
				free(old);
				cap *= 2;
			}
			struct scan_value **slot = scan_slot(t, cap, keys.items[i]);
			if (!*slot) {
				*slot = xcalloc(1, sizeof **slot);
				(*slot)->key = xstrdup(keys.items[i]);
				MDB_val pk = {strlen(keys.items[i]), keys.items[i]};
				(*slot)->value = facet_place_label(&pk);
				if (!(*slot)->value)
					(*slot)->value = case_get_field(&r, case_indexes[f].field);
				nv++;
			}
			(*slot)->count++;
		}
		strlist_free(&keys);
		case_free(&r);
	}
	mdb_cursor_close(c);
done:
	*out = xcalloc(nv ? nv : 1, sizeof **out);
	*n = 0;
	for (size_t i = 0; i < cap; i++)
		if (t[i]) {
			(*out)[(*n)++] = (struct facet){t[i]->value, t[i]->key, t[i]->count};
			free(t[i]);
		}
	free(t);
	if (rc != MDB_NOTFOUND) {
		query_facets_free(*out, *n);
		*out = NULL;
		*n = 0;
		return query_lmdb_fail(cx, rc);
	}
	if (*n)
		qsort(*out, *n, sizeof **out, facet_cmp);
	return 0;
}

/* Appends the value of key k of field f with its hits (none: nothing);
 * first is a case with it, whose spelling names a text value. */
static void value_add(struct ctx *cx, int f, bool text, const MDB_val *k, uint64_t hits,
    uint64_t first, struct facet **fs, size_t *nf, size_t *capf)
{
	if (hits == 0)
		return;
	if (*nf == *capf) {
		*capf = *capf ? *capf * 2 : 16;
		*fs = xreallocarray(*fs, *capf, sizeof **fs);
	}
	struct facet *v = &(*fs)[*nf];
	v->key = xstrndup(k->mv_data, k->mv_size);
	v->count = hits;
	v->value = query_key_style(f) == KEY_PLACE ? facet_place_label(k) : NULL;
	if (!v->value && text)
		v->value = facet_value(cx, f, first);
	if (!v->value)
		v->value = xstrdup(v->key);
	(*nf)++;
}

/* Counts the values of field f (an index) within scope s, most
 * frequent first. Every id of the scope: each key's duplicate count, no
 * page read. A small set: its ids probed against each key. Otherwise each
 * key's duplicate pages are read and tested against the bitmap. */
static int count_field(struct ctx *cx, int f, struct fscope *s, struct facet **out, size_t *n)
{
	int style = query_key_style(f);
	struct fwalk w = {.cx = cx, .s = s, .text = style == KEY_FOLDED || style == KEY_PLACE};
	struct fkey_hits h;
	struct facet *fs = NULL;
	size_t nf = 0, capf = 0;
	MDB_val k, d;
	int rc;

	*out = NULL;
	*n = 0;
	if (s->set && s->count == 0)
		return 0;
	if (style == KEY_PLACE && cx->places_stale)
		return facet_scan(cx, f, s, out, n);
	int crc;
	if ((rc = walk_begin(cx, f, s, &w, &h, &crc)) != 0)
		return rc;
	rc = MDB_NOTFOUND;
	for (size_t i = 0; crc == 0 && i < h.n; i++) {
		MDB_val hk = {h.keys[i].len, h.keys[i].data};
		value_add(cx, f, w.text, &hk, h.count[i], h.first[i], &fs, &nf, &capf);
	}
	if (crc == 0)
		query_fkey_hits_free(&h);
	for (rc = crc == 1 ? mdb_cursor_get(w.c, &k, &d, MDB_FIRST) : MDB_NOTFOUND;
	     rc == 0 && !w.fail; rc = mdb_cursor_get(w.c, &k, &d, MDB_NEXT_NODUP)) {
		size_t hits;
		uint64_t first;
		if ((rc = key_hits(&w, &k, &d, &hits, &first)) != 0 || w.fail)
			break;
		value_add(cx, f, w.text, &k, hits, first, &fs, &nf, &capf);
	}
	free(w.marks);
	if (w.pc)
		mdb_cursor_close(w.pc);
	if (w.fail)
		rc = w.fail;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc)
		rc = query_lmdb_fail(cx, rc);
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

/* ---- Dates by month and day, days in buckets ------------------------------ */

/* The buckets of the days group: the total days of detention and
 * administrative arrest of a case (case_total_days), as `days:` terms. */
static const struct {
	uint32_t lo, hi;
	const char *term;
} days_buckets[] = {
    {0, 0, "0"},
    {1, 5, "1..5"},
    {6, 10, "6..10"},
    {11, 15, "11..15"},
    {16, UINT32_MAX, "16.."},
};

#define NBUCKETS (sizeof days_buckets / sizeof days_buckets[0])

/* Appends a value whose key and shown value are both term. */
static void bucket_add(struct facet **fs, size_t *nf, size_t *cap, const char *term, uint64_t count)
{
	if (*nf == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*fs = xreallocarray(*fs, *cap, sizeof **fs);
	}
	(*fs)[*nf] = (struct facet){xstrdup(term), xstrdup(term), count};
	(*nf)++;
}

/* Month blocks newest first, each month before its days (oldest first):
 * the order the pane shows them in. */
static int date_cmp(const void *a, const void *b)
{
	const struct facet *x = a, *y = b;
	int c = strncmp(y->key, x->key, 7);
	return c ? c : strcmp(x->key, y->key);
}

/* The buckets being counted by count_bucketed. */
struct buckets {
	bool dates;
	struct facet *fs;
	size_t nf, capf;
	size_t month; /* the entry of the month being counted */
	uint64_t days[NBUCKETS];
};

/* Adds the hits of one index key (keys come in index order). */
static void bucket_key(struct buckets *b, const void *data, size_t len, uint64_t hits)
{
	char key[16];
	uint32_t v;

	if (!hits)
		return;
	if (!b->dates) {
		if (index_key_days_value(data, len, &v))
			for (size_t i = 0; i < NBUCKETS; i++)
				if (v >= days_buckets[i].lo && v <= days_buckets[i].hi)
					b->days[i] += hits;
		return;
	}
	if (len != 7 && len != 10)
		return;
	/* Keys are in order: a month's own key, then its days. */
	memcpy(key, data, 7);
	key[7] = 0;
	if (b->month == SIZE_MAX || strcmp(b->fs[b->month].key, key) != 0) {
		bucket_add(&b->fs, &b->nf, &b->capf, key, 0);
		b->month = b->nf - 1;
	}
	/* The month row counts its days too (date:2021-05 finds them). */
	b->fs[b->month].count += hits;
	if (len == 10) {
		memcpy(key, data, 10);
		key[10] = 0;
		bucket_add(&b->fs, &b->nf, &b->capf, key, hits);
	}
}

/* Counts the keys of a date or days index within scope s into the pane's
 * buckets: for dates, each month ("2021-05", with its days) and each day
 * ("2021-05-01"; dates known only to the year are left out); for days,
 * days_buckets. Every term's count is what the same `date:`/`days:` term
 * filters. */
static int count_bucketed(struct ctx *cx, int f, struct fscope *s, struct facet **out, size_t *n)
{
	struct buckets b = {.dates = query_key_style(f) == KEY_DATE, .month = SIZE_MAX};
	struct fwalk w = {.cx = cx, .s = s};
	struct fkey_hits h;
	MDB_val k, d;
	int rc;

	*out = NULL;
	*n = 0;
	if (s->set && s->count == 0)
		return 0;
	int crc;
	if ((rc = walk_begin(cx, f, s, &w, &h, &crc)) != 0)
		return rc;
	rc = MDB_NOTFOUND;
	if (crc == 0) {
		for (size_t i = 0; i < h.n; i++)
			bucket_key(&b, h.keys[i].data, h.keys[i].len, h.count[i]);
		query_fkey_hits_free(&h);
	} else if (crc == 1) {
		for (rc = mdb_cursor_get(w.c, &k, &d, MDB_FIRST); rc == 0 && !w.fail;
		     rc = mdb_cursor_get(w.c, &k, &d, MDB_NEXT_NODUP)) {
			size_t hits;
			uint64_t first;
			if ((rc = key_hits(&w, &k, &d, &hits, &first)) != 0 || w.fail)
				break;
			bucket_key(&b, k.mv_data, k.mv_size, hits);
		}
	}
	free(w.marks);
	if (w.pc)
		mdb_cursor_close(w.pc);
	if (w.fail)
		rc = w.fail;
	else if (rc == MDB_NOTFOUND)
		rc = 0;
	else if (rc)
		rc = query_lmdb_fail(cx, rc);
	for (size_t i = 0; i < NBUCKETS && !rc && !b.dates; i++)
		if (b.days[i])
			bucket_add(&b.fs, &b.nf, &b.capf, days_buckets[i].term, b.days[i]);
	if (rc) {
		query_facets_free(b.fs, b.nf);
		return rc;
	}
	if (b.nf && b.dates)
		qsort(b.fs, b.nf, sizeof *b.fs, date_cmp);
	*out = b.fs;
	*n = b.nf;
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
	if ((f = facet_field(field, false, err)) < 0)
		return f;
	if ((rc = query_ctx_open(&cx, st, err)) != 0)
		return rc;
	if (!query_is_empty(filter)) {
		idbm_init(&set, cx.maxid);
		if ((rc = query_eval(&cx, filter, &set, &s.count)) != 0)
			goto out;
		s.set = &set;
		s.max = set.max;
	}
	rc = count_field(&cx, f, &s, out, n);
out:
	query_ctx_end(&cx);
	if (set.w)
		idbm_free(&set);
	idarr_free(&s.ids);
	return rc;
}

/* Counts with no cache of tables: every field from its index. */
int query_result_facets(struct query_result *r, const char *const *fields, size_t nfields,
    struct facet **out, size_t *n, struct cb_err *err)
{
	return query_result_facets_cached(r, NULL, fields, nfields, out, n, err);
}

/* Counts of several fields' values within an evaluated result. */
int query_result_facets_cached(struct query_result *r, struct query_fcache *cache,
    const char *const *fields, size_t nfields, struct facet **out, size_t *n, struct cb_err *err)
{
	struct ctx cx;
	struct fscope s = {0};
	int rc = 0;

	for (size_t i = 0; i < nfields; i++) {
		out[i] = NULL;
		n[i] = 0;
	}
	for (size_t i = 0; i < nfields; i++)
		if ((rc = facet_field(fields[i], true, err)) < 0)
			return rc;
	if (!r || nfields == 0)
		return 0;
	if ((rc = query_ctx_open(&cx, r->st, err)) != 0)
		return rc;
	s.cache = cache;
	s.count = r->count;
	if (r->all) {
		s.max = r->max;
	} else {
		s.set = &r->set;
		s.max = r->set.max;
	}
	for (size_t i = 0; i < nfields && !rc; i++) {
		int f = facet_field(fields[i], true, NULL);
		rc = f == IDX_DATE || f == IDX_DAYS ? count_bucketed(&cx, f, &s, &out[i], &n[i])
		                                    : count_field(&cx, f, &s, &out[i], &n[i]);
	}
	query_ctx_end(&cx);
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
