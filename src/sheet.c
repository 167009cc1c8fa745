/* sheet.c — the content of a case sheet (shared by the text and PDF
 * renderers) and the plain-text renderer. Text sheets are measured in
 * display columns (the width rule of text.h), so Cyrillic, wide CJK
 * characters and combining marks line up and no line is wider than the
 * width asked for. */
#include "sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "datefmt.h"
#include "display.h"
#include "text.h"

/* ---- Options -------------------------------------------------------------- */

int sheet_format_parse(const char *s, int *out, struct cb_err *err)
{
	if (s && strcmp(s, "text") == 0)
		*out = SHEET_FORMAT_TEXT;
	else if (s && strcmp(s, "pdf") == 0)
		*out = SHEET_FORMAT_PDF;
	else
		return cb_err_set(err, CB_EINVAL,
		    _("unknown sheet format \"%s\" (known: text, pdf)"), str_or_empty(s));
	return 0;
}

bool sheet_redacts(const struct sheet_options *o, const struct case_record *c)
{
	return o->redact || (c->confidentiality == CONF_RESTRICTED && !o->unredacted);
}

char *sheet_printed_line(const struct sheet_options *o)
{
	char when[TEXT_TIME_MAX];
	datefmt_show_time(when, o->printed_at);
	char *clean = text_sanitize(o->printed_by, 0);
	char *s = xasprintf(_("Printed %s by %s"), when, clean);
	free(clean);
	return s;
}

/* ---- The content model ---------------------------------------------------- */

/* The translated label of a case field, as the TUI shows it. */
#define FLABEL(f) _(case_fields[f].label)

/* One line of text from the database: control characters made visible. */
static char *clean1(const char *s)
{
	return text_sanitize(s, 0);
}

static struct sheet_section *section(struct sheet *s, const char *title, int block)
{
	struct sheet_section *sec = &s->sec[s->n_sections++];

	memset(sec, 0, sizeof *sec);
	sec->title = title;
	sec->block = block;
	return sec;
}

/* Adds a field; takes value (owned). Empty values are skipped. */
static void field(struct sheet_section *sec, const char *label, char *value)
{
	if (str_empty(value)) {
		free(value);
		return;
	}
	sec->fields = xreallocarray(sec->fields, sec->n_fields + 1, sizeof *sec->fields);
	sec->fields[sec->n_fields].label = label;
	sec->fields[sec->n_fields].value = value;
	sec->n_fields++;
}

static char *join_list(const struct strlist *l)
{
	struct buf b = {0};

	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_puts(&b, ", ");
		char *c = clean1(l->items[i]);
		buf_puts(&b, c);
		free(c);
	}
	return buf_steal(&b);
}

static char *date_str(struct pdate d)
{
	char b[16];

	return pdate_is_set(d) ? xstrdup(datefmt_show(d, b)) : NULL;
}

/* Starts a table of ncols columns with the given headers. */
static void table(struct sheet_section *sec, const char **headers, size_t ncols, size_t nrows)
{
	sec->n_cols = ncols;
	sec->n_rows = nrows;
	sec->headers = xcalloc(ncols, sizeof *sec->headers);
	memcpy(sec->headers, headers, ncols * sizeof *headers);
	sec->cells = xcalloc(ncols * (nrows ? nrows : 1), sizeof *sec->cells);
}

/* Drops the columns (other than the first) that are empty in every row,
 * so a table of bare measure types does not carry five empty columns. */
