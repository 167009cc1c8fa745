/* form_draw.c — drawing the add/edit form, and the dialogs over it: the
 * form's key reader, its yes/no question and the pick lists. */
#include "tui.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "util.h"
#include "vocab_match.h"

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

/* A choice as the form shows it, "[ label ▾ ]", in at most width columns:
 * a label too long for them ends in "…" inside the brackets, so the mark
 * that says it opens a list stays in sight. */
static char *choice_text(const char *label, int width)
{
	struct buf b = {0};
	int inner = width - (int)text_width("[  ▾ ]");

	buf_puts(&b, "[ ");
	if (inner > 0 && text_width(label) > (size_t)inner)
		text_put_fitted(&b, label, (size_t)inner, false);
	else
		buf_puts(&b, label);
	buf_puts(&b, " ▾ ]");
	return buf_steal(&b);
}

/* The status line under the form: text, cut with "…" when it is wider
 * than the screen. */
static void form_status(struct form *f, const char *text, int role)
{
	struct tui *t = f->t;

	theme_put_fitted(t->wstatus, 0, 0, text, t->cols, theme_attr(role));
	wnoutrefresh(t->wstatus);
}

/* Adds to out prefix and then s, cut to width columns in all with "…"
 * at the end: the last line of a wrapped text that goes on. */
