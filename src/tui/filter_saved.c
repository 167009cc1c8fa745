/* filter_saved.c — the saved searches in the filter pane: each with the
 * number of cases it matches now (counted again after any change to the
 * database); choosing one adds `@name` to the filter, like a facet value. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "searches.h"
#include "util.h"

void saved_free(struct tui *t)
{
	for (size_t i = 0; i < t->nsaved; i++)
		free(t->saved[i].name);
	free(t->saved);
	t->saved = NULL;
	t->nsaved = 0;
	strlist_free(&t->saved_sel);
}

/* The cases name matches now, or -1 (a search using one removed since). */
static long count_of(struct tui *t, const char *name)
{
	struct query_sort sort = {SORT_ID, false};
	struct query_result *r;
	struct query *q;
	struct cb_err err = {0};
	char *term = xasprintf("@%s", name);
	long n = -1;

	if (query_parse(term, &q, &err) == 0) {
		if (query_run(t->st, q, sort, &r, &err) == 0) {
			n = (long)query_result_count(r);
			query_result_free(r);
		}
		query_free(q);
	}
	free(term);
	return n;
}

void saved_refresh(struct tui *t)
{
	struct saved_search *s;
	struct cb_err err = {0};
	size_t n;

	if (!t->saved_stale && t->saved_gen == t->gen && t->saved_gen)
		return;
	if (searches_list(t->st, &s, &n, &err) != 0)
		return;
	struct strlist keep = t->saved_sel;
	t->saved_sel = (struct strlist){0};
	saved_free(t);
	t->saved_sel = keep;
	t->saved = n ? xcalloc(n, sizeof *t->saved) : NULL;
	for (size_t i = 0; i < n; i++) {
		t->saved[i].name = xstrdup(s[i].name);
		t->saved[i].count = count_of(t, s[i].name);
	}
	t->nsaved = n;
	searches_free(s, n);
	t->saved_gen = t->gen;
	t->saved_stale = false;
}

bool saved_selected(const struct tui *t, const char *name)
{
	for (size_t i = 0; i < t->saved_sel.n; i++)
		if (!strcmp(t->saved_sel.items[i], name))
			return true;
	return false;
}

void saved_toggle(struct tui *t, size_t idx)
{
	const char *name = t->saved[idx].name;

	if (saved_selected(t, name)) {
		struct strlist keep = {0};
		for (size_t i = 0; i < t->saved_sel.n; i++)
			if (strcmp(t->saved_sel.items[i], name))
				strlist_add(&keep, t->saved_sel.items[i]);
		strlist_free(&t->saved_sel);
		t->saved_sel = keep;
	} else {
		strlist_add(&t->saved_sel, name);
	}
	tui_requery(t);
}

void saved_compose(const struct tui *t, struct buf *b)
{
	for (size_t i = 0; i < t->saved_sel.n; i++) {
		if (b->len)
			buf_putc(b, ' ');
		buf_printf(b, "@%s", t->saved_sel.items[i]);
	}
}
