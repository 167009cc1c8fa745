/* help.c — full-screen views over lines: the `?` help (from the key
 * table), the session's messages, and a case on the whole screen (Enter).
 * A case's history, where a change can be reverted, is in views.c. */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static void help_build(void *ctx, int width, struct dline **out, size_t *n);
static void messages_build(void *ctx, int width, struct dline **out, size_t *n);

/* Draws lines l (n of them) from *top into w, which fills the screen above
 * the status line, and the title with the position on the status line;
 * *top is first clamped so the last page is full. */
static void pager_paint(struct tui *t, WINDOW *w, const char *title, bool plain,
    const struct dline *l, size_t n, int *top)
{
	int h = t->rows - 1, width = t->cols;

	if (*top > (int)n - h)
		*top = (int)n - h;
	if (*top < 0)
		*top = 0;
	for (int y = 0; y < h; y++) {
		size_t i = (size_t)(*top + y);
		if (i >= n)
			tui_put(w, y, 0, "", width, theme_attr(ROLE_NORMAL));
		else if (plain)
			theme_put_fitted(w, y, 0, l[i].text, width, theme_attr(l[i].role));
		else
			detail_draw_line(w, y, 0, &l[i], width);
	}
	wmove(w, 0, 0);
	wnoutrefresh(w);
	char *s = xasprintf(_("%s · line %d of %zu · Esc: back"), title, n ? *top + 1 : 0, n);
	/* A long title (a case's name in a translation) ends in "…". */
	theme_put_fitted(t->wstatus, 0, 0, s, width, theme_attr(ROLE_STATUS));
	free(s);
	wnoutrefresh(t->wstatus);
	/* Cursor at the top of the view. */
	wnoutrefresh(w);
}

/* A full-screen scrolling view whose lines are rebuilt for each width. */
static void pager_run(struct tui *t, const char *title, bool plain,
    void (*build)(void *ctx, int width, struct dline **out, size_t *n), void *ctx, uint64_t case_id)
{
	struct dline *l = NULL;
	size_t n = 0;
	int top = 0, built_width = -1;
	WINDOW *w = NULL;

	while (!t->quit) {
		if (t->too_small) {
			tui_check_size(t);
		} else {
			int h = t->rows - 1, width = t->cols;
			if (!w) {
				w = newwin(h, width, 0, 0);
				keypad(w, FALSE);
			}
			if (built_width != width) {
				detail_lines_free(l, n);
				build(ctx, width, &l, &n);
				built_width = width;
			}
			pager_paint(t, w, title, plain, l, n, &top);
		}
		doupdate();
		int key;
		if (tui_read_key(t, &key) == ERR)
			continue;
		if (key == KF(KEY_RESIZE)) {
			tui_layout(t);
			if (w)
				delwin(w);
			w = NULL;
			built_width = -1;
			continue;
		}
		int h = t->rows - 1;
		switch (keys_action(KC_PAGER, key)) {
		case ACT_BACK:
		case ACT_QUIT:
			goto out;
		case ACT_UP:
			top--;
			break;
		case ACT_DOWN:
			top++;
			break;
		case ACT_PGUP:
			top -= h - 1;
			break;
		case ACT_PGDN:
			top += h - 1;
			break;
		case ACT_TOP:
			top = 0;
			break;
		case ACT_BOTTOM:
			top = (int)n;
			break;
		case ACT_PERSON:
			/* A case on the full screen opens its person, as from the list. */
			if (case_id) {
				tui_person_of_case(t, case_id);
				built_width = -1;
				if (w)
					touchwin(w);
			}
			break;
		case ACT_HELP:
		case ACT_MESSAGES:
			/* The help and the log open from any view, as the help says:
			 * the help from the log too, but nothing from the help and
			 * the log not from itself (one view over another at most). */
			if (build != help_build) {
				if (keys_action(KC_PAGER, key) == ACT_HELP)
					help_show(t);
				else if (build != messages_build)
					messages_show(t);
				if (w)
					touchwin(w);
			}
			break;
		default:
			break;
		}
	}
out:
	detail_lines_free(l, n);
	if (w)
		delwin(w);
	tui_touch(t);
}

static void push(struct dline **l, size_t *n, const char *text, int role)
{
	*l = xreallocarray(*l, *n + 1, sizeof **l);
	(*l)[*n].label = NULL;
	(*l)[*n].text = xstrdup(text);
	(*l)[*n].role = role;
	(*l)[*n].indented = false;
	(*n)++;
}

/* Pushes text wrapped to width; lines after the first start at column
 * indent (when that leaves room), so a wrapped help or message line hangs
 * under its own text. */