static void table_squeeze(struct sheet_section *sec)
{
	size_t keep = 0;

	for (size_t c = 0; c < sec->n_cols; c++) {
		bool used = c == 0;
		for (size_t r = 0; r < sec->n_rows && !used; r++)
			used = !str_empty(sec->cells[r * sec->n_cols + c]);
		if (!used) {
			for (size_t r = 0; r < sec->n_rows; r++)
				free(sec->cells[r * sec->n_cols + c]);
			continue;
		}
		sec->headers[keep] = sec->headers[c];
		for (size_t r = 0; r < sec->n_rows; r++)
			sec->cells[r * sec->n_cols + keep] = sec->cells[r * sec->n_cols + c];
		keep++;
	}
	/* Rows are compacted in place: the row stride changes from n_cols to keep. */
	for (size_t r = 0; r < sec->n_rows; r++)
		for (size_t c = 0; c < keep; c++)
			sec->cells[r * keep + c] = sec->cells[r * sec->n_cols + c];
	sec->n_cols = keep;
}

static void build_person(struct sheet *s, const struct case_record *c, bool redact)
{
	struct sheet_section *sec = section(s, _("Person"), SHEET_FIELDS);

	if (redact)
		field(sec, _("Initials"), xstrdup(s->name));
	else if (!str_empty(c->name) || str_empty(c->name_latin))
		field(sec, FLABEL(FIELD_NAME),
		    clean1(str_empty(c->name) ? _("(unidentified)") : c->name));
	if (!redact) {
		field(sec, FLABEL(FIELD_NAME_LATIN), clean1(c->name_latin));
		field(sec, FLABEL(FIELD_ALIASES), join_list(&c->aliases));
	}
	field(sec, FLABEL(FIELD_SEX), xstrdup(vocab_label(&vocab_sex, c->sex)));
	if (!redact && c->birth_year > 0)
		field(sec, FLABEL(FIELD_BIRTH_YEAR), xasprintf("%d", c->birth_year));
	field(sec, FLABEL(FIELD_AFFILIATION), join_list(&c->affiliation));
}

static void build_event(struct sheet *s, const struct case_record *c)
{
	struct sheet_section *sec = section(s, _("Event"), SHEET_FIELDS);

	field(sec, FLABEL(FIELD_EVENT), clean1(c->event));
	field(sec, FLABEL(FIELD_DATE), date_str(c->date));
	/* Places by the gazetteer in the sheet's language, with the spelling
	 * the case records when it is another one. */
	field(sec, FLABEL(FIELD_CITY), display_city_recorded(c->city, c->region));
	field(sec, FLABEL(FIELD_REGION), display_region_recorded(c->region));
	sec->empty = _("Not recorded.");
}

static void build_measures(struct sheet *s, const struct case_record *c)
{
	struct sheet_section *sec = section(s, _("Measures"), SHEET_TABLE);
	const char *h[] = {_("Type"), _("Days"), _("Fine"), _("Date"), _("Article"), _("Court")};

	table(sec, h, 6, c->n_measures);
	for (size_t i = 0; i < c->n_measures; i++) {
		const struct measure *m = &c->measures[i];
		char **row = &sec->cells[i * 6];
		row[0] = xstrdup(vocab_label(&vocab_measure, m->type));
		row[1] = m->days >= 0 ? xasprintf("%d", (int)m->days) : NULL;
		row[2] = clean1(m->fine);
		row[3] = date_str(m->date);
		row[4] = clean1(m->article);
		row[5] = clean1(m->court);
	}
	table_squeeze(sec);
	sec->empty = _("None recorded.");
}

static void build_injuries(struct sheet *s, const struct case_record *c)
{
	struct sheet_section *sec = section(s, _("Injuries"), SHEET_TABLE);
	const char *h[] = {_("Type"), _("Body region"), _("Exam"), _("Note")};

	table(sec, h, 4, c->n_injuries);
	for (size_t i = 0; i < c->n_injuries; i++) {
		const struct injury *inj = &c->injuries[i];
		char **row = &sec->cells[i * 4];
		row[0] = xstrdup(vocab_label(&vocab_injury, inj->type));
		row[1] = clean1(inj->body);
		row[2] = inj->exam < 0 ? NULL : xstrdup(inj->exam ? _("yes") : _("no"));
		row[3] = clean1(inj->note);
	}
	table_squeeze(sec);
	sec->empty = _("None recorded.");
}