static void add_fitted(struct strlist *out, const char *prefix, const char *s, int width)
{
	struct buf b = {0};
	int room = width - (int)text_width(prefix);

	buf_puts(&b, prefix);
	if (room > 0)
		text_put_fitted(&b, s, (size_t)room, false);
	strlist_add(out, buf_cstr(&b));
	buf_free(&b);
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
		if (out->n == 3 && off + next < n) {
			/* More than four lines: the fourth ends in "…". */
			add_fitted(out, "", clean + off, width);
			break;
		}
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
		if (out->n == ERR_ROWS - 1 && next > 0 && off + next < len) {
			/* More than ERR_ROWS lines: the last ends in "…". */
			add_fitted(out, "  ", clean + off, width + 2);
			break;
		}
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

/* The notes as one line: their first line, then how many there are. */
static char *notes_line(const char *first, size_t lines)
{
	return xasprintf(ngettext("%s … (%zu line; Enter: edit in $EDITOR)",
	                     "%s … (%zu lines; Enter: edit in $EDITOR)", lines),
	    first, lines);
}

/* The first line of the notes and their count, in at most width columns:
 * a first line too long for them ends in "…", the count stays whole. */
static char *notes_value(const struct form *f, int width)
{
	char *s = wline_utf8(&f->text[FIELD_NOTES]);
	size_t lines = 1;
	for (char *p = s; *p; p++)
		lines += *p == '\n';
	char *first = xstrndup(s, strcspn(s, "\n"));
	char *clean = text_sanitize(first, 0);
	char *rest = notes_line("", lines);
	int room = width - (int)text_width(rest);
	if (room > 0 && text_width(clean) > (size_t)room) {
		struct buf b = {0};
		text_put_fitted(&b, clean, (size_t)room, false);
		free(clean);
		clean = buf_steal(&b);
	}
	char *v = notes_line(clean, lines);
	free(rest);
	free(clean);
	free(first);
	free(s);
	return v;
}

/* What form_item_value promises, in at most width columns where a part
 * can be cut inside (a choice's label, the notes' first line). */
static char *item_value(const struct form *f, const struct fitem *it, int width)
{
	const struct flist *fl = &f->lists[it->list];

	switch (it->kind) {
	case FK_NOTES:
		return notes_value(f, width);
	case FK_VOCAB:
		return choice_text(vocab_label(case_fields[it->field].vocab, f->vocab[it->field]),
		    width);
	case FK_TYPE:
		return choice_text(vocab_label(fl->d->parts[0].vocab,
		                       *form_part_int(fl, it->idx, 0)),
		    width);
	case FK_YESNO:
		return choice_text(_(form_exam_labels[form_exam_choice(
		                       *form_part_int(fl, it->idx, it->part))]),
		    width);
	case FK_ADD:
		return xstrdup(it->list == 0 ? _("[ + add a measure (Enter) ]")
		                             : _("[ + add an injury (Enter) ]"));
	default:
		return NULL;
	}
}

/* The text shown for an item that is not edited in place: a choice, an
 * add row, or notes of several lines (their first line and a count).
 * Malloc'd; NULL for none. */
char *form_item_value(const struct form *f, const struct fitem *it)
{
	return item_value(f, it, INT_MAX);
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

	attr_t la = theme_attr(cur ? ROLE_SELECTED : ROLE_LABEL);
	/* A label too long for its column ends in "…" a column before the value. */
	theme_put_fitted(w, row, 0, label, LABEL_W - 1, la);
	tui_put(w, row, LABEL_W - 1, "", 1, la);
	free(label);
	struct wline *l = form_item_line(f, it);
	attr_t va = theme_attr(cur ? ROLE_INPUT : ROLE_NORMAL);
	bool in_place = l && !(it->kind == FK_NOTES && form_has_newline(l));
	if (in_place && cur) {
		wline_draw(w, row, LABEL_W, vw, l, va);
		getyx(w, *cur_y, *cur_x);
	} else if (in_place) {
		/* Another field shows its start, ending in "…" when longer
		 * than its column (the one edited scrolls to its cursor). */
		char *s = wline_utf8(l);
		char *clean = text_sanitize(s, 0);
		theme_put_fitted(w, row, LABEL_W, clean, vw, va);
		free(clean);
		free(s);
	} else {
		char *v = item_value(f, it, vw);
		theme_put_fitted(w, row, LABEL_W, v, vw, va);
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
	theme_put_fitted(w, 0, 0, title, width, theme_attr(ROLE_HEADER));
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
	/* The key hints; on a narrow screen the ones to save and leave, and
	 * the key that lists the rest. */
	const char *hints =
	    _("^S save · Esc cancel · Enter choose · ^X remove · ^E notes in editor · ? keys");
	if (text_width(hints) > (size_t)width)
		hints = _("^S save · Esc cancel · ? keys");
	form_status(f, hints, ROLE_STATUS);
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

/* True when entry i of chooser c fits typed text: a vocabulary term by
 * any of its names (vocab_match.h), an exam answer by its label as shown
 * or in English. */
bool form_choice_fits(const struct form_choice *c, int i, const char *typed)
{
	if (c->v)
		return vocab_match_fits(c->v, i, typed);
	return vocab_match_name_fits(c->labels[i], typed) ||
	    (c->names && vocab_match_name_fits(c->names[i], typed));
}

/* What entry i of c means, for the status line: a term's whole label, its
 * key (what filters and CSV use) and its HURIDOCS ESF code when it has
 * one; an exam answer's label. Malloc'd. */
static char *choice_meaning(const struct form_choice *c, int i)
{
	if (!c->v)
		return xstrdup(c->labels[i]);
	const struct vocab_term *term = &c->v->terms[i];
	if (term->esf)
		return xasprintf(_("%s (%s) · HURIDOCS ESF %s"), vocab_label(c->v, i), term->key,
		    term->esf);
	return xasprintf("%s (%s)", vocab_label(c->v, i), term->key);
}

/* The entries of c that fit typed (all of them when typed is empty) into
 * vis; returns how many. */
static int choice_visible(const struct form_choice *c, const char *typed, int *vis)
{
	int n = 0;

	for (int i = 0; i < c->n; i++)
		if (!typed[0] || form_choice_fits(c, i, typed))
			vis[n++] = i;
	return n;
}

/* Draws chooser c over the form: its entries that fit what was typed, the
 * one at row cur selected, and on the status line what it means (or msg,
 * when a key was refused). */
static WINDOW *choice_paint(struct form *f, WINDOW *pw, const struct form_choice *c,
    const char *typed, const int *vis, int nvis, int cur, int *top, const char *msg)
{
	const char **labels = xreallocarray(NULL, (size_t)nvis + 1, sizeof *labels);
	for (int i = 0; i < nvis; i++)
		labels[i] = c->labels[vis[i]];
	char *title = typed[0] ? xasprintf("%s: %s", c->title, typed) : xstrdup(c->title);
	/* Room for the title inside a whole top border: "┌─ title ─┐". */
	int widest = 0, pad = 6;
	for (int i = 0; i < nvis; i++)
		if ((int)text_width(labels[i]) > widest)
			widest = (int)text_width(labels[i]);
	if (widest + pad < (int)text_width(title) + 6)
		pad = (int)text_width(title) + 6 - widest;
	if (form_paint(f)) {
		pw = tui_pick_paint(f->t, pw, title, labels, nvis, cur, top, pad);
		char *m = msg[0] ? xstrdup(msg) : choice_meaning(c, vis[cur]);
		form_status(f, m, msg[0] ? ROLE_ERROR : ROLE_STATUS);
		free(m);
		wnoutrefresh(pw); /* the hardware cursor back on the selected row */
	}
	free(title);
	free(labels);
	return pw;
}

/* Adds key to typed when some entry still fits; otherwise says so in msg. */
static void choice_type(const struct form_choice *c, struct wline *typed, int key, char *msg,
    size_t msgsz)
{
	if (!wline_key(typed, key))
		return;
	char *s = wline_utf8(typed);
	bool any = false;
	for (int i = 0; i < c->n && !any; i++)
		any = form_choice_fits(c, i, s);
	if (!any) {
		char *clean = text_sanitize(s, 0);
		snprintf(msg, msgsz, _("Nothing here starts with \"%s\" (Backspace takes it back)"),
		    clean);
		free(clean);
		wline_key(typed, 127);
	}
	free(s);
}

/* A chooser over the form: returns the chosen entry's index or -1. Letters
 * (any script) narrow it to the entries they start a word of; Backspace
 * widens it again; arrows, PgUp/PgDn, Home/End move; Enter (or Space
 * before anything is typed) chooses; Esc cancels. */
int form_pick(struct form *f, const struct form_choice *c)
{
	WINDOW *pw = NULL;
	struct wline typed = {0};
	int *vis = xreallocarray(NULL, (size_t)c->n + 1, sizeof *vis);
	int top = 0, sel = c->cur >= 0 && c->cur < c->n ? c->cur : 0, result = -1;
	char msg[300] = "";

	wline_set(&typed, str_or_empty(c->typed));
	while (c->n > 0) {
		char *s = wline_utf8(&typed);
		int nvis = choice_visible(c, s, vis), row = 0;
		free(s);
		if (nvis == 0) { /* typed text that fits nothing: start over */
			wline_set(&typed, "");
			continue;
		}
		/* The highlighted entry stays when it still fits, else the first. */
		for (int i = 0; i < nvis; i++)
			if (vis[i] == sel)
				row = i;
		sel = vis[row];
		s = wline_utf8(&typed);
		pw = choice_paint(f, pw, c, s, vis, nvis, row, &top, msg);
		free(s);
		msg[0] = '\0';
		int key, m = tui_modal_key(f->t, &key);
		if (m == MODAL_QUIT)
			break;
		if (m == MODAL_AGAIN)
			continue;
		if (key == 27)
			break;
		if (key == '\r' || key == '\n' || key == KF(KEY_ENTER) ||
		    (key == ' ' && typed.len == 0)) {
			result = sel;
			break;
		}
		if (key == KF(KEY_UP) || key == KF(KEY_DOWN)) {
			int d = key == KF(KEY_UP) ? -1 : 1;
			if (row + d >= 0 && row + d < nvis)
				sel = vis[row + d];
		} else if (key == KF(KEY_HOME) || key == KF(KEY_PPAGE)) {
			sel = vis[key == KF(KEY_HOME) || row < 10 ? 0 : row - 10];
		} else if (key == KF(KEY_END) || key == KF(KEY_NPAGE)) {
			sel = vis[key == KF(KEY_END) || row + 10 >= nvis ? nvis - 1 : row + 10];
		} else if (key == KF(KEY_BACKSPACE) || key == 127 || key == 8 ||
		    (!(key & 0x40000000) && key >= 0x20 && iswprint((wint_t)key))) {
			choice_type(c, &typed, key, msg, sizeof msg);
		} else {
			snprintf(msg, sizeof msg, "%s",
			    _("Type the start of a term, ↑↓ to move, Enter to choose, Esc to "
			      "cancel"));
		}
	}
	free(typed.s);
	free(vis);
	if (pw)
		delwin(pw);
	if (f->w)
		touchwin(f->w);
	return result;
}

/* A chooser of vocabulary v's terms, each shown by its label in the
 * interface language, opened with typed (NULL: nothing) as type-ahead. */
int form_pick_vocab(struct form *f, const struct vocab *v, int cur, const char *typed)
{
	const char **labels = xreallocarray(NULL, (size_t)v->count, sizeof *labels);

	for (int i = 0; i < v->count; i++)
		labels[i] = vocab_label(v, i);
	char *title = xasprintf(_("Choose %s"), _(v->name));
	struct form_choice c = {title, v, labels, NULL, v->count, cur, typed};
	int r = form_pick(f, &c);
	free(title);
	free(labels);
	return r;
}
