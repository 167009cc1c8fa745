/* form_draw.c — drawing the add/edit form, and the dialogs over it: the
 * form's key reader, its yes/no question and the pick lists. */
#include "tui.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Translates a part label, which may carry a gettext context before a
 * \004 (case_items.c marks the parts of a measure so: "fine" there is the
 * amount of a fine, not the measure of that name); untranslated, the text
 * after the context. */
static const char *ctx_text(const char *s)
{
	const char *t = gettext(s), *p;

	if (t != s)
		return t;
	p = strchr(s, '\004');
	return p ? p + 1 : s;
}

/* ---- Drawing ------------------------------------------------------------- */

#define LABEL_W 18

static char *item_label(const struct form *f, const struct fitem *it)
{
	switch (it->kind) {
	case FK_TEXT:
	case FK_VOCAB:
	case FK_NOTES:
		return xstrdup(_(case_fields[it->field].label));
	case FK_TYPE:
		return xasprintf(it->list == 0 ? _("Measure %zu") : _("Injury %zu"), it->idx + 1);
	case FK_PART:
	case FK_YESNO:
		return xasprintf("  %s", ctx_text(f->lists[it->list].d->parts[it->part].label));
	case FK_ADD:
		return xstrdup(_(case_fields[f->lists[it->list].field].label));
	}
	return xstrdup("");
}

static char *choice_text(const struct vocab *v, int i)
{
	return xasprintf("[ %s ▾ ]", vocab_label(v, i));
}

static void form_status(struct form *f, const char *text, int role)
{
	struct tui *t = f->t;

	tui_put(t->wstatus, 0, 0, text, t->cols, theme_attr(role));
	wnoutrefresh(t->wstatus);
}

/* A long message (a conflict says who and when) wrapped for width
 * columns, at most four lines: they go over the bottom rows of the form,
 * and the status line keeps the key hints. */
static void message_lines(const struct form *f, int width, struct strlist *out)
{
	if (!f->msg[0])
		return;
	char *clean = text_sanitize(f->msg, 0);
	size_t n = strlen(clean), off = 0;
	while (off < n && out->n < 4) {
		size_t next, len = text_wrap_next(clean + off, n - off, (size_t)width, &next);
		char *piece = xstrndup(clean + off, len);
		strlist_add(out, piece);
		free(piece);
		off += next;
	}
	free(clean);
}

/* Rows an item's message may take under it. */
#define ERR_ROWS 3

/* The message under item it, wrapped for width columns into out (at most
 * ERR_ROWS lines; the first starts with "↳ "). The field's own name that
 * the setter puts first ("date: ...") is left out: the message stands
 * under the field's label. */
static void item_err_lines(const struct form *f, const struct fitem *it, int width,
    struct strlist *out)
{
	char **e = form_item_err((struct form *)f, it);
	if (!e || !*e || width < 4)
		return;
	const char *msg = *e;
	if (it->kind == FK_TEXT || it->kind == FK_NOTES) {
		const char *name = case_fields[it->field].name;
		size_t n = strlen(name);
		if (strncmp(msg, name, n) == 0 && strncmp(msg + n, ": ", 2) == 0)
			msg += n + 2;
	}
	char *m = xasprintf("↳ %s", msg);
	char *clean = text_sanitize(m, 0);
	size_t len = strlen(clean), off = 0;
	while (off < len && out->n < ERR_ROWS) {
		size_t next, piece = text_wrap_next(clean + off, len - off, (size_t)width, &next);
		char *s = xasprintf("%s%.*s", out->n ? "  " : "", (int)piece, clean + off);
		strlist_add(out, s);
		free(s);
		if (next == 0)
			break;
		off += next;
	}
	free(clean);
	free(m);
}

/* The first row of each item (each is one row, plus the rows of its
 * error message), with one more entry for the end; scrolls f->top so
 * the current item shows in body rows. Malloc'd. */
