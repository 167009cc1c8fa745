/* filter.c — the filter pane: the filter line (the CLI's syntax) and facets
 * with live counts (city, injury, measure, event, status). Selected facet
 * values become filter terms; the query module does all the filtering. */
#include "tui.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "skeleton.h"
#include "util.h"

#define FACET_MAX 200
#define KEY_LINES 4 /* the most lines the group keys take */

/* The keys that go to each group (ACT_FIND_GROUP in keys.c). */
static const char group_keys[NFACET] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-'};

enum frow_kind { FR_LINE, FR_HEAD, FR_VALUE, FR_SAVED_HEAD, FR_SAVED };

struct frow {
	int kind;
	int group;
	size_t idx;
};

static const struct vocab *group_vocab(const char *field)
{
	if (!strcmp(field, "injury"))
		return &vocab_injury;
	if (!strcmp(field, "measure"))
		return &vocab_measure;
	if (!strcmp(field, "status"))
		return &vocab_status;
	if (!strcmp(field, "verification"))
		return &vocab_verification;
	if (!strcmp(field, "sex"))
		return &vocab_sex;
	return NULL;
}

static const char *group_title(const char *field)
{
	if (!strcmp(field, "city"))
		return _("City");
	if (!strcmp(field, "injury"))
		return _("Injury");
	if (!strcmp(field, "measure"))
		return _("Measure");
	if (!strcmp(field, "event"))
		return _("Event");
	if (!strcmp(field, "region"))
		return _("Region");
	if (!strcmp(field, "verification"))
		return _("Verification");
	if (!strcmp(field, "sex"))
		return _("Sex");
	if (!strcmp(field, "lawyer"))
		return _("Lawyer");
	if (!strcmp(field, "date"))
		return _("Date");
	if (!strcmp(field, "days"))
		return _("Days held");
	return _("Status");
}

char *filter_compose(const struct tui *t, const char *skip_field, bool with_line)
{
	struct buf b = {0};

	if (with_line && !str_empty(t->filter_line))
		buf_puts(&b, t->filter_line);
	saved_compose(t, &b);
	for (int g = 0; g < NFACET; g++) {
		const struct facet_group *fg = &t->groups[g];
		if (fg->sel.n == 0 || (skip_field && !strcmp(skip_field, fg->field)))
			continue;
		if (b.len)
			buf_putc(&b, ' ');
		buf_printf(&b, "%s:", fg->field);
		for (size_t i = 0; i < fg->sel.n; i++) {
			/* The spelling people know ("Алматы"), not the folded key. */
			const char *v = fg->sel.items[i];
			for (size_t j = 0; j < fg->n; j++)
				if (!strcmp(fg->f[j].key, v)) {
					v = fg->f[j].value;
					break;
				}
			if (i)
				buf_putc(&b, ',');
			query_quote(&b, v);
		}
	}
	/* The search: every word is a name prefix. */
	const char *s = str_or_empty(t->search);
	while (*s) {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (n) {
			char *w = xstrndup(s, n);
			/* Quotes and commas are not part of names; keep the term simple. */
			for (char *p = w; *p; p++)
				if (*p == '"' || *p == ',' || *p == ':' || *p == '\\')
					*p = ' ';
			char *trim = w;
			while (*trim == ' ')
				trim++;
			if (*trim) {
				if (b.len)
					buf_putc(&b, ' ');
				buf_puts(&b, "name:");
				query_quote(&b, trim);
			}
			free(w);
		}
		s += n;
	}
	buf_putc(&b, 0);
	b.len--;
	return buf_steal(&b);
}

static void keep_cursor(struct tui *t);

static bool selected(const struct facet_group *g, const char *key)
{
	for (size_t i = 0; i < g->sel.n; i++)
		if (!strcmp(g->sel.items[i], key))
			return true;
	return false;
}

static void group_free(struct facet_group *g)
{
	query_facets_free(g->f, g->n);
	g->f = NULL;
	g->n = 0;
}

/* A result for filter text (the filter line left out when it does not
 * parse), sorted by id: facets need no order. NULL on error (*err set). */