static void build_legal(struct sheet *s, const struct case_record *c, bool redact)
{
	struct sheet_section *sec = section(s, _("Legal status"), SHEET_FIELDS);

	field(sec, FLABEL(FIELD_STATUS), xstrdup(vocab_label(&vocab_status, c->status)));
	field(sec, FLABEL(FIELD_VERIFICATION),
	    xstrdup(vocab_label(&vocab_verification, c->verification)));
	if (!redact)
		field(sec, FLABEL(FIELD_LAWYER), clean1(c->lawyer));
	field(sec, FLABEL(FIELD_HEARING), date_str(c->hearing));
}

/* "Created 2021-05-02 10:00" and "Last changed 2021-06-01 12:00 by olga"
 * (NULL for a case that was never stored). */
static void record_lines(struct sheet *s, const struct case_record *c, bool redact)
{
	if (c->created > 0) {
		char t[TEXT_TIME_MAX];
		s->created = xasprintf(_("Created %s"), datefmt_show_time(t, c->created));
	}
	if (c->updated > 0) {
		char t[TEXT_TIME_MAX];
		datefmt_show_time(t, c->updated);
		/* The staff member's user name stays inside the office. */
		if (!redact && !str_empty(c->updated_by)) {
			char *u = clean1(c->updated_by);
			s->changed = xasprintf(_("Last changed %s by %s"), t, u);
			free(u);
		} else {
			s->changed = xasprintf(_("Last changed %s"), t);
		}
	}
}

void sheet_build(struct sheet *s, const struct case_record *c, bool redact)
{
	memset(s, 0, sizeof *s);
	s->id = c->id;
	s->rev = c->rev;
	s->redacted = redact;
	s->confidentiality = c->confidentiality;
	if (redact) {
		char *ini = case_initials(c);
		s->name = clean1(ini);
		free(ini);
	} else {
		s->name = clean1(case_display_name(c));
	}
	if (c->confidentiality == CONF_RESTRICTED) {
		s->conf_line = _("RESTRICTED");
		s->banner = _("RESTRICTED: this case is confidential. Do not share this sheet "
		              "outside the organisation.");
	} else {
		s->conf_line = c->confidentiality == CONF_PUBLIC ? _("Confidentiality: public")
		                                                 : _("Confidentiality: internal");
	}
	if (redact)
		s->notice = _("REDACTED: the name is shown as initials; latin name, aliases, "
		              "birth year, lawyer, sources and notes are left out.");

	build_person(s, c, redact);
	build_event(s, c);
	build_measures(s, c);
	build_injuries(s, c);
	build_legal(s, c, redact);
	if (!redact) {
		struct sheet_section *sec = section(s, _("Sources"), SHEET_LIST);
		for (size_t i = 0; i < c->sources.n; i++) {
			char *v = clean1(c->sources.items[i]);
			strlist_add(&sec->items, v);
			free(v);
		}
		sec->empty = _("None recorded.");
		sec = section(s, _("Notes"), SHEET_TEXT);
		/* Tabs would be measured differently by every printer. */
		sec->text = text_sanitize(c->notes, 1);
		for (char *p = sec->text; *p; p++)
			if (*p == '\t')
				*p = ' ';
		sec->empty = _("None recorded.");
	}
	record_lines(s, c, redact);
}

void sheet_add_others(struct sheet *s, const struct case_record *c, const struct sheet_options *o)
{
	struct strlist lines = {0};

	if (!o->others || s->n_sections >= SHEET_MAX_SECTIONS)
		return;
	o->others(c, &lines, o->others_ctx);
	if (lines.n == 0)
		return;
	struct sheet_section *sec = section(s, _("Other cases of this person"), SHEET_LIST);
	for (size_t i = 0; i < lines.n; i++) {
		char *v = clean1(lines.items[i]);
		strlist_add(&sec->items, v);
		free(v);
	}
	strlist_free(&lines);
}