static int *item_rows(struct form *f, int body)
{
	int *ys = xreallocarray(NULL, f->nitems + 1, sizeof *ys);
	int y = 0, vw = getmaxx(f->w) - LABEL_W - 1;

	for (size_t i = 0; i < f->nitems; i++) {
		struct strlist el = {0};
		ys[i] = y;
		item_err_lines(f, &f->items[i], vw - 2, &el);
		y += 1 + (int)el.n;
		strlist_free(&el);
	}
	ys[f->nitems] = y;
	int cy0 = ys[f->cur], cy1 = ys[f->cur + 1];
	if (cy0 < f->top)
		f->top = cy0;
	if (cy1 > f->top + body)
		f->top = cy1 - body;
	if (f->top < 0)
		f->top = 0;
	return ys;
}

/* The text shown for an item that is not edited in place: a choice, an
 * add row, or notes of several lines (their first line and a count).
 * Malloc'd; NULL for none. */
char *form_item_value(const struct form *f, const struct fitem *it)
{
	const struct wline *l = it->kind == FK_NOTES ? &f->text[FIELD_NOTES] : NULL;
	const struct flist *fl = &f->lists[it->list];

	if (it->kind == FK_NOTES) {
		char *s = wline_utf8(l);
		size_t lines = 1;
		for (char *p = s; *p; p++)
			lines += *p == '\n';
		char *first = xstrndup(s, strcspn(s, "\n"));
		char *clean = text_sanitize(first, 0);
		char *v = xasprintf(ngettext("%s … (%zu line; Enter: edit in $EDITOR)",
		                        "%s … (%zu lines; Enter: edit in $EDITOR)", lines),
		    clean, lines);
		free(clean);
		free(first);
		free(s);
		return v;
	}
	switch (it->kind) {
	case FK_VOCAB:
		return choice_text(case_fields[it->field].vocab, f->vocab[it->field]);
	case FK_TYPE:
		return choice_text(fl->d->parts[0].vocab, *form_part_int(fl, it->idx, 0));
	case FK_YESNO:
		return xasprintf("[ %s ▾ ]",
		    _(form_exam_labels[form_exam_choice(*form_part_int(fl, it->idx, it->part))]));
	case FK_ADD:
		return xstrdup(it->list == 0 ? _("[ + add a measure (Enter) ]")
		                             : _("[ + add an injury (Enter) ]"));
	}
	return NULL;
}

/* Draws item i at row (its error message, if any, on the row below when
 * that is within body); for the current item, sets where the cursor goes. */
static void paint_item(struct form *f, size_t i, int row, int body, int *cur_y, int *cur_x)
{
	WINDOW *w = f->w;
	int vw = getmaxx(w) - LABEL_W - 1;
	const struct fitem *it = &f->items[i];
	bool cur = (int)i == f->cur;
	char *label = item_label(f, it);

	tui_put(w, row, 0, label, LABEL_W, theme_attr(cur ? ROLE_SELECTED : ROLE_LABEL));
	free(label);
	struct wline *l = form_item_line(f, it);
	attr_t va = theme_attr(cur ? ROLE_INPUT : ROLE_NORMAL);
	bool in_place = l && !(it->kind == FK_NOTES && form_has_newline(l));
	if (in_place) {
		wline_draw(w, row, LABEL_W, vw, l, va);
		if (cur)
			getyx(w, *cur_y, *cur_x);
	} else {
		char *v = form_item_value(f, it);
		tui_put(w, row, LABEL_W, v ? v : "", vw, va);
		free(v);
		if (cur) {
			*cur_y = row;
			*cur_x = LABEL_W;
		}
	}
	struct strlist el = {0};
	item_err_lines(f, it, vw - 2, &el);
	for (size_t k = 0; k < el.n && row + 1 + (int)k <= body; k++)
		tui_put(w, row + 1 + (int)k, LABEL_W, el.items[k], vw, theme_attr(ROLE_ERROR));
	strlist_free(&el);
}

