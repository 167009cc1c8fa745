/* listview.c — a full-screen list of entries with a selection, for the
 * views where a key acts on one entry: the trash (restore) and a case's
 * history (revert one change). Entries are wrapped to the width and the
 * selected one is highlighted whole; the status line shows the title and
 * the keys, or the message of the last action. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void listview_add(struct listview *v, const char *text, uint64_t key)
{
	v->items = xreallocarray(v->items, v->n + 1, sizeof *v->items);
	v->items[v->n].text = text_sanitize(text, 0);
	v->items[v->n].key = key;
	v->n++;
}

void listview_clear(struct listview *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->items[i].text);
	free(v->items);
	v->items = NULL;
	v->n = 0;
}

/* Rows entry text takes at width columns. */
static int rows_of(const char *text, int width)
{
	size_t len = strlen(text), off = 0, next;
	int rows = 0;

	do {
		text_wrap_next(text + off, len - off, (size_t)(width > 1 ? width : 1), &next);
		off += next ? next : len - off;
		rows++;
	} while (off < len);
	return rows;
}

/* Draws entry i from row y (at most rows rows); returns the rows used. */
static int draw_entry(WINDOW *w, const struct listview *v, size_t i, int y, int rows, int width)
{
	const char *text = v->items[i].text;
	size_t len = strlen(text), off = 0, next;
	attr_t a = theme_attr(i == v->sel ? ROLE_SELECTED : ROLE_NORMAL);
	int used = 0;

	do {
		size_t k =
		    text_wrap_next(text + off, len - off, (size_t)(width > 1 ? width : 1), &next);
		char *part = xstrndup(text + off, k);
		tui_put(w, y + used, 0, part, width, a);
		free(part);
		off += next ? next : len - off;
		used++;
	} while (off < len && used < rows);
	return used;
}

/* Keeps the selection on screen: v->top is the first entry drawn. */
static void scroll_to_sel(struct listview *v, int h, int width)
{
	if (v->sel < v->top)
		v->top = v->sel;
	for (;;) {
		int rows = 0;
		for (size_t i = v->top; i <= v->sel && i < v->n; i++)
			rows += rows_of(v->items[i].text, width);
		if (rows <= h || v->top >= v->sel)
			break;
		v->top++;
	}
}

static void paint(struct tui *t, WINDOW *w, struct listview *v, const char *msg)
{
	int h = t->rows - 1, width = t->cols, y = 0, cur_y = 0;

	if (v->n && v->sel >= v->n)
		v->sel = v->n - 1;
	scroll_to_sel(v, h, width);
	werase(w);
	if (v->n == 0)
		tui_put(w, 0, 0, v->empty, width, theme_attr(ROLE_DIM));
	for (size_t i = v->top; i < v->n && y < h; i++) {
		if (i == v->sel)
			cur_y = y;
		y += draw_entry(w, v, i, y, h - y, width);
	}
	wnoutrefresh(w);
	if (msg && *msg) {
		theme_put_fitted(t->wstatus, 0, 0, msg, width, theme_attr(ROLE_MESSAGE));
	} else {
		char *s = xasprintf("%s · %s", v->title, v->hint);
		/* Too narrow for the keys: the help (F1, ?) lists them; what is
		 * still too long ends in "…", never cut silently. */
		if (text_width(s) > (size_t)width) {
			free(s);
			s = xasprintf("%s · %s", v->title, _("?:help Esc:back"));
		}
		theme_put_fitted(t->wstatus, 0, 0, s, width, theme_attr(ROLE_STATUS));
		free(s);
	}
	wnoutrefresh(t->wstatus);
	/* The hardware cursor rests on the selected entry, for screen readers. */
	wmove(w, cur_y, 0);
	wnoutrefresh(w);
}

void listview_run(struct tui *t, struct listview *v, int context,
    bool (*act)(struct tui *t, struct listview *v, int action, void *ctx), void *ctx)
{
	WINDOW *w = NULL;

	v->t = t;
	v->build(t, v, ctx);
	while (!t->quit) {
		if (t->too_small) {
			tui_check_size(t);
		} else {
			if (!w)
				w = newwin(t->rows - 1, t->cols, 0, 0);
			v->w = w;
			paint(t, w, v, t->msg);
		}
		doupdate();
		int key;
		if (tui_read_key(t, &key) == ERR)
			continue;
		t->msg[0] = '\0';
		if (key == KF(KEY_RESIZE)) {
			tui_layout(t);
			if (w)
				delwin(w);
			w = v->w = NULL;
			continue;
		}
		int a = keys_action(context, key);
		if (a == ACT_NONE)
			a = keys_action(KC_PAGER, key);
		if (a == ACT_BACK || a == ACT_QUIT)
			break;
		if (a == ACT_DOWN && v->sel + 1 < v->n)
			v->sel++;
		else if (a == ACT_UP && v->sel > 0)
			v->sel--;
		else if (a == ACT_TOP)
			v->sel = 0;
		else if (a == ACT_BOTTOM && v->n)
			v->sel = v->n - 1;
		else if (a == ACT_PGDN)
			v->sel = v->sel + 10 < v->n ? v->sel + 10 : (v->n ? v->n - 1 : 0);
		else if (a == ACT_PGUP)
			v->sel = v->sel > 10 ? v->sel - 10 : 0;
		else if (a == ACT_HELP)
			help_show(t);
		else if (v->n && act(t, v, a, ctx)) {
			listview_clear(v);
			v->build(t, v, ctx);
		}
		if (w)
			touchwin(w);
	}
	listview_clear(v);
	if (w)
		delwin(w);
	v->w = NULL;
	tui_touch(t);
}

/* Draws the view under a question (tui_confirm_over). */
void listview_repaint(void *view)
{
	struct listview *v = view;
	if (v->w)
		paint(v->t, v->w, v, NULL);
}