/* The blank a signer fills in by hand. */
#define SIGN_LINE "________________________"

/* Adds the "Signature" section when o asks for it. */
void sheet_add_signature(struct sheet *s, const struct sheet_options *o)
{
	if (!o->signature || s->n_sections >= SHEET_MAX_SECTIONS)
		return;
	struct sheet_section *sec = section(s, NULL, SHEET_FIELDS);
	char *who = clean1(str_or_empty(o->printed_by));
	field(sec, _("Prepared by"), str_empty(who) ? xstrdup(SIGN_LINE) : who);
	if (str_empty(who))
		free(who);
	field(sec, _("Date"), xstrdup(SIGN_LINE));
	field(sec, _("Signature"), xstrdup(SIGN_LINE));
}

void sheet_free(struct sheet *s)
{
	free(s->name);
	free(s->created);
	free(s->changed);
	for (size_t i = 0; i < s->n_sections; i++) {
		struct sheet_section *sec = &s->sec[i];
		for (size_t f = 0; f < sec->n_fields; f++)
			free(sec->fields[f].value);
		free(sec->fields);
		for (size_t k = 0; k < sec->n_cols * sec->n_rows; k++)
			free(sec->cells[k]);
		free(sec->cells);
		free(sec->headers);
		strlist_free(&sec->items);
		free(sec->text);
	}
	memset(s, 0, sizeof *s);
}

/* ---- Wrapping ---------------------------------------------------------------- */

/* Appends text wrapped to width columns to lines, at least one line. */
static void wrap_lines(const char *text, size_t width, struct strlist *lines)
{
	size_t n = strlen(text), off = 0;

	do {
		size_t next, len = text_wrap_next(text + off, n - off, width, &next);
		char *line = xstrndup(text + off, len);
		strlist_add(lines, line);
		free(line);
		off += next;
	} while (off < n);
}

/* ---- Text layout --------------------------------------------------------------------- */

/* The body of one case as lines; keep[i] > 0 asks to keep line i on the
 * same page as the keep[i] lines after it (headings with their content). */
struct tlines {
	struct strlist l;
	int *keep;
	size_t cap;
};

static void tl_add(struct tlines *t, const char *s, int keep)
{
	if (t->l.n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->keep = xreallocarray(t->keep, t->cap, sizeof *t->keep);
	}
	t->keep[t->l.n] = keep;
	/* Trailing blanks carry nothing and would trip width checks. */
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	char *c = xstrndup(s, n);
	strlist_add(&t->l, c);
	free(c);
}

static void tl_free(struct tlines *t)
{
	strlist_free(&t->l);
	free(t->keep);
}

static void pad_to(struct buf *b, size_t have, size_t want)
{
	for (; have < want; have++)
		buf_putc(b, ' ');
}

static void rule(struct tlines *t, char ch, size_t width)
{
	char *s = xmalloc(width + 1);

	memset(s, ch, width);
	s[width] = '\0';
	tl_add(t, s, 0);
	free(s);
}

/* Adds paragraph text wrapped to width, every line indented by indent
 * spaces. */
bool sheet_section_empty(const struct sheet_section *sec)
{
	switch (sec->block) {
	case SHEET_FIELDS:
		return sec->n_fields == 0;
	case SHEET_TABLE:
		return sec->n_rows == 0;
	case SHEET_LIST:
		return sec->items.n == 0;
	default:
		return str_empty(sec->text);
	}
}

static void add_wrapped(struct tlines *t, const char *text, size_t indent, size_t width)
{
	struct strlist w = {0};
	struct buf b = {0};

	wrap_lines(text, width - indent, &w);
	for (size_t i = 0; i < w.n; i++) {
		b.len = 0;
		pad_to(&b, 0, indent);
		buf_puts(&b, w.items[i]);
		tl_add(t, buf_cstr(&b), 0);
	}
	buf_free(&b);
	strlist_free(&w);
}

