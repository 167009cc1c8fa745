/* detail.c — the detail pane: every field of the selected case, measures as
 * a small table, injuries, notes wrapped by display width. The same lines
 * feed the full-screen view (Enter). */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

struct lines {
	struct dline *l;
	size_t n, cap;
	size_t first; /* lines before it are counted, left empty */
	size_t max;   /* stop after this many lines */
	int width, lw;
};

static void push(struct lines *L, const char *label, const char *text, int role)
{
	if (L->n == L->cap) {
		L->cap = L->cap * 2 + 16;
		L->l = xreallocarray(L->l, L->cap, sizeof *L->l);
	}
	bool keep = L->n >= L->first;
	L->l[L->n].label = keep && label ? xstrdup(label) : NULL;
	L->l[L->n].text = keep ? xstrdup(text) : NULL;
	L->l[L->n].role = role;
	L->n++;
}

/* Appends raw text (may hold '\n') wrapped to the value column, each line
 * sanitized as it is made; stops at L->max lines, so a case with megabytes
 * of notes costs only the lines shown. */
static void wrapped(struct lines *L, const char *label, const char *raw, int role)
{
	size_t ww = L->width - L->lw >= 8 ? (size_t)(L->width - L->lw) : 8;
	size_t n = strlen(raw), off = 0;
	struct buf piece = {0};

	do {
		size_t next, len = text_wrap_next(raw + off, n - off, ww, &next);
		piece.len = 0;
		if (L->n >= L->first) /* a line above the pane is only counted */
			text_sanitize_put(&piece, raw + off, len, 1);
		buf_cstr(&piece);
		for (size_t i = 0; i < piece.len; i++)
			if (piece.p[i] == '\t')
				piece.p[i] = ' ';
		push(L, off == 0 ? label : NULL, (const char *)piece.p, role);
		off += next;
	} while (off < n && L->n < L->max);
	buf_free(&piece);
}

static void field(struct lines *L, int f, const char *value)
{
	if (str_empty(value))
		return;
	wrapped(L, _(case_fields[f].label), value, ROLE_NORMAL);
}

static void list_field(struct lines *L, int f, const struct strlist *l)
{
	if (l->n == 0)
		return;
	struct buf b = {0};
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s%s", i ? "; " : "", l->items[i]);
	field(L, f, buf_cstr(&b));
	buf_free(&b);
}

/* Pads s with spaces to w columns (clipping when longer). */
static void cell(struct buf *b, const char *s, int w)
{
	size_t used;
	size_t nb = text_fit(s, (size_t)w, &used);
	buf_put(b, s, nb);
	for (; used < (size_t)w; used++)
		buf_putc(b, ' ');
	buf_putc(b, ' ');
}

static void measures_table(struct lines *L, const struct case_record *c)
{
	char d[16];

	if (c->n_measures == 0)
		return;
	/* The column heads share the label's line: one more row of data. */
	struct buf b = {0};
	cell(&b, _("Type"), 22);
	cell(&b, _("Days"), 4);
	cell(&b, _("Date"), 10);
	cell(&b, _("Fine"), 10);
	buf_puts(&b, _("Article, court"));
	push(L, _(case_fields[FIELD_MEASURES].label), buf_cstr(&b), ROLE_LABEL);
	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		char days[16] = "";
		if (m->days >= 0)
			snprintf(days, sizeof days, "%d", (int)m->days);
		char *fine = text_sanitize(m->fine, 0), *art = text_sanitize(m->article, 0);
		char *court = text_sanitize(m->court, 0);
		b.len = 0;
		cell(&b, vocab_label(&vocab_measure, m->type), 22);
		cell(&b, days, 4);
		cell(&b, pdate_format(m->date, d), 10);
		cell(&b, fine, 10);
		buf_printf(&b, "%s%s%s", art, *art && *court ? ", " : "", court);
		push(L, NULL, buf_cstr(&b), ROLE_NORMAL);
		free(fine);
		free(art);
		free(court);
	}
	buf_free(&b);
}