static struct query_result *facet_result(struct tui *t, const char *field, const char *text,
    struct cb_err *err)
{
	struct query *q = NULL;
	struct query_result *r = NULL;

	if (query_parse(text, &q, err)) {
		char *bare = filter_compose(t, field, false);
		if (query_parse(bare, &q, err))
			q = NULL;
		free(bare);
	}
	if (query_run(t->st, q, (struct query_sort){SORT_ID, false}, &r, err))
		r = NULL;
	query_free(q);
	return r;
}

/* Trims a recounted group and keeps its selected values visible. */
static void group_tidy(struct facet_group *fg)
{
	if (fg->n > FACET_MAX && strcmp(fg->field, "date")) {
		/* Keep the most frequent; the filter line reaches the rest (dates
		 * are few on screen: only the months and an opened month's days). */
		struct facet *rest = fg->f + FACET_MAX;
		for (size_t i = 0; i < fg->n - FACET_MAX; i++) {
			free(rest[i].value);
			free(rest[i].key);
		}
		fg->n = FACET_MAX;
	}
	/* Selected values stay visible even when nothing matches them now. */
	for (size_t i = 0; i < fg->sel.n; i++) {
		bool found = false;
		for (size_t j = 0; j < fg->n && !found; j++)
			found = !strcmp(fg->f[j].key, fg->sel.items[i]);
		if (found)
			continue;
		fg->f = xreallocarray(fg->f, fg->n + 1, sizeof *fg->f);
		fg->f[fg->n].key = xstrdup(fg->sel.items[i]);
		fg->f[fg->n].value = xstrdup(fg->sel.items[i]);
		fg->f[fg->n].count = 0;
		fg->n++;
	}
}

/* The rows of the pane, in order. */
static size_t rows_build(const struct tui *t, struct frow **out)
{
	size_t n = 1 + (t->nsaved ? 1 + t->nsaved : 0);

	for (int g = 0; g < NFACET; g++)
		n += 1 + filter_values_shown(&t->groups[g]);
	struct frow *r = xreallocarray(NULL, n, sizeof *r);
	size_t k = 0;
	r[k++] = (struct frow){FR_LINE, 0, 0};
	if (t->nsaved) {
		r[k++] = (struct frow){FR_SAVED_HEAD, 0, 0};
		for (size_t i = 0; i < t->nsaved; i++)
			r[k++] = (struct frow){FR_SAVED, 0, i};
	}
	for (int g = 0; g < NFACET; g++) {
		r[k++] = (struct frow){FR_HEAD, g, 0};
		for (size_t i = 0; i < t->groups[g].n; i++)
			if (filter_value_shown(&t->groups[g], i))
				r[k++] = (struct frow){FR_VALUE, g, i};
	}
	*out = r;
	return k;
}

/* Marks the groups whose counts were made with another filter or an older
 * database: they show no numbers until counted again. */
static void mark_stale(struct tui *t)
{
	for (int g = 0; g < NFACET; g++) {
		struct facet_group *fg = &t->groups[g];
		/* A value's count is with every other part of the filter, so
		 * choosing a second city widens rather than empties. */
		char *s = filter_compose(t, fg->field, true);
		/* Choosing a value changes every group's counts but its own. */
		fg->stale = !(fg->basis && fg->basis_gen == t->gen && !strcmp(fg->basis, s));
		free(s);
	}
}

/* As tui_put, but s cut to width ends in "…" (text_put_fitted). */
static int fit_put(WINDOW *w, int y, int x, const char *s, int width, attr_t attr)
{
	struct buf b = {0};

	text_put_fitted(&b, str_or_empty(s), width > 0 ? (size_t)width : 0, false);
	buf_putc(&b, 0);
	int used = tui_put(w, y, x, (const char *)b.p, width, attr);
	buf_free(&b);
	return used;
}

static int keys_lines(const struct tui *t, WINDOW *w, int cw);

/* Columns of the pane inside its border (a border when it is beside the list). */
static int pane_cw(const struct tui *t)
{
	int width = t->wfilter ? getmaxx(t->wfilter) : 0;
	return t->wide || t->beside ? width - 2 : width;
}