/* Two columns side by side: left (wrapped to lw) and right (wrapped to
 * width - lw - 2), for the label/value grid. */
static void add_pair(struct tlines *t, const char *left, const char *right, size_t lw, size_t width)
{
	struct strlist a = {0}, v = {0};
	struct buf b = {0};

	wrap_lines(left, lw, &a);
	wrap_lines(right, width - lw - 2, &v);
	for (size_t i = 0; i < a.n || i < v.n; i++) {
		b.len = 0;
		if (i < a.n)
			buf_puts(&b, a.items[i]);
		pad_to(&b, i < a.n ? text_width(a.items[i]) : 0, lw + 2);
		if (i < v.n)
			buf_puts(&b, v.items[i]);
		tl_add(t, buf_cstr(&b), 0);
	}
	buf_free(&b);
	strlist_free(&a);
	strlist_free(&v);
}

static void text_fields(struct tlines *t, const struct sheet_section *sec, size_t width)
{
	size_t lw = 0;

	for (size_t i = 0; i < sec->n_fields; i++) {
		size_t w = text_width(sec->fields[i].label);
		lw = w > lw ? w : lw;
	}
	if (lw > width / 3)
		lw = width / 3;
	for (size_t i = 0; i < sec->n_fields; i++)
		add_pair(t, sec->fields[i].label, sec->fields[i].value, lw, width);
}

/* Width of the longest word of s. */
static size_t longest_word(const char *s)
{
	size_t best = 0;

	while (*s) {
		size_t n = strcspn(s, " ");
		char *word = xstrndup(s, n);
		size_t w = text_width(word);
		best = w > best ? w : best;
		free(word);
		s += n;
		while (*s == ' ')
			s++;
	}
	return best;
}

/* Column widths for a table: natural widths when they fit; else every
 * column gets its longest word and the rest of the width is shared in
 * proportion to what each column still lacks. Returns false when even the
 * longest words do not fit side by side (the caller stacks the rows). */
static bool table_widths(const struct sheet_section *sec, size_t width, size_t *w)
{
	size_t n = sec->n_cols, avail = width - 2 * (n - 1), total = 0, min_total = 0;
	size_t *minw = xcalloc(n, sizeof *minw);

	for (size_t c = 0; c < n; c++) {
		w[c] = text_width(sec->headers[c]);
		minw[c] = longest_word(sec->headers[c]);
		for (size_t r = 0; r < sec->n_rows; r++) {
			const char *cell = str_or_empty(sec->cells[r * n + c]);
			size_t cw = text_width(cell), lw = longest_word(cell);
			w[c] = cw > w[c] ? cw : w[c];
			minw[c] = lw > minw[c] ? lw : minw[c];
		}
		w[c] = w[c] ? w[c] : 1;
		minw[c] = minw[c] ? minw[c] : 1;
		total += w[c];
		min_total += minw[c];
	}
	if (total <= avail) {
		free(minw);
		return true;
	}
	if (2 * (n - 1) >= width || min_total > avail) {
		free(minw);
		return false;
	}
	/* Cheapest columns first: a column that can get its whole natural
	 * width for little is never wrapped to save a column elsewhere. */
	size_t extra = avail - min_total, lack = 0, given = 0;
	bool *full = xcalloc(n, sizeof *full);
	size_t *nat = xcalloc(n, sizeof *nat);
	memcpy(nat, w, n * sizeof *w);
	memcpy(w, minw, n * sizeof *w);
	for (;;) {
		size_t best = n;
		for (size_t c = 0; c < n; c++)
			if (!full[c] && (best == n || nat[c] - w[c] < nat[best] - w[best]))
				best = c;
		if (best == n || nat[best] - w[best] > extra)
			break;
		extra -= nat[best] - w[best];
		w[best] = nat[best];
		full[best] = true;
	}
	for (size_t c = 0; c < n; c++)
		lack += full[c] ? 0 : nat[c] - w[c];
	for (size_t c = 0; c < n && lack; c++) {
		if (full[c])
			continue;
		size_t share = (nat[c] - w[c]) * extra / lack;
		w[c] += share;
		given += share;
	}
	/* Rounding leftovers go to the columns still short of their width. */
	for (size_t c = 0; given < extra && lack; c = (c + 1) % n) {
		if (!full[c] && w[c] < nat[c]) {
			w[c]++;
			given++;
		}
	}
	free(full);
	free(nat);
	free(minw);
	return true;
}

