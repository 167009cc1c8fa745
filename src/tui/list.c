/* list.c — the list pane: a virtual list over the query result. Only the
 * visible rows are asked of the query module and decoded (store_get); a
 * small cache keyed by id keeps a one-line move from decoding the page again. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "datefmt.h"
#include "display.h"
#include "util.h"

int list_height(const struct tui *t)
{
	if (!t->wlist)
		return 1;
	int h = getmaxy(t->wlist) - 1;
	return h < 1 ? 1 : h;
}

static void row_free(struct list_row *r)
{
	free(r->name);
	free(r->city);
	free(r->date);
	free(r->status);
	memset(r, 0, sizeof *r);
}

void list_cache_clear(struct tui *t)
{
	for (int i = 0; i < LIST_CACHE; i++)
		row_free(&t->cache[i]);
}

static struct list_row *row_get(struct tui *t, uint64_t id)
{
	struct list_row *r = &t->cache[id % LIST_CACHE];
	struct case_record c;
	struct cb_err err = {0};
	char d[16];

	if (r->id == id)
		return r;
	row_free(r);
	r->id = id;
	if (store_get(t->st, id, &c, &err)) {
		/* Deleted meanwhile: the next poll re-runs the query. */
		r->name = xstrdup(err.code == CB_ENOTFOUND ? _("(deleted)") : err.msg);
		r->city = xstrdup("");
		r->date = xstrdup("");
		r->status = xstrdup("");
		case_free(&c);
		return r;
	}
	r->name = text_sanitize(case_display_name(&c), 0);
	/* The place as the facets beside the list name it (display.h). */
	char *city = display_city_ui(c.city, c.region);
	r->city = text_sanitize(city, 0);
	free(city);
	r->date = xstrdup(datefmt_show(c.date, d));
	r->status = xstrdup(vocab_label(&vocab_status, c.status));
	case_free(&c);
	return r;
}

void list_goto(struct tui *t, size_t row)
{
	int h = list_height(t);

	if (t->nres == 0) {
		t->cur = t->top = 0;
		t->cur_id = 0;
		return;
	}
	if (row >= t->nres)
		row = t->nres - 1;
	t->cur = row;
	if (t->cur < t->top)
		t->top = t->cur;
	else if (t->cur >= t->top + (size_t)h)
		t->top = t->cur - (size_t)h + 1;
	if (t->top + (size_t)h > t->nres)
		t->top = t->nres > (size_t)h ? t->nres - (size_t)h : 0;
	uint64_t id = 0;
	if (query_result_page(t->res, t->cur, 1, &id) == 1 && id != t->cur_id) {
		t->cur_id = id;
		t->detail_scroll = 0;
	}
}

void list_move(struct tui *t, long delta)
{
	if (t->nres == 0)
		return;
	long row = (long)t->cur + delta;
	if (row < 0)
		row = 0;
	list_goto(t, (size_t)row);
}

/* Column layout for width w: x and width of id, name, city, date, status. */
struct cols {
	int id, name_x, name, city_x, city, date_x, date, status_x, status;
};

static struct cols list_cols(int w)
{
	struct cols c;

	c.id = 7;
	c.status = w >= 70 ? 14 : 0;
	c.date = 10;
	c.city = w >= 100 ? 20 : w >= 60 ? 14 : 10;
	c.name_x = c.id + 1;
	c.name = w - c.name_x - (c.city + 1) - (c.date + 1) - (c.status ? c.status + 1 : 0);
	if (c.name < 8)
		c.name = 8;
	c.city_x = c.name_x + c.name + 1;
	c.date_x = c.city_x + c.city + 1;
	c.status_x = c.date_x + c.date + 1;
	return c;
}

/* Writes one cell of a row: s in width columns (ended with "…" when it
 * does not fit) and, unless it is the last, the gap after it. */
static void row_cell(WINDOW *w, int y, int x, const char *s, int width, bool last, attr_t a)
{
	if (last) {
		theme_put_fitted(w, y, x, s, width, a);
		return;
	}
	theme_put_fitted(w, y, x, s, width, a);
	tui_put(w, y, x + width, "", 1, a);
}