static void injuries_list(struct lines *L, const struct case_record *c)
{
	for (size_t i = 0; i < c->n_injuries; i++) {
		const struct injury *in = &c->injuries[i];
		struct buf b = {0};
		buf_puts(&b, vocab_label(&vocab_injury, in->type));
		if (!str_empty(in->body))
			buf_printf(&b, " — %s", in->body);
		if (!str_empty(in->note))
			buf_printf(&b, " — %s", in->note);
		if (in->exam >= 0)
			buf_printf(&b, " (%s)", in->exam ? _("examined") : _("no exam"));
		wrapped(L, i == 0 ? _(case_fields[FIELD_INJURIES].label) : "", buf_cstr(&b),
		    ROLE_NORMAL);
		buf_free(&b);
	}
}

/* The label column: the widest translated label and a space, but never
 * more than half of the pane. */
static int label_width(int width)
{
	/* Measured once: it is asked for every line drawn, and the
	 * translations do not change while the program runs. */
	static int w;

	if (!w) {
		w = (int)text_width(_("Updated"));
		for (int f = 0; f < FIELD__COUNT; f++) {
			int lw = (int)text_width(_(case_fields[f].label));
			if (lw > w)
				w = lw;
		}
		w += 2;
	}
	return w > width / 2 ? width / 2 : w;
}

void detail_lines(const struct case_record *c, int width, struct dline **out, size_t *n)
{
	detail_lines_upto(c, width, 0, SIZE_MAX, out, n);
}

void detail_lines_upto(
    const struct case_record *c, int width, size_t first, size_t max, struct dline **out, size_t *n)
{
	struct lines L = {0};
	char d[16], num[32];

	L.first = first;
	L.max = max;
	L.width = width;
	L.lw = label_width(width);
	char *name = text_sanitize(case_display_name(c), 0);
	push(&L, NULL, name, ROLE_HEADER);
	free(name);
	if (!str_empty(c->name))
		field(&L, FIELD_NAME_LATIN, c->name_latin);
	/* One-line facts first, lists (measures, injuries, sources) after
	 * them: moving through the list then leaves each fact on its row,
	 * so the eye (and the terminal) sees only the values change. */
	field(&L, FIELD_EVENT, c->event);
	field(&L, FIELD_DATE, pdate_format(c->date, d));
	field(&L, FIELD_CITY, c->city);
	field(&L, FIELD_REGION, c->region);
	field(&L, FIELD_STATUS, vocab_label(&vocab_status, c->status));
	field(&L, FIELD_VERIFICATION, vocab_label(&vocab_verification, c->verification));
	field(&L, FIELD_LAWYER, c->lawyer);
	field(&L, FIELD_HEARING, pdate_format(c->hearing, d));
	field(&L, FIELD_CONFIDENTIALITY, vocab_label(&vocab_confidentiality, c->confidentiality));
	field(&L, FIELD_SEX, c->sex == SEX_UNKNOWN ? "" : vocab_label(&vocab_sex, c->sex));
	if (c->birth_year) {
		snprintf(num, sizeof num, "%d", c->birth_year);
		field(&L, FIELD_BIRTH_YEAR, num);
	}
	list_field(&L, FIELD_ALIASES, &c->aliases);
	list_field(&L, FIELD_AFFILIATION, &c->affiliation);
	measures_table(&L, c);
	injuries_list(&L, c);
	for (size_t i = 0; i < c->sources.n; i++)
		wrapped(&L, i == 0 ? _(case_fields[FIELD_SOURCES].label) : "", c->sources.items[i],
		    ROLE_NORMAL);
	if (!str_empty(c->notes))
		wrapped(&L, _(case_fields[FIELD_NOTES].label), c->notes, ROLE_NORMAL);
	char when[TEXT_TIME_MAX];
	if (c->updated)
		text_time(when, c->updated, TEXT_TIME_LOCAL);
	else
		snprintf(when, sizeof when, "-");
	char *by = text_sanitize(c->updated_by, 0);
	/* The case number is in the pane's title; here it would only change
	 * on every move. */
	char *upd = xasprintf(_("rev %u, %s by %s"), (unsigned)c->rev, when, by);
	wrapped(&L, _("Updated"), upd, ROLE_DIM);
	free(upd);
	free(by);
	*out = L.l;
	*n = L.n;
	(void)L.cap;
}