static void table_row(struct tlines *t, const char *const *cells, size_t n, const size_t *w,
    int keep)
{
	struct strlist *cl = xcalloc(n, sizeof *cl);
	struct buf b = {0};
	size_t h = 0;

	for (size_t c = 0; c < n; c++) {
		wrap_lines(str_or_empty(cells[c]), w[c], &cl[c]);
		h = cl[c].n > h ? cl[c].n : h;
	}
	for (size_t i = 0; i < h; i++) {
		b.len = 0;
		for (size_t c = 0; c < n; c++) {
			size_t have = 0;
			if (c)
				pad_to(&b, 0, 2);
			if (i < cl[c].n) {
				buf_puts(&b, cl[c].items[i]);
				have = text_width(cl[c].items[i]);
			}
			pad_to(&b, have, w[c]);
		}
		tl_add(t, buf_cstr(&b), i == 0 ? keep : 0);
	}
	for (size_t c = 0; c < n; c++)
		strlist_free(&cl[c]);
	free(cl);
	buf_free(&b);
}

/* A table too wide for the page: each row as a numbered block of
 * label/value lines ("1. administrative arrest", "   Days  15", ...). */
static void text_stacked(struct tlines *t, const struct sheet_section *sec, size_t width)
{
	size_t n = sec->n_cols, lw = 0;

	for (size_t c = 1; c < n; c++) {
		size_t hw = text_width(sec->headers[c]);
		lw = hw > lw ? hw : lw;
	}
	if (lw > width / 3)
		lw = width / 3;
	for (size_t r = 0; r < sec->n_rows; r++) {
		char *const *row = &sec->cells[r * n];
		char *head = xasprintf("%zu. %s", r + 1, str_or_empty(row[0]));
		size_t before = t->l.n;
		add_wrapped(t, head, 0, width);
		t->keep[before] = 1;
		free(head);
		struct tlines sub = {0};
		for (size_t c = 1; c < n; c++)
			if (!str_empty(row[c]))
				add_pair(&sub, sec->headers[c], row[c], lw, width - 3);
		for (size_t i = 0; i < sub.l.n; i++) {
			char *line = xasprintf("   %s", sub.l.items[i]);
			tl_add(t, line, 0);
			free(line);
		}
		tl_free(&sub);
	}
}

static void text_table(struct tlines *t, const struct sheet_section *sec, size_t width)
{
	size_t n = sec->n_cols;
	size_t *w = xcalloc(n, sizeof *w);
	struct buf b = {0};

	if (!table_widths(sec, width, w)) {
		free(w);
		text_stacked(t, sec, width);
		return;
	}
	table_row(t, sec->headers, n, w, 2);
	for (size_t c = 0; c < n; c++) {
		if (c)
			buf_puts(&b, "  ");
		for (size_t k = 0; k < w[c]; k++)
			buf_putc(&b, '-');
	}
	tl_add(t, buf_cstr(&b), 1);
	for (size_t r = 0; r < sec->n_rows; r++)
		table_row(t, (const char *const *)&sec->cells[r * n], n, w, 0);
	buf_free(&b);
	free(w);
}

static void text_list(struct tlines *t, const struct sheet_section *sec, size_t width)
{
	struct strlist w = {0};
	struct buf b = {0};

	for (size_t i = 0; i < sec->items.n; i++) {
		wrap_lines(sec->items.items[i], width - 2, &w);
		for (size_t k = 0; k < w.n; k++) {
			b.len = 0;
			buf_puts(&b, k == 0 ? "- " : "  ");
			buf_puts(&b, w.items[k]);
			tl_add(t, buf_cstr(&b), 0);
		}
		strlist_free(&w);
	}
	buf_free(&b);
}