/* Draws the form; returns false when the terminal is too small. */
static bool form_paint(struct form *f)
{
	struct tui *t = f->t;

	if (tui_check_size(t))
		return false;
	int h = t->rows - 1, width = t->cols;
	if (!f->w || getmaxy(f->w) != h || getmaxx(f->w) != width) {
		if (f->w)
			delwin(f->w);
		f->w = newwin(h, width, 0, 0);
	}
	WINDOW *w = f->w;
	char *title = f->id
	    ? xasprintf(_("Edit case %llu (rev %u)"), (unsigned long long)f->id, (unsigned)f->rev)
	    : xstrdup(_("Add a case"));
	tui_put(w, 0, 0, title, width, theme_attr(ROLE_HEADER));
	free(title);

	struct strlist mlines = {0};
	message_lines(f, width, &mlines);
	int body = h - 1 - (int)mlines.n;
	if (body < 1)
		body = 1;
	int *ys = item_rows(f, body);
	int cur_y = 1, cur_x = LABEL_W;
	for (int r = 0; r < body; r++)
		tui_put(w, r + 1, 0, "", width, theme_attr(ROLE_NORMAL));
	for (size_t i = 0; i < f->nitems; i++) {
		int row = ys[i] - f->top + 1;
		if (row >= 1 && row <= body)
			paint_item(f, i, row, body, &cur_y, &cur_x);
	}
	free(ys);

	for (size_t i = 0; i < mlines.n; i++)
		tui_put(w, body + 1 + (int)i, 0, mlines.items[i], width,
		    theme_attr(f->msg_role == ROLE_ERROR ? ROLE_MESSAGE : ROLE_STATUS));
	strlist_free(&mlines);
	form_status(f,
	    _("^S save · Esc cancel · Space choose · ^X remove · ^E notes in editor · ? keys"),
	    ROLE_STATUS);
	wmove(w, cur_y, cur_x);
	wnoutrefresh(w);
	return true;
}

/* ---- Dialogs over the form ------------------------------------------------ */

int form_key(struct form *f, int *key)
{
	for (;;) {
		form_paint(f);
		/* The screen first, then (at most every few seconds, while no key
		 * waits) the draft: typing never waits for it. */
		doupdate();
		form_draft_tick(f, false);
		int m = tui_modal_key(f->t, key);
		if (m == MODAL_KEY)
			return OK;
		if (m == MODAL_QUIT && tui_quit_signal() == SIGINT) {
			/* Ctrl-C asks, as Esc does, instead of quitting. */
			tui_quit_clear();
			f->t->quit = false;
			*key = 27;
			return OK;
		}
		if (m == MODAL_QUIT)
			return ERR;
	}
}

void form_repaint(void *form)
{
	form_paint(form);
}

/* A pick list over the form: returns the chosen index or -1. */
int form_pick(struct form *f, const char *title, const char *const *labels, int n, int cur)
{
	struct tui *t = f->t;
	WINDOW *pw = NULL;
	int top = 0, result = -1;

	if (cur < 0 || cur >= n)
		cur = 0;
	for (;;) {
		if (form_paint(f))
			pw = tui_pick_paint(t, pw, title, labels, n, cur, &top, 6);
		int key, m = tui_modal_key(t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		int a = keys_action(KC_GLOBAL, key);
		if (a == ACT_BACK)
			break;
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER) || key == ' ') {
			result = cur;
			break;
		}
		if (a == ACT_UP && cur > 0)
			cur--;
		else if (a == ACT_DOWN && cur < n - 1)
			cur++;
		else if (a == ACT_TOP)
			cur = 0;
		else if (a == ACT_BOTTOM)
			cur = n - 1;
		else if (a == ACT_PGDN)
			cur = cur + 10 < n ? cur + 10 : n - 1;
		else if (a == ACT_PGUP)
			cur = cur > 10 ? cur - 10 : 0;
	}
	if (pw)
		delwin(pw);
	if (f->w)
		touchwin(f->w);
	return result;
}

int form_pick_vocab(struct form *f, const struct vocab *v, int cur)
{
	const char **labels = xreallocarray(NULL, (size_t)v->count, sizeof *labels);
	char **owned = xreallocarray(NULL, (size_t)v->count, sizeof *owned);

	for (int i = 0; i < v->count; i++) {
		/* The key is what filters and CSV use; show it when the label
		 * does not already say it. */
		if (strcmp(vocab_label(v, i), vocab_key(v, i)) == 0)
			owned[i] = xstrdup(vocab_label(v, i));
		else
			owned[i] = xasprintf("%s (%s)", vocab_label(v, i), vocab_key(v, i));
		labels[i] = owned[i];
	}
	char *title = xasprintf(_("Choose %s"), _(v->name));
	int r = form_pick(f, title, labels, v->count, cur);
	free(title);
	for (int i = 0; i < v->count; i++)
		free(owned[i]);
	free(owned);
	free(labels);
	return r;
}