/* Lines of the pane that show rows (below its title). */
static int pane_rows(const struct tui *t)
{
	return t->wfilter ? getmaxy(t->wfilter) - 1 - keys_lines(t, NULL, pane_cw(t)) : 0;
}

/* Keeps the cursor on one of the n rows and the rows scrolled to show it. */
static void scroll_fix(struct tui *t, const struct frow *r, size_t n, int rows)
{
	if (t->fcur >= (int)n)
		t->fcur = (int)n - 1;
	if (t->fcur < 0)
		t->fcur = 0;
	if (t->fcur < t->ftop)
		t->ftop = t->fcur > 0 && r[t->fcur - 1].kind == FR_HEAD ? t->fcur - 1 : t->fcur;
	if (t->fcur >= t->ftop + rows)
		t->ftop = t->fcur - rows + 1;
}

/* Which groups have values on the pane's lines as filter_draw scrolls it
 * (a group not yet counted, as if it had one value). */
static void groups_shown(struct tui *t, bool shown[NFACET])
{
	struct frow *r;
	size_t n = rows_build(t, &r);
	int rows = pane_rows(t);
	long head = 1 + (t->nsaved ? 1 + (long)t->nsaved : 0); /* row of the group's header */

	scroll_fix(t, r, n, rows);
	free(r);
	for (int g = 0; g < NFACET; g++) {
		long nv = (long)filter_values_shown(&t->groups[g]);
		shown[g] = head + 1 < t->ftop + rows && head + (nv ? nv : 1) >= t->ftop;
		head += 1 + nv;
	}
}

/* Counts the stale groups in want. Groups with the same filter are counted
 * together from one result; groups with no value chosen have the whole
 * filter, whose result the list already has. */
static void count_groups(struct tui *t, const bool want[NFACET])
{
	struct cb_err err = {0};
	char *text[NFACET] = {0}; /* the filter a group is counted with */

	for (int g = 0; g < NFACET; g++) {
		struct facet_group *fg = &t->groups[g];
		if (!want[g] || !fg->stale)
			continue;
		text[g] = filter_compose(t, fg->field, true);
		free(fg->basis);
		fg->basis = xstrdup(text[g]);
		fg->basis_gen = t->gen;
		fg->stale = false;
	}
	for (int g = 0; g < NFACET; g++) {
		if (!text[g])
			continue;
		const char *fields[NFACET];
		int members[NFACET];
		struct facet *out[NFACET];
		size_t nout[NFACET];
		size_t nm = 0;
		for (int h = g; h < NFACET; h++)
			if (text[h] && !strcmp(text[h], text[g])) {
				members[nm] = h;
				fields[nm++] = t->groups[h].field;
			}
		bool own = !(t->res && t->filter_text && !strcmp(t->filter_text, text[g]));
		struct query_result *r =
		    own ? facet_result(t, t->groups[g].field, text[g], &err) : t->res;
		if (!t->fcache)
			t->fcache = query_fcache_new();
		int rc =
		    r ? query_result_facets_cached(r, t->fcache, fields, nm, out, nout, &err) : -1;
		if (rc)
			tui_message(t, ROLE_ERROR, "%s", err.msg);
		for (size_t i = 0; i < nm; i++) {
			struct facet_group *fg = &t->groups[members[i]];
			group_free(fg);
			if (rc == 0) {
				fg->f = out[i];
				fg->n = nout[i];
			} else {
				/* Counted again after the next change. */
				free(fg->basis);
				fg->basis = NULL;
			}
			group_tidy(fg);
			if (members[i] != g) {
				free(text[members[i]]);
				text[members[i]] = NULL;
			}
		}
		if (own)
			query_result_free(r);
		free(text[g]);
		text[g] = NULL;
	}
}