static void text_paragraphs(struct tlines *t, const char *text, size_t width)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char *para = xstrndup(p, n);
		add_wrapped(t, para, 0, width);
		free(para);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* "Case 42, revision 3" — the right half of the title line. */
static char *case_label(const struct sheet *s)
{
	return xasprintf(_("Case %llu, revision %lu"), (unsigned long long)s->id,
	    (unsigned long)s->rev);
}

/* Left and right text on one line when they fit, else on two lines. */
static void add_spread(struct tlines *t, const char *left, const char *right, size_t width,
    int keep)
{
	size_t lw = text_width(left), rw = text_width(right);
	struct buf b = {0};

	if (lw + 2 + rw <= width) {
		buf_puts(&b, left);
		pad_to(&b, lw, width - rw);
		buf_puts(&b, right);
		tl_add(t, buf_cstr(&b), keep);
	} else {
		add_wrapped(t, left, 0, width);
		struct strlist r = {0};
		wrap_lines(right, width, &r);
		for (size_t i = 0; i < r.n; i++) {
			b.len = 0;
			pad_to(&b, text_width(r.items[i]), width);
			buf_puts(&b, r.items[i]);
			tl_add(t, buf_cstr(&b), 0);
		}
		strlist_free(&r);
	}
	buf_free(&b);
}

static void text_body(struct tlines *t, const struct sheet *s, const struct sheet_options *o,
    size_t width)
{
	char *label = case_label(s);

	if (!str_empty(o->organisation)) {
		char *org = clean1(o->organisation);
		add_wrapped(t, org, 0, width);
		free(org);
	}
	add_spread(t, _("CASE SHEET"), label, width, 0);
	rule(t, '=', width);
	add_wrapped(t, s->name, 0, width);
	add_wrapped(t, s->conf_line, 0, width);
	if (s->created)
		add_wrapped(t, s->created, 0, width);
	if (s->changed)
		add_wrapped(t, s->changed, 0, width);
	if (s->banner) {
		tl_add(t, "", 0);
		add_wrapped(t, s->banner, 0, width);
	}
	if (s->notice) {
		tl_add(t, "", 0);
		add_wrapped(t, s->notice, 0, width);
	}
	free(label);

	for (size_t i = 0; i < s->n_sections; i++) {
		const struct sheet_section *sec = &s->sec[i];
		if (!sec->title) {
			/* An untitled block (the signature) is kept whole on one page,
			 * with the line before it, so it never stands on a page alone. */
			if (t->l.n > 0 && t->keep[t->l.n - 1] < 1 + (int)sec->n_fields)
				t->keep[t->l.n - 1] = 1 + (int)sec->n_fields;
			tl_add(t, "", (int)sec->n_fields);
			text_fields(t, sec, width);
			continue;
		}
		tl_add(t, "", 0);
		/* A heading stays with its underline and first two lines. */
		add_wrapped(t, sec->title, 0, width);
		t->keep[t->l.n - 1] = 3;
		rule(t, '-', text_width(sec->title) < width ? text_width(sec->title) : width);
		t->keep[t->l.n - 1] = 2;
		if (sheet_section_empty(sec)) {
			add_wrapped(t, sec->empty ? sec->empty : "", 0, width);
			continue;
		}
		switch (sec->block) {
		case SHEET_FIELDS:
			text_fields(t, sec, width);
			break;
		case SHEET_TABLE:
			text_table(t, sec, width);
			break;
		case SHEET_LIST:
			text_list(t, sec, width);
			break;
		default:
			text_paragraphs(t, sec->text, width);
			break;
		}
	}
}

