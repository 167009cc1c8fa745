/* query_words.c — name words across scripts: the keys and sets of the
 * words typed in a name term, through the skeleton index and the folded
 * word index (index_key.h says how the keys are made). */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "idset.h"
#include "index_key.h"
#include "query_int.h"
#include "store.h"
#include "util.h"

/* Adds every key of index idx that starts with prefix. A skeleton index
 * missing from a database opened read-only (made by an earlier version)
 * adds nothing: names are then matched as that version matched them. */
static int resolve_prefix(struct ctx *cx, struct plan *p, int idx, const char *prefix)
{
	MDB_cursor *c;
	size_t n, pl = strlen(prefix);
	MDB_val k = {pl, (void *)prefix}, d;
	int rc;

	if (case_indexes[idx].key == KEY_SKELETON && !store_index_present(cx->st, idx))
		return 0;
	if ((rc = query_ctx_cursor(cx, idx, &c)) != 0)
		return rc;
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_NODUP)) {
		if (k.mv_size < pl || memcmp(k.mv_data, prefix, pl) != 0)
			break;
		if ((rc = mdb_cursor_count(c, &n)) != 0)
			return query_lmdb_fail(cx, rc);
		query_plan_add_key_in(p, idx, k.mv_data, k.mv_size, (size_t)n);
	}
	if (rc && rc != MDB_NOTFOUND)
		return query_lmdb_fail(cx, rc);
	return 0;
}

/* Whether typed word w is a plain union of keys: its skeleton's and, when
 * it folds to one word, that word's. */
bool query_word_is_union(const struct index_word *w)
{
	return w->folded.n <= 1;
}

/* Adds to p (on KEY_WORDS index p->idx) the keys of typed word w: those
 * its skeleton starts in skel_idx, and those its one folded word starts. */
int query_word_keys(struct ctx *cx, struct plan *p, int skel_idx, const struct index_word *w)
{
	int rc = 0;

	if (w->skel[0] && skel_idx >= 0)
		rc = resolve_prefix(cx, p, skel_idx, w->skel);
	if (rc == 0 && w->folded.n == 1)
		rc = resolve_prefix(cx, p, p->idx, w->folded.items[0]);
	return rc;
}

/* The plan of typed word w: a union of keys, or, for a word that folds to
 * several (O'Neil: o, neil), a set: its skeleton's cases and those that
 * have all of its folded words. */
static int word_plan(struct ctx *cx, int idx, int skel_idx, const struct index_word *w,
    struct plan *p)
{
	struct idarr all = {0};
	int rc;

	memset(p, 0, sizeof *p);
	p->idx = idx;
	if (query_word_is_union(w)) {
		rc = query_word_keys(cx, p, skel_idx, w);
		query_plan_dedupe(p);
		return rc;
	}
	struct plan *fp = xcalloc(w->folded.n, sizeof *fp);
	rc = w->skel[0] && skel_idx >= 0 ? resolve_prefix(cx, p, skel_idx, w->skel) : 0;
	for (size_t j = 0; j < w->folded.n && !rc; j++) {
		fp[j].idx = idx;
		rc = resolve_prefix(cx, &fp[j], idx, w->folded.items[j]);
		query_plan_dedupe(&fp[j]);
	}
	if (!rc)
		rc = query_eval_and_words(cx, fp, w->folded.n, &all);
	for (size_t j = 0; j < w->folded.n; j++)
		query_plan_free(&fp[j]);
	free(fp);
	if (!rc) {
		idbm_init(&p->set, cx->maxid);
		rc = query_plan_to_bm(cx, p, &p->set);
		for (size_t j = 0; j < all.n; j++)
			idbm_set(&p->set, all.v[j]);
		p->est = idbm_count(&p->set);
	}
	for (size_t i = 0; i < p->nk; i++)
		free(p->keys[i].data);
	p->nk = 0;
	idarr_free(&all);
	return rc;
}

/* The ids of name alternative a: cases matching every typed word. */
int query_words_ids(struct ctx *cx, int idx, const struct qalt *a, struct idarr *out)
{
	int skel_idx = index_skeleton_of(idx), rc = 0;
	struct plan *wp = xcalloc(a->nnw, sizeof *wp);

	for (size_t j = 0; j < a->nnw && !rc; j++)
		rc = word_plan(cx, idx, skel_idx, &a->nw[j], &wp[j]);
	if (!rc)
		rc = query_eval_and_words(cx, wp, a->nnw, out);
	for (size_t j = 0; j < a->nnw; j++)
		query_plan_free(&wp[j]);
	free(wp);
	return rc;
}