void filter_refresh(struct tui *t)
{
	if (!t->facets_stale)
		return;
	saved_refresh(t);
	mark_stale(t);
	/* Recounting reorders values: the cursor stays on its value. */
	if (!t->keep_key) {
		struct frow *r;
		size_t n = rows_build(t, &r);
		if (t->fcur >= 0 && (size_t)t->fcur < n && r[t->fcur].kind == FR_VALUE) {
			t->keep_group = r[t->fcur].group;
			t->keep_key = xstrdup(t->groups[t->keep_group].f[r[t->fcur].idx].key);
		}
		free(r);
	}
	/* Only the groups on screen are counted (with a million cases each
	 * costs about a millisecond); a recount changes how many rows a group
	 * has, which can bring the next one into view. Each round counts at
	 * least one group, so this ends. */
	for (;;) {
		bool shown[NFACET], any = false;
		groups_shown(t, shown);
		for (int g = 0; g < NFACET; g++)
			any |= shown[g] && t->groups[g].stale;
		if (!any)
			break;
		count_groups(t, shown);
		if (t->keep_key)
			keep_cursor(t);
	}
	free(t->keep_key);
	t->keep_key = NULL;
	t->facets_stale = false;
}

/* The label of a value in buf (of cap bytes) or in the vocabulary. */
static const char *value_label(const struct facet_group *g, const struct facet *f, char *buf,
    size_t cap)
{
	const struct vocab *v = group_vocab(g->field);
	const char *s = filter_value_label(g, f, buf, cap);
	int i;

	if (s)
		return s;
	if (v && (i = vocab_find(v, f->key)) >= 0)
		return vocab_label(v, i);
	return f->value;
}

/* True when the locale writes UTF-8 (block characters for bars). */
static bool locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

/* Writes to out a bar of count against max in width columns: eighths of
 * a block in UTF-8, '#' otherwise. Empty when width is 0. */