/* The hint for an empty list, wrapped over the rows under the header. */
static void empty_hint(struct tui *t, WINDOW *w, int width, int h)
{
	const char *m = t->total != 0 ? _("No case matches the filter. Press c to clear it.")
	    : t->readonly             ? _("No cases yet. This database is read-only.")
	                              : _("No cases yet. Press a to add one.");
	size_t n = strlen(m), off = 0;

	for (int y = 2; y <= h && off < n && width > 4; y++) {
		size_t next, len = text_wrap_next(m + off, n - off, (size_t)width - 4, &next);
		char *piece = xstrndup(m + off, len);
		theme_put_fitted(w, y, 2, piece, width - 4, theme_attr(ROLE_DIM));
		free(piece);
		off += next;
	}
}

void list_draw(struct tui *t)
{
	WINDOW *w = t->wlist;
	int width = getmaxx(w), h = list_height(t);
	/* Beside the detail pane, a blank column keeps the last value off its rule. */
	int cw = t->wide ? width - 1 : width;
	struct cols c = list_cols(cw);
	attr_t hd = theme_attr(ROLE_HEADER);
	uint64_t ids[512];
	/* The last column runs to the window's edge, never past it. */
	int last_x = c.status ? c.status_x : c.date_x;
	int last_w = cw - last_x;

	if (h > 512)
		h = 512;
	row_cell(w, 0, 0, _("     Id"), c.id, false, hd);
	row_cell(w, 0, c.name_x, _("Name"), c.name, false, hd);
	row_cell(w, 0, c.city_x, _("City"), c.city, false, hd);
	row_cell(w, 0, c.date_x, _("Date"), c.status ? c.date : last_w, !c.status, hd);
	if (c.status)
		row_cell(w, 0, c.status_x, _("Status"), last_w, true, hd);
	if (t->wide)
		tui_put(w, 0, width - 1, "", 1, hd);

	size_t n = t->res ? query_result_page(t->res, t->top, (size_t)h, ids) : 0;
	for (int i = 0; i < h; i++) {
		int y = i + 1;
		if ((size_t)i >= n) {
			tui_put(w, y, 0, "", width, theme_attr(ROLE_NORMAL));
			continue;
		}
		struct list_row *r = row_get(t, ids[i]);
		bool sel = t->top + (size_t)i == t->cur;
		/* The bar covers the whole row, so the eye finds every column
		 * of the selected case. */
		attr_t a = !sel             ? theme_attr(ROLE_NORMAL)
		    : t->focus == PANE_LIST ? theme_attr(ROLE_SELECTED)
		                            : theme_attr(ROLE_SELECTED_DIM);
		char idbuf[32];
		/* A tagged case is marked before its id (t, T, ;). */
		snprintf(idbuf, sizeof idbuf, "%c%*llu", tags_has(t, r->id) ? '*' : ' ', c.id - 1,
		    (unsigned long long)r->id);
		row_cell(w, y, 0, idbuf, c.id, false, a);
		row_cell(w, y, c.name_x, r->name, c.name, false, a);
		row_cell(w, y, c.city_x, r->city, c.city, false, a);
		row_cell(w, y, c.date_x, r->date, c.status ? c.date : last_w, !c.status, a);
		if (c.status)
			row_cell(w, y, c.status_x, r->status, last_w, true, a);
		if (t->wide)
			tui_put(w, y, width - 1, "", 1, a);
	}
	if (n == 0 && h > 2)
		empty_hint(t, w, width, h);
	wnoutrefresh(w);
}

void list_cursor(struct tui *t)
{
	if (!t->wlist)
		return;
	if (t->filter_open && !t->wide && !t->beside) {
		wnoutrefresh(t->wfilter);
		return;
	}
	int y = t->nres ? 1 + (int)(t->cur - t->top) : 1;
	wmove(t->wlist, y, 0);
	wnoutrefresh(t->wlist);
}
