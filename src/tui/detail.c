/* detail.c — the detail pane: every field of the selected case, measures as
 * a small table, injuries, notes wrapped by display width. The same lines
 * feed the full-screen view (Enter). */
#include "tui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datefmt.h"
#include "display.h"
#include "person_view.h"
#include "util.h"

struct lines {
	struct dline *l;
	size_t n, cap;
	size_t first; /* lines before it are counted, left empty */
	size_t max; /* stop after this many lines */
	int width, lw;
	bool indented; /* lines pushed now are indented table rows */
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
	L->l[L->n].indented = L->indented;
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

/* ---- Tables ---------------------------------------------------------------
 * Measures and injuries are tables whose cells wrap inside their column: a
 * row takes as many lines as its tallest cell, so no value is ever cut. */

#define TABLE_MAXCOLS 6

struct table {
	int ncols;
	const char *head[TABLE_MAXCOLS];
	char **cell; /* nrows * ncols sanitized cells, row by row */
	size_t nrows;
	int w[TABLE_MAXCOLS]; /* column widths, 0: column left out (empty) */
};

/* A cell made safe to show, its newlines kept for the wrap and its tabs
 * shown as spaces. */
static char *table_cell(const char *raw)
{
	char *s = text_sanitize(str_or_empty(raw), 1);

	for (char *p = s; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return s;
}

/* Column widths for room columns: a column whose longest value fits in an
 * even share of what is left gets its natural width; the columns left
 * share the rest equally. Columns with no value at all are left out
 * (except the first, which names the row). */
static void table_widths(struct table *T, int room)
{
	int nat[TABLE_MAXCOLS], shown = 0;
	bool fixed[TABLE_MAXCOLS] = {0};

	for (int c = 0; c < T->ncols; c++) {
		nat[c] = 0;
		for (size_t r = 0; r < T->nrows; r++) {
			int cw = (int)text_width(T->cell[r * (size_t)T->ncols + (size_t)c]);
			nat[c] = cw > nat[c] ? cw : nat[c];
		}
		T->w[c] = 0;
		if (nat[c] == 0 && c > 0) {
			fixed[c] = true;
			continue;
		}
		int hw = (int)text_width(T->head[c]);
		nat[c] = hw > nat[c] ? hw : nat[c];
		shown++;
	}
	int left = room - (shown - 1); /* one space between columns */
	/* Short values (days, dates, a word) are never broken while the
	 * short columns together take at most half of the room. */
	int shorts = 0;
	for (int c = 0; c < T->ncols; c++)
		if (!fixed[c] && nat[c] <= 10)
			shorts += nat[c];
	for (int c = 0; c < T->ncols && shorts <= left / 2; c++)
		if (!fixed[c] && nat[c] <= 10) {
			T->w[c] = nat[c];
			fixed[c] = true;
			left -= nat[c];
			shown--;
		}
	for (bool changed = true; changed && shown > 0;) {
		changed = false;
		int share = left / shown;
		for (int c = 0; c < T->ncols; c++)
			if (!fixed[c] && nat[c] <= share) {
				T->w[c] = nat[c];
				fixed[c] = true;
				left -= nat[c];
				shown--;
				changed = true;
			}
	}
	for (int c = 0, k = 0; c < T->ncols && shown > 0; c++)
		if (!fixed[c]) {
			int share = left / shown + (k < left % shown ? 1 : 0);
			T->w[c] = share > 1 ? share : 1;
			k++;
		}
}

/* Pushes one row (cells[ncols]) as lines: each cell wrapped to its column,
 * the pieces side by side, each padded to the column's width. */
static void table_row(struct lines *L, const char *label, char *const *cells, const struct table *T,
    int role)
{
	size_t off[TABLE_MAXCOLS] = {0}, len[TABLE_MAXCOLS];
	struct buf b = {0};
	bool more = true;

	for (int c = 0; c < T->ncols; c++)
		len[c] = strlen(cells[c]);
	for (int line = 0; more && L->n < L->max; line++) {
		b.len = 0;
		more = false;
		for (int c = 0, first = 1; c < T->ncols; c++) {
			if (!T->w[c])
				continue;
			if (!first)
				buf_putc(&b, ' ');
			first = 0;
			size_t next = 0, n = 0;
			if (off[c] < len[c])
				n = text_wrap_next(cells[c] + off[c], len[c] - off[c],
				    (size_t)T->w[c], &next);
			/* The piece is at most the column's width, except a character
			 * wider than the whole column: that one is cut. */
			char *piece = xstrndup(cells[c] + off[c], n);
			text_put_fitted(&b, piece, (size_t)T->w[c], true);
			free(piece);
			off[c] += next;
			if (off[c] < len[c])
				more = true;
		}
		push(L, line == 0 ? label : NULL, buf_cstr(&b), role);
	}
	buf_free(&b);
}

/* A table too narrow for its columns, as records: each row numbered, one
 * line per value ("Court  Specialised ..."), the value wrapped under
 * itself. Everything is shown; only the layout differs. */
static void table_records(struct lines *L, const struct table *T)
{
	int hw = 0;
	struct buf b = {0};
	char num[32];

	for (int c = 0; c < T->ncols; c++)
		if ((int)text_width(T->head[c]) > hw)
			hw = (int)text_width(T->head[c]);
	snprintf(num, sizeof num, "%zu. ", T->nrows);
	int nw = (int)strlen(num);
	int vw = L->width - 2 - nw - hw - 1;
	if (vw < 4)
		vw = 4;
	for (size_t r = 0; r < T->nrows && L->n < L->max; r++) {
		bool first = true;
		for (int c = 0; c < T->ncols && L->n < L->max; c++) {
			const char *v = T->cell[r * (size_t)T->ncols + (size_t)c];
			size_t n = strlen(v), off = 0;
			if (!*v)
				continue;
			do {
				size_t next,
				    len = text_wrap_next(v + off, n - off, (size_t)vw, &next);
				b.len = 0;
				if (first)
					buf_printf(&b, "%*s", -nw, num);
				else
					buf_printf(&b, "%*s", nw, "");
				text_put_fitted(&b, off == 0 ? T->head[c] : "", (size_t)hw, true);
				buf_putc(&b, ' ');
				char *piece = xstrndup(v + off, len);
				text_put_fitted(&b, piece, (size_t)vw, false);
				free(piece);
				push(L, NULL, buf_cstr(&b), ROLE_NORMAL);
				off += next;
				first = false;
			} while (off < n && L->n < L->max);
		}
	}
	buf_free(&b);
}

/* Pushes the table: its heads on the label's line, then every row. */
static void table_push(struct lines *L, const char *label, struct table *T)
{
	char *heads[TABLE_MAXCOLS];
	int room = L->width - L->lw >= 8 ? L->width - L->lw : 8;

	/* Beside the labels a narrow pane leaves too little room for six
	 * columns: the table then goes under its label, from column 2. */
	if (room < 60) {
		push(L, label, "", ROLE_NORMAL);
		label = NULL;
		room = L->width - 2;
		L->indented = true;
	}
	/* Narrower still (a side pane), the columns would break every word:
	 * the rows are shown as records instead. */
	if (room < 10 * T->ncols) {
		table_records(L, T);
	} else {
		table_widths(T, room);
		for (int c = 0; c < T->ncols; c++)
			heads[c] = (char *)T->head[c];
		table_row(L, label, heads, T, ROLE_LABEL);
		for (size_t r = 0; r < T->nrows && L->n < L->max; r++)
			table_row(L, NULL, T->cell + r * (size_t)T->ncols, T, ROLE_NORMAL);
	}
	L->indented = false;
	for (size_t i = 0; i < T->nrows * (size_t)T->ncols; i++)
		free(T->cell[i]);
	free(T->cell);
}

static void measures_table(struct lines *L, const struct case_record *c)
{
	struct table T = {6, {_("Type"), _("Days"), _("Date"), _("Fine"), _("Article"), _("Court")},
	    NULL, c->n_measures, {0}};
	char d[16];

	if (c->n_measures == 0)
		return;
	T.cell = xreallocarray(NULL, c->n_measures * 6, sizeof *T.cell);
	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		char days[16] = "";
		char **row = T.cell + i * 6;
		if (m->days >= 0)
			snprintf(days, sizeof days, "%d", (int)m->days);
		row[0] = table_cell(vocab_label(&vocab_measure, m->type));
		row[1] = table_cell(days);
		row[2] = table_cell(datefmt_show(m->date, d));
		row[3] = table_cell(m->fine);
		row[4] = table_cell(m->article);
		row[5] = table_cell(m->court);
	}
	table_push(L, _(case_fields[FIELD_MEASURES].label), &T);
}

static void injuries_table(struct lines *L, const struct case_record *c)
{
	struct table T = {4, {_("Type"), _("Body"), _("Note"), _("Exam")}, NULL, c->n_injuries,
	    {0}};

	if (c->n_injuries == 0)
		return;
	T.cell = xreallocarray(NULL, c->n_injuries * 4, sizeof *T.cell);
	for (size_t i = 0; i < c->n_injuries; i++) {
		const struct injury *in = &c->injuries[i];
		char **row = T.cell + i * 4;
		row[0] = table_cell(vocab_label(&vocab_injury, in->type));
		row[1] = table_cell(in->body);
		row[2] = table_cell(in->note);
		row[3] = table_cell(in->exam < 0 ? "" : in->exam ? _("examined") : _("no exam"));
	}
	table_push(L, _(case_fields[FIELD_INJURIES].label), &T);
}

/* The case's name as the view's heading, wrapped to the whole width. */
static void heading(struct lines *L, const char *name)
{
	size_t n = strlen(name), off = 0;

	do {
		size_t next, len = text_wrap_next(name + off, n - off, (size_t)L->width, &next);
		char *piece = xstrndup(name + off, len);
		push(L, NULL, piece, ROLE_HEADER);
		free(piece);
		off += next;
	} while (off < n && L->n < L->max);
}

/* "also 2 other cases of this person (o)" under the name, where a lawyer
 * sees it at once, then one line for each of those cases (date, event,
 * the strongest measure). */
static void other_cases(struct lines *L, const struct strlist *others)
{
	if (!others || others->n == 0)
		return;
	char *head =
	    xasprintf(ngettext("also %zu other case of this person (o: the person)",
	                  "also %zu other cases of this person (o: the person)", others->n),
	        others->n);
	wrapped(L, _("Person"), head, ROLE_MESSAGE);
	free(head);
	for (size_t i = 0; i < others->n && L->n < L->max; i++) {
		char *line = xasprintf("· %s", others->items[i]);
		push(L, NULL, line, ROLE_NORMAL);
		free(line);
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

/* The lines of the detail view, stopping soon after max lines (having made
 * every line before max, when c has that many); lines before first are
 * counted but left empty (label and text NULL), so only the lines shown
 * cost their making. */
static void detail_lines_upto(const struct case_record *c, const struct strlist *others, int width,
    size_t first, size_t max, struct dline **out, size_t *n)
{
	struct lines L = {0};
	char d[16], num[32];

	L.first = first;
	L.max = max;
	L.width = width;
	L.lw = label_width(width);
	char *name = text_sanitize(case_display_name(c), 0);
	heading(&L, name);
	free(name);
	if (!str_empty(c->name))
		field(&L, FIELD_NAME_LATIN, c->name_latin);
	other_cases(&L, others);
	/* One-line facts first, lists (measures, injuries, sources) after
	 * them: moving through the list then leaves each fact on its row,
	 * so the eye (and the terminal) sees only the values change. */
	field(&L, FIELD_EVENT, c->event);
	field(&L, FIELD_DATE, datefmt_show(c->date, d));
	/* Places as `casebook show` names them; the form keeps the text as written. */
	char *city = display_city_ui(c->city, c->region), *region = display_region_ui(c->region);
	field(&L, FIELD_CITY, city);
	field(&L, FIELD_REGION, region);
	free(city);
	free(region);
	field(&L, FIELD_STATUS, vocab_label(&vocab_status, c->status));
	field(&L, FIELD_VERIFICATION, vocab_label(&vocab_verification, c->verification));
	field(&L, FIELD_LAWYER, c->lawyer);
	field(&L, FIELD_HEARING, datefmt_show(c->hearing, d));
	field(&L, FIELD_CONFIDENTIALITY, vocab_label(&vocab_confidentiality, c->confidentiality));
	field(&L, FIELD_SEX, c->sex == SEX_UNKNOWN ? "" : vocab_label(&vocab_sex, c->sex));
	if (c->birth_year) {
		snprintf(num, sizeof num, "%d", c->birth_year);
		field(&L, FIELD_BIRTH_YEAR, num);
	}
	list_field(&L, FIELD_ALIASES, &c->aliases);
	list_field(&L, FIELD_AFFILIATION, &c->affiliation);
	measures_table(&L, c);
	injuries_table(&L, c);
	for (size_t i = 0; i < c->sources.n; i++)
		wrapped(&L, i == 0 ? _(case_fields[FIELD_SOURCES].label) : "", c->sources.items[i],
		    ROLE_NORMAL);
	if (!str_empty(c->notes))
		wrapped(&L, _(case_fields[FIELD_NOTES].label), c->notes, ROLE_NORMAL);
	char when[TEXT_TIME_MAX];
	if (c->updated)
		datefmt_show_time(when, c->updated);
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

void detail_lines(const struct case_record *c, const struct strlist *others, int width,
    struct dline **out, size_t *n)
{
	detail_lines_upto(c, others, width, 0, SIZE_MAX, out, n);
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

	if (l->indented) {
		tui_put(w, y, x, "", 2, theme_attr(ROLE_NORMAL));
		theme_put_fitted(w, y, x + 2, l->text, width - 2, theme_attr(l->role));
		return;
	}
	if (l->role == ROLE_HEADER) {
		theme_put_fitted(w, y, x, l->text, width, theme_attr(ROLE_HEADER));
		return;
	}
	/* A label longer than its column (a long translation) ends in "…"
	 * one column before the value. */
	if (l->label && text_width(l->label) >= (size_t)lw) {
		theme_put_fitted(w, y, x, l->label, lw - 1, theme_attr(ROLE_LABEL));
		tui_put(w, y, x + lw - 1, "", 1, theme_attr(ROLE_NORMAL));
	} else {
		tui_put(w, y, x, l->label ? l->label : "", lw, theme_attr(ROLE_LABEL));
	}
	theme_put_fitted(w, y, x + lw, l->text, width - lw, theme_attr(l->role));
}

/* The summaries of the other cases of the selected case's person; a
 * failure to read them leaves the pane without them (the case itself is
 * shown). */
static void detail_others_load(struct tui *t)
{
	struct case_record *others;
	size_t n;
	struct cb_err err = {0};

	if (person_view_others(t->st, t->cur_id, &t->detail_person, &others, &n, &err) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		char *line = person_view_case_line(&others[i], false);
		strlist_add(&t->detail_others, line);
		free(line);
	}
	person_view_others_free(others, n);
}

void detail_load(struct tui *t)
{
	struct cb_err err = {0};

	if (t->detail_id == t->cur_id)
		return;
	case_free(&t->detail);
	case_init(&t->detail);
	strlist_free(&t->detail_others);
	t->detail_person = 0;
	t->detail_id = t->cur_id;
	if (t->cur_id && store_get(t->st, t->cur_id, &t->detail, &err)) {
		case_free(&t->detail);
		case_init(&t->detail);
		t->detail_id = 0;
		/* Say why the pane is empty (a damaged record: casebook check). */
		if (err.code != CB_ENOTFOUND)
			tui_message(t, ROLE_ERROR, "%s", err.msg);
		return;
	}
	if (t->cur_id)
		detail_others_load(t);
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
		detail_lines_upto(&t->detail, &t->detail_others, cw, (size_t)t->detail_scroll, want,
		    &l, &n);
	if (n < want && t->detail_scroll > (int)n - rows) {
		int old = t->detail_scroll;
		t->detail_scroll = (int)n - rows > 0 ? (int)n - rows : 0;
		/* Past the end: the last rows are shown, made again when they
		 * were above the old position (those were only counted). */
		if (t->detail_id && t->detail_scroll < old) {
			detail_lines_free(l, n);
			detail_lines_upto(&t->detail, &t->detail_others, cw,
			    (size_t)t->detail_scroll, want, &l, &n);
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