void detail_lines_free(struct dline *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].label);
		free(l[i].text);
	}
	free(l);
}

void detail_draw_line(WINDOW *w, int y, int x, const struct dline *l, int width)
{
	int lw = label_width(width);

	if (l->role == ROLE_HEADER) {
		tui_put(w, y, x, l->text, width, theme_attr(ROLE_HEADER));
		return;
	}
	tui_put(w, y, x, l->label ? l->label : "", lw, theme_attr(ROLE_LABEL));
	tui_put(w, y, x + lw, l->text, width - lw, theme_attr(l->role));
}

void detail_load(struct tui *t)
{
	struct cb_err err = {0};

	if (t->detail_id == t->cur_id)
		return;
	case_free(&t->detail);
	case_init(&t->detail);
	t->detail_id = t->cur_id;
	if (t->cur_id && store_get(t->st, t->cur_id, &t->detail, &err)) {
		case_free(&t->detail);
		case_init(&t->detail);
		t->detail_id = 0;
		/* Say why the pane is empty (a damaged record: casebook check). */
		if (err.code != CB_ENOTFOUND)
			tui_message(t, ROLE_ERROR, "%s", err.msg);
	}
}

void detail_draw(struct tui *t)
{
	WINDOW *w = t->wdetail;
	int h = getmaxy(w), width = getmaxx(w), x = 0;
	struct dline *l = NULL;
	size_t n = 0;

	if (t->wide) {
		/* A rule on the left separates it from the list. */
		wattrset(w, (int)theme_attr(ROLE_BORDER));
		mvwvline(w, 0, 0, ACS_VLINE, h);
		wattrset(w, A_NORMAL);
		x = 2;
	}
	int cw = width - x;
	/* Header row: a separator that names the pane. */
	char *title = t->detail_id ? xasprintf(_(" Case %llu "), (unsigned long long)t->detail_id)
				   : xstrdup(_(" No case selected "));
	attr_t ha = theme_attr(t->focus == PANE_DETAIL ? ROLE_SELECTED : ROLE_BORDER);
	wattrset(w, (int)ha);
	mvwhline(w, 0, x, ACS_HLINE, cw);
	tui_put(w, 0, x + 1, title, (int)text_width(title), ha);
	free(title);
	int rows = h - 1;
	/* Only the lines up to the bottom of the pane are made: when fewer
	 * come back, that is all there is, and the scroll stops at the end. */
	size_t want = (size_t)t->detail_scroll + (size_t)(rows > 0 ? rows : 0);
	if (t->detail_id)
		detail_lines_upto(&t->detail, cw, (size_t)t->detail_scroll, want, &l, &n);
	if (n < want && t->detail_scroll > (int)n - rows) {
		int old = t->detail_scroll;
		t->detail_scroll = (int)n - rows > 0 ? (int)n - rows : 0;
		/* Past the end: the last rows are shown, made again when they
		 * were above the old position (those were only counted). */
		if (t->detail_id && t->detail_scroll < old) {
			detail_lines_free(l, n);
			detail_lines_upto(&t->detail, cw, (size_t)t->detail_scroll, want, &l, &n);
		}
	}
	for (int y = 0; y < rows; y++) {
		size_t i = (size_t)(y + t->detail_scroll);
		if (i < n)
			detail_draw_line(w, y + 1, x, &l[i], cw);
		else
			tui_put(w, y + 1, x, "", cw, theme_attr(ROLE_NORMAL));
	}
	detail_lines_free(l, n);
	wnoutrefresh(w);
}
