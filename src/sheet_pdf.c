/* sheet_pdf.c — A4 case sheets as PDF through cairo and pango. Fonts come
 * from fontconfig ("DejaVu Sans", which covers Cyrillic and Kazakh); pango
 * embeds them with their Unicode mapping, so text can be copied out of the
 * PDF. Each case is laid out twice: once to count its pages, once to draw
 * them with "Page N of M". */
#include "sheet.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

/* A4 in points, and the margins of the text block. */
#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 56.0
#define MARGIN_TOP 50.0
#define MARGIN_BOTTOM 64.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define FONT "DejaVu Sans"

struct rgb {
	double r, g, b;
};
static const struct rgb ink = {0.10, 0.10, 0.12};
static const struct rgb muted = {0.38, 0.40, 0.44};
static const struct rgb accent = {0.10, 0.24, 0.44};
static const struct rgb alert = {0.70, 0.08, 0.08};
static const struct rgb line_c = {0.72, 0.74, 0.78};
static const struct rgb shade = {0.92, 0.93, 0.95};

struct sheet_pdf {
	struct sheet_options o;
	struct buf *out;
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoContext *pc;
	PangoLayout *lay;
	/* Per case, while laying out. */
	const struct sheet *s;
	bool draw;
	int page, pages;
	double y;
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	buf_put(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

static void color(struct sheet_pdf *p, struct rgb c)
{
	cairo_set_source_rgb(p->cr, c.r, c.g, c.b);
}

/* Prepares the shared layout: text, font ("Bold 10"), width in points
 * (0: unbounded) and alignment. Returns its height in points. */
static double setup(struct sheet_pdf *p, const char *text, const char *font, double width,
    PangoAlignment align)
{
	char *spec = xasprintf("%s %s", FONT, font);
	PangoFontDescription *fd = pango_font_description_from_string(spec);
	int w, h;

	pango_layout_set_font_description(p->lay, fd);
	pango_font_description_free(fd);
	free(spec);
	pango_layout_set_width(p->lay, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, align);
	pango_layout_set_text(p->lay, text, -1);
	pango_layout_get_size(p->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws the prepared layout at (x, y) when drawing. */
static void show(struct sheet_pdf *p, double x, double y, struct rgb c)
{
	if (!p->draw)
		return;
	color(p, c);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->lay);
}

static void hline(struct sheet_pdf *p, double x0, double x1, double y, double width, struct rgb c)
{
	if (!p->draw)
		return;
	color(p, c);
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, x0, y);
	cairo_line_to(p->cr, x1, y);
	cairo_stroke(p->cr);
}

static void box(struct sheet_pdf *p, double x, double y, double w, double h, struct rgb c)
{
	if (!p->draw)
		return;
	color(p, c);
	cairo_rectangle(p->cr, x, y, w, h);
	cairo_fill(p->cr);
}

/* ---- Pages ------------------------------------------------------------------ */

static void footer(struct sheet_pdf *p)
{
	char *printed = sheet_printed_line(&p->o);
	char *left = xasprintf("%s  ·  %s", printed, p->s->conf_line);
	char *right = xasprintf(_("Page %d of %d"), p->page, p->pages);
	double y = PAGE_H - MARGIN_BOTTOM + 18;
	bool restricted = p->s->confidentiality == CONF_RESTRICTED;

	hline(p, MARGIN_X, PAGE_W - MARGIN_X, y - 6, 0.5, line_c);
	setup(p, left, restricted ? "Bold 7.5" : "7.5", TEXT_W * 0.75, PANGO_ALIGN_LEFT);
	show(p, MARGIN_X, y, restricted ? alert : muted);
	setup(p, right, "7.5", TEXT_W * 0.25, PANGO_ALIGN_RIGHT);
	show(p, MARGIN_X + TEXT_W * 0.75, y, muted);
	free(printed);
	free(left);
	free(right);
}

/* The small heading of every page after a case's first. */
static void continued(struct sheet_pdf *p)
{
	char *l = xasprintf(_("%s (continued)"), p->s->name);
	char *r = xasprintf(_("Case %llu, revision %lu"), (unsigned long long)p->s->id,
	    (unsigned long)p->s->rev);
	double h = setup(p, l, "8", TEXT_W * 0.7, PANGO_ALIGN_LEFT);

	show(p, MARGIN_X, MARGIN_TOP, muted);
	setup(p, r, "8", TEXT_W * 0.3, PANGO_ALIGN_RIGHT);
	show(p, MARGIN_X + TEXT_W * 0.7, MARGIN_TOP, muted);
	p->y = MARGIN_TOP + h + 4;
	hline(p, MARGIN_X, PAGE_W - MARGIN_X, p->y, 0.5, line_c);
	p->y += 12;
	free(l);
	free(r);
}

static void new_page(struct sheet_pdf *p)
{
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	continued(p);
}

/* Makes room for h points, starting a new page when they do not fit. */
static void need(struct sheet_pdf *p, double h)
{
	if (p->y + h > PAGE_H - MARGIN_BOTTOM)
		new_page(p);
}

/* ---- Blocks -------------------------------------------------------------------- */

/* Flows text (one paragraph) line by line, so a long paragraph can run
 * across pages. */
static void flow(struct sheet_pdf *p, const char *text, const char *font, double x, double width,
    struct rgb c)
{
	setup(p, text, font, width, PANGO_ALIGN_LEFT);
	int n = pango_layout_get_line_count(p->lay);
	for (int i = 0; i < n; i++) {
		PangoLayoutLine *line = pango_layout_get_line_readonly(p->lay, i);
		PangoRectangle logical;
		pango_layout_line_get_extents(line, NULL, &logical);
		double h = (double)logical.height / PANGO_SCALE;
		double base = (double)-logical.y / PANGO_SCALE;
		if (p->y + h > PAGE_H - MARGIN_BOTTOM) {
			new_page(p);
			/* new_page reused the layout for the heading; prepare it again. */
			setup(p, text, font, width, PANGO_ALIGN_LEFT);
			line = pango_layout_get_line_readonly(p->lay, i);
		}
		if (p->draw) {
			color(p, c);
			cairo_move_to(p->cr, x, p->y + base);
			pango_cairo_show_layout_line(p->cr, line);
		}
		p->y += h;
	}
}

static void heading(struct sheet_pdf *p, const char *title)
{
	p->y += 12;
	double h = setup(p, title, "Bold 11.5", TEXT_W, PANGO_ALIGN_LEFT);
	/* A heading keeps its first rows with it. */
	need(p, h + 50);
	setup(p, title, "Bold 11.5", TEXT_W, PANGO_ALIGN_LEFT);
	show(p, MARGIN_X, p->y, accent);
	p->y += h + 2;
	hline(p, MARGIN_X, PAGE_W - MARGIN_X, p->y, 0.8, accent);
	p->y += 6;
}

#define LABEL_W 118.0

static void fields(struct sheet_pdf *p, const struct sheet_section *sec)
{
	for (size_t i = 0; i < sec->n_fields; i++) {
		const struct sheet_field *f = &sec->fields[i];
		double vh = setup(p, f->value, "10", TEXT_W - LABEL_W, PANGO_ALIGN_LEFT);
		double lh = setup(p, f->label, "8.5", LABEL_W - 8, PANGO_ALIGN_LEFT);
		double h = (vh > lh ? vh : lh) + 2;
		need(p, h);
		setup(p, f->label, "8.5", LABEL_W - 8, PANGO_ALIGN_LEFT);
		show(p, MARGIN_X, p->y + 1.5, muted);
		setup(p, f->value, "10", TEXT_W - LABEL_W, PANGO_ALIGN_LEFT);
		show(p, MARGIN_X + LABEL_W, p->y, ink);
		p->y += h;
	}
}

/* The signature block: labels, and the lines to sign on drawn with room
 * above them for a hand. */
static void signed_fields(struct sheet_pdf *p, const struct sheet_section *sec)
{
	for (size_t i = 0; i < sec->n_fields; i++) {
		const struct sheet_field *f = &sec->fields[i];
		bool blank = f->value[0] && f->value[strspn(f->value, "_")] == '\0';
		double lh = setup(p, f->label, "10", LABEL_W - 8, PANGO_ALIGN_LEFT);
		double top = blank ? 12 : 2;
		need(p, top + lh + 4);
		setup(p, f->label, "10", LABEL_W - 8, PANGO_ALIGN_LEFT);
		show(p, MARGIN_X, p->y + top, muted);
		if (blank) {
			hline(p, MARGIN_X + LABEL_W, MARGIN_X + LABEL_W + 200, p->y + top + lh, 0.6,
			    ink);
		} else {
			setup(p, f->value, "10", TEXT_W - LABEL_W, PANGO_ALIGN_LEFT);
			show(p, MARGIN_X + LABEL_W, p->y + top, ink);
		}
		p->y += top + lh + 4;
	}
}

#define CELL_PAD 4.0

/* Column widths: natural widths when they fit the text block, else the
 * columns narrower than a fair share keep theirs and the rest share the
 * remaining space. */
static void col_widths(struct sheet_pdf *p, const struct sheet_section *sec, double *w)
{
	size_t n = sec->n_cols, open = n;
	double total = 0, left = TEXT_W;
	bool *done = xcalloc(n, sizeof *done);

	for (size_t c = 0; c < n; c++) {
		int pw, ph;
		setup(p, sec->headers[c], "Bold 8.5", 0, PANGO_ALIGN_LEFT);
		pango_layout_get_size(p->lay, &pw, &ph);
		w[c] = (double)pw / PANGO_SCALE;
		for (size_t r = 0; r < sec->n_rows; r++) {
			setup(p, str_or_empty(sec->cells[r * n + c]), "9", 0, PANGO_ALIGN_LEFT);
			pango_layout_get_size(p->lay, &pw, &ph);
			double cw = (double)pw / PANGO_SCALE;
			w[c] = cw > w[c] ? cw : w[c];
		}
		w[c] += 2 * CELL_PAD + 1;
		total += w[c];
	}
	if (total > TEXT_W) {
		bool changed = true;
		while (changed && open > 0) {
			changed = false;
			for (size_t c = 0; c < n; c++) {
				if (!done[c] && w[c] <= left / (double)open) {
					done[c] = true;
					left -= w[c];
					open--;
					changed = true;
				}
			}
		}
		for (size_t c = 0; c < n; c++)
			if (!done[c])
				w[c] = left / (double)open;
	} else {
		/* Spare width goes to the last column, so the rules span the page. */
		w[n - 1] += TEXT_W - total;
	}
	free(done);
}

/* One table row; header rows are bold on a shaded band. */
static void table_row(struct sheet_pdf *p, const char *const *cells, size_t n, const double *w,
    bool header)
{
	const char *font = header ? "Bold 8.5" : "9";
	double h = 0, x = MARGIN_X;

	for (size_t c = 0; c < n; c++) {
		double ch =
		    setup(p, str_or_empty(cells[c]), font, w[c] - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
		h = ch > h ? ch : h;
	}
	h += 2 * CELL_PAD;
	if (header)
		box(p, MARGIN_X, p->y, TEXT_W, h, shade);
	for (size_t c = 0; c < n; c++) {
		setup(p, str_or_empty(cells[c]), font, w[c] - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
		show(p, x + CELL_PAD, p->y + CELL_PAD, header ? accent : ink);
		x += w[c];
	}
	p->y += h;
	hline(p, MARGIN_X, PAGE_W - MARGIN_X, p->y, header ? 0.8 : 0.4, line_c);
}

static double row_height(struct sheet_pdf *p, const char *const *cells, size_t n, const double *w,
    bool header)
{
	double h = 0;

	for (size_t c = 0; c < n; c++) {
		double ch = setup(p, str_or_empty(cells[c]), header ? "Bold 8.5" : "9",
		    w[c] - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
		h = ch > h ? ch : h;
	}
	return h + 2 * CELL_PAD;
}

static void table(struct sheet_pdf *p, const struct sheet_section *sec)
{
	size_t n = sec->n_cols;
	double *w = xcalloc(n, sizeof *w);

	col_widths(p, sec, w);
	need(p, row_height(p, sec->headers, n, w, true) + 20);
	table_row(p, sec->headers, n, w, true);
	for (size_t r = 0; r < sec->n_rows; r++) {
		const char *const *row = (const char *const *)&sec->cells[r * n];
		if (p->y + row_height(p, row, n, w, false) > PAGE_H - MARGIN_BOTTOM) {
			/* The header is repeated on the next page. */
			new_page(p);
			table_row(p, sec->headers, n, w, true);
		}
		table_row(p, row, n, w, false);
	}
	free(w);
}

static void list(struct sheet_pdf *p, const struct sheet_section *sec)
{
	for (size_t i = 0; i < sec->items.n; i++) {
		double h = setup(p, "•", "10", 0, PANGO_ALIGN_LEFT);
		need(p, h);
		setup(p, "•", "10", 0, PANGO_ALIGN_LEFT);
		show(p, MARGIN_X + 2, p->y, muted);
		flow(p, sec->items.items[i], "10", MARGIN_X + 14, TEXT_W - 14, ink);
		p->y += 2;
	}
}

static void paragraphs(struct sheet_pdf *p, const char *text)
{
	const char *s = text;

	while (*s) {
		size_t n = strcspn(s, "\n");
		char *para = xstrndup(s, n);
		if (n == 0)
			p->y += 6;
		else
			flow(p, para, "10", MARGIN_X, TEXT_W, ink);
		free(para);
		s += n;
		if (*s == '\n')
			s++;
	}
}

/* A shaded box with a bold coloured message (restricted, redacted). */
static void callout(struct sheet_pdf *p, const char *text, struct rgb fg, struct rgb bg)
{
	double h = setup(p, text, "Bold 9", TEXT_W - 16, PANGO_ALIGN_LEFT);

	need(p, h + 12);
	box(p, MARGIN_X, p->y, TEXT_W, h + 12, bg);
	box(p, MARGIN_X, p->y, 3, h + 12, fg);
	setup(p, text, "Bold 9", TEXT_W - 16, PANGO_ALIGN_LEFT);
	show(p, MARGIN_X + 10, p->y + 6, fg);
	p->y += h + 12 + 6;
}

static void title_block(struct sheet_pdf *p)
{
	const struct sheet *s = p->s;
	char *label = xasprintf(_("Case %llu, revision %lu"), (unsigned long long)s->id,
	    (unsigned long)s->rev);
	double h;

	p->y = MARGIN_TOP;
	h = setup(p, label, "9", TEXT_W * 0.4, PANGO_ALIGN_RIGHT);
	show(p, MARGIN_X + TEXT_W * 0.6, p->y, muted);
	if (!str_empty(p->o.organisation)) {
		char *org = text_sanitize(p->o.organisation, 0);
		double oh = setup(p, org, "Bold 9", TEXT_W * 0.58, PANGO_ALIGN_LEFT);
		show(p, MARGIN_X, p->y, muted);
		h = oh > h ? oh : h;
		free(org);
	}
	p->y += h + 10;
	h = setup(p, _("CASE SHEET"), "Bold 9", TEXT_W, PANGO_ALIGN_LEFT);
	show(p, MARGIN_X, p->y, accent);
	p->y += h + 2;
	h = setup(p, s->name, "Bold 20", TEXT_W, PANGO_ALIGN_LEFT);
	show(p, MARGIN_X, p->y, ink);
	p->y += h + 2;
	h = setup(p, s->conf_line, s->banner ? "Bold 9.5" : "9.5", TEXT_W, PANGO_ALIGN_LEFT);
	show(p, MARGIN_X, p->y, s->banner ? alert : muted);
	p->y += h;
	if (s->created || s->changed) {
		char *rec = xasprintf("%s%s%s", s->created ? s->created : "",
		    s->created && s->changed ? "  ·  " : "", s->changed ? s->changed : "");
		h = setup(p, rec, "8.5", TEXT_W, PANGO_ALIGN_LEFT);
		show(p, MARGIN_X, p->y + 1, muted);
		p->y += h + 1;
		free(rec);
	}
	p->y += 6;
	hline(p, MARGIN_X, PAGE_W - MARGIN_X, p->y, 1.5, ink);
	p->y += 10;
	if (s->banner)
		callout(p, s->banner, alert, (struct rgb){0.99, 0.92, 0.92});
	if (s->notice)
		callout(p, s->notice, accent, shade);
	free(label);
}

/* Lays out (and, in the drawing pass, draws) one case; returns its pages. */
static int layout_case(struct sheet_pdf *p, const struct sheet *s, int pages, bool draw)
{
	p->s = s;
	p->draw = draw;
	p->page = 1;
	p->pages = pages;
	title_block(p);
	for (size_t i = 0; i < s->n_sections; i++) {
		const struct sheet_section *sec = &s->sec[i];
		if (!sec->title) {
			/* The untitled signature block: room for it whole, after a gap. */
			p->y += 24;
			need(p, 22.0 * (double)sec->n_fields);
			signed_fields(p, sec);
			continue;
		}
		heading(p, sec->title);
		if (sheet_section_empty(sec)) {
			flow(p, sec->empty ? sec->empty : "", "Italic 9.5", MARGIN_X, TEXT_W,
			    muted);
			continue;
		}
		switch (sec->block) {
		case SHEET_FIELDS:
			fields(p, sec);
			break;
		case SHEET_TABLE:
			table(p, sec);
			break;
		case SHEET_LIST:
			list(p, sec);
			break;
		default:
			paragraphs(p, sec->text);
			break;
		}
	}
	footer(p);
	if (draw)
		cairo_show_page(p->cr);
	return p->page;
}

struct sheet_pdf *sheet_pdf_begin(const struct sheet_options *o, struct buf *out)
{
	struct sheet_pdf *p = xcalloc(1, sizeof *p);
	cairo_font_options_t *fo;
	char date[32];
	time_t t = (time_t)o->printed_at;
	struct tm tm;

	p->o = *o;
	p->out = out;
	p->surf = cairo_pdf_surface_create_for_stream(write_out, out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE, _("Case sheet"));
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR, "casebook");
	/* The printing time, not the wall clock: reproducible documents. */
	if (gmtime_r(&t, &tm) && strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm))
		cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATE_DATE, date);
	p->cr = cairo_create(p->surf);
	p->pc = pango_cairo_create_context(p->cr);
	/* Font sizes are in points: one pango unit of size = one PDF point. */
	pango_cairo_context_set_resolution(p->pc, 72);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p->pc, fo);
	cairo_font_options_destroy(fo);
	p->lay = pango_layout_new(p->pc);
	return p;
}

void sheet_pdf_add(struct sheet_pdf *p, const struct case_record *c)
{
	struct sheet s;

	sheet_build(&s, c, sheet_redacts(&p->o, c));
	sheet_add_signature(&s, &p->o);
	int pages = layout_case(p, &s, 0, false);
	layout_case(p, &s, pages, true);
	sheet_free(&s);
}

int sheet_pdf_end(struct sheet_pdf *p, struct cb_err *err)
{
	cairo_status_t st;

	g_object_unref(p->lay);
	g_object_unref(p->pc);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surf);
	st = cairo_surface_status(p->surf);
	cairo_surface_destroy(p->surf);
	free(p);
	if (st != CAIRO_STATUS_SUCCESS)
		return cb_err_set(err, CB_EIO, _("PDF sheet: %s"), cairo_status_to_string(st));
	return 0;
}