static void bar_text(uint64_t count, uint64_t max, int width, char *out, size_t cap)
{
	static const char *const part[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	size_t k = 0;

	out[0] = 0;
	if (width <= 0 || max == 0 || cap < 8)
		return;
	bool utf8 = locale_utf8();
	/* In eighths of a column (whole columns in ASCII); never zero for a
	 * count above zero, so a value is never drawn as having none. */
	uint64_t unit = utf8 ? 8 : 1;
	uint64_t len = (count * (uint64_t)width * unit + max - 1) / max;
	if (count && !len)
		len = 1;
	out[k++] = ' ';
	for (uint64_t i = 0; i < len / unit && k + 4 < cap; i++) {
		const char *s = utf8 ? "█" : "#";
		memcpy(out + k, s, strlen(s));
		k += strlen(s);
	}
	if (utf8 && len % 8 && k + 4 < cap) {
		memcpy(out + k, part[len % 8], strlen(part[len % 8]));
		k += strlen(part[len % 8]);
	}
	/* Bars of one group end in one column: pad to the whole width. */
	for (uint64_t i = (len + unit - 1) / unit; i < (uint64_t)width && k + 1 < cap; i++)
		out[k++] = ' ';
	out[k] = 0;
}

/* The bar width of group g in a pane of cw columns: a fifth of the pane (at
 * most 12; none below 30 columns), narrowed down to 2 so that the group's
 * longest label fits beside its bar and count. The same for every value,
 * so the bars of a group end in one column. */
static int bar_width(const struct facet_group *g, int cw)
{
	int bw = cw >= 30 ? (cw - 4) / 5 : 0, need = 0;
	char lb[64], count[32];

	if (bw > 12)
		bw = 12;
	for (size_t i = 0; i < g->n && bw > 2; i++) {
		if (!filter_value_shown(g, i))
			continue;
		char *v = text_sanitize(value_label(g, &g->f[i], lb, sizeof lb), 0);
		snprintf(count, sizeof count, " %llu", (unsigned long long)g->f[i].count);
		int w = filter_value_indent(g, i) + 4 + (int)text_width(v) + (int)text_width(count);
		free(v);
		if (w > need)
			need = w;
	}
	/* The bar takes one column more than its width (a space before it). */
	if (bw > 2 && need + bw + 1 > cw)
		bw = cw - need - 1 > 2 ? cw - need - 1 : 2;
	return bw;
}

/* Lines of group keys below the pane's title: "1 City 2 Region ...",
 * broken between groups onto at most KEY_LINES lines of cw columns; what
 * does not fit on the last is cut with "…". Draws them from row 1 of w
 * unless w is NULL; returns the lines they take. */
static int keys_lines(const struct tui *t, WINDOW *w, int cw)
{
	struct buf line[KEY_LINES] = {{0}};
	int n = 0, x = 0;

	for (int g = 0; g < NFACET; g++) {
		char *item = xasprintf("%c %s", group_keys[g], group_title(t->groups[g].field));
		int iw = (int)text_width(item);
		if (x && x + 1 + iw > cw && n + 1 < KEY_LINES)
			n++, x = 0;
		if (x)
			buf_putc(&line[n], ' '), x++;
		buf_puts(&line[n], item);
		x += iw;
		free(item);
	}
	for (int i = 0; i <= n; i++) {
		buf_putc(&line[i], 0);
		if (w)
			fit_put(w, 1 + i, 0, (const char *)line[i].p, cw, theme_attr(ROLE_DIM));
		buf_free(&line[i]);
	}
	return n + 1;
}

/* One pass over the pane's visible rows, each kind of row drawn in place:
 * long, but the whole layout of the pane reads top to bottom in one place. */
void filter_draw(struct tui *t)
{
	WINDOW *w = t->wfilter;
	int h = getmaxy(w), width = getmaxx(w);
	if (t->facets_stale)
		mark_stale(t);
	struct frow *r;
	size_t n = rows_build(t, &r);
	int cw = pane_cw(t);
	bool focus = t->focus == PANE_FILTER;

	if (t->wide || t->beside) {
		wattrset(w, (int)theme_attr(ROLE_BORDER));
		mvwvline(w, 0, width - 1, ACS_VLINE, h);
		wattrset(w, A_NORMAL);
	}
	attr_t ha = theme_attr(focus ? ROLE_SELECTED : ROLE_BORDER);
	wattrset(w, (int)ha);
	mvwhline(w, 0, 0, ACS_HLINE, cw);
	/* The title says the keys; a shorter wording where the pane is narrow. */
	const char *title = _(" Filter (space: choose, c: clear) ");
	if ((int)text_width(title) > cw - 1)
		title = _(" Filter (space, c: clear) ");
	fit_put(w, 0, 1, title, (int)text_width(title) < cw - 1 ? (int)text_width(title) : cw - 1,
	    ha);

	int top = 1 + keys_lines(t, w, cw); /* the title and the group keys */
	int rows = h - top;
	scroll_fix(t, r, n, rows);
	int cursor_y = top;
	/* Each group's bar width and largest count, worked out for the groups
	 * with rows on screen only (-1, 0: not yet). */
	int bws[NFACET];
	uint64_t gmax[NFACET] = {0};
	for (int g = 0; g < NFACET; g++)
		bws[g] = -1;
	for (int y = 0; y < rows; y++) {
		size_t i = (size_t)(t->ftop + y);
		bool cur = focus && (int)i == t->fcur;
		attr_t sel = theme_attr(ROLE_SELECTED);
		if (cur)
			cursor_y = y + top;
		if (i >= n) {
			tui_put(w, y + top, 0, "", cw, theme_attr(ROLE_NORMAL));
			continue;
		}
		if (r[i].kind == FR_LINE) {
			int lw = fit_put(w, y + top, 0, _("Filter line: "), cw,
			    cur ? sel : theme_attr(ROLE_LABEL));
			const char *hint = _("(: or Enter to type)");
			if ((int)text_width(hint) > cw - lw)
				hint = _("(: or Enter)");
			char *s =
			    text_sanitize(str_empty(t->filter_line) ? hint : t->filter_line, 0);
			fit_put(w, y + top, lw, s, cw - lw,
			    cur ? sel
			        : theme_attr(str_empty(t->filter_line) ? ROLE_DIM : ROLE_NORMAL));
			free(s);
		} else if (r[i].kind == FR_SAVED_HEAD) {
			const char *head = _("Saved searches (S saves the filter)");
			if ((int)text_width(head) > cw)
				head = _("Saved searches (S: save)");
			fit_put(w, y + top, 0, head, cw, theme_attr(ROLE_HEADER));
		} else if (r[i].kind == FR_SAVED) {
			const struct saved_row *sr = &t->saved[r[i].idx];
			bool on = saved_selected(t, sr->name);
			char count[32];
			if (sr->count >= 0)
				snprintf(count, sizeof count, " %ld", sr->count);
			else
				snprintf(count, sizeof count, " ?");
			int cnw = (int)text_width(count);
			attr_t a = cur ? sel : theme_attr(on ? ROLE_FACET_ON : ROLE_NORMAL);
			char *v = text_sanitize(sr->name, 0);
			char *label = xasprintf("@%s", v);
			tui_put(w, y + top, 0, on ? "[x] " : "[ ] ", 4, a);
			fit_put(w, y + top, 4, label, cw - 4 - cnw, a);
			tui_put(w, y + top, cw - cnw, count, cnw, cur ? sel : theme_attr(ROLE_DIM));
			free(label);
			free(v);
		} else if (r[i].kind == FR_HEAD) {
			fit_put(w, y + top, 0, group_title(t->groups[r[i].group].field), cw,
			    theme_attr(ROLE_HEADER));
		} else {
			const struct facet_group *g = &t->groups[r[i].group];
			const struct facet *f = &g->f[r[i].idx];
			bool on = selected(g, f->key);
			char count[32];
			/* A stale group on screen is recounted right after this
			 * update; its old numbers stay until then rather than
			 * flashing a placeholder (calmer, and fewer bytes over a
			 * slow link). */
			snprintf(count, sizeof count, " %llu", (unsigned long long)f->count);
			int cnw = (int)text_width(count);
			attr_t a = cur ? sel : theme_attr(on ? ROLE_FACET_ON : ROLE_NORMAL);
			char lb[64];
			char *v = text_sanitize(value_label(g, f, lb, sizeof lb), 0);
			char bar[64];
			int gi = r[i].group;
			if (bws[gi] < 0)
				bws[gi] = bar_width(g, cw);
			/* Dates: each level its own largest count (filter_bar_max). */
			if (!gmax[gi] || !strcmp(g->field, "date"))
				gmax[gi] = filter_bar_max(g, r[i].idx);
			bar_text(f->count, gmax[gi], bws[gi], bar, sizeof bar);
			int barw = (int)text_width(bar);
			int in = filter_value_indent(g, r[i].idx); /* a day under its month */
			tui_put(w, y + top, 0, "", in, a);
			tui_put(w, y + top, in, on ? "[x] " : "[ ] ", 4, a);
			fit_put(w, y + top, in + 4, v, cw - in - 4 - cnw - barw, a);
			tui_put(w, y + top, cw - cnw - barw, bar, barw,
			    cur ? sel : theme_attr(ROLE_DIM));
			tui_put(w, y + top, cw - cnw, count, cnw, cur ? sel : theme_attr(ROLE_DIM));
			free(v);
		}
	}
	free(r);
	/* A stale group scrolled into view is counted next (see facets_due). */
	bool shown[NFACET];
	groups_shown(t, shown);
	for (int g = 0; g < NFACET; g++)
		if (shown[g] && t->groups[g].stale)
			t->facets_stale = true;
	wmove(w, cursor_y, 0);
	wnoutrefresh(w);
}

void filter_clear(struct tui *t)
{
	for (int g = 0; g < NFACET; g++)
		strlist_free(&t->groups[g].sel);
	strlist_free(&t->saved_sel);
	free(t->filter_line);
	t->filter_line = NULL;
	t->facets_stale = true;
}

void filter_free(struct tui *t)
{
	for (int g = 0; g < NFACET; g++) {
		strlist_free(&t->groups[g].sel);
		group_free(&t->groups[g]);
		strlist_free(&t->groups[g].open);
		free(t->groups[g].basis);
		t->groups[g].basis = NULL;
	}
	free(t->keep_key);
	t->keep_key = NULL;
	saved_free(t);
	query_fcache_free(t->fcache);
	t->fcache = NULL;
}

static void toggle(struct tui *t, int gi, const char *key)
{
	struct facet_group *g = &t->groups[gi];
	char *k = xstrdup(key);

	if (selected(g, k)) {
		struct strlist keep = {0};
		for (size_t i = 0; i < g->sel.n; i++)
			if (strcmp(g->sel.items[i], k))
				strlist_add(&keep, g->sel.items[i]);
		strlist_free(&g->sel);
		g->sel = keep;
	} else {
		strlist_add(&g->sel, k);
	}
	/* Counts reorder the values: the recount (after the list is drawn)
	 * puts the cursor back on the one just toggled. */
	free(t->keep_key);
	t->keep_key = k;
	t->keep_group = gi;
	tui_requery(t);
}

/* Puts the cursor on the row of t->keep_key (the caller frees it). */
static void keep_cursor(struct tui *t)
{
	struct frow *r;
	size_t n = rows_build(t, &r);

	for (size_t i = 0; i < n; i++)
		if (r[i].kind == FR_VALUE && r[i].group == t->keep_group &&
		    !strcmp(t->groups[t->keep_group].f[r[i].idx].key, t->keep_key))
			t->fcur = (int)i;
	free(r);
}
/* Opens or closes the month of value idx of group gi (date), the cursor
 * on the month's row. */
static void month_open(struct tui *t, int gi, size_t idx, bool open)
{
	struct facet_group *g = &t->groups[gi];
	long m = filter_month_open(g, idx, open);
	struct frow *r;

	if (m < 0)
		return;
	size_t n = rows_build(t, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i].kind == FR_VALUE && r[i].group == gi && r[i].idx == (size_t)m)
			t->fcur = (int)i;
	free(r);
}