static void push_wrapped(struct dline **l, size_t *n, const char *text, int width, int indent,
    int role)
{
	size_t len = strlen(text), off = 0;
	struct buf b = {0};

	if (indent > width / 2)
		indent = 0;
	do {
		int room = off == 0 ? width : width - indent;
		size_t next,
		    k = text_wrap_next(text + off, len - off, (size_t)(room > 1 ? room : 1), &next);
		b.len = 0;
		for (int i = 0; off > 0 && i < indent; i++)
			buf_putc(&b, ' ');
		buf_put(&b, text + off, k);
		push(l, n, buf_cstr(&b), role);
		off += next;
	} while (off < len);
	buf_free(&b);
}

/* The column where a help line's text starts: after the key names and
 * the run of spaces (two or more) that ends them. */
static int help_indent(const char *line)
{
	/* An empty line has no key names (and nothing to search past line + 2). */
	if (line[0] != ' ' || line[1] == '\0')
		return 0;
	const char *gap = strstr(line + 2, "  ");
	if (!gap)
		return 0;
	while (*gap == ' ')
		gap++;
	char *keys = xstrndup(line, (size_t)(gap - line));
	int w = (int)text_width(keys);
	free(keys);
	return w;
}

static void help_build(void *ctx, int width, struct dline **out, size_t *n)
{
	struct strlist s = {0};

	(void)ctx;
	*out = NULL;
	*n = 0;
	push(out, n, _("casebook: keys"), ROLE_HEADER);
	keys_help(&s);
	for (size_t i = 0; i < s.n; i++) {
		bool head = s.items[i][0] && s.items[i][0] != ' ';
		push_wrapped(out, n, s.items[i], width, help_indent(s.items[i]),
		    head ? ROLE_HEADER : ROLE_NORMAL);
	}
	strlist_free(&s);
	push(out, n, "", ROLE_NORMAL);
	push_wrapped(out, n,
	    _("The filter line takes the syntax of casebook list, e.g. "
	      "city:Almaty injury:bruise,abrasion -status:closed date:2021-05"),
	    width, 0, ROLE_DIM);
}

void help_show(struct tui *t)
{
	/* What was on the screen comes back when the help closes, so a
	 * dialog or pick list under it (which redraws only what it changes)
	 * is whole again; after a resize the callers lay out anew. */
	WINDOW *under = dupwin(newscr);

	pager_run(t, _("Help"), true, help_build, NULL, 0);
	if (under && getmaxy(under) == LINES && getmaxx(under) == COLS) {
		touchwin(under);
		wnoutrefresh(under);
	}
	if (under)
		delwin(under);
}

static void messages_build(void *ctx, int width, struct dline **out, size_t *n)
{
	struct tui *t = ctx;

	*out = NULL;
	*n = 0;
	push(out, n, _("Messages of this session"), ROLE_HEADER);
	if (t->log.n == 0)
		push(out, n, _("No messages yet."), ROLE_DIM);
	for (size_t i = 0; i < t->log.n; i++) {
		char *m = text_sanitize(t->log.items[i], 0);
		/* Continuations hang under the text, after the time stamp. */
		const char *gap = strstr(m, "  ");
		int indent = 0;
		if (gap) {
			char *stamp = xstrndup(m, (size_t)(gap - m) + 2);
			indent = (int)text_width(stamp);
			free(stamp);
		}
		push_wrapped(out, n, m, width, indent, ROLE_NORMAL);
		free(m);
	}
}

void messages_show(struct tui *t)
{
	pager_run(t, _("Messages"), true, messages_build, t, 0);
}

static void full_build(void *ctx, int width, struct dline **out, size_t *n)
{
	struct tui *t = ctx;

	detail_load(t);
	detail_lines(&t->detail, &t->detail_others, width, out, n);
}

void detail_full(struct tui *t)
{
	char *title = xasprintf(_("Case %llu"), (unsigned long long)t->cur_id);

	pager_run(t, title, false, full_build, t, t->cur_id);
	free(title);
}

struct case_arg {
	struct case_record c;
	struct strlist others;
};

static void case_build(void *ctx, int width, struct dline **out, size_t *n)
{
	struct case_arg *a = ctx;

	detail_lines(&a->c, &a->others, width, out, n);
}

void detail_full_case(struct tui *t, uint64_t id)
{
	struct case_arg a = {0};
	struct cb_err err = {0};

	case_init(&a.c);
	if (store_get(t->st, id, &a.c, &err) != 0) {
		case_free(&a.c);
		tui_message(t, ROLE_ERROR, "%s", err.msg);
		return;
	}
	char *title = xasprintf(_("Case %llu"), (unsigned long long)id);
	pager_run(t, title, false, case_build, &a, id);
	free(title);
	case_free(&a.c);
}