/* The footer of one page (without the rule above it). */
static void text_footer(struct tlines *f, const struct sheet *s, const struct sheet_options *o,
    int page, int pages, size_t width)
{
	char *printed = sheet_printed_line(o);
	char *left = xasprintf("%s · %s", printed, s->conf_line);
	char *right = xasprintf(_("Page %d of %d"), page, pages);

	add_spread(f, left, right, width, 0);
	free(printed);
	free(left);
	free(right);
}

/* Splits the body into pages: returns the number of pages; page p holds
 * body lines [start[p], end[p]). */
static int paginate(const struct tlines *t, size_t first_cap, size_t cap, size_t **startp,
    size_t **endp)
{
	size_t *start = xmalloc((t->l.n + 1) * sizeof *start);
	size_t *end = xmalloc((t->l.n + 1) * sizeof *end);
	size_t i = 0;
	int pages = 0;

	for (;;) {
		size_t room = pages == 0 ? first_cap : cap, used = 0;
		start[pages] = i;
		while (i < t->l.n && used < room) {
			size_t need = 1 + (size_t)t->keep[i];
			if (used > 0 && used + need > room && need <= cap)
				break;
			used++, i++;
		}
		end[pages++] = i;
		/* A new page does not start with blank lines. */
		while (i < t->l.n && t->l.items[i][0] == '\0')
			i++;
		if (i >= t->l.n)
			break;
	}
	*startp = start;
	*endp = end;
	return pages;
}

void sheet_render_text(const struct case_record *c, const struct sheet_options *o, struct buf *out)
{
	size_t width = o->width < SHEET_MIN_WIDTH ? SHEET_MIN_WIDTH
	    : o->width > SHEET_MAX_WIDTH          ? SHEET_MAX_WIDTH
	                                          : (size_t)o->width;
	struct tlines body = {0}, probe = {0};
	struct sheet s;
	size_t *start, *end;

	sheet_build(&s, c, sheet_redacts(o, c));
	sheet_add_others(&s, c, o);
	sheet_add_signature(&s, o);
	text_body(&body, &s, o, width);

	/* The footer's height with the widest page numbers this case can need. */
	text_footer(&probe, &s, o, 999, 999, width);
	size_t foot = 2 + probe.l.n; /* blank line, rule, footer */
	tl_free(&probe);
	char *cont_title = xasprintf(_("%s (continued)"), s.name);
	struct tlines cont = {0};
	char *label = case_label(&s);
	add_spread(&cont, cont_title, label, width, 0);
	size_t cont_lines = cont.l.n + 1;
	free(cont_title);
	free(label);

	size_t first_cap = SHEET_PAGE_LINES - foot, cap = first_cap - cont_lines;
	int pages = paginate(&body, first_cap, cap, &start, &end);

	for (int p = 0; p < pages; p++) {
		size_t lines = 0;
		if (p > 0) {
			buf_putc(out, '\f');
			for (size_t i = 0; i < cont.l.n; i++, lines++) {
				buf_puts(out, cont.l.items[i]);
				buf_putc(out, '\n');
			}
			buf_putc(out, '\n');
			lines++;
		}
		for (size_t i = start[p]; i < end[p]; i++, lines++) {
			buf_puts(out, body.l.items[i]);
			buf_putc(out, '\n');
		}
		struct tlines foot_l = {0};
		text_footer(&foot_l, &s, o, p + 1, pages, width);
		/* The footer sits at the bottom of the page. */
		for (; lines < SHEET_PAGE_LINES - foot_l.l.n - 1; lines++)
			buf_putc(out, '\n');
		for (size_t k = 0; k < width; k++)
			buf_putc(out, '-');
		buf_putc(out, '\n');
		for (size_t i = 0; i < foot_l.l.n; i++) {
			buf_puts(out, foot_l.l.items[i]);
			buf_putc(out, '\n');
		}
		tl_free(&foot_l);
	}
	free(start);
	free(end);
	tl_free(&cont);
	tl_free(&body);
	sheet_free(&s);
}