/* True when one word of label (a word starts after a space, punctuation
 * or '_') begins with the skeleton sk: "Ал" finds "Алматы" and "Almaty". */
static bool word_starts(const char *label, const char *sk, size_t skn)
{
	char ws[SKELETON_CAP];

	for (const char *p = label; *p; p++) {
		if (p != label && !strchr(" ,;_-()/.", p[-1]))
			continue;
		if (strchr(" ,;_-()/.", *p))
			continue;
		size_t n = skeleton_word(p, strcspn(p, " ,;_-()/."), ws, sizeof ws);
		if (n >= skn && !memcmp(ws, sk, skn))
			return true;
	}
	return false;
}

/* Puts the cursor on the first value of the group being searched whose
 * label or key has a word starting with what was typed. False when none. */
static bool seek_find(struct tui *t, const struct frow *r, size_t n)
{
	const struct facet_group *g = &t->groups[t->seek_group];
	char sk[SKELETON_CAP];
	size_t skn = skeleton_word(t->seek, strlen(t->seek), sk, sizeof sk);
	char lb[64];

	for (size_t i = 0; i < n; i++) {
		if (r[i].kind != FR_VALUE || r[i].group != t->seek_group)
			continue;
		const struct facet *f = &g->f[r[i].idx];
		if (!skn || word_starts(value_label(g, f, lb, sizeof lb), sk, skn) ||
		    word_starts(f->value, sk, skn) || word_starts(f->key, sk, skn)) {
			t->fcur = (int)i;
			return true;
		}
	}
	return false;
}

