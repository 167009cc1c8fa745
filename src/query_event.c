/* query_event.c — event terms. An event is known only by its title (the
 * case's event field, indexed folded as one key); titles usually start
 * with the event's date ("2021-05-01 DCK rallies"). An event term is
 * resolved to the keys of the event index it names by walking that
 * index's keys once per query (an office has tens of events, not
 * thousands), and the keys then feed the planner like any other union:
 *   - a title equal to the value (folded) names that event only;
 *   - else a value that is a date in either form (2021-05-01, 01.05.2021,
 *     05.2021, 2021) names every event whose title starts with a date
 *     lying wholly inside it;
 *   - else the value names every event whose title, or whose title after
 *     its leading date, starts with the value (folded), and every event
 *     whose title has each word of the value as a whole word, compared
 *     by skeleton (skeleton.h) so that case, script and romanisation do
 *     not matter (DCK, Жер, Zher).
 * A value that names several events matches the cases of any of them. */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "datefmt.h"
#include "fold.h"
#include "index_key.h"
#include "query_int.h"
#include "skeleton.h"
#include "util.h"

/* The length of the date a folded title starts with (0: none), its span
 * into *first..*last. */
static size_t title_date(const char *key, size_t len, uint32_t *first, uint32_t *last)
{
	char tok[16];
	size_t n = 0;
	struct pdate d;

	while (n < len && key[n] != ' ')
		n++;
	if (n == 0 || n >= sizeof tok)
		return 0;
	memcpy(tok, key, n);
	tok[n] = '\0';
	if (datefmt_parse(tok, &d, NULL) != 0 || !pdate_is_set(d))
		return 0;
	pdate_span(d, first, last);
	return n;
}

/* One word's skeleton, or "" when it has none. */
static void word_skel(const char *w, char out[SKELETON_CAP])
{
	skeleton_word(w, strlen(w), out, SKELETON_CAP);
}

/* True when word w (folded) is one of the folded words of title. */
static bool title_has_word(const struct strlist *title, const char *w, const char *skel)
{
	char s[SKELETON_CAP];

	for (size_t i = 0; i < title->n; i++) {
		if (strcmp(title->items[i], w) == 0)
			return true;
		if (skel[0]) {
			word_skel(title->items[i], s);
			if (strcmp(s, skel) == 0)
				return true;
		}
	}
	return false;
}

/* What a value is matched by: its folded text, its words and their
 * skeletons, its date span when it is a date. */
struct event_value {
	const char *folded;
	size_t flen;
	bool is_date;
	uint32_t lo, hi;
	struct strlist words;
	char (*skel)[SKELETON_CAP];
};

/* True when the title with folded key[0..len) is named by value v
 * (apart from the exact title, which the caller tried first). */
static bool title_matches(const struct event_value *v, const char *key, size_t len)
{
	uint32_t first = 0, last = 0;
	size_t dl = title_date(key, len, &first, &last);

	if (v->is_date)
		return dl && first >= v->lo && last <= v->hi;
	if (len >= v->flen && memcmp(key, v->folded, v->flen) == 0)
		return true;
	if (dl && len > dl + 1 && len - dl - 1 >= v->flen &&
	    memcmp(key + dl + 1, v->folded, v->flen) == 0)
		return true;
	if (v->words.n == 0)
		return false;
	char *rest = xstrndup(key + dl, len - dl);
	struct strlist tw = {0};
	bool all = true;
	fold_words(rest, &tw);
	for (size_t i = 0; i < v->words.n && all; i++)
		all = title_has_word(&tw, v->words.items[i], v->skel[i]);
	strlist_free(&tw);
	free(rest);
	return all;
}

/* Adds to p (on the event index) the key of every event alternative a
 * names, by the rules above. */
int query_event_keys(struct ctx *cx, struct plan *p, const struct qalt *a)
{
	struct event_value v = {.folded = a->key, .flen = strlen(a->key)};
	MDB_cursor *c;
	MDB_val k = {v.flen, (void *)a->key}, d;
	size_t n;
	int rc;

	if ((rc = query_ctx_cursor(cx, p->idx, &c)) != 0)
		return rc;
	/* The exact title first: choosing an event from the facets names
	 * that event, not the longer titles it happens to begin. */
	rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
	if (rc == 0) {
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			return query_lmdb_fail(cx, rc);
		query_plan_add_key_in(p, p->idx, a->key, v.flen, (size_t)n);
		return 0;
	}
	if (rc != MDB_NOTFOUND)
		return query_lmdb_fail(cx, rc);
	v.is_date = a->hi != 0;
	v.lo = a->lo, v.hi = a->hi;
	fold_words(a->text, &v.words);
	v.skel = xcalloc(v.words.n ? v.words.n : 1, sizeof *v.skel);
	for (size_t i = 0; i < v.words.n; i++)
		word_skel(v.words.items[i], v.skel[i]);
	for (rc = mdb_cursor_get(c, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if (!title_matches(&v, k.mv_data, k.mv_size))
			continue;
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			break;
		query_plan_add_key_in(p, p->idx, k.mv_data, k.mv_size, (size_t)n);
	}
	free(v.skel);
	strlist_free(&v.words);
	return rc == MDB_NOTFOUND ? 0 : query_lmdb_fail(cx, rc);
}