/* Jumps to group g (its first value, or its header when it has none) and
 * starts typing to find a value in it. The group is counted first when
 * its counts are out of date, so there are values to find. */
static void seek_start(struct tui *t, int g)
{
	struct frow *r;
	size_t n = rows_build(t, &r);

	for (size_t i = 0; i < n; i++)
		if (r[i].kind == FR_HEAD && r[i].group == g)
			t->fcur = t->ftop = (int)i;
	free(r);
	t->facets_stale = true;
	filter_refresh(t);
	n = rows_build(t, &r);
	if ((size_t)t->fcur + 1 < n && r[t->fcur].kind == FR_HEAD &&
	    r[t->fcur + 1].kind == FR_VALUE)
		t->fcur++;
	free(r);
	t->seeking = true;
	t->seek_group = g;
	t->seek[0] = 0;
	tui_message(t, ROLE_STATUS, _("%s: type to find a value (Space chooses, Esc stops)"),
	    group_title(t->groups[g].field));
}

/* A key while typing to find a value: true when it was used. */
static bool seek_key(struct tui *t, const struct frow *r, size_t n, int key)
{
	size_t len = strlen(t->seek);

	if (key == 27) {
		t->seeking = false;
		tui_message(t, ROLE_STATUS, "%s", "");
		return true;
	}
	if (key == KF(KEY_BACKSPACE) || key == 127 || key == 8) {
		while (len && ((unsigned char)t->seek[len - 1] & 0xc0) == 0x80)
			len--;
		if (len)
			len--;
		t->seek[len] = 0;
		seek_find(t, r, n);
	} else if (key > ' ' && key < 0x40000000) {
		char mb[8];
		mbstate_t ps = {0};
		size_t k = wcrtomb(mb, (wchar_t)key, &ps);
		if (k == (size_t)-1 || len + k >= sizeof t->seek)
			return true;
		memcpy(t->seek + len, mb, k);
		t->seek[len + k] = 0;
		if (!seek_find(t, r, n)) {
			tui_message(t, ROLE_ERROR,
			    _("%s: no value has a word starting with \"%s\""),
			    group_title(t->groups[t->seek_group].field), t->seek);
			t->seek[len] = 0;
			return true;
		}
	} else {
		/* Any other key ends the search and does its usual work. */
		t->seeking = false;
		return false;
	}
	char *s = text_sanitize(t->seek, 0);
	tui_message(t, ROLE_STATUS, _("%s: %s (Space chooses, Esc stops)"),
	    group_title(t->groups[t->seek_group].field), s);
	free(s);
	return true;
}

bool filter_key(struct tui *t, int action, int key)
{
	struct frow *r;
	size_t n = rows_build(t, &r);
	int step = 0;
	bool used = true;
	int page = pane_rows(t) > 0 ? pane_rows(t) : 1;

	if (t->seeking && action != ACT_TOGGLE && seek_key(t, r, n, key)) {
		free(r);
		return true;
	}
	t->seeking = false;
	const char *gk = key > 0 && key < 0x80 ? memchr(group_keys, key, NFACET) : NULL;
	if (gk) {
		seek_start(t, (int)(gk - group_keys));
		free(r);
		return true;
	}
	switch (action) {
	case ACT_UP:
		step = -1;
		break;
	case ACT_DOWN:
		step = 1;
		break;
	case ACT_PGUP:
		step = -page;
		break;
	case ACT_PGDN:
		step = page;
		break;
	case ACT_TOP:
		t->fcur = 0;
		break;
	case ACT_BOTTOM:
		t->fcur = (int)n - 1;
		break;
	case ACT_EXPAND:
	case ACT_COLLAPSE:
		if (t->fcur >= 0 && (size_t)t->fcur < n && r[t->fcur].kind == FR_VALUE)
			month_open(t, r[t->fcur].group, r[t->fcur].idx, action == ACT_EXPAND);
		else
			used = false;
		break;
	case ACT_TOGGLE:
		if (t->fcur >= 0 && (size_t)t->fcur < n) {
			struct frow fr = r[t->fcur];
			if (fr.kind == FR_LINE)
				tui_filter_line(t);
			else if (fr.kind == FR_VALUE)
				toggle(t, fr.group, t->groups[fr.group].f[fr.idx].key);
			else if (fr.kind == FR_SAVED)
				saved_toggle(t, fr.idx);
		}
		break;
	default:
		used = false;
		break;
	}
	if (step) {
		int c = t->fcur + step;
		if (c < 0)
			c = 0;
		if (c >= (int)n)
			c = (int)n - 1;
		/* Headers are not stops. */
		while (c > 0 && c < (int)n && (r[c].kind == FR_HEAD || r[c].kind == FR_SAVED_HEAD))
			c += step > 0 ? 1 : -1;
		if (c >= (int)n)
			c = t->fcur;
		t->fcur = c;
	}
	free(r);
	return used;
}
